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
haven.db.bulk and haven.db.writer; bulk_create in batches elsewhere) in one transaction.
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

The rows are checked by haven.claims.import_validation and written in bulk by haven.claims.import_writing.
"""
from __future__ import annotations

import gc
from collections import namedtuple
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from haven.accounts.models import STAFF_ROLES, Membership
from haven.audit.models import AuditEntry
from haven.cases import services as case_services
from haven.cases.models import Case
from haven.cases.services import case_search_key, refresh_case_search_keys
from haven.claims import services
from haven.claims.deadlines import RuleSet, load_rules
from haven.claims.lifecycle import StepRefused, replay
from haven.claims.import_validation import ParsedClaim, validate_claims
from haven.claims.import_writing import write_all
from haven.claims.models import Claim, ClaimEvent, Deadline, EventType, Outcome
from haven.records.dates import today_for
from haven.db.bulk import BulkTable, LocksBusy, bulk_load, worth_rebuilding
from haven.db.writer import BulkWriter
from haven.people import services as people_services
from haven.people.models import Household, Person
from haven.transfer.errors import ImportRejected, RowError
from haven.transfer.readers import read_table

OUTCOME_STEPS = {
    Outcome.ACCEPTED: EventType.DECISION_ACCEPTED, Outcome.REJECTED: EventType.DECISION_REJECTED,
    Outcome.NO_CREDIBLE_BASIS: EventType.DECISION_NCB, Outcome.MANIFESTLY_UNFOUNDED: EventType.DECISION_MU,
    Outcome.ABANDONED: EventType.ABANDONMENT, Outcome.WITHDRAWN: EventType.WITHDRAWAL,
    Outcome.OTHER: EventType.OTHER_DISPOSITION,
}


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
    """Run `write` (the whole import) as one bulk load (haven.db.bulk.bulk_load) when that pays: for at
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


def _write_bulk(parsed: list[ParsedClaim], steps: list[tuple[list[Step], object]], *, actor, organization,
                rules: RuleSet, result: ClaimImportResult, source: str) -> None:
    writer = BulkWriter()
    try:
        write_all(parsed, steps, writer=writer, actor=actor, organization=organization, rules=rules,
                   result=result, source=source)
    except BaseException:
        writer.abandon()
        raise


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
                                   opened_on=p.referred_on or today_for(organization))
    claim = services.create_claim(actor=actor, case=case, reference=p.claim_ref, claimant=claimant,
                                  country_of_persecution=p.country, province=p.province,
                                  referred_on=p.referred_on, intake_route=p.intake_route,
                                  entered_canada_on=p.entered_canada_on, us_land_crossing=p.us_land_crossing,
                                  claim_made_on=p.claim_made_on, rules=rules)
    if p.outcome:
        services.record_event(actor=actor, claim=claim, type=OUTCOME_STEPS[p.outcome], occurred_on=p.outcome_on,
                              rules=rules)
    result.claim_ids.append(claim.pk)


def run_claims_import(*, path: Path, organization, actor, dry_run: bool, progress: bool = False):
    with _gc_paused():
        table = read_table(path)
        return import_claims(actor=actor, organization=organization, rows=table.rows, columns=table.columns,
                             dry_run=dry_run, source=Path(path).name)
