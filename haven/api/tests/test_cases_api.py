"""/api/v1/cases/: access per persona, search, filters, pagination, writes through services."""
from __future__ import annotations

import datetime as dt

from haven.api.tests.base import ApiTestCase, url
from haven.audit.models import Action, AuditEntry
from haven.cases.models import Case, CaseAssignment
from haven.people.derived import refresh_person_search_key
from django.utils import timezone

from haven.testing.factories import (
    AssignmentFactory,
    CaseFactory,
    HouseholdFactory,
    MembershipFactory,
    TeamFactory,
)


class CaseListTests(ApiTestCase):
    def test_case_team_sees_the_case_and_the_list_is_audited(self):
        for user in (self.owner, self.colleague, self.admin, self.volunteer, self.counsel):
            with self.subTest(user=user.username):
                self.login_as(user)
                ids = self.ids(self.client.get(url("case-list")))
                self.assertIn(self.case.pk, ids)
                # Counsel is staff of the clinic, which owns the other case.
                self.assertEqual(self.other_case.pk in ids, user == self.counsel)
                self.assert_list_audited(user, "cases.case", ids)

    def test_analyst_outsider_and_other_group_do_not_see_it(self):
        for user in (self.analyst, self.other_volunteer):
            with self.subTest(user=user.username):
                self.login_as(user)
                self.assertEqual(self.ids(self.client.get(url("case-list"))), [])
        self.login_as(self.outsider)
        self.assertEqual(self.ids(self.client.get(url("case-list"))), [self.other_case.pk])

    def test_list_row_carries_household_summary_and_assignments(self):
        self.login_as(self.volunteer)
        row = self.client.get(url("case-list")).json()["results"][0]
        self.assertEqual(row["reference"], "MSS-2026-001")
        self.assertEqual(row["household"]["reference"], "HH-001")
        self.assertEqual({m["id"] for m in row["household"]["members"]}, {self.person.pk, self.child.pk})
        self.assertEqual({a["username"] for a in row["assignments"]}, {"owner@maple.test", "counsel@harbour.test"})

    def test_search_in_any_script_and_spelling(self):
        self.login_as(self.owner)
        for query in ("명", "Myŏng", "Myong", "myong-chol", "MYONG CH'OL", "리명철", "mss-2026"):
            with self.subTest(q=query):
                self.assertEqual(self.ids(self.client.get(url("case-list", q=query))), [self.case.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", q="Su-a"))), [self.case.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", q="Nobody"))), [])

    def test_search_never_reaches_invisible_cases(self):
        refresh_person_search_key(self.other_person)
        self.login_as(self.owner)
        self.assertEqual(self.ids(self.client.get(url("case-list", q="옥순"))), [])
        self.login_as(self.outsider)
        self.assertEqual(self.ids(self.client.get(url("case-list", q="명"))), [])
        self.assertEqual(self.ids(self.client.get(url("case-list", q="옥순"))), [self.other_case.pk])

    def test_filters(self):
        closed = CaseFactory(household=self.household, organization=self.org, reference="MSS-2025-009",
                             status=Case.Status.CLOSED, kind=Case.Kind.SETTLEMENT, closed_on=dt.date(2026, 2, 1),
                             sponsor_group=self.group_b)
        self.login_as(self.owner)
        self.assertEqual(self.ids(self.client.get(url("case-list", status="closed"))), [closed.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", status="open"))), [self.case.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", kind="settlement"))), [closed.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", sponsor_group=self.group_a.pk))), [self.case.pk])
        self.assertEqual(len(self.ids(self.client.get(url("case-list", organization=self.org.pk)))), 2)
        self.assertEqual(self.ids(self.client.get(url("case-list", organization=self.clinic.pk))), [])
        self.assertEqual(self.ids(self.client.get(url("case-list", household=self.household.pk, status="closed"))),
                         [closed.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", assigned_to_me="true"))), [self.case.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", assigned_to_me="false"))), [closed.pk])
        response = self.client.get(url("case-list", status="bogus"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("status", response.json())

    def test_assigned_to_me_for_an_unassigned_colleague(self):
        self.login_as(self.colleague)
        self.assertEqual(self.ids(self.client.get(url("case-list", assigned_to_me="true"))), [])

    def test_ordering(self):
        later = CaseFactory(household=self.household, organization=self.org, reference="AAA-1",
                            opened_on=dt.date(2026, 6, 1))
        self.login_as(self.owner)
        self.assertEqual(self.ids(self.client.get(url("case-list", ordering="reference"))), [later.pk, self.case.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", ordering="-reference"))), [self.case.pk, later.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", ordering="opened_on"))), [self.case.pk, later.pk])
        # The default order is newest first.
        self.assertEqual(self.ids(self.client.get(url("case-list"))), [later.pk, self.case.pk])

    def test_pagination_by_fifty(self):
        for _ in range(55):
            CaseFactory(household=self.household, organization=self.org)
        self.login_as(self.owner)
        first = self.client.get(url("case-list")).json()
        self.assertEqual(first["count"], 56)
        self.assertEqual(len(first["results"]), 50)
        self.assertIn("page=2", first["next"])
        second = self.client.get(url("case-list", page=2)).json()
        self.assertEqual(len(second["results"]), 6)
        self.assertIsNone(second["next"])
        self.assertEqual(self.client.get(url("case-list", page=3)).status_code, 404)


class CaseDetailTests(ApiTestCase):
    def test_case_team_reads_the_case_and_the_view_is_audited(self):
        for user in (self.owner, self.colleague, self.admin, self.volunteer, self.counsel):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.get(url("case-detail", self.case.pk))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json()["household"]["name"], "Ri family")
                entry = self.last_audit(Action.VIEW)
                self.assertEqual((entry.actor_id, entry.object_type, entry.object_id, entry.case_id),
                                 (user.pk, "cases.case", str(self.case.pk), self.case.pk))

    def test_others_get_the_answer_for_a_missing_case(self):
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("case-detail", self.case.pk))
        self.assert_hidden(self.owner, url("case-detail", 999999))
        self.assertFalse(AuditEntry.objects.filter(action=Action.VIEW, actor=self.outsider).exists())

    def test_cases_are_not_deleted_or_replaced(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.delete(url("case-detail", self.case.pk)).status_code, 405)
        self.assertEqual(self.client.put(url("case-detail", self.case.pk), {"title": "x"}, format="json").status_code,
                         405)
        self.assertTrue(Case.objects.filter(pk=self.case.pk).exists())


class CaseCreateTests(ApiTestCase):
    def payload(self, **extra):
        return {"organization": self.org.pk, "household": self.household.pk, "reference": "MSS-2026-002",
                "title": "Second application", "kind": "sponsorship", "sponsor_group": self.group_b.pk, **extra}

    def test_staff_open_a_case(self):
        self.login_as(self.colleague)
        response = self.client.post(url("case-list"), self.payload(assign_me=True), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        case = Case.objects.get(reference="MSS-2026-002")
        self.assertEqual(response.json()["id"], case.pk)
        self.assertEqual(case.sponsor_group, self.group_b)
        self.assertEqual(case.opened_on, timezone.localdate())
        self.assertTrue(CaseAssignment.objects.filter(case=case, user=self.colleague, role="lead").exists())
        self.assertEqual([a["username"] for a in response.json()["assignments"]], ["colleague@maple.test"])
        self.assertTrue(AuditEntry.objects.filter(action=Action.CREATE, object_type="cases.case",
                                                  object_id=str(case.pk), actor=self.colleague).exists())
        # The new case is searchable by its members' names at once.
        self.assertIn(case.pk, self.ids(self.client.get(url("case-list", q="명철"))))

    def test_only_in_organizations_where_the_user_is_staff(self):
        for user in (self.volunteer, self.analyst, self.counsel, self.outsider):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.post(url("case-list"), self.payload(), format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("organization", response.json())
        self.assertFalse(Case.objects.filter(reference="MSS-2026-002").exists())

    def test_outsider_cannot_name_a_household_it_may_not_see(self):
        self.login_as(self.outsider)
        response = self.client.post(url("case-list"), {**self.payload(), "organization": self.clinic.pk},
                                    format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("household", response.json())
        self.assertIn("sponsor_group", response.json())

    def test_validation_errors_name_the_field_and_write_nothing(self):
        self.login_as(self.owner)
        before = (Case.objects.count(), AuditEntry.objects.filter(action=Action.CREATE).count())
        cases = {
            "reference": {"reference": ""},
            "kind": {"kind": "holiday"},
            "opened_on": {"opened_on": "31/12/2026"},
            # A taken reference is the reference field's error (the service's rule), no longer the database
            # constraint's non-field error.
            "reference_taken": {"reference": self.case.reference},
        }
        for field, change in cases.items():
            with self.subTest(field=field):
                response = self.client.post(url("case-list"), self.payload(**change), format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn(field.removesuffix("_taken"), response.json())
        other_household = HouseholdFactory(organization=self.clinic)
        response = self.client.post(url("case-list"), self.payload(household=other_household.pk), format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("household", response.json())
        self.assertEqual((Case.objects.count(), AuditEntry.objects.filter(action=Action.CREATE).count()), before)

    def test_household_of_another_organization_is_refused_by_the_service(self):
        MembershipFactory(user=self.owner, organization=self.clinic, role="caseworker")
        self.login_as(self.owner)
        response = self.client.post(url("case-list"), self.payload(organization=self.clinic.pk, sponsor_group=None),
                                    format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"household": ["The household belongs to another organization."]})


class CaseUpdateTests(ApiTestCase):
    def test_staff_and_assigned_counsel_change_a_case(self):
        for user, title in ((self.owner, "Renamed"), (self.counsel, "Renamed by counsel")):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.patch(url("case-detail", self.case.pk), {"title": title}, format="json")
                self.assertEqual(response.status_code, 200, response.content)
                self.assertEqual(response.json()["title"], title)
                self.case.refresh_from_db()
                self.assertEqual(self.case.title, title)
                entry = self.last_audit(Action.UPDATE)
                self.assertEqual((entry.actor_id, entry.object_id), (user.pk, str(self.case.pk)))

    def test_closing_needs_a_date_and_a_bad_patch_writes_nothing(self):
        self.login_as(self.owner)
        updates = AuditEntry.objects.filter(action=Action.UPDATE).count()
        response = self.client.patch(url("case-detail", self.case.pk), {"status": "closed"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"closed_on": ["A closed case needs the date it was closed."]})
        response = self.client.patch(url("case-detail", self.case.pk),
                                     {"status": "closed", "closed_on": "2025-01-01"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"closed_on": ["A case cannot close before it opened."]})
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, Case.Status.OPEN)
        self.assertEqual(AuditEntry.objects.filter(action=Action.UPDATE).count(), updates)
        response = self.client.patch(url("case-detail", self.case.pk),
                                     {"status": "closed", "closed_on": "2026-03-01"}, format="json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "closed")

    def test_sponsor_group_must_belong_to_the_case_organization(self):
        foreign = TeamFactory(organization=self.clinic, name="Clinic group")
        self.login_as(self.owner)
        response = self.client.patch(url("case-detail", self.case.pk), {"sponsor_group": foreign.pk}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("sponsor_group", response.json())

    def test_volunteer_may_read_but_not_change(self):
        self.login_as(self.volunteer)
        response = self.client.patch(url("case-detail", self.case.pk), {"title": "Mine"}, format="json")
        self.assertEqual(response.status_code, 403)
        self.case.refresh_from_db()
        self.assertEqual(self.case.title, "Ri family sponsorship")

    def test_others_get_not_found(self):
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("case-detail", self.case.pk), "patch", {"title": "x"})
        self.case.refresh_from_db()
        self.assertEqual(self.case.title, "Ri family sponsorship")

    def test_assignment_gives_access_to_a_case_of_another_organization(self):
        AssignmentFactory(case=self.other_case, user=self.colleague)
        self.login_as(self.colleague)
        self.assertIn(self.other_case.pk, self.ids(self.client.get(url("case-list"))))
        self.assertEqual(self.client.get(url("case-detail", self.other_case.pk)).status_code, 200)
