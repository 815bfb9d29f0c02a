"""The claim lifecycle: recorded steps, refused steps (with the reason), derived fields and deadlines."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404

from haven.audit.models import AuditEntry
from haven.claims import services
from haven.claims.models import Claim, Deadline, DeadlineRule, EventType, LegalIssue
from haven.claims.selectors import get_claim_for_user, get_event_for_user
from haven.testing.factories import AttachmentFactory
from haven.testing.personas import PersonaTestCase

D = dt.date


class ClaimTestCase(PersonaTestCase):
    def setUp(self):
        self.claim = services.create_claim(actor=self.owner, case=self.case, reference="TC4-12345",
                                           claimant=self.person, members=[self.child],
                                           country_of_persecution="North Korea", province="ON")

    def step(self, type, on, **details):
        return services.record_event(actor=self.owner, claim=self.claim, type=type, occurred_on=on, **details)

    def refused(self, message, type, on, **details):
        with self.assertRaises(ValidationError) as raised:
            self.step(type, on, **details)
        self.assertIn(message, " ".join(raised.exception.messages))

    def deadlines(self, open_only=False):
        rows = Deadline.objects.filter(claim=self.claim)
        if open_only:
            rows = rows.filter(completed_on__isnull=True)
        return dict(rows.values_list("key", "due_on"))

    def rejected(self, decided=D(2024, 6, 3), reasons=D(2024, 6, 10), **details):
        self.step(EventType.REFERRAL, decided - dt.timedelta(days=147))
        self.step(EventType.DECISION_REJECTED, decided, received_on=reasons, **details)


class RecordingTests(ClaimTestCase):
    def test_claim_fields_are_normalised(self):
        self.assertEqual(self.claim.country_of_persecution, "KP")
        self.assertEqual(list(self.claim.members.all()), [self.child])
        self.assertEqual(self.claim.outcome, "")

    def test_referral_sets_referred_on_and_starts_the_boc_and_hearing_deadlines(self):
        self.step(EventType.REFERRAL, D(2024, 6, 3))
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.referred_on, D(2024, 6, 3))
        self.assertEqual(self.deadlines(), {"boc_due": D(2024, 6, 18), "boc_extension_request_due": D(2024, 6, 13),
                                            "hearing_due": D(2024, 8, 2)})
        self.step(EventType.BOC_FILED, D(2024, 6, 14))
        self.assertEqual(set(self.deadlines(open_only=True)), {"hearing_due"})

    def test_a_rejection_with_reasons_starts_the_rad_deadlines_and_an_appeal_meets_the_first(self):
        self.rejected()
        self.claim.refresh_from_db()
        self.assertEqual((self.claim.outcome, self.claim.outcome_on), ("rejected", D(2024, 6, 3)))
        due = self.deadlines(open_only=True)
        self.assertEqual(due["rad_notice_due"], D(2024, 6, 25))
        self.assertEqual(due["rad_record_due"], D(2024, 7, 25))
        self.assertEqual(due["prra_bar_ends"], D(2025, 6, 3))
        self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        self.assertNotIn("rad_notice_due", self.deadlines(open_only=True))
        self.assertEqual(Deadline.objects.get(claim=self.claim, key="rad_notice_due").completed_on, D(2024, 6, 20))

    def test_amending_the_reasons_date_recomputes_and_deleting_removes(self):
        self.rejected()
        decision = self.claim.events.get(type=EventType.DECISION_REJECTED)
        services.correct_event(actor=self.owner, event=decision, received_on=D(2024, 6, 17))
        self.assertEqual(self.deadlines()["rad_notice_due"], D(2024, 7, 2))
        services.remove_event(actor=self.owner, event=decision, reason="recorded on the wrong claim")
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.outcome, "")
        self.assertNotIn("rad_notice_due", self.deadlines())

    def test_hearing_postponement_moves_the_ten_day_deadlines(self):
        self.step(EventType.REFERRAL, D(2024, 6, 3))
        self.step(EventType.HEARING_SCHEDULED, D(2024, 6, 20), scheduled_for=D(2024, 9, 10))
        self.assertEqual(self.deadlines()["boc_amendments_due"], D(2024, 8, 30))
        self.step(EventType.HEARING_POSTPONED, D(2024, 8, 1), scheduled_for=D(2024, 10, 21))
        self.assertEqual(self.deadlines()["boc_amendments_due"], D(2024, 10, 11))

    def test_every_step_is_audited(self):
        before = AuditEntry.objects.count()
        self.step(EventType.REFERRAL, D(2024, 6, 3), note="Referred at Fort Erie")
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual(AuditEntry.objects.count(), before + 1)
        self.assertEqual((entry.action, entry.case_id), ("create", self.case.pk))
        self.assertEqual(entry.changes["note"]["new"], "[redacted]")

    def test_rad_set_aside_substitutes_the_outcome(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.step(EventType.DECISION_ACCEPTED, D(2024, 6, 3), received_on=D(2024, 6, 5))
        self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 18), appellant="minister")
        self.step(EventType.RAD_SET_ASIDE, D(2024, 11, 4), received_on=D(2024, 11, 6), substituted_outcome="rejected",
                  ground="article_1e")
        self.claim.refresh_from_db()
        self.assertEqual((self.claim.outcome, self.claim.outcome_on), ("rejected", D(2024, 11, 4)))
        due = self.deadlines()
        self.assertEqual(due["fc_leave_due"], D(2024, 11, 21))
        self.assertNotIn("prra_bar_ends", due, "an Article 1E rejection does not start the PRRA bar")

    def test_full_path_to_removal_with_stays_lifted(self):
        self.rejected()
        self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        self.step(EventType.RAD_PERFECTED, D(2024, 7, 20))
        self.assertEqual(self.deadlines()["rad_decision_due"], D(2024, 10, 18))
        self.step(EventType.RAD_CONFIRMED, D(2024, 10, 1), received_on=D(2024, 10, 3))
        self.step(EventType.FC_LEAVE_FILED, D(2024, 10, 15))
        self.assertEqual(self.deadlines()["fc_record_due"], D(2024, 11, 14))
        self.step(EventType.FC_LEAVE_REFUSED, D(2025, 1, 20))
        self.step(EventType.REMOVAL_ORDER, D(2025, 2, 3), order_kind="departure")
        self.assertEqual(self.deadlines()["departure_due"], D(2025, 3, 5))
        self.step(EventType.REMOVAL, D(2025, 3, 1), destination_country="KR", confirm_destination=False)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.stage, "removal")


class RefusedStepTests(ClaimTestCase):
    def test_decision_before_referral(self):
        self.refused("before the claim is referred to the RPD", EventType.DECISION_REJECTED, D(2024, 6, 3))

    def test_rad_appeal_after_no_credible_basis_or_manifestly_unfounded(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.step(EventType.DECISION_NCB, D(2024, 6, 3), received_on=D(2024, 6, 4))
        self.refused("IRPA s.110(2)(c)", EventType.RAD_APPEAL_FILED, D(2024, 6, 10), appellant="claimant")
        self.assertEqual(self.deadlines()["fc_leave_due"], D(2024, 6, 19))

    def test_rad_appeal_after_manifestly_unfounded(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.step(EventType.DECISION_MU, D(2024, 6, 3), received_on=D(2024, 6, 4))
        self.refused("no credible basis or is manifestly unfounded", EventType.RAD_APPEAL_FILED, D(2024, 6, 10),
                     appellant="minister")

    def test_irpa_110_2_b_rad_appeal_after_abandonment(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.step(EventType.ABANDONMENT, D(2024, 3, 1))
        self.refused("withdrawn or abandoned (IRPA s.110(2)(b))", EventType.RAD_APPEAL_FILED, D(2024, 3, 5),
                     appellant="claimant")

    def test_claimant_cannot_appeal_a_positive_decision(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.step(EventType.DECISION_ACCEPTED, D(2024, 6, 3), received_on=D(2024, 6, 4))
        self.refused("only the Minister may appeal", EventType.RAD_APPEAL_FILED, D(2024, 6, 10),
                     appellant="claimant")

    def test_second_decision_and_hearing_after_decision(self):
        self.rejected()
        self.refused("already disposed of", EventType.DECISION_ACCEPTED, D(2024, 7, 1))
        self.refused("no longer before the RPD", EventType.HEARING_SCHEDULED, D(2024, 7, 1),
                     scheduled_for=D(2024, 8, 1))
        self.refused("Only a claim still before the RPD", EventType.WITHDRAWAL, D(2024, 7, 1))

    def test_hearing_held_without_being_scheduled(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.refused("No hearing has been scheduled", EventType.HEARING_HELD, D(2024, 3, 1))

    def test_reinstatement_and_reopening(self):
        self.rejected()
        self.refused("Only a withdrawn claim can be reinstated", EventType.REINSTATEMENT, D(2024, 7, 1))
        self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        self.step(EventType.RAD_CONFIRMED, D(2024, 10, 1), received_on=D(2024, 10, 3))
        self.refused("IRPA s.170.2", EventType.REOPENING, D(2024, 11, 1))

    def test_federal_court_before_exhausting_the_rad(self):
        self.rejected()
        self.refused("IRPA s.72(2)(a)", EventType.FC_LEAVE_FILED, D(2024, 6, 20))
        self.refused("after leave is granted", EventType.JR_ALLOWED, D(2024, 6, 20))

    def test_removal_order_while_the_claim_is_pending(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.refused("IRPA s.49(2)", EventType.REMOVAL_ORDER, D(2024, 2, 1), order_kind="departure")

    def test_removal_without_an_order(self):
        self.rejected()
        self.refused("no removal order", EventType.REMOVAL, D(2024, 9, 1), destination_country="KR")

    def test_irpa_49_2_d_removal_order_not_in_force_while_the_rad_time_runs_or_an_appeal_is_pending(self):
        self.rejected(reasons=D(2024, 6, 10))  # RAD notice due 25 June: in force the day after
        self.refused("comes into force only on 2024-06-26 (IRPA s.49(2)(d))", EventType.REMOVAL_ORDER,
                     D(2024, 6, 12), order_kind="departure")
        self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 21), appellant="claimant")
        self.refused("an appeal is before the RAD (IRPA s.49(2))", EventType.REMOVAL_ORDER, D(2024, 7, 1),
                     order_kind="departure")

    def test_removal_before_the_reasons_are_received(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.step(EventType.DECISION_REJECTED, D(2024, 6, 3))
        self.refused("written reasons are not recorded as received", EventType.REMOVAL_ORDER, D(2024, 9, 1),
                     order_kind="departure")

    def test_removal_while_leave_against_the_rad_decision_is_sought(self):
        self.rejected()
        self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        self.step(EventType.RAD_CONFIRMED, D(2024, 10, 1), received_on=D(2024, 10, 3))
        self.step(EventType.FC_LEAVE_FILED, D(2024, 10, 15))
        self.step(EventType.REMOVAL_ORDER, D(2024, 10, 18), order_kind="deportation")  # 15 days after notice
        self.refused("IRPR s.231(1)", EventType.REMOVAL, D(2024, 11, 1), destination_country="KR")
        self.step(EventType.FC_LEAVE_GRANTED, D(2024, 12, 1))
        self.refused("IRPR s.231(1)", EventType.REMOVAL, D(2024, 12, 2), destination_country="KR")

    def test_removal_while_a_prra_is_pending_and_prra_bar(self):
        self.rejected(decided=D(2023, 1, 9), reasons=D(2023, 1, 10))
        self.step(EventType.RAD_APPEAL_FILED, D(2023, 1, 20), appellant="claimant")
        self.step(EventType.RAD_CONFIRMED, D(2023, 6, 1), received_on=D(2023, 6, 2))
        self.step(EventType.REMOVAL_ORDER, D(2023, 6, 20), order_kind="deportation")
        self.step(EventType.PRRA_NOTIFICATION, D(2024, 5, 25))
        self.refused("12-month PRRA bar runs until 2024-06-03", EventType.PRRA_APPLIED, D(2024, 5, 30))
        self.step(EventType.PRRA_APPLIED, D(2024, 6, 3))  # within the 15 days (due 9 June, a Sunday: 10 June)
        self.refused("IRPR s.232(c)", EventType.REMOVAL, D(2024, 7, 1), destination_country="KR")

    def test_article_1e_rejection_does_not_bar_a_prra(self):
        self.rejected(decided=D(2024, 1, 9), reasons=D(2024, 1, 10), ground="article_1e")
        self.step(EventType.RAD_APPEAL_FILED, D(2024, 1, 20), appellant="claimant")
        self.step(EventType.RAD_CONFIRMED, D(2024, 3, 1), received_on=D(2024, 3, 2))
        self.step(EventType.PRRA_NOTIFICATION, D(2024, 4, 1))
        self.step(EventType.PRRA_APPLIED, D(2024, 4, 10))
        self.assertNotIn("prra_bar_ends", self.deadlines())

    def test_removal_of_a_protected_person_and_vacation(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.refused("Only refugee protection that was conferred", EventType.VACATION, D(2024, 2, 1))
        self.step(EventType.DECISION_ACCEPTED, D(2024, 6, 3), received_on=D(2024, 6, 4))
        self.refused("protected person", EventType.REMOVAL_ORDER, D(2024, 7, 1), order_kind="deportation")
        self.step(EventType.VACATION, D(2025, 1, 6))
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.outcome, "rejected")
        self.refused("application to vacate refugee protection (IRPA s.110(2)(f))", EventType.RAD_APPEAL_FILED,
                     D(2025, 1, 10), appellant="claimant")

    def test_destination_must_be_a_country_and_unexpected_ones_confirmed(self):
        self.rejected()
        self.step(EventType.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        self.step(EventType.RAD_CONFIRMED, D(2024, 10, 1), received_on=D(2024, 10, 3))
        self.step(EventType.REMOVAL_ORDER, D(2024, 10, 20), order_kind="deportation")
        self.refused("not an ISO 3166 country", EventType.REMOVAL, D(2024, 11, 1), destination_country="Atlantis")
        self.refused("matches no nationality on file", EventType.REMOVAL, D(2024, 11, 1), destination_country="CN")
        self.refused("data-entry error", EventType.REMOVAL, D(2024, 11, 1), destination_country="KP")
        event = self.step(EventType.REMOVAL, D(2024, 11, 1), destination_country="China", confirm_destination=True)
        self.assertEqual((event.destination_country, event.destination_confirmed), ("CN", True))

    def test_an_amendment_or_deletion_that_breaks_a_later_step_is_refused(self):
        self.rejected()
        referral = self.claim.events.get(type=EventType.REFERRAL)
        with self.assertRaisesMessage(ValidationError, "before the claim is referred"):
            services.correct_event(actor=self.owner, event=referral, occurred_on=D(2024, 7, 1))
        with self.assertRaisesMessage(ValidationError, "before the claim is referred"):
            services.remove_event(actor=self.owner, event=referral, reason="entered twice")
        referral.refresh_from_db()
        self.assertEqual(referral.occurred_on, D(2024, 1, 8))  # 147 days before 3 June 2024

    def test_reasons_cannot_precede_the_decision(self):
        self.step(EventType.REFERRAL, D(2024, 1, 8))
        self.refused("before the decision", EventType.DECISION_REJECTED, D(2024, 6, 3), received_on=D(2024, 6, 1))


class RecomputeAndAccessTests(ClaimTestCase):
    def test_recompute_all_is_idempotent_and_follows_rule_changes(self):
        self.rejected()
        first = services.recompute_all_deadlines()
        self.assertEqual((first["created"], first["updated"], first["deleted"]), (0, 0, 0))
        rule = DeadlineRule.objects.get(key="rad_notice_due")
        rule.period = 20
        stats = services.save_rule(actor=self.admin, rule=rule, changed_fields=["period"])
        self.assertEqual(stats["updated"], 1)
        self.assertEqual(self.deadlines()["rad_notice_due"], D(2024, 7, 2))  # Sun 30 June -> Canada Day -> 2 July

    def test_claims_are_reached_only_through_their_case(self):
        for user in (self.owner, self.colleague, self.admin, self.volunteer, self.counsel):
            with self.subTest(user=user.username):
                claim, _ = get_claim_for_user(user, self.claim.pk)
                self.assertEqual(claim, self.claim)
        for user in (self.outsider, self.analyst, self.other_volunteer):
            with self.subTest(user=user.username), self.assertRaisesMessage(Http404, "No such record."):
                get_claim_for_user(user, self.claim.pk)
        with self.assertRaises(Http404):
            get_claim_for_user(self.volunteer, self.claim.pk, write=True)
        with self.assertRaises(Http404):
            get_claim_for_user(self.owner, 10**9)
        event = self.step(EventType.REFERRAL, D(2024, 1, 8))
        with self.assertRaises(Http404):
            get_event_for_user(self.outsider, event.pk)

    def test_claimant_must_belong_to_the_case(self):
        with self.assertRaises(ValidationError):
            services.create_claim(actor=self.owner, case=self.case, reference="X-1", claimant=self.other_person,
                                  country_of_persecution="KP")
        with self.assertRaises(ValidationError):
            services.create_claim(actor=self.owner, case=self.case, reference="TC4-12345", claimant=self.person,
                                  country_of_persecution="KP")
        self.assertEqual(Claim.objects.count(), 1)

    def test_legal_issue_checklist_and_evidence_links(self):
        issue = services.add_issue(actor=self.owner, claim=self.claim, kind=LegalIssue.Kind.ROK_NATIONALITY)
        item = issue.evidence.first()
        self.assertIn("South Korea", item.description)
        services.update_evidence_item(actor=self.owner, item=item, status="obtained", attachments=[self.attachment])
        self.assertEqual(list(item.attachments.all()), [self.attachment])
        foreign = AttachmentFactory(case=self.other_case, uploaded_by=self.outsider)
        with self.assertRaises(ValidationError):
            services.update_evidence_item(actor=self.owner, item=item, attachments=[foreign])


class RuleAdminTests(ClaimTestCase):
    def test_an_administrator_changes_a_rule_in_the_admin_and_deadlines_follow(self):
        import json

        from django.urls import reverse
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from haven.accounts.models import User

        root = User.objects.create_superuser(username="root@maple.test", email="root@maple.test", password="x" * 20)
        TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
        self.login_as(root)
        self.rejected()
        rule = DeadlineRule.objects.get(key="rad_notice_due")
        url = reverse("admin:claims_deadlinerule_change", args=[rule.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        data = {field: getattr(rule, field) for field in (
            "key", "label", "responsible", "trigger", "unit", "direction", "rollover", "citation", "source_url",
            "note")}
        data.update(period=20, active="on", completed_by=json.dumps(rule.completed_by), effective_from="",
                    effective_to="")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertEqual(self.deadlines()["rad_notice_due"], D(2024, 7, 2))
        self.assertEqual(AuditEntry.objects.order_by("-seq").first().object_type, "claims.deadlinerule")
        self.assertEqual(self.client.post(reverse("admin:claims_deadlinerule_delete", args=[rule.pk]),
                                          {"post": "yes"}).status_code, 403)

    def test_recompute_command(self):
        import io

        from django.core.management import call_command

        self.rejected()
        Deadline.objects.filter(claim=self.claim, key="rad_notice_due").delete()
        out = io.StringIO()
        call_command("deadlines", "recompute", stdout=out)
        self.assertIn("1 claims: 1 deadlines added", out.getvalue())
