"""List endpoints run a constant number of queries: the same at 3 records as at 40."""
from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.api.tests.base import ApiTestCase, url
from haven.people.models import Nationality, PersonLanguage, PersonName
from haven.people.derived import refresh_person_search_key
from haven.testing.factories import (
    AssignmentFactory,
    AttachmentFactory,
    CaseFactory,
    HouseholdFactory,
    NoteFactory,
    PersonFactory,
)

# Session, user, roles, two-factor check, count, page, prefetches, the audit row and the session save.
MAX_QUERIES = 20


class ListQueryCountTests(ApiTestCase):
    def count_queries(self, path: str, expected_rows: int) -> int:
        self.login_as(self.owner)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()["results"]), expected_rows)
        self.assertLessEqual(len(queries), MAX_QUERIES, "\n".join(q["sql"] for q in queries.captured_queries))
        return len(queries)

    def assert_constant(self, path: str, existing: int, add) -> None:
        add(3 - existing)
        small = self.count_queries(path, 3)
        add(37)
        self.assertEqual(self.count_queries(path, 40), small)

    def new_person(self, household):
        person = PersonFactory(household=household)
        PersonName.objects.create(person=person, family_name="Lee", given_name="Myeongcheol")
        Nationality.objects.create(person=person, country="KP")
        PersonLanguage.objects.create(person=person, language="kor")

    def new_household(self):
        household = HouseholdFactory(organization=self.org)
        for _ in range(2):
            self.new_person(household)
        return household

    def add_cases(self, n: int) -> None:
        for _ in range(n):
            household = self.new_household()
            case = CaseFactory(household=household, organization=self.org, sponsor_group=self.group_a)
            AssignmentFactory(case=case, user=self.owner)
            AssignmentFactory(case=case)
            refresh_person_search_key(household.members.first())  # also refreshes the case's key

    def test_cases(self):
        self.assert_constant(url("case-list"), 1, self.add_cases)

    def test_cases_searched(self):
        self.assert_constant(url("case-list", q="명철", assigned_to_me="true"), 1, self.add_cases)

    def test_households(self):
        def add(n):
            for _ in range(n):
                household = self.new_household()
                CaseFactory(household=household, organization=self.org)
        self.assert_constant(url("household-list"), 1, add)

    def test_persons(self):
        def add(n):
            for _ in range(n):
                self.new_person(self.household)
        self.assert_constant(url("person-list"), 2, add)

    def test_notes(self):
        def add(n):
            for _ in range(n):
                NoteFactory(case=self.case, author=self.colleague, confidential=False)
        self.assert_constant(url("note-list", case=self.case.pk), 2, add)

    def test_attachments(self):
        def add(n):
            for _ in range(n):
                AttachmentFactory(case=self.case, uploaded_by=self.colleague)
        self.assert_constant(url("attachment-list", case=self.case.pk), 1, add)
