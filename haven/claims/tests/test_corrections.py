"""Correcting and removing a recorded step: the services (replay, refusal with the reason, audit with the old
values, recomputed deadlines) and the two pages, with their access rules."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.audit.models import AuditEntry
from haven.claims import services
from haven.claims.models import ClaimEvent, Deadline, EventType
from haven.testing.personas import PersonaTestCase

D = dt.date


class StepsTestCase(PersonaTestCase):
    def setUp(self):
        self.claim = services.create_claim(actor=self.owner, case=self.case, reference="TC9-00001",
                                           claimant=self.person, country_of_persecution="KP", province="ON")

    def step(self, type, on, **details) -> ClaimEvent:
        return services.record_event(actor=self.owner, claim=self.claim, type=type, occurred_on=on, **details)

    def fresh(self, event: ClaimEvent) -> ClaimEvent:
        """The step as the pages fetch it: read again, with its claim."""
        event = ClaimEvent.objects.get(pk=event.pk)
        event.claim = self.claim
        return event

    def due(self, key: str) -> dt.date | None:
        return Deadline.objects.filter(claim=self.claim, key=key).values_list("due_on", flat=True).first()

    def last_audit(self) -> AuditEntry:
        return AuditEntry.objects.order_by("-seq").first()

    def rejected(self):
        self.referral = self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.decision = self.step(EventType.DECISION_REJECTED, D(2024, 6, 3), received_on=D(2024, 6, 10))


class CorrectionServiceTests(StepsTestCase):
    def test_a_corrected_reasons_date_moves_the_rad_deadlines_and_is_audited_with_old_and_new_values(self):
        self.rejected()
        self.assertEqual(self.due("rad_notice_due"), D(2024, 6, 25))
        last_seq = self.last_audit().seq
        services.correct_event(actor=self.owner, event=self.fresh(self.decision), received_on=D(2024, 6, 17),
                               reason="Reasons arrived a week later than first noted.")
        self.assertEqual(self.due("rad_notice_due"), D(2024, 7, 2))
        self.assertEqual(self.due("rad_record_due"), D(2024, 8, 1))
        self.assertEqual(ClaimEvent.objects.get(pk=self.decision.pk).received_on, D(2024, 6, 17))
        entries = AuditEntry.objects.filter(seq__gt=last_seq, object_type="claims.claimevent")
        self.assertEqual(entries.count(), 1)
        entry = entries.get()
        self.assertEqual((entry.action, entry.object_id, entry.case_id), ("update", str(self.decision.pk),
                                                                          self.case.pk))
        self.assertEqual(entry.changes["received_on"], {"old": "2024-06-10", "new": "2024-06-17"})
        self.assertEqual(entry.changes["reason"], "Reasons arrived a week later than first noted.")
        self.assertNotIn("occurred_on", entry.changes)

    def test_a_corrected_referral_date_moves_the_claim_and_its_boc_deadline(self):
        referral = self.step(EventType.REFERRAL, D(2024, 6, 3))
        self.assertEqual(self.due("boc_due"), D(2024, 6, 18))
        services.correct_event(actor=self.owner, event=self.fresh(referral), occurred_on=D(2024, 6, 10))
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.referred_on, D(2024, 6, 10))
        self.assertEqual(self.due("boc_due"), D(2024, 6, 25))

    def test_a_decision_moved_before_the_referral_is_refused_with_the_reason(self):
        self.rejected()
        before = AuditEntry.objects.count()
        with self.assertRaises(ValidationError) as raised:
            services.correct_event(actor=self.owner, event=self.fresh(self.decision), occurred_on=D(2023, 12, 1))
        message = " ".join(raised.exception.messages)
        self.assertIn("The correction is refused", message)
        self.assertIn("before the claim is referred to the RPD", message)
        self.assertEqual(ClaimEvent.objects.get(pk=self.decision.pk).occurred_on, D(2024, 6, 3))
        self.assertEqual(self.due("rad_notice_due"), D(2024, 6, 25))
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_a_referral_moved_after_the_decision_names_the_step_it_would_break(self):
        self.rejected()
        with self.assertRaises(ValidationError) as raised:
            services.correct_event(actor=self.owner, event=self.fresh(self.referral), occurred_on=D(2024, 7, 1))
        message = " ".join(raised.exception.messages)
        self.assertIn("“RPD decision: rejected” of 2024-06-03 would no longer be valid", message)
        self.assertEqual(ClaimEvent.objects.get(pk=self.referral.pk).occurred_on, D(2024, 1, 8))

    def test_an_appeal_moved_after_the_rad_decision_is_refused(self):
        self.rejected()
        appeal = self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        self.step(EventType.RAD_CONFIRMED, D(2024, 10, 1), received_on=D(2024, 10, 2))
        with self.assertRaisesMessage(ValidationError, "No appeal is pending before the RAD"):
            services.correct_event(actor=self.owner, event=self.fresh(appeal), occurred_on=D(2024, 10, 5))

    def test_reasons_received_before_the_decision_are_refused(self):
        self.rejected()
        with self.assertRaisesMessage(ValidationError, "Reasons cannot be received before the decision is made"):
            services.correct_event(actor=self.owner, event=self.fresh(self.decision), received_on=D(2024, 6, 1))

    def test_the_kind_of_step_cannot_be_corrected(self):
        self.rejected()
        with self.assertRaisesMessage(ValidationError, "cannot be corrected: type"):
            services.correct_event(actor=self.owner, event=self.fresh(self.decision), type=EventType.DECISION_MU)

    def test_a_form_opened_before_someone_else_changed_the_step_is_refused(self):
        self.rejected()
        version = services.event_version(self.fresh(self.decision))
        services.correct_event(actor=self.colleague, event=self.fresh(self.decision), received_on=D(2024, 6, 12))
        with self.assertRaises(services.StepChanged):
            services.correct_event(actor=self.owner, event=self.fresh(self.decision), received_on=D(2024, 6, 17),
                                   version=version)
        self.assertEqual(ClaimEvent.objects.get(pk=self.decision.pk).received_on, D(2024, 6, 12))

    def test_nothing_changed_writes_nothing(self):
        self.rejected()
        before = AuditEntry.objects.count()
        services.correct_event(actor=self.owner, event=self.fresh(self.decision), received_on=D(2024, 6, 10))
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_a_corrected_note_is_redacted_in_the_audit(self):
        referral = self.step(EventType.REFERRAL, D(2024, 6, 3), note="Referred at Fort Erie")
        services.correct_event(actor=self.owner, event=self.fresh(referral), note="Referred at Lacolle")
        self.assertEqual(ClaimEvent.objects.get(pk=referral.pk).note, "Referred at Lacolle")
        self.assertEqual(self.last_audit().changes["note"], {"old": "[redacted]", "new": "[redacted]"})

    def test_a_confirmed_destination_stays_confirmed_when_the_date_is_corrected(self):
        self.rejected()
        self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        self.step(EventType.RAD_CONFIRMED, D(2024, 10, 1), received_on=D(2024, 10, 2))
        order = self.step(EventType.REMOVAL_ORDER, D(2024, 10, 20), order_kind="deportation",
                          destination_country="CN", confirm_destination=True)
        corrected = services.correct_event(actor=self.owner, event=self.fresh(order), occurred_on=D(2024, 10, 21))
        self.assertTrue(corrected.destination_confirmed)
        with self.assertRaisesMessage(ValidationError, "matches no nationality on file"):
            services.correct_event(actor=self.owner, event=self.fresh(order), destination_country="TH")


class RemovalServiceTests(StepsTestCase):
    def test_removing_the_decision_with_a_reason_recomputes_and_keeps_its_details_in_the_audit(self):
        self.rejected()
        services.remove_event(actor=self.owner, event=self.fresh(self.decision),
                              reason="Entered on the wrong claim.")
        self.assertFalse(ClaimEvent.objects.filter(pk=self.decision.pk).exists())
        self.claim.refresh_from_db()
        self.assertEqual((self.claim.outcome, self.claim.outcome_on, self.claim.stage), ("", None, "referral"))
        self.assertIsNone(self.due("rad_notice_due"))
        self.assertEqual(self.due("boc_due"), D(2024, 1, 23))
        entry = self.last_audit()
        self.assertEqual((entry.action, entry.object_type, entry.object_id), ("delete", "claims.claimevent",
                                                                              str(self.decision.pk)))
        self.assertEqual(entry.changes["reason"], "Entered on the wrong claim.")
        self.assertEqual(entry.changes["type"]["old"], "decision_rejected")
        self.assertEqual(entry.changes["occurred_on"]["old"], "2024-06-03")
        self.assertEqual(entry.changes["received_on"]["old"], "2024-06-10")
        self.assertEqual(entry.changes["recorded_by"]["old"], self.owner.pk)

    def test_a_reason_is_required(self):
        self.rejected()
        for reason in ("", "   "):
            with self.assertRaisesMessage(ValidationError, "Say why the step is removed"):
                services.remove_event(actor=self.owner, event=self.fresh(self.decision), reason=reason)
        self.assertTrue(ClaimEvent.objects.filter(pk=self.decision.pk).exists())

    def test_a_step_later_steps_depend_on_is_not_removed(self):
        self.rejected()
        before = AuditEntry.objects.count()
        with self.assertRaises(ValidationError) as raised:
            services.remove_event(actor=self.owner, event=self.fresh(self.referral), reason="Mistake.")
        message = " ".join(raised.exception.messages)
        self.assertIn("This step cannot be removed: the later step “RPD decision: rejected” of 2024-06-03 "
                      "depends on it.", message)
        self.assertIn("record the referral first", message)
        self.assertTrue(ClaimEvent.objects.filter(pk=self.referral.pk).exists())
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_an_appeal_with_a_rad_decision_is_not_removed_but_the_decision_is(self):
        self.rejected()
        appeal = self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        confirmed = self.step(EventType.RAD_CONFIRMED, D(2024, 10, 1), received_on=D(2024, 10, 2))
        self.assertIn("“RAD decision: RPD decision confirmed” of 2024-10-01",
                      services.removal_refusal(event=self.fresh(appeal)))
        self.assertIsNone(services.removal_refusal(event=self.fresh(confirmed)))
        self.assertEqual(self.due("fc_leave_due"), D(2024, 10, 17))
        services.remove_event(actor=self.owner, event=self.fresh(confirmed), reason="Decision not yet received.")
        self.assertIsNone(self.due("fc_leave_due"))
        services.remove_event(actor=self.owner, event=self.fresh(appeal), reason="Appeal was not filed.")
        self.assertIsNone(Deadline.objects.get(claim=self.claim, key="rad_notice_due").completed_on)

    def test_a_step_already_removed_is_reported(self):
        self.rejected()
        stale = self.fresh(self.decision)
        services.remove_event(actor=self.owner, event=self.fresh(self.decision), reason="Duplicate.")
        with self.assertRaisesMessage(services.StepChanged, "no longer exists"):
            services.remove_event(actor=self.colleague, event=stale, reason="Duplicate.")


class CorrectionPageTests(StepsTestCase):
    def setUp(self):
        super().setUp()
        self.rejected()
        self.correct_url = reverse("claim_event_correct", args=[self.decision.pk])
        self.remove_url = reverse("claim_event_remove", args=[self.decision.pk])

    def version(self, event) -> str:
        return services.event_version(ClaimEvent.objects.get(pk=event.pk))

    def test_claim_page_links_each_step_to_correct_and_remove_for_writers_only(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("claim_detail", args=[self.claim.pk]))
        for event in (self.referral, self.decision):
            self.assertContains(response, reverse("claim_event_correct", args=[event.pk]))
            self.assertContains(response, reverse("claim_event_remove", args=[event.pk]))
        self.login_as(self.volunteer)
        response = self.client.get(reverse("claim_detail", args=[self.claim.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, reverse("claim_event_correct", args=[self.decision.pk]))
        self.assertNotContains(response, reverse("claim_event_remove", args=[self.decision.pk]))

    def test_form_shows_the_recorded_values_and_only_the_details_of_the_step(self):
        self.login_as(self.owner)
        response = self.client.get(self.correct_url)
        self.assertContains(response, 'name="received_on"')
        self.assertContains(response, 'value="2024-06-10"')
        self.assertContains(response, 'name="ground"')
        self.assertNotContains(response, 'name="scheduled_for"')
        self.assertNotContains(response, 'name="order_kind"')
        self.assertNotContains(response, 'name="type"')
        response = self.client.get(reverse("claim_event_correct", args=[self.referral.pk]))
        self.assertNotContains(response, 'name="received_on"')

    def test_a_correction_is_saved_and_the_deadlines_follow(self):
        self.login_as(self.owner)
        response = self.client.post(self.correct_url, {"occurred_on": "2024-06-03", "received_on": "2024-06-17",
                                                       "reason": "Date stamp on the envelope.",
                                                       "version": self.version(self.decision)}, follow=True)
        self.assertRedirects(response, reverse("claim_detail", args=[self.claim.pk]) + "#timeline")
        self.assertContains(response, "Step corrected; deadlines recomputed.")
        self.assertEqual(self.due("rad_notice_due"), D(2024, 7, 2))
        self.assertContains(response, "2024-07-02")

    def test_a_refused_correction_shows_the_reason_and_changes_nothing(self):
        self.login_as(self.owner)
        response = self.client.post(self.correct_url, {"occurred_on": "2023-12-01", "received_on": "2024-06-10",
                                                       "version": self.version(self.decision)})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The correction is refused")
        self.assertContains(response, "before the claim is referred to the RPD")
        self.assertEqual(ClaimEvent.objects.get(pk=self.decision.pk).occurred_on, D(2024, 6, 3))

    def test_a_stale_form_is_sent_back_to_the_current_values(self):
        self.login_as(self.owner)
        stale = self.version(self.decision)
        services.correct_event(actor=self.colleague, event=self.fresh(self.decision), received_on=D(2024, 6, 12))
        response = self.client.post(self.correct_url, {"occurred_on": "2024-06-03", "received_on": "2024-06-17",
                                                       "version": stale}, follow=True)
        self.assertRedirects(response, self.correct_url)
        self.assertContains(response, "Someone changed this step")
        self.assertContains(response, 'value="2024-06-12"')
        self.assertEqual(ClaimEvent.objects.get(pk=self.decision.pk).received_on, D(2024, 6, 12))

    def test_removal_needs_a_reason_then_removes(self):
        self.login_as(self.owner)
        self.assertContains(self.client.get(self.remove_url), 'name="reason"')
        response = self.client.post(self.remove_url, {"reason": "", "version": self.version(self.decision)})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This field is required")
        self.assertTrue(ClaimEvent.objects.filter(pk=self.decision.pk).exists())
        response = self.client.post(self.remove_url, {"reason": "Entered on the wrong claim.",
                                                      "version": self.version(self.decision)}, follow=True)
        self.assertRedirects(response, reverse("claim_detail", args=[self.claim.pk]) + "#timeline")
        self.assertContains(response, "Step removed; deadlines recomputed.")
        self.assertFalse(ClaimEvent.objects.filter(pk=self.decision.pk).exists())
        entry = AuditEntry.objects.filter(action="delete", object_type="claims.claimevent").get()
        self.assertEqual(entry.changes["reason"], "Entered on the wrong claim.")

    def test_a_step_others_depend_on_shows_why_it_cannot_be_removed(self):
        self.login_as(self.owner)
        url = reverse("claim_event_remove", args=[self.referral.pk])
        response = self.client.get(url)
        self.assertContains(response, "This step cannot be removed")
        self.assertContains(response, "“RPD decision: rejected” of 2024-06-03")
        self.assertNotContains(response, 'name="reason"')
        response = self.client.post(url, {"reason": "Mistake.", "version": self.version(self.referral)})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This step cannot be removed")
        self.assertTrue(ClaimEvent.objects.filter(pk=self.referral.pk).exists())


class CorrectionAccessTests(StepsTestCase):
    """Both routes need write access to the claim's case: read-only and outside users get 404, as for a step
    that does not exist (the app's pattern for write routes); anonymous users are sent to sign in."""

    def setUp(self):
        super().setUp()
        self.rejected()

    def requests(self):
        version = services.event_version(self.fresh(self.decision))
        correct = reverse("claim_event_correct", args=[self.decision.pk])
        remove = reverse("claim_event_remove", args=[self.decision.pk])
        return [
            ("get", correct, {}),
            ("post", correct, {"occurred_on": "2024-06-03", "received_on": "2024-06-17", "version": version}),
            ("get", remove, {}),
            ("post", remove, {"reason": "Mistake.", "version": version}),
        ]

    def assert_untouched(self):
        decision = ClaimEvent.objects.get(pk=self.decision.pk)
        self.assertEqual(decision.received_on, D(2024, 6, 10))
        self.assertEqual(self.due("rad_notice_due"), D(2024, 6, 25))

    def test_read_only_volunteer_and_strangers_get_404_and_change_nothing(self):
        for persona in ("volunteer", "outsider", "other_volunteer", "analyst"):
            self.login_as(getattr(self, persona))
            for method, url, data in self.requests():
                with self.subTest(persona=persona, method=method, url=url):
                    response = getattr(self.client, method)(url, data)
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn("Ri family", response.content.decode())
        self.assert_untouched()

    def test_anonymous_is_sent_to_login(self):
        for method, url, data in self.requests():
            with self.subTest(method=method, url=url):
                response = getattr(self.client, method)(url, data)
                self.assertEqual(response.status_code, 302)
                self.assertIn("login", response["Location"])
        self.assert_untouched()

    def test_assigned_counsel_from_another_organization_may_correct(self):
        self.login_as(self.counsel)
        method, url, data = self.requests()[1]
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(ClaimEvent.objects.get(pk=self.decision.pk).received_on, D(2024, 6, 17))


class CorrectionTranslationTests(StepsTestCase):
    def test_pages_and_refusals_are_translated(self):
        from django.conf import settings
        from django.utils import translation

        # The locale middleware leaves the last request's language active in this thread: restore it.
        self.addCleanup(translation.deactivate)
        self.rejected()
        self.login_as(self.owner)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        self.assertContains(self.client.get(reverse("claim_event_correct", args=[self.decision.pk])),
                            "Corriger une étape")
        response = self.client.get(reverse("claim_event_remove", args=[self.referral.pk]))
        self.assertContains(response, "Cette étape ne peut pas être retirée")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
        self.assertContains(self.client.get(reverse("claim_event_remove", args=[self.decision.pk])), "단계 삭제")
