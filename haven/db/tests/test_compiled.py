"""haven.db.compiled: a query compiled once for stand-in values answers as its queryset does for real ones."""
from __future__ import annotations

from django.db import connection
from django.test import TestCase

from haven.accounts.models import Organization
from haven.db.compiled import CompiledQuery, fetch_rows
from haven.people.models import Household
from haven.testing.factories import HouseholdFactory, OrganizationFactory

STAND_IN = -918_273_645


class CompiledQueryTests(TestCase):
    def test_rows_match_the_queryset_for_each_value_and_compile_once(self):
        first, second = OrganizationFactory(slug="first"), OrganizationFactory(slug="second")
        for organization, count in ((first, 2), (second, 1)):
            for n in range(count):
                HouseholdFactory(organization=organization, reference=f"{organization.slug}-{n}")
        built = []

        def build(organization_id):
            built.append(organization_id)
            return (Household.objects.filter(organization_id=organization_id, reference__contains="-")
                    .order_by("reference").values_list("reference", "organization_id"))

        query = CompiledQuery(build, organization_id=STAND_IN)
        for organization in (first, second, first):
            self.assertEqual(query.rows(connection.alias, organization_id=organization.pk),
                             list(build(organization.pk)))
        self.assertEqual(built.count(STAND_IN), 1)  # compiled once for the alias
        self.assertEqual(query.rows(connection.alias, organization_id=10**9), [])

    def test_a_parameter_of_another_type_is_not_taken_for_the_stand_in(self):
        organization = OrganizationFactory(slug="typed", name="-1")
        query = CompiledQuery(lambda pk: Organization.objects.filter(pk=pk, name="-1").values_list("slug"), pk=-1)
        self.assertEqual(sorted(query.sql(connection.alias)[1], key=repr), sorted([-1, "-1"], key=repr))
        self.assertEqual(sorted(query.params(connection.alias, pk=organization.pk), key=repr),
                         sorted([organization.pk, "-1"], key=repr))
        self.assertEqual(query.rows(connection.alias, pk=organization.pk), [("typed",)])

    def test_fetch_rows_equals_the_queryset(self):
        organization = OrganizationFactory(slug="fetch")
        HouseholdFactory(organization=organization, reference="F-1")
        queryset = Household.objects.filter(organization=organization).values_list("reference", "created_at")
        self.assertEqual(fetch_rows(queryset), list(queryset))
