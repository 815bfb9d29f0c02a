"""The lawyer's day (issue 12): claim deadlines on the dashboard, the deadlines page's filters (whose step, case,
days remaining) and links, the step form showing only the chosen step's fields (with and without JavaScript) and
the service refusing the others, labels instead of codes on the claim pages, and the pages analysts have no use
for answering 404."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.claims import services
from haven.claims.models import CalendarFeed, Claim, EventType
from haven.claims.testing import maple_claim, maple_event
from haven.testing.factories import AssignmentFactory, CaseFactory, HouseholdFactory, PersonFactory
from haven.testing.personas import PersonaTestCase


def make_claims(t, count: int, *, start: int = 0, sponsor_group=None) -> list[Claim]:
    """Claims referred 20 days ago with a hearing in 40 days: an overdue BOC (claimant), a Minister's intervention
    deadline, a hearing-by date (Board) and the BOC documents due before the hearing."""
    today = timezone.localdate()
    claims = []
    for n in range(start, start + count):
        household = HouseholdFactory(organization=t.org)
        case = CaseFactory(household=household, organization=t.org, reference=f"MSS-L-{n:03d}",
                           sponsor_group=sponsor_group)
        AssignmentFactory(case=case, user=t.owner)
        claim = services.create_claim(actor=t.owner, case=case, reference=f"TB9-{n:05d}",
                                      claimant=PersonFactory(household=household), country_of_persecution="KP",
                                      referred_on=today - dt.timedelta(days=20))
        services.record_event(actor=t.owner, claim=claim, type=EventType.HEARING_SCHEDULED,
                              occurred_on=today - dt.timedelta(days=19), scheduled_for=today + dt.timedelta(days=40))
        claims.append(claim)
    return claims


def keys_on(response) -> set[str]:
    """The rule keys of the deadline rows a page shows."""
    return {row.key for row, _claim, _case in response.context["rows"]}


class DeadlinesPageFilterTests(PersonaTestCase):
    def setUp(self):
        self.claims = make_claims(self, 2)
        self.login_as(self.owner)

    def get(self, **query):
        response = self.client.get(reverse("deadlines"), query)
        self.assertEqual(response.status_code, 200)
        return response

    def test_rows_are_sorted_by_due_date_and_link_their_claim_and_case(self):
        response = self.get(days="all")
        due = [row.due_on for row, _claim, _case in response.context["rows"]]
        self.assertEqual(due, sorted(due))
        claim = self.claims[0]
        self.assertContains(response, f'href="{reverse("claim_detail", args=[claim.pk])}#deadlines"')
        self.assertContains(response, f'href="{reverse("case_detail", args=[claim.case_id])}"')
        self.assertContains(response, "Claimant or counsel")
        self.assertContains(response, "Board or court")

    def test_days_remaining(self):
        self.assertEqual(keys_on(self.get(days="overdue")), {"boc_due", "boc_extension_request_due"})
        self.assertContains(self.get(days="overdue"), "5 days late")  # due 15 days after a referral 20 days ago
        # The Minister's intervention is due 10 days before the hearing, in 30 days; the hearing-by date later.
        self.assertEqual(keys_on(self.get(days="7")), {"boc_due", "boc_extension_request_due"})
        within_30 = keys_on(self.get(days="30"))
        self.assertIn("minister_intervention_due", within_30)
        self.assertNotIn("hearing_due", within_30)
        self.assertIn("hearing_due", keys_on(self.get(days="all")))

    def test_whose_step(self):
        self.assertEqual(keys_on(self.get(days="all", responsible="board")), {"hearing_due"})
        self.assertEqual(keys_on(self.get(days="all", responsible="minister")), {"minister_intervention_due"})
        both = keys_on(self.client.get(reverse("deadlines") + "?days=all&responsible=board&responsible=minister"))
        self.assertEqual(both, {"hearing_due", "minister_intervention_due"})

    def test_case(self):
        response = self.get(days="all", case="mss-l-001")  # a reference, in any case
        self.assertEqual({row.claim_reference for row, _claim, _case in response.context["rows"]}, {"TB9-00001"})
        self.assertContains(self.get(case="HLC-2026-077"), "No open deadline matches these filters.")  # not theirs

    def test_an_unknown_filter_value_narrows_nothing_and_says_so(self):
        response = self.get(days="tomorrow", responsible="board")
        self.assertEqual(keys_on(response), {"hearing_due"})  # the default window: overdue and the next 60 days
        self.assertContains(response, "Select a valid choice")

    def test_query_count_is_the_same_filtered_or_not_and_for_more_deadlines(self):
        self.get()
        counts = {}
        for query in ({}, {"days": "all", "responsible": "board", "case": "MSS-L-000"}):
            with CaptureQueriesContext(connection) as queries:
                self.get(**query)
            counts[str(query)] = len(queries)
        make_claims(self, 10, start=2)
        for query in ({}, {"days": "all", "responsible": "board", "case": "MSS-L-000"}):
            with self.subTest(query=query), self.assertNumQueries(counts[str(query)]):
                self.get(**query)
        self.assertLessEqual(max(counts.values()), 20)

    def test_analysts_get_404_on_the_deadlines_and_calendar_pages(self):
        self.login_as(self.analyst)
        self.assertEqual(self.client.get(reverse("deadlines")).status_code, 404)
        self.assertEqual(self.client.get(reverse("deadline_calendar")).status_code, 404)
        self.assertEqual(self.client.post(reverse("deadline_calendar")).status_code, 404)
        self.assertFalse(CalendarFeed.objects.filter(user=self.analyst).exists())


class DashboardDeadlineTests(PersonaTestCase):
    def test_the_soonest_deadlines_of_the_cases_each_may_see(self):
        group_claim, = make_claims(self, 1, sponsor_group=self.group_a)
        staff_claim, = make_claims(self, 1, start=1)
        self.login_as(self.owner)
        response = self.client.get(reverse("dashboard"))
        self.assertContains(response, "Claim deadlines")
        self.assertContains(response, group_claim.reference)
        self.assertContains(response, staff_claim.reference)
        self.login_as(self.volunteer)  # sponsor group A: its own case only
        response = self.client.get(reverse("dashboard"))
        self.assertContains(response, group_claim.reference)
        self.assertNotContains(response, staff_claim.reference)
        self.login_as(self.other_volunteer)
        response = self.client.get(reverse("dashboard"))
        self.assertNotContains(response, group_claim.reference)
        self.assertContains(response, "No claim deadline is overdue or due within 30 days in your cases.")
        self.login_as(self.analyst)
        self.assertNotContains(self.client.get(reverse("dashboard")), "Claim deadlines")

    def test_the_count_says_how_many_and_the_list_is_capped(self):
        make_claims(self, 3)
        self.login_as(self.owner)
        response = self.client.get(reverse("dashboard"))
        # Per claim: the BOC and its extension request overdue; the Minister's intervention and the BOC changes
        # and documents, both 10 days before the hearing in 40 days, within 30 days.
        self.assertEqual(response.context["deadline_total"], 12)
        self.assertEqual(len(response.context["rows"]), 8)
        self.assertContains(response, "12 deadlines are overdue or due within 30 days in your cases.")
        self.assertContains(response, "The 8 soonest are shown.")

    def test_query_count_does_not_grow_with_the_number_of_deadlines(self):
        make_claims(self, 1)
        self.login_as(self.owner)
        self.client.get(reverse("dashboard"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("dashboard"))
        make_claims(self, 8, start=1)
        with self.assertNumQueries(len(few)):
            response = self.client.get(reverse("dashboard"))
        self.assertEqual(len(response.context["rows"]), 8)


class StepFormFieldsTests(PersonaTestCase):
    def setUp(self):
        self.claim = maple_claim(self)
        self.login_as(self.owner)
        self.url = reverse("claim_event_add", args=[self.claim.pk])

    def fields(self, response) -> set[str]:
        return set(response.context["form"].fields)

    def test_without_a_step_only_its_kind_date_and_note(self):
        # The Maple claim has a joined member: whose step it is comes first.
        self.assertEqual(self.fields(self.client.get(self.url)), {"claimant", "type", "occurred_on", "note"})

    def test_each_step_shows_its_own_details(self):
        cases = {
            "hearing_scheduled": {"scheduled_for"},
            "rad_appeal_filed": {"appellant"},
            "decision_rejected": {"received_on", "ground"},
            "rad_set_aside": {"received_on", "ground", "substituted_outcome"},
            "removal_order": {"order_kind", "destination_country", "confirm_destination"},
            "boc_filed": set(),
        }
        for step, details in cases.items():
            with self.subTest(step=step):
                response = self.client.get(self.url, {"type": step})
                self.assertEqual(self.fields(response), {"claimant", "type", "occurred_on", "note", *details})

    def test_choosing_another_step_swaps_the_form_in_place_keeping_what_was_typed(self):
        response = self.client.post(self.url, {"type": "hearing_scheduled", "occurred_on": "2024-06-20",
                                               "note": "Interpreter booked.", "choose_step": "1"},
                                    headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'name="scheduled_for"')
        self.assertNotContains(response, 'name="appellant"')
        self.assertContains(response, "Interpreter booked.")
        self.assertContains(response, 'value="2024-06-20"')
        self.assertContains(response, 'hx-post="%s"' % self.url)  # the select swaps the form on change
        self.assertEqual(self.claim.events.count(), 2)  # nothing saved, no error shown
        self.assertNotContains(response, "This field is required")

    def test_without_javascript_the_button_shows_the_fields_of_the_step_chosen(self):
        page = self.client.get(self.url)
        self.assertContains(page, "<noscript>")
        self.assertContains(page, 'name="choose_step"')
        response = self.client.post(self.url, {"type": "rad_appeal_filed", "occurred_on": "", "choose_step": "1"})
        self.assertContains(response, "<html")
        self.assertContains(response, 'name="appellant"')
        self.assertEqual(self.claim.events.count(), 2)

    def test_a_detail_typed_for_another_step_is_refused_on_its_field(self):
        response = self.client.post(self.url, {"type": "rad_appeal_filed", "occurred_on": "2024-06-20",
                                               "appellant": "claimant", "scheduled_for": "2024-09-01"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["form"].errors["scheduled_for"], [
            "“Hearing date” does not apply to the step “RAD notice of appeal filed”: leave it empty."])
        self.assertFalse(self.claim.events.filter(type="rad_appeal_filed").exists())

    def test_the_form_records_the_step_with_its_details(self):
        response = self.client.post(self.url, {"type": "rad_appeal_filed", "occurred_on": "2024-06-20",
                                               "appellant": "claimant"})
        self.assertRedirects(response, reverse("claim_detail", args=[self.claim.pk]))
        self.assertEqual(self.claim.events.get(type="rad_appeal_filed").appellant, "claimant")

    def test_the_service_refuses_a_detail_the_step_does_not_carry(self):
        with self.assertRaisesMessage(Exception, "does not apply to the step"):
            services.record_event(actor=self.owner, claim=self.claim, type=EventType.BOC_FILED,
                                  occurred_on=dt.date(2024, 1, 20), ground="credibility")

    def test_a_correction_may_keep_or_clear_a_detail_but_not_add_one_the_step_does_not_carry(self):
        event = maple_event(self)  # the rejection: reasons received, a ground
        with self.assertRaisesMessage(Exception, "“Hearing date” does not apply"):
            services.correct_event(actor=self.owner, event=event, version=services.event_version(event),
                                   scheduled_for=dt.date(2024, 9, 1))
        corrected = services.correct_event(actor=self.owner, event=event, version=services.event_version(event),
                                           received_on=dt.date(2024, 6, 11))
        self.assertEqual(corrected.received_on, dt.date(2024, 6, 11))


class LabelTests(PersonaTestCase):
    def test_the_claim_page_names_countries_and_what_started_each_deadline(self):
        claim = maple_claim(self)
        self.login_as(self.owner)
        response = self.client.get(reverse("claim_detail", args=[claim.pk]), HTTP_ACCEPT_LANGUAGE="fr")
        self.assertContains(response, "Corée")
        self.assertNotContains(response, "<dd>KP</dd>")
        self.assertNotContains(response, "rpd_reasons_received")
        self.assertContains(response, "Demandeur ou avocat")
