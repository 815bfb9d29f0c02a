"""Claim pages: access for every route and persona, the HTMX step form, the deadlines page (query count),
the calendar feed and reminder e-mails."""
from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AuditEntry
from haven.claims import services
from haven.claims.models import CalendarFeed, Claim, Deadline, DeadlineRule, EventType
from haven.claims.testing import maple_claim, maple_event, maple_evidence
from haven.testing.factories import AssignmentFactory, CaseFactory, HouseholdFactory, PersonFactory
from haven.testing.personas import PersonaTestCase

READERS = ("owner", "colleague", "admin", "counsel", "volunteer")
STRANGERS = ("outsider", "other_volunteer", "analyst")


class ClaimRouteAccessTests(PersonaTestCase):
    def setUp(self):
        self.claim = maple_claim(self)

    def routes(self):
        """(name, url, method, data, is_write) for every object route of the claims app."""
        event, item = maple_event(self), maple_evidence(self)
        return [
            ("case_claims", reverse("case_claims", args=[self.case.pk]), "get", {}, False),
            ("claim_create", reverse("claim_create", args=[self.case.pk]), "get", {}, True),
            ("claim_detail", reverse("claim_detail", args=[self.claim.pk]), "get", {}, False),
            ("claim_event_add", reverse("claim_event_add", args=[self.claim.pk]), "get", {}, True),
            ("claim_event_add", reverse("claim_event_add", args=[self.claim.pk]), "post",
             {"type": "rad_appeal_filed", "occurred_on": "2024-06-20", "appellant": "claimant"}, True),
            ("claim_event_correct", reverse("claim_event_correct", args=[event.pk]), "get", {}, True),
            ("claim_event_correct", reverse("claim_event_correct", args=[event.pk]), "post",
             {"occurred_on": "2024-06-03", "received_on": "2024-06-17",
              "version": services.event_version(event)}, True),
            ("claim_event_remove", reverse("claim_event_remove", args=[event.pk]), "get", {}, True),
            ("claim_issue_add", reverse("claim_issue_add", args=[self.claim.pk]), "post", {"kind": "identity"}, True),
            ("evidence_update", reverse("evidence_update", args=[item.pk]), "post", {"status": "requested"}, True),
        ]

    def test_staff_and_counsel_reach_every_route(self):
        for persona in ("owner", "colleague", "admin", "counsel"):
            for name, url, method, data, _ in self.routes():
                with self.subTest(persona=persona, route=name, method=method):
                    self.login_as(getattr(self, persona))
                    response = getattr(self.client, method)(url, data)
                    self.assertIn(response.status_code, (200, 302), response.content[:300])

    def test_volunteer_reads_but_cannot_write(self):
        self.login_as(self.volunteer)
        for name, url, method, data, is_write in self.routes():
            with self.subTest(route=name, method=method):
                response = getattr(self.client, method)(url, data)
                self.assertEqual(response.status_code, 404 if is_write else 200)
                self.assertNotIn("Hyesan", response.content.decode())  # the confidential notes
                self.assertNotIn("boc.pdf", response.content.decode())  # a confidential attachment

    def test_outsider_other_group_and_analyst_get_404(self):
        for persona in STRANGERS:
            self.login_as(getattr(self, persona))
            for name, url, method, data, _ in self.routes():
                with self.subTest(persona=persona, route=name, method=method):
                    self.assertEqual(getattr(self.client, method)(url, data).status_code, 404)
        self.assertTrue(Claim.objects.filter(pk=self.claim.pk).exists())
        self.assertEqual(self.claim.events.count(), 2)

    def test_anonymous_is_sent_to_login(self):
        for name, url, method, data, _ in [*self.routes(), ("deadlines", reverse("deadlines"), "get", {}, False),
                                           ("deadline_calendar", reverse("deadline_calendar"), "get", {}, False)]:
            with self.subTest(route=name, method=method):
                response = getattr(self.client, method)(url, data)
                self.assertEqual(response.status_code, 302)
                self.assertIn("login", response["Location"])

    def test_missing_records_look_the_same(self):
        self.login_as(self.owner)
        for name in ("claim_detail", "claim_event_add"):
            self.assertEqual(self.client.get(reverse(name, args=[10**9])).status_code, 404)
        for name in ("claim_event_correct", "claim_event_remove"):
            self.assertEqual(self.client.get(reverse(name, args=[10**9])).status_code, 404)
            self.assertEqual(self.client.post(reverse(name, args=[10**9]), {"reason": "x"}).status_code, 404)

    def test_detail_shows_timeline_deadlines_and_is_audited(self):
        self.login_as(self.owner)
        before = AuditEntry.objects.filter(action="view", object_type="claims.claim").count()
        response = self.client.get(reverse("claim_detail", args=[self.claim.pk]))
        self.assertContains(response, "RAD notice of appeal due")
        self.assertContains(response, "IRPR s.159.91(1)(a)")
        self.assertContains(response, "2024-06-25")
        self.assertContains(response, "Hyesan")  # staff see the notes
        self.assertEqual(AuditEntry.objects.filter(action="view", object_type="claims.claim").count(), before + 1)

    def test_detail_names_the_deadlines_in_the_readers_language(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("claim_detail", args=[self.claim.pk]), HTTP_ACCEPT_LANGUAGE="fr")
        self.assertContains(response, "Avis d&#x27;appel à déposer à la SAR")
        self.assertNotContains(response, "RAD notice of appeal due")


class StepFormTests(PersonaTestCase):
    def setUp(self):
        self.claim = maple_claim(self)
        self.login_as(self.owner)
        self.url = reverse("claim_event_add", args=[self.claim.pk])

    def test_htmx_get_returns_the_partial_form(self):
        response = self.client.get(self.url, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="event-form"')
        self.assertNotContains(response, "<html")

    def test_htmx_post_records_the_step_and_redirects(self):
        response = self.client.post(self.url, {"type": "rad_appeal_filed", "occurred_on": "2024-06-20",
                                               "appellant": "claimant"}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response["HX-Redirect"], reverse("claim_detail", args=[self.claim.pk]))
        self.assertEqual(Deadline.objects.get(claim=self.claim, key="rad_notice_due").completed_on,
                         dt.date(2024, 6, 20))

    def test_refused_step_shows_the_reason(self):
        response = self.client.post(self.url, {"type": "fc_leave_filed", "occurred_on": "2024-06-20"},
                                    headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "IRPA s.72(2)(a)")
        self.assertFalse(self.claim.events.filter(type="fc_leave_filed").exists())

    def test_destination_confirmation_error_is_shown_on_the_field(self):
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.RAD_APPEAL_FILED,
                              occurred_on=dt.date(2024, 6, 20), appellant="claimant")
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.RAD_CONFIRMED,
                              occurred_on=dt.date(2024, 10, 1), received_on=dt.date(2024, 10, 2))
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.REMOVAL_ORDER,
                              occurred_on=dt.date(2024, 10, 20), order_kind="deportation")
        data = {"type": "removal", "occurred_on": "2024-11-01", "destination_country": "KP"}
        response = self.client.post(self.url, data)
        self.assertContains(response, "data-entry error")
        response = self.client.post(self.url, {**data, "confirm_destination": "on"})
        self.assertEqual(response.status_code, 302)

    def test_removing_a_step_recomputes(self):
        event = maple_event(self)
        self.client.post(reverse("claim_event_remove", args=[event.pk]),
                         {"reason": "Recorded on the wrong claim.", "version": services.event_version(event)})
        self.assertFalse(Deadline.objects.filter(claim=self.claim, key="rad_notice_due").exists())

    def test_create_claim_form(self):
        response = self.client.post(reverse("claim_create", args=[self.case.pk]), {
            "reference": "TB6-00002", "claimant": self.child.pk, "country_of_persecution": "North Korea",
            "province": "QC", "referred_on": "2024-06-09"})
        claim = Claim.objects.get(reference="TB6-00002")
        self.assertRedirects(response, reverse("claim_detail", args=[claim.pk]))
        self.assertEqual(claim.country_of_persecution, "KP")
        self.assertEqual(Deadline.objects.get(claim=claim, key="boc_due").due_on, dt.date(2024, 6, 25))  # QC: 24 June


class DeadlinesPageTests(PersonaTestCase):
    def make_claims(self, count: int, start: int = 0):
        today = timezone.localdate()
        for n in range(start, start + count):
            household = HouseholdFactory(organization=self.org)
            person = PersonFactory(household=household)
            case = CaseFactory(household=household, organization=self.org)
            AssignmentFactory(case=case, user=self.owner)
            services.create_claim(actor=self.owner, case=case, reference=f"TB7-{n:05d}", claimant=person,
                                  country_of_persecution="KP", referred_on=today - dt.timedelta(days=10))

    def queries_for(self, user) -> int:
        self.login_as(user)
        self.client.get(reverse("deadlines"))  # the session's first request also refreshes the session
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("deadlines"))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_lists_due_and_overdue_deadlines_of_my_cases_only(self):
        self.make_claims(1)
        self.login_as(self.owner)
        response = self.client.get(reverse("deadlines"))
        self.assertContains(response, "TB7-00000")
        self.assertContains(response, "Basis of Claim form due")
        self.assertContains(response, "IRPR s.159.8(2)")
        for persona in ("outsider", "other_volunteer"):
            self.login_as(getattr(self, persona))
            self.assertNotContains(self.client.get(reverse("deadlines")), "TB7-00000")
        self.login_as(self.analyst)  # aggregates only: the page is not theirs
        self.assertEqual(self.client.get(reverse("deadlines")).status_code, 404)

    def test_rule_labels_are_in_the_readers_language_until_an_administrator_rewords_them(self):
        self.make_claims(1)
        self.login_as(self.owner)
        korean = self.client.get(reverse("deadlines"), HTTP_ACCEPT_LANGUAGE="ko")
        self.assertContains(korean, "난민 신청 사유서(BOC) 제출 기한(입국항 신청)")
        self.assertContains(korean, "IRPR s.159.8(2)")  # citations stay as the law writes them
        self.assertNotContains(korean, "Basis of Claim form due")
        DeadlineRule.objects.filter(label="Basis of Claim form due (port-of-entry claim)").update(
            label="BOC due, port-of-entry claim (reworded)")
        reworded = self.client.get(reverse("deadlines"), HTTP_ACCEPT_LANGUAGE="ko")
        self.assertContains(reworded, "BOC due, port-of-entry claim (reworded)")

    def test_query_count_does_not_grow_with_the_number_of_deadlines(self):
        self.make_claims(1)
        few = self.queries_for(self.owner)
        self.make_claims(20, start=1)
        self.login_as(self.owner)
        with self.assertNumQueries(few):
            response = self.client.get(reverse("deadlines"))
        self.assertContains(response, "TB7-00020")
        self.assertLessEqual(few, 20)

    def test_page_is_audited_as_one_list_entry(self):
        self.make_claims(2)
        self.login_as(self.owner)
        self.client.get(reverse("deadlines"))
        entry = AuditEntry.objects.filter(action="list", summary="deadlines").order_by("-seq").first()
        self.assertEqual(len(entry.changes["claim_ids"]), 2)


class CalendarAndReminderTests(PersonaTestCase):
    def setUp(self):
        self.claim = maple_claim(self)
        today = timezone.localdate()
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.RAD_APPEAL_FILED,
                              occurred_on=dt.date(2024, 6, 20), appellant="claimant")
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.RAD_CONFIRMED,
                              occurred_on=today - dt.timedelta(days=2), received_on=today - dt.timedelta(days=1))

    def test_feed_is_private_revocable_and_lists_deadlines(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("deadline_calendar"), {"action": "create"})
        url = response.context["feed_url"]
        self.assertIn("/claims/calendar/", url)
        self.client.logout()
        feed = self.client.get(url)
        self.assertEqual(feed["Content-Type"], "text/calendar; charset=utf-8")
        body = feed.content.decode()
        self.assertIn("BEGIN:VEVENT", body)
        self.assertIn("Federal Court application for leave due", body)
        self.assertNotIn("Myŏng", body)
        self.assertEqual(len(CalendarFeed.objects.get(user=self.owner).token_hash), 64)
        self.login_as(self.owner)
        self.client.post(reverse("deadline_calendar"), {"action": "revoke"})
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(reverse("deadline_feed", args=["made-up"])).status_code, 404)

    def test_feed_follows_access_rules(self):
        self.login_as(self.outsider)
        url = self.client.post(reverse("deadline_calendar"), {"action": "create"}).context["feed_url"]
        self.assertNotIn(self.claim.reference, self.client.get(url).content.decode())

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", HAVEN_DEADLINE_REMINDER_DAYS=30)
    def test_reminders_go_once_to_assigned_workers(self):
        call_command("deadlines", "remind")
        recipients = sorted(address for message in mail.outbox for address in message.to)
        self.assertEqual(recipients, sorted([self.owner.email, self.counsel.email]))
        self.assertIn("Federal Court application for leave due", mail.outbox[0].body)
        self.assertIn("IRPA s.72(2)(b)", mail.outbox[0].body)
        self.assertNotIn("Myŏng", mail.outbox[0].body)
        call_command("deadlines", "remind")
        self.assertEqual(len(mail.outbox), 2)

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", HAVEN_DEADLINE_REMINDER_DAYS=0)
    def test_reminder_days_are_configurable(self):
        call_command("deadlines", "remind")
        self.assertEqual(mail.outbox, [])
