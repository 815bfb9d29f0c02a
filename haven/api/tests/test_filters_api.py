"""Issue 14, defect 2: out-of-range and malformed ids in the API's filters answer 400 with one clear message,
never a 500 (SQLite raised OverflowError on ?organization=1e20)."""
from __future__ import annotations

from django_filters import NumberFilter
from haven.api.filters import CaseFilter, HouseholdFilter, IdFilter, PersonFilter
from haven.api.tests.base import ApiTestCase, url

MESSAGE = "Enter a record id: a whole number from 1 to 9223372036854775807."
HOSTILE = ("1e20", "99999999999999999999", "9223372036854775808", "-1", "0", "1.5", "abc", "١٢")


class IdFilterTests(ApiTestCase):
    def test_every_id_filter_refuses_hostile_values_with_400(self):
        self.login_as(self.owner)
        for route, filterset in (("case-list", CaseFilter), ("household-list", HouseholdFilter),
                                 ("person-list", PersonFilter)):
            names = [name for name, field in filterset.base_filters.items() if isinstance(field, NumberFilter)]
            self.assertTrue(names)
            for name in names:
                for value in HOSTILE:
                    with self.subTest(route=route, name=name, value=value):
                        response = self.client.get(url(route, **{name: value}))
                        self.assertEqual(response.status_code, 400, response.content)
                        self.assertEqual(response.json(), {name: [MESSAGE]})

    def test_every_number_filter_is_an_id_filter(self):
        for filterset in (CaseFilter, HouseholdFilter, PersonFilter):
            for name, field in filterset.base_filters.items():
                if isinstance(field, NumberFilter):
                    self.assertIsInstance(field, IdFilter, f"{filterset.__name__}.{name}")

    def test_a_valid_id_still_filters(self):
        self.login_as(self.owner)
        self.assertEqual(self.ids(self.client.get(url("case-list", organization=self.org.pk))), [self.case.pk])
        self.assertEqual(self.ids(self.client.get(url("case-list", organization=2**63 - 1))), [])
        self.assertEqual(sorted(self.ids(self.client.get(url("person-list", household=self.household.pk)))),
                         sorted([self.person.pk, self.child.pk]))
