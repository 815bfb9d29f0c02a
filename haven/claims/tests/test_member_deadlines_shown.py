"""A joined member's stored deadlines where a lawyer looks (issue 12): the deadlines page and the dashboard name the
member, the calendar feeds and the reminders give the member's number (they carry no names), the API lists them
with a status (met late kept on the list, as on the page) and takes whose step it is; the step form asks whose step
it is only in a claim file with joined members. Time is frozen (tests/test_member_proceedings.py's family)."""
from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from haven.api.tests.base import url
from haven.casework.feeds import render_work_calendar
from haven.claims import services
from haven.claims.feeds import render_calendar
from haven.claims.models import JoinedClaimant
from haven.claims.reminders import send_reminders
from haven.claims.tests.test_member_proceedings import NOW, MemberTestCase
from haven.testing.factories import PersonFactory

D = dt.date
TAG = "TC5-55002 · joined member 1"


def unfolded(text: str) -> str:
    return text.replace("\r\n ", "")


class MemberDeadlinesShownTests(MemberTestCase):
    def test_the_deadlines_page_names_the_member_and_says_which_rows_are_the_claims(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("deadlines"), {"days": "all"})
        rows = [row for row, _claim, _case in response.context["rows"]
                if row.key in ("rad_notice_due", "rad_minister_notice_due")]
        # The accepted principal's period is the Minister's; the rejected member's is their own.
        self.assertEqual(sorted((row.person, row.key, row.responsible, row.due_on) for row in rows),
                         [("", "rad_minister_notice_due", "minister", D(2024, 6, 25)),
                          (self.child_name(), "rad_notice_due", "claimant", D(2024, 6, 25))])
        self.assertContains(response, self.child_name())
        self.assertContains(response, '<td data-label="Person">The claim</td>', html=False)

    def test_the_deadlines_page_queries_do_not_grow_with_members_rows(self):
        self.login_as(self.owner)
        self.client.get(reverse("deadlines"), {"days": "all"})
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("deadlines"), {"days": "all"})
        spouse = PersonFactory(household=self.case.household)
        services.update_claim(actor=self.owner, claim=self.claim, members=[self.child, spouse])
        services.record_member_decision(actor=self.owner, claimant=self.claim.claimants.get(person=spouse),
                                        outcome="rejected", outcome_on=D(2024, 6, 3),
                                        reasons_received_on=D(2024, 6, 11))
        with self.assertNumQueries(len(few)):
            response = self.client.get(reverse("deadlines"), {"days": "all"})
        self.assertEqual(sum(1 for row, _c, _k in response.context["rows"] if row.person), 6)

    def test_the_feeds_give_the_members_number_and_no_name(self):
        feed = unfolded(render_calendar(self.owner, today=D(2024, 6, 18)))
        self.assertIn(f"SUMMARY:RAD notice of appeal due · {TAG}", feed)
        self.assertNotIn(self.child.given_name, feed)
        work = unfolded(render_work_calendar(self.owner, today=D(2024, 6, 18)).decode())
        self.assertIn(TAG, work)

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def test_the_reminder_goes_on_the_right_day_with_the_members_number(self):
        send_reminders(today=D(2024, 6, 17), days=7)  # up to 24 June: the RAD notice of 25 June is not due yet
        self.assertFalse(any(TAG in message.body for message in mail.outbox))
        send_reminders(today=D(2024, 6, 18), days=7)
        bodies = [message.body for message in mail.outbox if TAG in message.body]
        self.assertEqual(len(bodies), 2)  # the owner and counsel, assigned to the case
        self.assertIn(f"2024-06-25  RAD notice of appeal due · claim {TAG}", bodies[0])
        self.assertNotIn(self.child.given_name, bodies[0])

    def test_a_deadline_met_late_stays_on_the_dashboard_and_in_the_api_marked_so(self):
        with time_machine.travel(NOW + dt.timedelta(days=17), tick=False):  # 5 July
            self.appeal(claimant=self.member, occurred_on=D(2024, 7, 2))  # after 25 June
            self.login_as(self.owner)
            response = self.client.get(reverse("dashboard"))
            # The panel lists deadlines still to meet (the claim's own notice, overdue); the one met late is
            # counted and linked to the deadlines page's late list, where it stays.
            listed = [(row.key, row.status, row.person) for row, _claim, _case in response.context["rows"]]
            self.assertIn(("rad_minister_notice_due", "overdue", ""), listed)
            self.assertNotIn("met_late", {status for _key, status, _person in listed})
            self.assertEqual(response.context["met_late_total"], 1)
            self.assertContains(response, "1 deadline of this period was met after its due date: it stays on the "
                                          f'<a href="{reverse("deadlines")}?days=overdue">late list</a>.', html=True)
            api = APIClient()
            api.force_authenticate(self.owner)
            rows = api.get(url("deadline-list", days="all")).json()["results"]
        member = [row for row in rows if row["claimant"] == self.member.pk and row["key"] == "rad_notice_due"]
        self.assertEqual([(row["status"], row["person"], row["completed_on"]) for row in member],
                         [("met_late", self.child_name(), "2024-07-02")])
        claims = [row for row in rows if row["claimant"] is None and row["key"] == "rad_minister_notice_due"]
        self.assertEqual([(row["status"], row["person"]) for row in claims], [("overdue", "")])


class MemberStepEntryTests(MemberTestCase):
    def test_the_api_records_a_members_step_and_refuses_a_stranger_with_a_400(self):
        api = APIClient()
        api.force_authenticate(self.counsel)
        response = api.post(url("claim-steps", self.claim.pk), {
            "type": "rad_appeal_filed", "occurred_on": "2024-06-17", "appellant": "claimant",
            "claimant": self.member.pk}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["claimant"], self.member.pk)
        other = services.create_claim(actor=self.owner, case=self.case, reference="TC5-55004",
                                      claimant=PersonFactory(household=self.case.household),
                                      members=[PersonFactory(household=self.case.household)],
                                      country_of_persecution="KP", referred_on=D(2024, 1, 8))
        stranger = other.claimants.get(is_principal=False)
        for pk in (stranger.pk, 10**9):
            with self.subTest(claimant=pk):
                response = api.post(url("claim-steps", self.claim.pk), {
                    "type": "fc_leave_filed", "occurred_on": "2024-06-17", "claimant": pk}, format="json")
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), {"claimant": [
                    "This person is not in this claim's file: choose the claim itself or one of its joined "
                    "members."]})
        response = api.post(url("claim-steps", self.claim.pk), {
            "type": "rad_appeal_filed", "occurred_on": "2024-06-17", "appellant": "claimant",
            "claimant": stranger.pk}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("This person", str(response.json()))

    def test_the_step_form_asks_whose_step_only_when_the_claim_has_joined_members(self):
        self.login_as(self.owner)
        form = self.client.get(reverse("claim_event_add", args=[self.claim.pk])).context["form"]
        self.assertEqual([label for _value, label in form.fields["claimant"].choices][1:], [self.child_name()])
        response = self.client.post(reverse("claim_event_add", args=[self.claim.pk]), {
            "claimant": str(self.member.pk), "type": "rad_appeal_filed", "occurred_on": "2024-06-17",
            "appellant": "claimant"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(self.member.events.values_list("type", flat=True)), ["rad_appeal_filed"])
        page = self.client.get(reverse("claim_detail", args=[self.claim.pk]))
        self.assertContains(page, f"for {self.child_name()} (their own proceedings)")
        alone = services.create_claim(actor=self.owner, case=self.case, reference="TC5-55005",
                                      claimant=PersonFactory(household=self.case.household),
                                      country_of_persecution="KP", referred_on=D(2024, 1, 8))
        form = self.client.get(reverse("claim_event_add", args=[alone.pk])).context["form"]
        self.assertNotIn("claimant", form.fields)
        self.assertFalse(JoinedClaimant.objects.filter(claim=alone, is_principal=False).exists())
