"""`haven import claims FILE`: CSV and XLSX, all or nothing, row-level errors."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from haven.claims.models import Claim, Deadline
from haven.testing.databases import postgresql_only, sqlite_only
from haven.people.models import Person

HEADER = ("claim_ref,claimant_ref,family_name,given_name,birth_date,country_of_persecution,referred_on,province,"
          "outcome,outcome_on\n")
GOOD = HEADER + (
    "TC1-001,HH-IMP-1,Kim,Ok-sun,1980-02-03,North Korea,2024-03-01,ON,rejected,2024-09-02\n"
    "TC1-002,HH-IMP-2,Pak,Chol,1975-05-05,PRK,2024-04-01,qc,,\n"
    "TC1-003,HH-IMP-1,Kim,Ok-sun,1980-02-03,KP,2023-01-10,ON,abandoned,2023-05-01\n"
    "TC1-004,HH-IMP-3,Ri,Song,,KP,2022-01-10,BC,other,2022-05-01\n"
)


def run(tmp_path, text: str, name="claims.csv", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", "claims", str(path), organization="maple", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_imports_claims_with_steps_and_deadlines(personas, tmp_path):
    output = run(tmp_path, GOOD, actor=personas.owner.username)
    assert "imported 4 claims (3 new households, 3 new people)" in output
    first = Claim.objects.get(reference="TC1-001")
    assert (first.country_of_persecution, first.province, first.referred_on) == ("KP", "ON", dt.date(2024, 3, 1))
    assert (first.outcome, first.outcome_on) == ("rejected", dt.date(2024, 9, 2))
    assert first.case.kind == "protection_claim" and first.case.reference == "TC1-001"
    assert Deadline.objects.get(claim=first, key="boc_due").due_on == dt.date(2024, 3, 18)  # Sat 16 March
    assert Deadline.objects.get(claim=first, key="prra_bar_ends").due_on == dt.date(2025, 9, 2)
    # The same claimant (same household, name and birth date) has two claims.
    assert Claim.objects.get(reference="TC1-003").claimant == first.claimant
    assert Person.objects.filter(household__reference="HH-IMP-1").count() == 1
    assert Claim.objects.get(reference="TC1-002").outcome == ""
    assert Claim.objects.get(reference="TC1-004").outcome == "other"


@pytest.mark.django_db
def test_xlsx_with_real_dates(personas, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["TC2-001", "HH-X", "Kim", "Ok-sun", dt.datetime(1980, 2, 3), "KP", dt.datetime(2024, 3, 1), "ON",
                  "accepted", dt.datetime(2024, 9, 2)])
    path = tmp_path / "claims.xlsx"
    book.save(path)
    call_command("import_data", "claims", str(path), organization="maple", stdout=io.StringIO())
    assert Claim.objects.get(reference="TC2-001").outcome == "accepted"


@pytest.mark.django_db
def test_errors_are_reported_per_row_and_column_and_nothing_is_written(personas, tmp_path):
    bad = HEADER + (
        "TC1-001,HH-IMP-1,Kim,Ok-sun,1980-02-03,Atlantis,2024-03-01,ON,rejected,2024-09-02\n"
        "TC1-001,HH-IMP-2,,,1975-02-30,KP,2024-04-01,XX,refused,\n"
        "TC1-003,HH-IMP-3,Ri,Song,,KP,,ON,accepted,2024-01-01\n"
        "TC1-004,HH-IMP-3,Ri,Song,,KP,2024-03-01,ON,rejected,2024-02-01\n"
    )
    with pytest.raises(CommandError) as raised:
        run(tmp_path, bad)
    report = str(raised.value)
    for expected in (
        "row 2, column country_of_persecution: “Atlantis” is not an ISO 3166 country code or name",
        "row 3, column claim_ref: “TC1-001” is also on row 2",
        "row 3, column family_name: give the claimant's family name or given name",
        "row 3, column birth_date: “1975-02-30” is not a real date",
        "row 3, column province: “XX” is not a province or territory code",
        "row 3, column outcome: “refused” is not one of",
        "row 4, column referred_on: a claim with an outcome must have been referred",
        "row 5, column outcome_on: 2024-02-01 is before the referral (2024-03-01)",
        "nothing was imported",
    ):
        assert expected in report
    assert not Claim.objects.exists()
    assert not Person.objects.filter(household__reference__startswith="HH-IMP").exists()


@pytest.mark.django_db
def test_unknown_and_missing_columns_and_existing_claims(personas, tmp_path):
    with pytest.raises(CommandError, match="row 1, column colour: unknown column"):
        run(tmp_path, "claim_ref,claimant_ref,country_of_persecution,province,colour\nA,B,KP,ON,red\n")
    with pytest.raises(CommandError, match="row 1, column province: required column is missing"):
        run(tmp_path, "claim_ref,claimant_ref,country_of_persecution\nA,B,KP\n")
    run(tmp_path, GOOD)
    with pytest.raises(CommandError, match="row 2, column claim_ref: a claim “TC1-001” already exists"):
        run(tmp_path, HEADER + "TC1-001,HH-IMP-9,Kim,A,,KP,2024-03-01,ON,,\n")


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_outsiders_cannot_import(personas, tmp_path):
    assert "Dry run: the file is valid; would import 4 claims" in run(tmp_path, GOOD, dry_run=True)
    assert not Claim.objects.exists()
    with pytest.raises(CommandError, match="not a staff member"):
        run(tmp_path, GOOD, actor=personas.outsider.username)


COMPARE = HEADER + (
    "TC9-001,HH-CMP-1,Kim,Ok-sun,1980-02-03,North Korea,2024-03-01,ON,rejected,2024-09-02\n"
    "TC9-002,HH-CMP-2,Pak,Chol,1975-05-05,PRK,2024-04-01,qc,,\n"
    "TC9-003,HH-CMP-1,Kim,Ok-sun,1980-02-03,KP,2023-01-10,ON,abandoned,2023-05-01\n"
    "TC9-004,HH-CMP-1,Kim,Chol,,KP,2023-02-10,ON,accepted,2023-02-10\n"
    "TC9-005,HH-CMP-3,Ri,Song,,KP,2022-01-10,BC,other,2022-05-01\n"
    "TC9-006,HH-CMP-4,Choe,Min,,KP,,ON,,\n"
    "TC9-007,{existing},Ahn,Jae,,CN,2024-12-20,NS,withdrawn,2024-12-27\n"
    "TC9-008,HH-CMP-2,Pak,Ae-ran,1979-01-01,KP,2021-06-30,QC,no_credible_basis,2022-01-04\n"
)


def _snapshot(organization):
    """Everything an import writes for the organization, without ids and timestamps."""
    from haven.cases.models import Case
    from haven.claims.models import ClaimEvent

    claims = sorted((c.reference, c.case.reference, c.case.kind, c.case.status, c.case.opened_on, c.case.search_key,
                     c.case.household.reference, c.case.household.name, c.claimant.family_name,
                     c.claimant.given_name, c.claimant.birth_date, c.claimant.relationship, c.claimant.search_key,
                     c.country_of_persecution, c.province, c.referred_on, c.outcome, c.outcome_on, c.stage)
                    for c in Claim.objects.filter(case__organization=organization).select_related(
                        "case__household", "claimant"))
    events = sorted((e.claim.reference, e.type, e.occurred_on, e.received_on, e.scheduled_for, e.ground, e.note,
                     e.recorded_by_id)
                    for e in ClaimEvent.objects.filter(claim__case__organization=organization).select_related("claim"))
    deadlines = sorted((d.claim.reference, d.key, d.rule_id, d.trigger, d.trigger_on, d.due_on, d.completed_on,
                        d.event.type if d.event_id else None, d.case.reference)
                       for d in Deadline.objects.filter(case__organization=organization).select_related(
                           "claim", "event", "case"))
    cases = sorted(Case.objects.filter(organization=organization).values_list("reference", "search_key"))
    persons = sorted(Person.objects.filter(household__organization=organization).values_list(
        "household__reference", "family_name", "given_name", "birth_date", "relationship", "search_key"))
    return claims, events, deadlines, cases, persons


@pytest.mark.django_db
def test_bulk_and_row_by_row_imports_write_the_same_data(personas, tmp_path, monkeypatch):
    from django.db import transaction

    from haven.audit.models import AuditEntry
    from haven.claims import importing
    from haven.claims.importing import import_claims
    from haven.transfer.readers import read_table

    organization = personas.case.organization
    existing = personas.case.household.reference  # an existing household with members and a case
    text = COMPARE.replace("{existing}", existing)
    results = {}
    path = tmp_path / "claims.csv"
    path.write_text(text, encoding="utf-8")
    for method in ("services", "bulk", "bulk load"):
        table = read_table(path)
        before = AuditEntry.objects.count()
        savepoint = transaction.savepoint()
        # "bulk load": PostgreSQL drops the tables' keys and indexes and puts them back (elsewhere, as "bulk")
        monkeypatch.setattr(importing, "BULK_LOAD_ROWS", 1 if method == "bulk load" else 10**9)
        monkeypatch.setattr(importing, "worth_rebuilding", lambda model, rows: True)
        result = import_claims(actor=personas.owner, organization=organization, rows=table.rows,
                               columns=table.columns, method=method.split()[0], source="claims.csv")
        results[method] = (_snapshot(organization), result.claims, result.households, result.persons,
                           AuditEntry.objects.count() - before)
        transaction.savepoint_rollback(savepoint)  # the second method starts from the same database
    services, bulk = results["services"], results["bulk"]
    assert results["bulk load"] == bulk
    assert bulk[0][0] == services[0][0]  # claims, their cases, households and claimants
    assert bulk[0][1] == services[0][1] and len(bulk[0][1]) == 13  # steps
    assert bulk[0][2] == services[0][2] and bulk[0][2]  # deadlines
    assert bulk[0][3] == services[0][3]  # every case's search key, the existing household's earlier case too
    assert bulk[0][4] == services[0][4]
    assert bulk[1:4] == services[1:4] == (8, 4, 7)
    assert bulk[4] == 1 + 8  # one event for the file, one per claim


@pytest.mark.django_db
def test_bulk_import_refuses_a_step_the_law_does_not_allow(personas, monkeypatch):
    from haven.claims import importing
    from haven.transfer.errors import ImportRejected

    def refuse(steps, *, rules, province):
        raise importing.StepRefused("refused for the test")

    monkeypatch.setattr(importing, "replay", refuse)
    with pytest.raises(ImportRejected) as raised:
        importing.import_claims(actor=None, organization=personas.case.organization, columns=HEADER.strip().split(","),
                                rows=[(2, dict(zip(HEADER.strip().split(","),
                                                   "TC8-1,HH-8,Kim,A,,KP,2024-03-01,ON,,".split(","))))])
    assert "row 2" in str(raised.value) and "refused for the test" in str(raised.value)
    assert not Claim.objects.filter(reference="TC8-1").exists()


IMPORTED_TABLES = ("people_household", "people_person", "cases_case", "claims_claim", "claims_claimevent",
                   "claims_deadline", "audit_auditentry")


def _schema():
    """Every foreign key and index of the tables a claims import writes, with its definition."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2", [list(IMPORTED_TABLES)])
        keys = cursor.fetchall()
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                       "WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1", [list(IMPORTED_TABLES)])
        return keys, cursor.fetchall()


@postgresql_only
@pytest.mark.django_db
def test_a_large_import_is_a_bulk_load_that_puts_every_key_and_index_back(personas, tmp_path, monkeypatch):
    from django.db import IntegrityError, connection, transaction

    from haven.claims import importing
    from haven.db import bulk

    keys, indexes = _schema()
    assert len(keys) >= 13 and len(indexes) >= 40
    loads = []
    original = bulk.bulk_load

    def spy(tables, **kwargs):
        tables = list(tables)
        loads.append({table.model._meta.db_table: table.rebuild_indexes for table in tables})
        return original(tables, **kwargs)

    monkeypatch.setattr(importing, "bulk_load", spy)
    monkeypatch.setattr(importing, "BULK_LOAD_ROWS", 3)
    monkeypatch.setattr(importing, "worth_rebuilding", lambda model, rows: model is not Claim)
    assert "imported 4 claims" in run(tmp_path, GOOD)
    assert loads == [{table: table != "claims_claim" for table in IMPORTED_TABLES}]
    assert _schema() == (keys, indexes)
    assert Deadline.objects.get(claim__reference="TC1-001", key="boc_due").due_on == dt.date(2024, 3, 18)
    claim = Claim.objects.get(reference="TC1-002")
    with pytest.raises(IntegrityError), transaction.atomic():  # the keys are enforced again
        with connection.cursor() as cursor:
            cursor.execute("UPDATE claims_claim SET case_id = %s WHERE id = %s", [10**12, claim.pk])
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    monkeypatch.setattr(importing, "BULK_LOAD_ROWS", 5)
    assert "imported 4 claims" in run(tmp_path, GOOD.replace("TC1-", "TC7-"))
    assert len(loads) == 1  # below the threshold: an ordinary bulk import


@postgresql_only
@pytest.mark.django_db
def test_a_large_import_waits_for_no_one(personas, tmp_path, monkeypatch):
    """If another transaction holds one of the tables, the import does not queue every reader behind its lock
    request: it gives up the bulk load after BULK_LOCK_TIMEOUT and writes with the keys and indexes in place."""
    import psycopg
    from django.db import connection

    from haven.claims import importing

    keys, indexes = _schema()
    monkeypatch.setattr(importing, "BULK_LOAD_ROWS", 1)
    monkeypatch.setattr(importing, "BULK_LOCK_TIMEOUT", "200ms")
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"], password=db["PASSWORD"],
                         dbname=db["NAME"]) as other:
        other.execute("LOCK TABLE claims_claim IN ACCESS SHARE MODE")  # someone reading claims, in a transaction
        output = run(tmp_path, GOOD)
        other.rollback()
    assert "imported 4 claims" in output
    assert Claim.objects.filter(reference__startswith="TC1-").count() == 4
    assert _schema() == (keys, indexes)


@pytest.mark.django_db
def test_bulk_load_can_be_switched_off(personas, tmp_path, monkeypatch, settings):
    from haven.claims import importing

    monkeypatch.setattr(importing, "BULK_LOAD_ROWS", 1)
    monkeypatch.setattr(importing, "bulk_load", lambda *args, **kwargs: pytest.fail("bulk load used"))
    settings.HAVEN_IMPORT_BULK_LOAD = False
    assert "imported 4 claims" in run(tmp_path, GOOD)


@sqlite_only
@pytest.mark.django_db
def test_a_large_import_on_sqlite_rebuilds_the_indexes_it_dropped(personas, tmp_path, monkeypatch):
    from django.db import connection

    from haven.claims import importing

    def state():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (%s) "
                           "ORDER BY name" % ", ".join(["%s"] * len(IMPORTED_TABLES)), list(IMPORTED_TABLES))
            indexes = cursor.fetchall()
            cursor.execute("PRAGMA cache_size")
            return indexes, cursor.fetchone()[0]

    before = state()
    dropped = []
    original = importing.bulk_load

    def spy(tables, **kwargs):
        tables = list(tables)
        dropped.extend(table.model._meta.db_table for table in tables if table.rebuild_indexes)
        return original(tables, **kwargs)

    monkeypatch.setattr(importing, "bulk_load", spy)
    monkeypatch.setattr(importing, "BULK_LOAD_ROWS", 1)
    monkeypatch.setattr(importing, "worth_rebuilding", lambda model, rows: True)
    assert "imported 4 claims" in run(tmp_path, GOOD)
    assert sorted(dropped) == sorted(IMPORTED_TABLES) and len(before[0]) >= 30
    assert state() == before  # every index back with its definition; the page cache as it was
    assert Deadline.objects.get(claim__reference="TC1-001", key="boc_due").due_on == dt.date(2024, 3, 18)


@pytest.mark.django_db
def test_an_xlsx_formula_without_a_saved_value_is_an_error_naming_the_cell(personas, tmp_path):
    """Issue 14, defect 5: the claims import reads XLSX with the shared reader; a formula without its value is
    refused, naming the cell, and nothing is written."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["TC3-001", "HH-Y", "Kim", "Ok-sun", dt.datetime(1980, 2, 3), "KP", "=DATE(2024,3,1)", "ON",
                  "", None])
    path = tmp_path / "claims.xlsx"
    book.save(path)
    claims = Claim.objects.count()
    with pytest.raises(CommandError, match=r"row 2, column G: the formula =DATE\(2024,3,1\) has no saved value"):
        call_command("import_data", "claims", str(path), organization="maple", stdout=io.StringIO())
    assert Claim.objects.count() == claims
