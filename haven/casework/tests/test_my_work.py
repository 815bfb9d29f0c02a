""""My work" and its calendar: the buckets, the filters, the main dashboard's summary, and a query count that does
not grow with the number of tasks."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from haven.cases.models import Case
from haven.casework import forms
from haven.casework.agenda import DASHBOARD_LIMIT, WorkFilters, month_bounds, my_work
from haven.casework.models import Appointment, Task
from haven.casework.testing import build_work
from haven.claims import services as claim_services
from haven.testing.factories import AssignmentFactory, CaseFactory, HouseholdFactory, PersonFactory
from haven.testing.personas import PersonaTestCase

MAX_QUERIES = 15


class MyWorkTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)
        cls.today = timezone.localdate()

    def keys(self, user, **filters):
        return {bucket.key: [(item.kind, item.pk) for item in bucket.items]
                for bucket in my_work(user, today=self.today, filters=WorkFilters(**filters))}

    def test_buckets(self):
        owner = self.keys(self.owner)
        self.assertEqual(owner["overdue"], [("task", self.owner_task.pk)])
        self.assertEqual(owner["week"], [("appointment", self.volunteer_appointment.pk),
                                         ("appointment", self.staff_appointment.pk)])
        volunteer = self.keys(self.volunteer)
        self.assertEqual(volunteer["today"], [("task", self.volunteer_task.pk)])
        self.assertEqual(volunteer["week"], [("appointment", self.volunteer_appointment.pk)])

    def test_filters(self):
        self.assertIn(("task", self.volunteer_task.pk), self.keys(self.owner, assignee="all")["today"])
        self.assertEqual(self.keys(self.owner, assignee=self.volunteer.pk)["today"],
                         [("task", self.volunteer_task.pk)])
        self.assertEqual(self.keys(self.owner, assignee="all", case_reference="nope")["today"], [])
        self.assertEqual(self.keys(self.owner, assignee="all", kind=Case.Kind.SETTLEMENT)["overdue"], [])
        ranged = self.keys(self.owner, assignee="all", due_from=self.today, due_to=self.today)
        self.assertEqual(ranged, {"range": [("task", self.volunteer_task.pk)]})

    def test_the_page_and_the_dashboard_summary(self):
        self.login_as(self.owner)
        page = self.client.get(reverse("casework:my_work"))
        self.assertContains(page, self.owner_task.title)
        self.assertContains(page, "Interpreter: Korean")
        dashboard = self.client.get(reverse("dashboard"))
        self.assertContains(dashboard, reverse("casework:my_work"))
        self.assertEqual(dashboard.context["work"], {"overdue": 1, "today": 0, "week": 0})

    def test_the_calendar_lays_out_the_month(self):
        self.login_as(self.owner)
        month = self.volunteer_appointment.starts_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m")
        page = self.client.get(reverse("casework:calendar"), {"month": month, "assignee": "all"})
        self.assertContains(page, self.volunteer_appointment.title)
        weeks = page.context["weeks"]
        self.assertTrue(all(len(week) == 7 for week in weeks))
        self.assertEqual(month_bounds("2026-02", self.today), (dt.date(2026, 2, 1), dt.date(2026, 2, 28)))
        self.assertEqual(month_bounds("garbage", dt.date(2026, 5, 17)), (dt.date(2026, 5, 1), dt.date(2026, 5, 31)))

    def test_query_count_does_not_grow_with_the_tasks(self):
        cases = [CaseFactory(organization=self.org, household=HouseholdFactory(organization=self.org),
                             kind=kind) for kind in (Case.Kind.SPONSORSHIP, Case.Kind.SETTLEMENT,
                                                     Case.Kind.PROTECTION_CLAIM) for _ in range(10)]
        Task.objects.bulk_create([Task(case=cases[n % len(cases)], title=f"Task {n}", assignee=self.owner,
                                       due_on=self.today + dt.timedelta(days=n % 20 - 10), created_by=self.owner)
                                  for n in range(400)])
        start = timezone.now()
        for n, case in enumerate(cases):
            appointment = Appointment.objects.create(case=case, title=f"Meeting {n}", place="Office",
                                                     starts_at=start + dt.timedelta(hours=n),
                                                     ends_at=start + dt.timedelta(hours=n + 1), created_by=self.owner,
                                                     interpreter_language="kor")
            appointment.attendees.set([self.owner])
        self.login_as(self.owner)
        for query in ({}, {"assignee": "all"}, {"assignee": "all", "kind": "settlement", "due_from": "2020-01-01"}):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("casework:my_work"), query)
            self.assertEqual(response.status_code, 200)
            self.assertLessEqual(len(queries), MAX_QUERIES, query)
        self.assertContains(response, "Task ")
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("casework:calendar"))
        self.assertLessEqual(len(queries), MAX_QUERIES)

    def test_each_bucket_lists_its_first_items_and_shows_more_alone(self):
        case = CaseFactory(organization=self.org, household=HouseholdFactory(organization=self.org))
        late = Task.objects.bulk_create([Task(case=case, title=f"Late {n}", assignee=self.owner, created_by=self.owner,
                                              due_on=self.today - dt.timedelta(days=n + 2)) for n in range(14)])
        self.login_as(self.owner)
        page = self.client.get(reverse("casework:my_work"))
        overdue = {bucket.key: bucket for bucket in page.context["buckets"]}["overdue"]
        self.assertEqual(overdue.total, 15)  # the 14 above and build_work's overdue task
        self.assertEqual([item.pk for item in overdue.items], [task.pk for task in late[::-1][:DASHBOARD_LIMIT]])
        self.assertContains(page, "?show=overdue")
        self.assertContains(page, "Show more (5 not listed)")
        with CaptureQueriesContext(connection) as queries:
            shown = self.client.get(reverse("casework:my_work"), {"show": "overdue"})
        self.assertLessEqual(len(queries), MAX_QUERIES)
        self.assertEqual([bucket.key for bucket in shown.context["buckets"]], ["overdue"])
        self.assertEqual(len(shown.context["buckets"][0].items), 15)
        self.assertContains(shown, "Back to all of my work")
        self.assertNotContains(shown, "Completed this week")
        # An unknown bucket is ignored: the whole page, as without it.
        self.assertEqual(len(self.client.get(reverse("casework:my_work"), {"show": "nope"}).context["buckets"]), 3)


class AssigneeFilterTests(PersonaTestCase):
    """The filter lists me, anyone and the colleague chosen, not every member of the organization: a colleague is
    named (username, email address or full name) and found among the organization's staff and volunteers."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)
        cls.volunteer.first_name, cls.volunteer.last_name = "Su-jin", "Park"
        cls.volunteer.save(update_fields=["first_name", "last_name"])
        cls.colleague.first_name, cls.colleague.last_name = "Su-jin", "Park"  # the same name as the volunteer
        cls.colleague.save(update_fields=["first_name", "last_name"])

    def page(self, user, **query):
        self.login_as(user)
        return self.client.get(reverse("casework:my_work"), query)

    def test_only_me_anyone_and_the_chosen_colleague_are_options(self):
        page = self.page(self.owner)
        form = page.context["form"]
        self.assertEqual(form.assignee_options().count("<option"), 2)
        self.assertNotContains(page, self.admin.username)
        page = self.page(self.owner, assignee=self.volunteer.pk)
        self.assertContains(page, f'<option value="{self.volunteer.pk}" selected>Su-jin Park</option>', html=False)
        self.assertContains(page, self.volunteer_task.title)
        self.assertNotContains(page, self.owner_task.title)

    def test_a_colleague_is_found_by_username_email_or_full_name(self):
        self.volunteer.email = "sj.park@example.org"
        self.volunteer.save(update_fields=["email"])
        for text in (self.volunteer.username.upper(), "sj.park@EXAMPLE.org"):
            with self.subTest(text=text):
                page = self.page(self.owner, colleague=text)
                self.assertEqual(page.context["form"].filters().assignee, self.volunteer.pk)
                self.assertContains(page, self.volunteer_task.title)
                self.assertContains(page, f'<option value="{self.volunteer.pk}" selected>', html=False)
        self.colleague.last_name = "Kim"
        self.colleague.save(update_fields=["last_name"])
        page = self.page(self.owner, colleague="  su-jin   PARK ", assignee="all")  # the name overrides the select
        self.assertEqual(page.context["form"].filters().assignee, self.volunteer.pk)
        self.assertEqual(page.context["form"]["colleague"].value(), "")  # the select shows them now

    def test_an_unknown_or_ambiguous_name_is_said_and_my_work_shown(self):
        for text, message in (("nobody@nowhere.test", "Nobody in your organization has this username"),
                              ("Su-jin Park", "Several people have this name"),
                              (self.outsider.username, "Nobody in your organization has this username")):
            with self.subTest(text=text):
                page = self.page(self.owner, colleague=text)
                self.assertContains(page, message)
                self.assertContains(page, 'aria-invalid="true"', html=False)
                self.assertEqual(page.context["form"].filters().assignee, "me")
                self.assertContains(page, self.owner_task.title)

    def test_only_colleagues_of_ones_organizations_and_not_for_volunteers(self):
        # A volunteer has no colleague field: the name they send is not looked up, and cannot vouch for the id.
        for user, query in ((self.owner, {"assignee": self.outsider.pk}), (self.owner, {"assignee": "x1"}),
                            (self.volunteer, {"assignee": self.owner.pk, "colleague": self.admin.username})):
            with self.subTest(user=user.username, **query):
                page = self.page(user, **query)
                self.assertEqual(page.context["form"].filters().assignee, "me")
                self.assertNotContains(page, self.outsider.username)
        self.assertNotIn("colleague", self.page(self.volunteer).context["form"].fields)
        self.assertContains(self.page(self.volunteer, assignee="all"), self.volunteer_task.title)

    def test_query_counts_with_a_colleague(self):
        self.login_as(self.owner)
        for query in ({"assignee": self.volunteer.pk}, {"colleague": self.volunteer.username},
                      {"colleague": self.volunteer.username, "assignee": self.admin.pk}):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("casework:my_work"), query)
            self.assertEqual(response.status_code, 200)
            self.assertLessEqual(len(queries), MAX_QUERIES, query)


class ClaimDeadlinesOnMyWorkTests(PersonaTestCase):
    """Open claim deadlines of the cases assigned to the user are work items, with their rule and claim, in a
    number of queries that does not grow with the deadlines."""

    def add_claims(self, count: int, start: int) -> None:
        today = timezone.localdate()
        for n in range(start, start + count):
            household = HouseholdFactory(organization=self.org)
            case = CaseFactory(household=household, organization=self.org, reference=f"MSS-D-{n:03d}")
            AssignmentFactory(case=case, user=self.owner)
            claim_services.create_claim(actor=self.owner, case=case, reference=f"TB9-{n:05d}",
                                        claimant=PersonFactory(household=household), country_of_persecution="KP",
                                        referred_on=today - dt.timedelta(days=20))

    def test_deadlines_are_listed_in_a_fixed_number_of_queries(self):
        self.login_as(self.owner)
        counts = []
        for count, start in ((1, 0), (4, 1)):
            self.add_claims(count, start)
            with CaptureQueriesContext(connection) as queries:
                page = self.client.get(reverse("casework:my_work"), {"assignee": "all"})
            counts.append(len(queries))
            deadlines = [item for bucket in page.context["buckets"] for item in bucket.items if item.kind == "deadline"]
            self.assertEqual({item.title.split(" · ")[1] for item in deadlines},
                             {f"TB9-{n:05d}" for n in range(start + count)})
            self.assertTrue(all(item.case_reference.startswith("MSS-D-") for item in deadlines))
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[1], MAX_QUERIES)
        self.assertContains(page, "TB9-00004")


class UnboundFilterFieldsTests(PersonaTestCase):
    """The empty filter form's fields are rendered once per language and set of fields, and are what the template
    renders for that form: nothing of one user's (or one request's) reaches another's page."""

    def test_the_remembered_fields_are_the_rendered_ones_for_each_language_and_role(self):
        forms._UNBOUND_FIELDS.clear()
        for user in (self.owner, self.volunteer, self.owner):
            for language in ("en", "ko"):
                with self.subTest(user=user.username, language=language), translation.override(language):
                    form = forms.WorkFilterForm(None, user=user)
                    expected = render_to_string("casework/_filter_fields.html", {"form": form})
                    self.assertEqual(form.unbound_fields_html(), expected)
                    self.assertEqual(form.unbound_fields_html(), expected)
                    self.assertEqual("id_colleague" in expected, user == self.owner)
        self.assertEqual(len(forms._UNBOUND_FIELDS), 4)

    def test_a_filtered_page_leaves_the_empty_form_empty(self):
        self.login_as(self.owner)
        filtered = self.client.get(reverse("casework:my_work"), {"colleague": self.volunteer.username})
        self.assertContains(filtered, f'<option value="{self.volunteer.pk}" selected>', html=False)
        page = self.client.get(reverse("casework:my_work"))
        self.assertNotContains(page, f'<option value="{self.volunteer.pk}"', html=False)
        self.assertContains(page, '<option value="me" selected>', html=False)
