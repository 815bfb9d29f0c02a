"""haven.db.bulk and haven.db.writer: the fast paths (COPY, executemany, UPDATE ... FROM unnest, bulk loads) give
the rows the ORM would, on SQLite and on PostgreSQL."""
from __future__ import annotations

from django.db import connection, transaction
from django.test import TestCase
from django.utils import timezone

from haven.db.bulk import (
    BulkTable,
    bulk_load,
    copy_in,
    insert_copied,
    insert_rows,
    pks_by_column,
    update_from_unnest,
)
from haven.db.writer import BulkWriter
from haven.people.models import Household, Person
from haven.testing.databases import postgresql_only
from haven.testing.factories import OrganizationFactory

HOUSEHOLD_COLUMNS = ("organization_id", "reference", "name", "created_at", "updated_at")
HOUSEHOLD_TYPES = ("int8", "varchar", "varchar", "timestamptz", "timestamptz")


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
                         ("Ri", "+66 81 555 0101", "U", "unknown"))  # no birth date: unknown
        with connection.cursor() as cursor:
            cursor.execute("SELECT phone FROM people_person WHERE id = %s", [person.pk])
            stored = cursor.fetchone()[0]
        self.assertTrue(stored.startswith("enc1:"))
        self.assertNotIn("555", stored)


class CopyAndUnnestTests(TestCase):
    def setUp(self):
        self.organization = OrganizationFactory(slug="bulk")
        self.now = timezone.now()

    def rows(self, *references):
        return [(self.organization.pk, reference, f"Family {reference}", self.now, self.now)
                for reference in references]

    def test_insert_copied_writes_every_row(self):
        insert_copied(Household, HOUSEHOLD_COLUMNS, self.rows("C-1", "C-2"), binary_types=HOUSEHOLD_TYPES)
        insert_copied(Household, HOUSEHOLD_COLUMNS, [], binary_types=HOUSEHOLD_TYPES)
        stored = Household.objects.filter(organization=self.organization).order_by("reference")
        self.assertEqual([(h.reference, h.name) for h in stored], [("C-1", "Family C-1"), ("C-2", "Family C-2")])

    @postgresql_only
    def test_copy_in_streams_rows_and_counts_them(self):
        with copy_in(Household, HOUSEHOLD_COLUMNS, binary_types=HOUSEHOLD_TYPES) as copier:
            for row in self.rows("S-1", "S-2", "S-3"):
                copier.append(row)
        self.assertEqual(len(copier), 3)
        self.assertEqual(Household.objects.filter(reference__startswith="S-").count(), 3)

    def test_update_from_unnest_rewrites_rows_in_place(self):
        ids = insert_rows(Household, HOUSEHOLD_COLUMNS, self.rows("U-1", "U-2", "U-3"), return_ids=True)
        update_from_unnest(Household, ("reference", "name"), [(ids[0], "U-1b", "Renamed 1"), (ids[2], "U-3b", "Renamed 3")],
                           types=("bigint", "text", "text"), batch=1)
        stored = {h.pk: (h.reference, h.name) for h in Household.objects.filter(pk__in=ids)}
        self.assertEqual(stored, {ids[0]: ("U-1b", "Renamed 1"), ids[1]: ("U-2", "Family U-2"),
                                  ids[2]: ("U-3b", "Renamed 3")})

    def test_pks_by_column_finds_the_values_within_the_filter(self):
        ids = insert_rows(Household, HOUSEHOLD_COLUMNS, self.rows("P-1", "P-2"), return_ids=True)
        other = OrganizationFactory(slug="bulk-other")
        insert_rows(Household, HOUSEHOLD_COLUMNS, [(other.pk, "P-1", "Elsewhere", self.now, self.now)])
        found = pks_by_column(Household, "reference", ["P-1", "P-2", "P-9"],
                              where={"organization_id": self.organization.pk})
        self.assertEqual(found, {"P-1": ids[0], "P-2": ids[1]})
        self.assertEqual(pks_by_column(Household, "reference", []), {})


class BulkWriterTests(TestCase):
    def test_rows_queued_with_ids_are_readable_after_drain(self):
        organization = OrganizationFactory(slug="writer")
        now = timezone.now()
        writer = BulkWriter()
        try:
            household_ids = writer.insert(Household, HOUSEHOLD_COLUMNS,
                                          [(organization.pk, f"W-{n}", f"Family {n}", now, now) for n in range(4)],
                                          return_ids=True)
            person_ids = writer.insert(Person, ("household_id", "family_name", "phone"),
                                       [(pk, "Ri", "+66 81 555 0101") for pk in household_ids], return_ids=True)
            writer.drain()
            self.assertEqual(sorted(Person.objects.filter(household_id__in=household_ids)
                                    .values_list("pk", flat=True)), sorted(person_ids))
            self.assertEqual(Person.objects.get(pk=person_ids[0]).phone, "+66 81 555 0101")  # encrypted, read back
        except BaseException:
            writer.abandon()
            raise
        writer.close()
        self.assertEqual(len(set(household_ids)), 4)


def _schema(table: str) -> tuple:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                           "ORDER BY 1", [table])
            keys = cursor.fetchall()
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table])
        else:
            keys = []
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s ORDER BY 1",
                           [table])
        return keys, cursor.fetchall()


class BulkLoadTests(TestCase):
    def test_keys_and_indexes_are_dropped_meanwhile_and_put_back(self):
        organization = OrganizationFactory(slug="load")
        household = Household.objects.create(organization=organization, reference="L-1", name="Load family")
        before = _schema("people_person")
        with transaction.atomic(), bulk_load([BulkTable(Person, rebuild_indexes=True)]):
            during = _schema("people_person")
            insert_rows(Person, ("household_id", "family_name"), [(household.pk, "Kim")])
        self.assertEqual(_schema("people_person"), before)
        self.assertEqual(Person.objects.filter(household=household).count(), 1)
        self.assertLess(set(during[1]), set(before[1]))  # the secondary indexes were dropped meanwhile
        if connection.vendor == "postgresql":
            self.assertFalse([name for name, definition in during[0] if definition.startswith("FOREIGN KEY")])
