"""insert_rows: the fast insert path (COPY on PostgreSQL) gives the same rows the ORM would."""
from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.utils import timezone

from haven.people.models import Household, Person
from haven.testing.factories import OrganizationFactory
from haven.db.bulk import insert_rows


class InsertRowsTests(TestCase):
    def test_ids_encryption_and_defaults(self):
        organization = OrganizationFactory(slug="bulk")
        now = timezone.now()
        ids = insert_rows(Household, ("organization_id", "reference", "name", "created_at", "updated_at"),
                          [(organization.pk, f"B-{n}", f"Family {n}", now, now) for n in range(3)], return_ids=True)
        self.assertEqual(sorted(Household.objects.filter(pk__in=ids).values_list("reference", flat=True)),
                         ["B-0", "B-1", "B-2"])
        # Columns left out (birth fields, created_at, ...) get the field defaults.
        person_ids = insert_rows(Person, ("household_id", "family_name", "phone"),
                                 [(ids[0], "Ri", "+66 81 555 0101")], return_ids=True)
        person = Person.objects.get(pk=person_ids[0])
        self.assertEqual((person.family_name, person.phone, person.sex, person.birth_date_precision),
                         ("Ri", "+66 81 555 0101", "U", "exact"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT phone FROM people_person WHERE id = %s", [person.pk])
            stored = cursor.fetchone()[0]
        self.assertTrue(stored.startswith("enc1:"))
        self.assertNotIn("555", stored)


class BenchmarkFunctionTests(TestCase):
    def test_small_run_reports_counts_and_phases(self):
        from haven.transfer.benchmark import run_people_import_benchmark

        report = run_people_import_benchmark(people=40, seed=1)
        self.assertGreaterEqual(report["people"], 40)
        self.assertEqual(Person.objects.filter(household__organization__slug=report["organization"]).count(),
                         report["people"])
        self.assertEqual(report["audit_events"], report["households"] + 1)
        self.assertIn("persons", report["phases"])
