"""The case list: search in any script, filters, sorting, pagination, HTMX partial, audit and query budget."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from haven.audit.models import Action, AuditEntry
from haven.cases.models import Case
from haven.people.derived import refresh_person_search_key
from haven.testing.factories import AssignmentFactory, CaseFactory, HouseholdFactory, PersonFactory
from haven.testing.personas import PersonaTestCase
from haven.web.tests.helpers import WebAssertions

QUERY_BUDGET = 15


class CaseListAccessTests(WebAssertions, PersonaTestCase):
    url = reverse("case_list")

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(self.url)

    def test_owner_colleague_counsel_and_group_volunteer_see_the_case(self):
        for user in (self.owner, self.colleague, self.admin, self.counsel, self.volunteer):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.get(self.url)
                self.assertContains(response, "MSS-2026-001")

    def test_outsider_and_other_group_do_not_see_it(self):
        for user in (self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.get(self.url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "MSS-2026-001")
                self.assertNotContains(response, "Ri family")
        self.login_as(self.outsider)
        self.assertContains(self.client.get(self.url), "HLC-2026-077")

    def test_analyst_gets_404(self):
        self.login_as(self.analyst)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_one_list_audit_row_per_page_with_the_ids_shown(self):
        self.login_as(self.owner)
        before = AuditEntry.objects.filter(action=Action.LIST).count()
        self.client.get(self.url, {"q": "myong"})
        rows = AuditEntry.objects.filter(action=Action.LIST).order_by("-seq")
        self.assertEqual(rows.count(), before + 1)
        entry = rows.first()
        self.assertEqual(entry.actor, self.owner)
        self.assertEqual(entry.changes["case_ids"], [self.case.pk])
        self.assertEqual(entry.changes["filters"], {"q": "myong"})


class CaseSearchTests(WebAssertions, PersonaTestCase):
    url = reverse("case_list")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        household = HouseholdFactory(organization=cls.org, reference="HH-002", name="Pak household")
        person = PersonFactory(household=household, family_name="Pak", given_name="Chŏl-su",
                               family_name_hangul="박", given_name_hangul="철수")
        cls.pak_case = CaseFactory(household=household, organization=cls.org, reference="MSS-2026-002",
                                   title="", opened_on=dt.date(2025, 5, 1))
        refresh_person_search_key(person)

    def search(self, query: str):
        self.login_as(self.owner)
        return self.client.get(self.url, {"q": query})

    def test_romanization_with_and_without_diacritics_and_hangul_find_the_case(self):
        for query in ("Myŏng", "Myong", "myong", "MYONG", "명", "리명철", "Myong-ch'ol", "myong chol", "ri su-a"):
            with self.subTest(query=query):
                response = self.search(query)
                self.assertContains(response, "MSS-2026-001")
                self.assertNotContains(response, "MSS-2026-002")

    def test_other_person_found_by_hangul_and_accents(self):
        for query in ("박", "철수", "Chŏl-su", "chol su", "PAK"):
            with self.subTest(query=query):
                response = self.search(query)
                self.assertContains(response, "MSS-2026-002")
                self.assertNotContains(response, "MSS-2026-001")

    def test_two_syllable_hangul_search_is_a_substring_test(self):
        # Two syllables go through the bigram index on PostgreSQL: across the family/given boundary too.
        for query, found in (("박철", True), ("철수", True), ("철박", False), ("명철", False)):
            with self.subTest(query=query):
                response = self.search(query)
                (self.assertContains if found else self.assertNotContains)(response, "MSS-2026-002")
                self.assertEqual("MSS-2026-001" in response.content.decode(), query == "명철")

    def test_reference_search_and_no_match(self):
        self.assertContains(self.search("mss-2026-002"), "MSS-2026-002")
        response = self.search("Nobody")
        self.assertContains(response, "No case matches.")
        self.assertNotContains(response, "MSS-2026-00")

    def test_search_never_reaches_other_organizations(self):
        response = self.search("Kim")
        self.assertNotContains(response, "HLC-2026-077")

    def test_htmx_request_gets_only_the_results_partial(self):
        self.login_as(self.owner)
        response = self.client.get(self.url, {"q": "명"}, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="case-results"')
        self.assertContains(response, "MSS-2026-001")
        self.assertNotContains(response, "<html")
        self.assertIn("HX-Request", response["Vary"])
        full = self.client.get(self.url, {"q": "명"})
        self.assertContains(full, "<html")
        self.assertContains(full, 'hx-get="%s"' % self.url)
        self.assertContains(full, 'hx-target="#case-results"')
        self.assertContains(full, 'hx-trigger="input changed delay:300ms, search"')

    def test_export_buttons_carry_the_search_and_filters(self):
        self.login_as(self.owner)
        response = self.client.get(self.url, {"q": "명", "status": "open", "page": "1"})
        try:
            export_url = reverse("case_export")
        except NoReverseMatch:  # the export app is not mounted: the list must still render, without buttons
            self.assertNotContains(response, "Export CSV")
            return
        self.assertContains(response, f"{export_url}?q=%EB%AA%85&amp;status=open&amp;format=csv")
        self.assertContains(response, f"{export_url}?q=%EB%AA%85&amp;status=open&amp;format=xlsx")


class CaseFilterSortTests(WebAssertions, PersonaTestCase):
    url = reverse("case_list")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.closed = CaseFactory(household=HouseholdFactory(organization=cls.org), organization=cls.org,
                                 reference="MSS-2024-009", status=Case.Status.CLOSED, kind=Case.Kind.SETTLEMENT,
                                 opened_on=dt.date(2024, 2, 1), closed_on=dt.date(2024, 12, 1),
                                 sponsor_group=cls.group_b)
        cls.held = CaseFactory(household=HouseholdFactory(organization=cls.org), organization=cls.org,
                               reference="MSS-2025-004", status=Case.Status.ON_HOLD, opened_on=dt.date(2025, 3, 1))

    def refs(self, response) -> list[str]:
        return [case.reference for case in response.context["page"].object_list]

    def get(self, user=None, **params):
        self.login_as(user or self.owner)
        return self.client.get(self.url, params)

    def test_filters(self):
        self.assertEqual(self.refs(self.get(status="closed")), ["MSS-2024-009"])
        self.assertEqual(self.refs(self.get(kind="settlement")), ["MSS-2024-009"])
        self.assertEqual(self.refs(self.get(sponsor_group=self.group_a.pk)), ["MSS-2026-001"])
        self.assertEqual(sorted(self.refs(self.get(organization=self.org.pk))),
                         ["MSS-2024-009", "MSS-2025-004", "MSS-2026-001"])
        self.assertEqual(self.refs(self.get(mine="on")), ["MSS-2026-001"])
        self.assertEqual(self.refs(self.get(self.colleague, mine="on")), [])

    def test_unknown_filter_values_are_ignored_not_fatal(self):
        response = self.get(status="bogus", organization="x", sponsor_group=999999, sort="password")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.refs(response)), 3)

    def test_organization_filter_cannot_widen_access(self):
        # Not one of the owner's organizations: the filter is not offered and is ignored.
        self.assertNotIn("HLC-2026-077", self.refs(self.get(organization=self.clinic.pk)))
        # Counsel works at the clinic and is assigned to the Maple case.
        self.assertEqual(self.refs(self.get(self.counsel, organization=self.clinic.pk)), ["HLC-2026-077"])
        self.assertEqual(sorted(self.refs(self.get(self.counsel))), ["HLC-2026-077", "MSS-2026-001"])

    def test_sorting_whitelist(self):
        self.assertEqual(self.refs(self.get(sort="reference")), ["MSS-2024-009", "MSS-2025-004", "MSS-2026-001"])
        self.assertEqual(self.refs(self.get(sort="-reference")), ["MSS-2026-001", "MSS-2025-004", "MSS-2024-009"])
        self.assertEqual(self.refs(self.get(sort="opened_on")), ["MSS-2024-009", "MSS-2025-004", "MSS-2026-001"])
        self.assertEqual(self.refs(self.get(sort="status")), ["MSS-2024-009", "MSS-2025-004", "MSS-2026-001"])
        self.assertEqual(self.refs(self.get(sort="household__members__phone")), self.refs(self.get()))

    def test_sort_links_toggle_and_keep_filters(self):
        response = self.get(sort="reference", status="open")
        self.assertContains(response, 'aria-sort="ascending"')
        self.assertContains(response, "?sort=-reference&amp;status=open")


class CasePaginationAndQueryTests(WebAssertions, PersonaTestCase):
    url = reverse("case_list")

    def add_cases(self, count: int) -> None:
        start = Case.objects.filter(reference__startswith="BULK-").count()
        for index in range(start, start + count):
            household = HouseholdFactory(organization=self.org)
            for _member in range(2):
                refresh_person_search_key(PersonFactory(household=household))
            case = CaseFactory(household=household, organization=self.org, reference=f"BULK-{index:03d}",
                               sponsor_group=self.group_a if index % 2 else self.group_b)
            if index % 3 == 0:
                AssignmentFactory(case=case, user=self.owner)

    def count_queries(self, **params) -> int:
        self.login_as(self.owner)
        self.client.get(self.url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url, params)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_does_not_grow_with_the_data(self):
        self.add_cases(2)  # 3 cases with the persona's one
        small = self.count_queries(q="ri", status="open", organization=self.org.pk, sponsor_group=self.group_a.pk)
        self.add_cases(57)  # 60 cases
        large = self.count_queries(q="ri", status="open", organization=self.org.pk, sponsor_group=self.group_a.pk)
        self.assertEqual(small, large)
        self.assertLessEqual(large, QUERY_BUDGET)
        self.assertLessEqual(self.count_queries(), QUERY_BUDGET)
        self.assertLessEqual(self.count_queries(page=3), QUERY_BUDGET)
        self.assertLessEqual(self.count_queries(q="nobody-at-all"), QUERY_BUDGET)

    def test_pages_of_25(self):
        self.add_cases(59)
        self.login_as(self.owner)
        first = self.client.get(self.url)
        self.assertEqual(first.context["page"].paginator.count, 60)
        self.assertEqual(len(first.context["page"].object_list), 25)
        self.assertContains(first, "Page 1 of 3")
        third = self.client.get(self.url, {"page": 3})
        self.assertEqual(len(third.context["page"].object_list), 10)
        beyond = self.client.get(self.url, {"page": 99})
        self.assertEqual(beyond.context["page"].number, 3)
        junk = self.client.get(self.url, {"page": "x"})
        self.assertEqual(junk.context["page"].number, 1)
        shown = {case.pk for page in (1, 2, 3)
                 for case in self.client.get(self.url, {"page": page, "sort": "reference"}).context["page"].object_list}
        self.assertEqual(len(shown), 60)

    def test_member_count_and_assigned_flag(self):
        self.login_as(self.owner)
        row = self.client.get(self.url).context["page"].object_list[0]
        self.assertEqual(row.reference, "MSS-2026-001")
        self.assertEqual(row.member_count, 2)
        self.assertTrue(row.assigned_to_me)
