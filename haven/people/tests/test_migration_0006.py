"""people 0006 corrects, before adding its constraints, the rows that would break them, losing nothing and writing
each correction to the audit log: a second principal applicant becomes "other relative" (the earliest stays
principal), a birth date keeps its value and gets the precision the value shows, and a person absorbed by an
active merge gets `merged_into`. Run on SQLite and on PostgreSQL (DATABASE_URL)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from haven.matching.models import MergeRecord
from haven.testing.factories import HouseholdFactory, OrganizationFactory

BEFORE = [("people", "0005_split_claimable_nationality_status"), ("matching", "0001_review_queue_and_merges")]
AFTER = [("people", "0006_merged_persons_one_principal_birth_precision")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_rows_that_break_the_new_rules_are_corrected_and_audited():
    # Persons as the schema had them before 0006 (no merged_into); the other tables are as they are today.
    Person = _migrate(BEFORE).get_model("people", "Person")
    org = OrganizationFactory(name="Migration test", slug="migration-test")
    household = HouseholdFactory(organization=org, reference="HH-M1", name="Two principals")
    first = Person.objects.create(household_id=household.pk, family_name="First", relationship="principal",
                                  birth_date=dt.date(1970, 5, 17), birth_date_precision="exact")
    second = Person.objects.create(household_id=household.pk, family_name="Second", relationship="principal",
                                   birth_date=None, birth_date_precision="year")
    january = Person.objects.create(household_id=household.pk, family_name="January", relationship="child",
                                    birth_date=dt.date(2001, 1, 1), birth_date_precision="unknown")
    mid_month = Person.objects.create(household_id=household.pk, family_name="Midmonth", relationship="child",
                                      birth_date=dt.date(2003, 6, 17), birth_date_precision="month")
    absorbed = Person.objects.create(household_id=household.pk, family_name="Absorbed", relationship="child",
                                     birth_date=dt.date(2005, 2, 1), birth_date_precision="month")
    MergeRecord.objects.create(kept_id=first.pk, absorbed_id=absorbed.pk, snapshot={})

    apps = _migrate(AFTER)
    Person = apps.get_model("people", "Person")
    rows = {p.family_name: p for p in Person.objects.filter(household_id=household.pk)}
    assert rows["First"].relationship == "principal"
    assert rows["Second"].relationship == "other_relative"
    assert (rows["Second"].birth_date, rows["Second"].birth_date_precision) == (None, "unknown")
    assert (rows["January"].birth_date, rows["January"].birth_date_precision) == (dt.date(2001, 1, 1), "year")
    assert (rows["Midmonth"].birth_date, rows["Midmonth"].birth_date_precision) == (dt.date(2003, 6, 17), "exact")
    assert (rows["Absorbed"].birth_date_precision, rows["Absorbed"].merged_into_id) == ("month", first.pk)

    AuditEntry = apps.get_model("audit", "AuditEntry")
    changes = {(entry.object_id, entry.actor_label): entry.changes
               for entry in AuditEntry.objects.filter(object_type="people.person")}
    assert changes[(str(second.pk), "system")]  # both of its corrections are recorded
    assert {"relationship": {"old": "principal", "new": "other_relative"}} in [
        entry.changes for entry in AuditEntry.objects.filter(object_id=str(second.pk))]
    assert changes[(str(january.pk), "system")] == {"birth_date_precision": {"old": "unknown", "new": "year"}}
    assert changes[(str(mid_month.pk), "system")] == {"birth_date_precision": {"old": "month", "new": "exact"}}
