"""`haven import claims FILE --organization SLUG`: protection claims from CSV or XLSX (docs/import-claims.md).

All or nothing: every row is checked first and the file is rejected with
`row N, column X: message` errors, having written nothing, if any row fails.

Each row is one claim. `claimant_ref` is the household reference of the
claimant in the organization: an existing household is reused (and the
claimant found in it by name and birth date, or added), a new one is created
otherwise. Each claim gets its own case (reference = claim_ref, kind "in-land
protection claim"). The referral and the outcome are recorded as steps through
haven.claims.services, so the state machine, the audit log and the deadlines
apply exactly as for a step recorded on screen.

Two writers produce the same rows. `import_claims(..., method="bulk")` (the
default, used by `haven import claims`) replays every claim's steps through the
state machine in memory during validation, then writes households, people,
cases, claims, steps and deadlines with bulk inserts (COPY on PostgreSQL,
haven.transfer.bulk; bulk_create in batches elsewhere) in one transaction.
Deadlines are computed in Python by the engine (haven.claims.deadlines; due
dates memoized per rule, date and province, holiday sets cached per
province and year). `method="services"` goes row by row through the services
(kept for comparison: tests check both give the same claims, steps and
deadlines).

Audit on the bulk path (a documented compromise for speed, as for the people
import): one `import` event for the file (organization, source, counts) and
one `import` event per claim, logged against its case, listing the ids
created for it (case, claim, steps, deadlines, and the household and claimant
when they were new); all in one `record_events` call.
"""
from __future__ import annotations

import datetime as dt
import gc
import json
import queue
import re
import threading
from collections import namedtuple
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from haven.accounts.models import STAFF_ROLES, Membership
from haven.audit.models import Action, AuditEntry
from haven.audit.services import Event, record_events
from haven.cases import services as case_services
from haven.cases.models import Case
from haven.cases.services import case_search_key, refresh_case_search_keys
from haven.claims import services
from haven.claims.deadlines import RuleSet, load_rules
from haven.claims.lifecycle import StepRefused, replay
from haven.claims.models import Claim, ClaimEvent, Deadline, EventType, Outcome, Province
from haven.claims.services import INSERT_FIELDS as DEADLINE_COLUMNS
from haven.people import services as people_services
from haven.people.codes import country_code
from haven.people.models import Household, Person, Relationship
from haven.people.services import person_search_key
from haven.transfer.bulk import (BulkTable, LocksBusy, bulk_load, copy_statement, insert_rows, reserve_ids,
                                 row_layout, sqlite_insert, worth_rebuilding)
from haven.transfer.errors import HEADER_ROW, ImportRejected, RowError
from haven.transfer.readers import read_table

COLUMNS = ("claim_ref", "claimant_ref", "family_name", "given_name", "birth_date", "country_of_persecution",
           "referred_on", "province", "outcome", "outcome_on")
REQUIRED = ("claim_ref", "claimant_ref", "country_of_persecution", "province")
PROVINCES = frozenset(Province.values)  # Choices.values builds a new list on every call
OUTCOMES = frozenset(Outcome.values)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OUTCOME_STEPS = {
    Outcome.ACCEPTED: EventType.DECISION_ACCEPTED, Outcome.REJECTED: EventType.DECISION_REJECTED,
    Outcome.NO_CREDIBLE_BASIS: EventType.DECISION_NCB, Outcome.MANIFESTLY_UNFOUNDED: EventType.DECISION_MU,
    Outcome.ABANDONED: EventType.ABANDONMENT, Outcome.WITHDRAWN: EventType.WITHDRAWAL,
    Outcome.OTHER: EventType.OTHER_DISPOSITION,
}


@dataclass
class ParsedClaim:
    row: int
    claim_ref: str
    claimant_ref: str
    family_name: str
    given_name: str
    birth_date: dt.date | None
    country: str
    referred_on: dt.date | None
    province: str
    outcome: str
    outcome_on: dt.date | None


@dataclass
class ClaimImportResult:
    dry_run: bool
    claims: int = 0
    households: int = 0
    persons: int = 0
    claim_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.claims} claims ({self.households} new households, {self.persons} new people)"
        if self.dry_run:
            return f"Dry run: the file is valid; would import {text}. Nothing was written."
        return f"OK: imported {text}; deadlines computed."


def _check_actor(actor, organization) -> None:
    if actor is None:
        return
    if not (actor.is_active and Membership.objects.filter(user=actor, organization=organization,
                                                          role__in=STAFF_ROLES).exists()):
        raise PermissionDenied(f"{actor.get_username()} is not a staff member of {organization.slug} "
                               "and cannot import into it")


class _Dates:
    """Parse YYYY-MM-DD cells once per distinct text: a large file repeats the same few thousand dates."""

    def __init__(self, today: dt.date):
        self.today = today
        self.cache: dict[str, tuple[dt.date | None, str | None]] = {}

    def parse(self, value: str) -> tuple[dt.date | None, str | None]:
        """(date or None, error message or None); a date in the future is returned with its error."""
        hit = self.cache.get(value)
        if hit is None:
            if not ISO_DATE.match(value):
                hit = (None, f"“{value}” is not a date written YYYY-MM-DD")
            else:
                try:
                    day = dt.date.fromisoformat(value)
                except ValueError:
                    hit = (None, f"“{value}” is not a real date")
                else:
                    hit = (day, f"{value} is in the future" if day > self.today else None)
            self.cache[value] = hit
        return hit


@lru_cache(maxsize=4096)
def _country(text: str) -> tuple[str, str | None]:
    """(ISO alpha-2 code, error message or None) for a country cell (haven.people.codes.country_code)."""
    try:
        return country_code(text), None
    except ValidationError as exc:
        return "", " ".join(exc.messages)


LOOKUP_CHUNK = 10_000  # ids per IN list (SQLite allows 32,766 parameters per statement)


def _by_reference(model: type[Model], references: Sequence[str], *, organization_id: int | None = None
                  ) -> dict[str, int]:
    """{reference: pk} of the rows of `model` (in the organization, if given) with one of these references.

    The references go as one parameter: an array on PostgreSQL (`= ANY(%s)`), a JSON array read by json_each
    on SQLite. An IN list of a million values costs seconds to build, bind and parse (and SQLite refuses more
    than 32,766 parameters)."""
    if not references:
        return {}
    quote = connection.ops.quote_name
    meta = model._meta
    head = f"SELECT {quote('reference')}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} WHERE "
    if connection.vendor == "postgresql":
        sql, params = head + f"{quote('reference')} = ANY(%s)", [list(references)]
    elif connection.vendor == "sqlite":
        sql, params = head + f"{quote('reference')} IN (SELECT value FROM json_each(%s))", [json.dumps(references)]
    else:
        found: dict[str, int] = {}
        rows = model.objects.all() if organization_id is None else model.objects.filter(organization_id=organization_id)
        for start in range(0, len(references), LOOKUP_CHUNK):
            found.update(rows.filter(reference__in=references[start:start + LOOKUP_CHUNK])
                         .values_list("reference", "pk"))
        return found
    if organization_id is not None:
        sql += f" AND {quote('organization_id')} = %s"
        params.append(organization_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


@contextmanager
def _gc_paused():
    """Python's cyclic garbage collector off during a bulk import: the rows are millions of tuples, dicts and
    lists without reference cycles (freed by reference counting), and each full collection would walk them
    all again, several times over a million-row file."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate_claims(*, organization, rows: Iterable[tuple[int, Mapping[str, str]]],
                    columns: Sequence[str]) -> list[ParsedClaim]:
    """Parse and check every row; raise ImportRejected listing every error.

    One pass, no object per row: cells are read straight from the row's dict, dates parsed once per distinct
    text (_Dates) and countries looked up once per distinct spelling (_country); the messages are those of a
    row-by-row check."""
    errors = [RowError(HEADER_ROW, c, f"unknown column (the template's columns are: {', '.join(COLUMNS)})")
              for c in columns if c not in COLUMNS]
    errors += [RowError(HEADER_ROW, c, "required column is missing") for c in REQUIRED if c not in columns]
    if errors:
        raise ImportRejected(errors)
    dates = _Dates(timezone.localdate())
    parse_date = dates.parse
    parsed: list[ParsedClaim] = []
    seen: dict[str, int] = {}
    add = errors.append
    province_list = ", ".join(Province.values)
    outcome_list = ", ".join(Outcome.values)
    for number, values in rows:
        get = values.get
        claim_ref = (get("claim_ref") or "").strip()
        claimant_ref = (get("claimant_ref") or "").strip()
        family_name = (get("family_name") or "").strip()
        given_name = (get("given_name") or "").strip()
        birth_text = (get("birth_date") or "").strip()
        country_text = (get("country_of_persecution") or "").strip()
        province_text = (get("province") or "").strip()
        referred_text = (get("referred_on") or "").strip()
        outcome_text = (get("outcome") or "").strip()
        outcome_on_text = (get("outcome_on") or "").strip()
        for column, value, limit in (("claim_ref", claim_ref, 40), ("claimant_ref", claimant_ref, 40)):
            if not value:
                add(RowError(number, column, "a value is required"))
            elif len(value) > limit:
                add(RowError(number, column, f"at most {limit} characters (this has {len(value)})"))
        if len(family_name) > 100:
            add(RowError(number, "family_name", f"at most 100 characters (this has {len(family_name)})"))
        if len(given_name) > 100:
            add(RowError(number, "given_name", f"at most 100 characters (this has {len(given_name)})"))
        if not (family_name or given_name):
            add(RowError(number, "family_name", "give the claimant's family name or given name"))
        birth_date = referred_on = outcome_on = None
        if birth_text:
            birth_date, message = parse_date(birth_text)
            if message:
                add(RowError(number, "birth_date", message))
        country = ""
        if not country_text:
            add(RowError(number, "country_of_persecution", "a value is required"))
        else:
            country, message = _country(country_text)
            if message:
                add(RowError(number, "country_of_persecution", message))
        province = province_text.upper()
        if province not in PROVINCES:
            add(RowError(number, "province", f"“{province_text}” is not a province or territory code "
                                             f"({province_list})"))
        if referred_text:
            referred_on, message = parse_date(referred_text)
            if message:
                add(RowError(number, "referred_on", message))
        outcome = outcome_text.lower()
        if outcome and outcome not in OUTCOMES:
            add(RowError(number, "outcome", f"“{outcome_text}” is not one of: {outcome_list} (or empty)"))
            outcome = ""
        if outcome_on_text:
            outcome_on, message = parse_date(outcome_on_text)
            if message:
                add(RowError(number, "outcome_on", message))
        if outcome and outcome_on is None and not outcome_on_text:
            add(RowError(number, "outcome_on", "an outcome needs the date it was reached"))
        if outcome_on and not outcome_text:
            add(RowError(number, "outcome", "outcome_on is given but the outcome is empty"))
        if outcome and referred_on is None and not referred_text:
            add(RowError(number, "referred_on", "a claim with an outcome must have been referred: give the "
                                                "referral date"))
        if outcome_on and referred_on and outcome_on < referred_on:
            add(RowError(number, "outcome_on", f"{outcome_on} is before the referral ({referred_on})"))
        if birth_date and referred_on and birth_date > referred_on:
            add(RowError(number, "birth_date", "the claimant was born after the referral"))
        if claim_ref:
            first = seen.setdefault(claim_ref, number)
            if first != number:
                add(RowError(number, "claim_ref", f"“{claim_ref}” is also on row {first}"))
        parsed.append(ParsedClaim(number, claim_ref, claimant_ref, family_name, given_name, birth_date, country,
                                  referred_on, province, outcome, outcome_on))
    refs = list(seen)
    taken_claims = _by_reference(Claim, refs)
    taken_cases = _by_reference(Case, refs, organization_id=organization.pk)
    if taken_claims or taken_cases:
        for p in parsed:
            if p.claim_ref in taken_claims:
                errors.append(RowError(p.row, "claim_ref", f"a claim “{p.claim_ref}” already exists"))
            elif p.claim_ref in taken_cases:
                errors.append(RowError(p.row, "claim_ref", f"a case “{p.claim_ref}” already exists in "
                                                           f"{organization.slug}"))
    if errors:
        raise ImportRejected(errors)
    return parsed


def import_claims(*, actor, organization, rows: Iterable[tuple[int, Mapping[str, str]]], columns: Sequence[str],
                  dry_run: bool = False, method: str = "bulk", source: str = "") -> ClaimImportResult:
    """Validate every row, then write them all (method "bulk", the default, or "services": row by row)."""
    if method not in ("bulk", "services"):
        raise ValueError(f"unknown import method {method!r}")
    _check_actor(actor, organization)
    if method == "bulk":
        with _gc_paused():
            parsed = validate_claims(organization=organization, rows=rows, columns=columns)
            result = ClaimImportResult(dry_run=dry_run, claims=len(parsed))
            rules = load_rules()
            steps = _replay_all(parsed, rules)
            if dry_run:
                return result
            write = partial(_write_bulk, parsed, steps, actor=actor, organization=organization, rules=rules,
                            result=result, source=source)
            if not _written_as_bulk_load(write, rows=len(parsed)):
                with transaction.atomic():
                    write()
        return result
    rows = list(rows)
    parsed = validate_claims(organization=organization, rows=rows, columns=columns)
    result = ClaimImportResult(dry_run=dry_run, claims=len(parsed))
    rules = load_rules()
    if dry_run:
        return result
    errors: list[RowError] = []
    with transaction.atomic():
        households = {h.reference: h for h in Household.objects.filter(
            organization=organization, reference__in={p.claimant_ref for p in parsed})}
        for p in parsed:
            try:
                _write_row(p, actor=actor, organization=organization, households=households, result=result,
                           rules=rules)
            except ValidationError as exc:
                errors.append(RowError(p.row, "", " ".join(exc.messages)))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportRejected(errors)
    return result


# A file of at least this many claims is written as a bulk load on PostgreSQL (unless
# settings.HAVEN_IMPORT_BULK_LOAD is False): see _written_as_bulk_load.
BULK_LOAD_ROWS = 20_000
BULK_LOCK_TIMEOUT = "2s"


def _written_as_bulk_load(write, *, rows: int) -> bool:
    """Run `write` (the whole import) as one bulk load (haven.transfer.bulk.bulk_load) when that pays: for at
    least BULK_LOAD_ROWS claims. On PostgreSQL the written tables' foreign keys are dropped and added back, each
    validated in one join (a claim brings about 22 key checks), and the tables are locked (ACCESS EXCLUSIVE)
    until the commit: other users wait for the import. On both databases the secondary indexes of a table are
    rebuilt when the file brings at least as many rows as it holds, except those on `household_id`, by which the
    import reads members and cases back while it writes. False when it did not run (off, too small, or the
    tables were busy for BULK_LOCK_TIMEOUT): nothing was written, and the caller writes as usual."""
    if (connection.vendor not in ("postgresql", "sqlite") or rows < BULK_LOAD_ROWS
            or not getattr(settings, "HAVEN_IMPORT_BULK_LOAD", True)):
        return False
    tables = [BulkTable(model, rebuild_indexes=worth_rebuilding(model, rows), keep_indexes_on=("household_id",))
              for model in (Household, Person, Case, Claim, ClaimEvent, Deadline, AuditEntry)]
    try:
        with transaction.atomic(), bulk_load(tables, lock_timeout=BULK_LOCK_TIMEOUT):
            write()
    except LocksBusy:
        return False
    return True


# The attributes of ClaimEvent that the state machine and the deadline engine read.
Step = namedtuple("Step", "pk type occurred_on received_on scheduled_for appellant ground substituted_outcome "
                          "order_kind destination_country")


def _steps_of(p: ParsedClaim) -> list[Step]:
    steps = []
    if p.referred_on:
        steps.append(Step(None, EventType.REFERRAL, p.referred_on, None, None, "", "", "", "", ""))
    if p.outcome:
        steps.append(Step(None, OUTCOME_STEPS[p.outcome], p.outcome_on, None, None, "", "", "", "", ""))
    return steps


MEMO_LIMIT = 200_000  # distinct (province, referral, outcome, outcome date) patterns kept at once


def _pattern(p: ParsedClaim) -> tuple:
    """What a claim's steps, state and deadlines depend on: the same pattern gives the same results."""
    return (p.province, p.referred_on, p.outcome, p.outcome_on)


def _replay_all(parsed: list[ParsedClaim], rules: RuleSet) -> list[tuple[list[Step], object]]:
    """Each claim's steps and the state they lead to; ImportRejected (nothing written) if the law refuses one.
    Replayed once per pattern (the state is read, never changed, afterwards)."""
    errors, result = [], []
    memo: dict[tuple, tuple] = {}
    for p in parsed:
        steps = _steps_of(p)
        pattern = _pattern(p)
        hit = memo.get(pattern)
        if hit is None:
            try:
                hit = (replay(steps, rules=rules, province=p.province) if steps else None, None)
            except StepRefused as exc:
                hit = (None, exc.message)
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            memo[pattern] = hit
        state, message = hit
        if message:
            errors.append(RowError(p.row, "", message))
        result.append((steps, state))
    if errors:
        raise ImportRejected(errors)
    return result


CLAIM_COLUMNS = ("case_id", "reference", "claimant_id", "country_of_persecution", "province", "referred_on",
                 "outcome", "outcome_on", "stage", "created_at", "updated_at")
EVENT_COLUMNS = ("claim_id", "type", "occurred_on", "received_on", "scheduled_for", "appellant", "ground",
                 "substituted_outcome", "order_kind", "destination_country", "destination_confirmed", "note",
                 "recorded_by_id", "created_at", "updated_at")
CASE_COLUMNS = ("organization_id", "household_id", "reference", "title", "kind", "status", "sponsor_group_id",
                "opened_on", "closed_on", "search_key", "created_at", "updated_at")


WRITE_CHUNK = 100_000  # rows per insert call: bounds the model instances SQLite's bulk_create holds at once


def _insert_rows(model: type[Model], columns: Sequence[str], rows: list[tuple], *, return_ids: bool = False
                 ) -> list[int]:
    """haven.transfer.bulk.insert_rows in chunks of WRITE_CHUNK rows."""
    ids: list[int] = []
    for start in range(0, len(rows), WRITE_CHUNK):
        ids += insert_rows(model, columns, rows[start:start + WRITE_CHUNK], return_ids=return_ids)
    return ids


class _Writer:
    """The inserts of a bulk import, overlapped with the work that prepares the next table on PostgreSQL.

    On PostgreSQL each insert is a COPY run by a background thread on the import's own connection, hence in its
    transaction (a psycopg connection may be shared by threads: each statement holds its lock). Ids are taken
    from the table's sequence first, as haven.transfer.bulk.insert_rows does, so the caller can build the rows
    of the next table while PostgreSQL stores and indexes these. Constraints are checked IMMEDIATE during the
    import, so that the foreign-key checks of each COPY run at its end, in the background too, rather than all
    at COMMIT. `drain()` waits for the queued inserts: call it before reading rows back. Elsewhere each insert
    runs at once through insert_rows."""

    def __init__(self) -> None:
        self.background = connection.vendor == "postgresql"
        self.error: BaseException | None = None
        self.cancelled = False
        if self.background:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.raw = connection.connection
            self.jobs: queue.Queue = queue.Queue()
            self.thread = threading.Thread(target=self._run, name="claims-import-copy", daemon=True)
            self.thread.start()

    def insert(self, model: type[Model], columns: Sequence[str], rows: list[tuple], *,
               return_ids: bool = False) -> list[int]:
        self.check()
        if not rows:
            return []
        if connection.vendor not in ("postgresql", "sqlite"):
            return _insert_rows(model, columns, rows, return_ids=return_ids)
        layout = row_layout(model, columns)
        defaults = layout.defaults
        if layout.encrypted:  # rows completed (and encrypted) here; otherwise the defaults are appended on writing
            rows, defaults = [layout.db_row(row) for row in rows], ()
        if not self.background:
            return sqlite_insert(model, layout.fields, rows, defaults, return_ids=return_ids)
        ids = reserve_ids(model, len(rows)) if return_ids else []  # waits for the COPY under way, if any
        sql = copy_statement(model, layout.fields, with_ids=return_ids)
        self.jobs.put((sql, rows, ids, defaults))
        return ids

    def drain(self) -> None:
        """Wait until every queued insert is in the database."""
        if self.background:
            self.jobs.join()
        self.check()

    def close(self) -> None:
        """Drain, stop the thread and check the remaining constraints as deferred again."""
        if not self.background:
            return
        self.drain()
        self._stop()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def abandon(self) -> None:
        """After an error in the importing thread: skip the queued inserts and stop the thread (the caller's
        transaction is rolled back)."""
        if self.background and self.thread.is_alive():
            self.cancelled = True
            self._stop()

    def _stop(self) -> None:
        self.jobs.put(None)
        self.thread.join()

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None and not self.cancelled:
                    sql, rows, ids, defaults = job
                    with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                        write = copy.write_row
                        if ids:
                            for pk, row in zip(ids, rows):
                                write((pk, *row, *defaults))
                        else:
                            for row in rows:
                                write((*row, *defaults))
            except BaseException as exc:  # re-raised in the importing thread; the transaction is rolled back
                self.error = exc
            finally:
                self.jobs.task_done()


def _write_bulk(parsed: list[ParsedClaim], steps: list[tuple[list[Step], object]], *, actor, organization,
                rules: RuleSet, result: ClaimImportResult, source: str) -> None:
    writer = _Writer()
    try:
        _write_all(parsed, steps, writer=writer, actor=actor, organization=organization, rules=rules,
                   result=result, source=source)
    except BaseException:
        writer.abandon()
        raise


def _write_all(parsed: list[ParsedClaim], steps: list[tuple[list[Step], object]], *, writer: _Writer, actor,
               organization, rules: RuleSet, result: ClaimImportResult, source: str) -> None:
    now = timezone.now()
    today = timezone.localdate()
    # Households: existing ones (by reference in the organization) and their members, then the new ones.
    existing = _by_reference(Household, list(dict.fromkeys(p.claimant_ref for p in parsed)),
                             organization_id=organization.pk)
    people: dict[tuple, int] = {}  # (household key, family, given, birth) -> person id or -(index + 1) if new
    populated: set = set()
    existing_ids = sorted(existing.values())
    for start in range(0, len(existing_ids), LOOKUP_CHUNK):  # a household's members are all in one chunk
        for pk, household_id, family, given, birth in Person.objects.filter(
                household_id__in=existing_ids[start:start + LOOKUP_CHUNK]).values_list(
                    "pk", "household_id", "family_name", "given_name", "birth_date"):
            people.setdefault((household_id, family, given, birth), pk)  # the first in Person's ordering
            populated.add(household_id)
    new_households: dict[str, int] = {}  # reference -> index in household_rows
    household_rows, person_rows, person_keys, person_household = [], [], [], []
    row_household, row_person, new_person_rows, new_household_rows = [], [], [], []
    for p in parsed:
        if p.claimant_ref in existing:
            household = existing[p.claimant_ref]
            new_household_rows.append(False)
        elif p.claimant_ref in new_households:
            household = ("new", new_households[p.claimant_ref])
            new_household_rows.append(False)
        else:
            new_households[p.claimant_ref] = len(household_rows)
            household = ("new", len(household_rows))
            household_rows.append((organization.pk, p.claimant_ref, f"{p.family_name or p.given_name} family".strip(),
                                   now, now))
            new_household_rows.append(True)
        key = (household, p.family_name, p.given_name, p.birth_date)
        person = people.get(key)
        if person is None:
            relationship = Relationship.OTHER_RELATIVE if household in populated else Relationship.PRINCIPAL
            populated.add(household)
            search_key = person_search_key(_Names(p.family_name, p.given_name))
            person = people[key] = -(len(person_rows) + 1)
            person_rows.append([household, str(relationship), p.family_name, p.given_name, p.birth_date, search_key,
                                now, now])
            person_keys.append(search_key)
            person_household.append(household)
            new_person_rows.append(True)
        else:
            new_person_rows.append(False)
        row_household.append(household)
        row_person.append(person)
    result.households, result.persons = len(household_rows), len(person_rows)

    household_ids = writer.insert(Household, ("organization_id", "reference", "name", "created_at", "updated_at"),
                                household_rows, return_ids=True)

    def household_id(household) -> int:
        return household_ids[household[1]] if isinstance(household, tuple) else household

    for row in person_rows:
        row[0] = household_id(row[0])
    person_ids = writer.insert(Person, ("household_id", "relationship", "family_name", "given_name", "birth_date",
                                      "search_key", "created_at", "updated_at"),
                             [tuple(row) for row in person_rows], return_ids=True)

    # Cases: search keys from the members' keys in Person's ordering, as refresh_case_search_keys computes them.
    # A new household with one member has only that key; the others are read back from the database.
    member_keys: dict[int, list[str]] = {}
    for household, search_key in zip(person_household, person_keys):
        member_keys.setdefault(household_id(household), []).append(search_key)
    reread = sorted({household_id(h) for h in row_household
                     if not isinstance(h, tuple) or len(member_keys.get(household_id(h), ())) > 1})
    if reread:
        writer.drain()  # their members are read back
    for start in range(0, len(reread), 5000):
        chunk = reread[start:start + 5000]
        for hid in chunk:
            member_keys[hid] = []
        for hid, search_key in Person.objects.filter(household_id__in=chunk).values_list("household_id",
                                                                                        "search_key"):
            member_keys[hid].append(search_key)
    household_names = {household_ids[index]: row[2] for index, row in enumerate(household_rows)}
    for start in range(0, len(existing_ids), LOOKUP_CHUNK):
        household_names.update(Household.objects.filter(pk__in=existing_ids[start:start + LOOKUP_CHUNK])
                               .values_list("pk", "name"))
    case_rows = []
    for p, household in zip(parsed, row_household):
        hid = household_id(household)
        stand_in = SimpleNamespace(reference=p.claim_ref, title="",
                                   household=SimpleNamespace(name=household_names[hid]))
        case_rows.append((organization.pk, hid, p.claim_ref, "", str(Case.Kind.PROTECTION_CLAIM),
                          str(Case.Status.OPEN), None, p.referred_on or today, None,
                          case_search_key(stand_in, member_keys.get(hid, ())), now, now))
    case_ids = writer.insert(Case, CASE_COLUMNS, case_rows, return_ids=True)
    earlier = sorted(set(existing.values()) & {household_id(h) for h in row_household})
    if earlier:
        writer.drain()
    for hid in earlier:
        refresh_case_search_keys(household_id=hid)  # the household's earlier cases

    claim_rows = []
    for p, person, case_id, (_, state) in zip(parsed, row_person, case_ids, steps):
        claimant = person_ids[-person - 1] if person < 0 else person
        claim_rows.append((case_id, p.claim_ref, claimant, p.country, p.province, p.referred_on,
                           state.outcome if state else "", state.outcome_on if state else None,
                           state.stage if state else "", now, now))
    claim_ids = writer.insert(Claim, CLAIM_COLUMNS, claim_rows, return_ids=True)

    recorded_by = actor.pk if getattr(actor, "pk", None) else None
    event_rows = [(claim_id, str(step.type), step.occurred_on, None, None, "", "", "", "", "", False, "",
                   recorded_by, now, now)
                  for claim_id, (claim_steps, _) in zip(claim_ids, steps) for step in claim_steps]
    event_ids = iter(writer.insert(ClaimEvent, EVENT_COLUMNS, event_rows, return_ids=True))

    deadline_rows, audit = [], []
    deadline_count = 0
    planner = services.DeadlinePlanner(rules)  # a claim's deadlines computed once per pattern of steps
    for p, claim_id, case_id, (claim_steps, _), household, person, new_household, new_person in zip(
            parsed, claim_ids, case_ids, steps, row_household, row_person, new_household_rows, new_person_rows):
        saved = [step._replace(pk=next(event_ids)) for step in claim_steps]
        planned = [(claim_id, case_id, key, *values) for key, values in planner.plan(
            [(s.pk, s.type, s.occurred_on, s.received_on, s.scheduled_for, s.ground, s.substituted_outcome,
              s.order_kind) for s in saved], p.province or None)] if saved else []
        deadline_rows += planned
        if len(deadline_rows) >= WRITE_CHUNK:  # copied while the next claims are planned
            writer.insert(Deadline, DEADLINE_COLUMNS, deadline_rows)
            deadline_count += len(deadline_rows)
            deadline_rows = []
        changes = {"claim": claim_id, "claim_reference": p.claim_ref, "case": case_id,
                   "events": [step.pk for step in saved], "deadlines": len(planned)}
        if new_household:
            changes["household"] = household_id(household)
        if new_person:
            changes["person"] = person_ids[-person - 1]
        audit.append(Event(action=Action.IMPORT, object_type="claims.claim", object_id=str(claim_id),
                           case_id=case_id, summary=f"Imported claim {p.claim_ref}"[:300], changes=changes))
    writer.insert(Deadline, DEADLINE_COLUMNS, deadline_rows)
    deadline_count += len(deadline_rows)
    result.claim_ids = claim_ids
    audit.insert(0, Event(
        action=Action.IMPORT, object_type="accounts.organization", object_id=str(organization.pk),
        summary=(f"Imported {len(claim_ids)} claims" + (f" from {source}" if source else ""))[:300],
        changes={"kind": "claims", "source": source, "claims": len(claim_ids), "households": result.households,
                 "persons": result.persons, "events": len(event_rows), "deadlines": deadline_count}))
    # The audit chain is hashed while the last deadlines are copied; its entries go in after them.
    for start in range(0, len(audit), WRITE_CHUNK):  # the chain continues from one call to the next
        record_events(actor=actor, events=audit[start:start + WRITE_CHUNK])
    writer.close()


_Names = namedtuple("_Names", "family_name given_name family_name_hangul given_name_hangul", defaults=("", ""))


def _write_row(p: ParsedClaim, *, actor, organization, households: dict, result: ClaimImportResult, rules) -> None:
    household = households.get(p.claimant_ref)
    if household is None:
        name = f"{p.family_name or p.given_name} family"
        household = people_services.create_household(actor=actor, organization=organization,
                                                      reference=p.claimant_ref, name=name)
        households[p.claimant_ref] = household
        result.households += 1
    claimant = Person.objects.filter(household=household, family_name=p.family_name, given_name=p.given_name,
                                     birth_date=p.birth_date).first()
    if claimant is None:
        data = {"family_name": p.family_name, "given_name": p.given_name, "birth_date": p.birth_date}
        if household.members.exists():
            data["relationship"] = "other_relative"
        claimant = people_services.create_person(actor=actor, household=household, data=data)
        result.persons += 1
    case = case_services.open_case(actor=actor, organization=organization, household=household,
                                   reference=p.claim_ref, kind=Case.Kind.PROTECTION_CLAIM,
                                   opened_on=p.referred_on or timezone.localdate())
    claim = services.create_claim(actor=actor, case=case, reference=p.claim_ref, claimant=claimant,
                                  country_of_persecution=p.country, province=p.province,
                                  referred_on=p.referred_on, rules=rules)
    if p.outcome:
        services.record_event(actor=actor, claim=claim, type=OUTCOME_STEPS[p.outcome], occurred_on=p.outcome_on,
                              rules=rules)
    result.claim_ids.append(claim.pk)


def run_claims_import(*, path: Path, organization, actor, dry_run: bool, progress: bool = False):
    with _gc_paused():
        table = read_table(path)
        return import_claims(actor=actor, organization=organization, rows=table.rows, columns=table.columns,
                             dry_run=dry_run, source=Path(path).name)
