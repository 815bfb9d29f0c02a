"""haven.db.compiled: a query compiled once for stand-in values answers as its queryset does for real ones."""
from __future__ import annotations

from django.db import connection
from django.test import TestCase

from haven.accounts.models import Organization
from haven.db.compiled import CompiledQuery, CompiledShapes, fetch_rows
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


class CompiledShapesTests(TestCase):
    def build(self, organization_id, reference="-"):
        self.built += 1
        return (Household.objects.filter(organization_id=organization_id, reference__contains=reference)
                .order_by("reference").values("reference", "organization_id"))

    def test_rows_match_the_queryset_for_each_value_and_each_shape_compiles_once(self):
        self.built = 0
        first, second = OrganizationFactory(slug="first"), OrganizationFactory(slug="second")
        for organization, count in ((first, 2), (second, 1)):
            for n in range(count):
                HouseholdFactory(organization=organization, reference=f"{organization.slug}-{n}")
        shapes = CompiledShapes()
        for organization in (first, second, first):
            rows = shapes.dicts(connection.alias, "by organization", lambda: self.build(STAND_IN),
                                {"organization": STAND_IN}, {"organization": organization.pk})
            self.assertEqual(rows, list(self.build(organization.pk)))
        self.assertEqual(self.built, 4)  # once for the stand-in, and three times for the comparisons above
        self.assertEqual(shapes.dicts(connection.alias, "nothing", lambda: Household.objects.none().values("pk"),
                                      {}, {}), [])

    def test_a_stand_in_missing_from_the_sql_or_left_in_it_is_refused(self):
        self.built = 0
        shapes = CompiledShapes(reserved=lambda value: value == STAND_IN - 1)
        with self.assertRaisesMessage(ValueError, "does not take the stand-ins"):  # "other" is not in the SQL
            shapes.dicts(connection.alias, "missing", lambda: self.build(STAND_IN),
                         {"organization": STAND_IN, "other": STAND_IN - 2}, {"organization": 1, "other": 2})
        self.assertEqual(shapes.dicts(connection.alias, "optional", lambda: self.build(STAND_IN),
                                      {"organization": STAND_IN, "other": STAND_IN - 2}, {"organization": 1, "other": 2},
                                      optional=frozenset({"other"})), [])
        with self.assertRaisesMessage(ValueError, "does not take the stand-ins"):  # a reserved value not given
            shapes.dicts(connection.alias, "stray", lambda: self.build(STAND_IN).filter(pk=STAND_IN - 1),
                         {"organization": STAND_IN}, {"organization": 1})
        with self.assertRaisesMessage(ValueError, "not distinct"):
            shapes.dicts(connection.alias, "twice", lambda: self.build(STAND_IN),
                         {"organization": STAND_IN, "again": STAND_IN}, {"organization": 1, "again": 1})
