"""The Deadline rows of claims, derived from their recorded steps and the rules in force: brought up to date after
an audited step (recompute_claim_deadlines) or for every claim at once after a rule changes or by the `deadlines`
command (recompute_all_deadlines). Derived rows, like a search index, write no audit row of their own: the step or
the rule change that made them is what the log shows.

The writes are storage machinery from haven.db (binary COPY, UPDATE ... FROM unnest, a bulk load that drops and
restores the table's foreign keys), kept here apart from the services that validate, save and audit."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from haven.claims.deadlines import RuleSet, load_rules
from haven.claims.events import ClaimFacts, claim_facts
from haven.claims.members import member_deadlines
from haven.claims.models import Claim, ClaimEvent, Deadline, JoinedClaimant
from haven.claims.planning import EV_FIELDS, DeadlinePlanner, desired_deadlines
from haven.db import bulk
from haven.db.bulk import BulkTable, LocksBusy, bulk_load
from haven.db.compiled import fetch_rows
from haven.records.dates import today_for

DEADLINE_FIELDS = ("rule_id", "trigger", "trigger_on", "due_on", "completed_on", "event_id", "lapsed")

# The claim columns that decide its deadlines besides its steps: (claim_id, case_id, province, intake_route, and the
# facts of events.ClaimFacts).
CLAIM_COLUMNS = ("pk", "case_id", "province", "intake_route", "designated_foreign_national", "stca_exception")


def latest_today() -> dt.date:
    """The latest date it is anywhere (UTC+14): a recompute of every organization's claims counts a step dated
    today wherever its organization is as having happened, and none dated later."""
    return (timezone.now() + dt.timedelta(hours=14)).date()


def _changes(claims: Iterable[tuple[int, int, str, str]], planned, existing_rows: Iterable[tuple], creates=None
             ) -> tuple[list[tuple], list[tuple], list[int]]:
    """Compare the wanted deadlines (`planned(claim_id, province, route, facts)` → [(key, values)]) of the given
    (claim_id, case_id, province, route, facts) with their existing rows (pk, claim_id, key, *DEADLINE_FIELDS); returns
    rows to insert (INSERT_FIELDS; appended to `creates` when given, e.g. a haven.db.bulk.Copier), rows to update in place
    ((pk, *DEADLINE_FIELDS)) and pks to delete."""
    have = {(row[1], row[2]): row for row in existing_rows}
    creates = [] if creates is None else creates
    updates = []
    pop = have.pop
    for claim_id, case_id, province, route, facts in claims:
        for key, values in planned(claim_id, province or None, route, facts):
            current = pop((claim_id, key), None)
            if current is None:
                creates.append((claim_id, case_id, key, *values))
            elif current[3:] != values:
                updates.append((current[0], *values))
    return creates, updates, [row[0] for row in have.values()]


def _apply(creates: list[tuple], updates: list[tuple], deletes: list[int]) -> dict[str, int]:
    for start in range(0, len(deletes), 5000):
        # Through the ORM: a deadline's ReminderSent rows go with it.
        Deadline.objects.filter(pk__in=deletes[start:start + 5000]).delete()
    _update(updates)
    _insert(creates)
    return {"created": len(creates), "updated": len(updates), "deleted": len(deletes)}


def _write(claims: list[tuple[int, int, str, str, ClaimFacts]], events_by_claim: dict[int, list], rules: RuleSet,
           existing_rows: Iterable[tuple] | None = None, today: dt.date | None = None) -> dict[str, int]:
    """Bring the Deadline rows of the given (claim_id, case_id, province, route, facts) up to date; returns counts.
    `existing_rows` (pk, claim_id, key, *DEADLINE_FIELDS) may be passed when the caller already fetched them."""
    if existing_rows is None:
        existing_rows = Deadline.objects.filter(claim_id__in=[c[0] for c in claims], claimant__isnull=True).values_list(
            "pk", "claim_id", "key", *DEADLINE_FIELDS)

    def planned(claim_id, province, route, facts):
        return desired_deadlines(events_by_claim.get(claim_id, []), rules, province, route, today, facts).items()

    return {"claims": len(claims), **_apply(*_changes(claims, planned, existing_rows))}


INSERT_FIELDS = ("claim_id", "case_id", "key", *DEADLINE_FIELDS)
UPDATE_BATCH = 10_000


# The PostgreSQL types of INSERT_FIELDS (claim, case, key, rule, trigger, trigger_on, due_on, completed_on, event,
# lapsed) for binary COPY, and of (pk, *DEADLINE_FIELDS) for UPDATE ... FROM unnest.
INSERT_TYPES = ("int8", "int8", "varchar", "int8", "varchar", "date", "date", "date", "int8", "bool")
UPDATE_TYPES = ("bigint", "bigint", "text", "date", "date", "date", "bigint", "boolean")


def _insert(rows: list[tuple]) -> None:
    """Insert new Deadline rows (INSERT_FIELDS tuples): binary COPY on PostgreSQL, bulk_create elsewhere."""
    bulk.insert_copied(Deadline, INSERT_FIELDS, rows, binary_types=INSERT_TYPES)


def _copy_in():
    """A binary COPY of new Deadline rows (INSERT_FIELDS tuples), taking them like a list (haven.db.bulk.Copier):
    PostgreSQL inserts them while the next claims are computed."""
    return bulk.copy_in(Deadline, INSERT_FIELDS, binary_types=INSERT_TYPES)


def _update(rows: list[tuple]) -> None:
    """Rewrite Deadline rows in place, given as (pk, *DEADLINE_FIELDS): on PostgreSQL one UPDATE ... FROM
    unnest(arrays) per 10,000 rows (ids are kept, so feeds and reminders follow the row), bulk_update
    elsewhere."""
    bulk.update_from_unnest(Deadline, DEADLINE_FIELDS, rows, types=UPDATE_TYPES, batch=UPDATE_BATCH)


def recompute_claim_deadlines(*, claim: Claim, events: list | None = None,
                              rules: RuleSet | None = None) -> dict[str, int]:
    """The claim's deadlines (from its own steps) and those of each member with a decision of their own.
    `events`: all the claim's steps, the members' included."""
    rules = rules or load_rules()
    events = list(claim.events.all()) if events is None else events
    today = today_for(claim.case.organization)
    counts = _write([(claim.pk, claim.case_id, claim.province, claim.intake_route, claim_facts(claim))],
                    {claim.pk: [e for e in events if e.claimant_id is None]}, rules, today=today)
    members = recompute_member_deadlines(claims=[claim], events=events, rules=rules, today=today)
    return {key: value + members.get(key, 0) if key != "claims" else value for key, value in counts.items()}


def recompute_member_deadlines(*, claims: list[Claim], events: list, rules: RuleSet,
                               today: dt.date | None) -> dict[str, int]:
    """Bring the Deadline rows of the joined members of `claims` up to date (haven.claims.members): those of each
    member with a decision of their own, none for a member who follows the claim's. `events`: the claims' steps,
    the members' included. Through the ORM: members with a decision of their own are few."""
    by_id = {claim.pk: claim for claim in claims}
    claimants = list(JoinedClaimant.objects.filter(claim_id__in=by_id, is_principal=False, own_decision=True))
    have = {(row[1], row[2]): row for row in Deadline.objects.filter(
        claim_id__in=by_id, claimant__isnull=False).values_list("pk", "claimant_id", "key", *DEADLINE_FIELDS)}
    by_claim: dict[int, list] = {}
    for event in events:
        by_claim.setdefault(event.claim_id, []).append(event)
    creates, updates = [], []
    for member in claimants:
        claim = by_id[member.claim_id]
        planned = member_deadlines(member, by_claim.get(claim.pk, []), rules=rules, province=claim.province or None,
                                   route=claim.intake_route, today=today, facts=claim_facts(claim))
        for key, values in planned.items():
            current = have.pop((member.pk, key), None)
            if current is None:
                creates.append((claim.pk, claim.case_id, key, *values, member.pk))
            elif current[3:] != values:
                updates.append((current[0], *values))
    Deadline.objects.filter(pk__in=[row[0] for row in have.values()]).delete()
    _update(updates)
    Deadline.objects.bulk_create([Deadline(**dict(zip((*INSERT_FIELDS, "claimant_id"), row))) for row in creates])
    return {"created": len(creates), "updated": len(updates), "deleted": len(have)}


def recompute_all_member_deadlines(*, rules: RuleSet, today: dt.date,
                                   claim_ids: Iterable[int] | None = None) -> dict[str, int]:
    """recompute_member_deadlines for every claim (or the given ones) with a member's deadline or decision."""
    with_members = JoinedClaimant.objects.filter(is_principal=False, own_decision=True).values("claim_id")
    with_rows = Deadline.objects.filter(claimant__isnull=False).values("claim_id")
    claims = Claim.objects.filter(Q(pk__in=with_members) | Q(pk__in=with_rows)).order_by("pk")
    if claim_ids is not None:
        claims = claims.filter(pk__in=list(claim_ids))
    totals = {"created": 0, "updated": 0, "deleted": 0}
    claims = list(claims)
    for start in range(0, len(claims), 500):
        batch = claims[start:start + 500]
        with transaction.atomic():
            events = list(ClaimEvent.objects.filter(claim_id__in=[c.pk for c in batch]))
            counts = recompute_member_deadlines(claims=batch, events=events, rules=rules, today=today)
        for key, value in counts.items():
            totals[key] += value
    return totals


# Recomputing on PostgreSQL when at least this many claims have no deadline row yet (a first computation,
# a restore) is a bulk load, unless settings.HAVEN_DEADLINE_BULK_RECOMPUTE is False: see _bulk_load.
BULK_MISSING_CLAIMS = 20_000
BULK_LOCK_TIMEOUT = "2s"


def _bulk_load(model, *, rebuild_indexes: bool):
    """haven.db.bulk.bulk_load of one table (the deadlines), waiting at most BULK_LOCK_TIMEOUT for its
    locks: a recompute of most claims drops the table's foreign keys (4 × 470,000 lookups, ≈15 s, become one
    join per key, ≈0.1–0.4 s each for 480,000 rows) and, with `rebuild_indexes`, its secondary indexes."""
    return bulk_load([BulkTable(model, rebuild_indexes=rebuild_indexes)], lock_timeout=BULK_LOCK_TIMEOUT)


def _claims_with_and_without_deadlines() -> tuple[int, int]:
    counts = Claim.objects.aggregate(claims=Count("pk"), missing=Count(
        "pk", filter=~Exists(Deadline.objects.filter(claim_id=OuterRef("pk")))))
    return counts["claims"] - counts["missing"], counts["missing"]


def recompute_all_deadlines(*, rules: RuleSet | None = None, chunk: int = 10000,
                            claim_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Recompute the deadlines of every claim (or of the given ones), in chunks of consecutive ids, one
    transaction per chunk. Events and deadlines are read per id range (no long IN lists); claims with the same
    event pattern are computed once (DeadlinePlanner); changed rows are updated in place, new ones copied in.
    When many claims have no deadline yet (PostgreSQL, every claim), the whole recompute is one transaction
    loaded in bulk (_bulk_load)."""
    rules = rules or load_rules()
    planner = DeadlinePlanner(rules, today=latest_today())
    totals = {"claims": 0, "created": 0, "updated": 0, "deleted": 0}
    wanted = set(claim_ids) if claim_ids is not None else None

    def run() -> None:
        last = 0
        while True:
            claims = [(pk, case_id, province, route, ClaimFacts(dfn, stca))
                      for pk, case_id, province, route, dfn, stca in
                      Claim.objects.filter(pk__gt=last).order_by("pk").values_list(*CLAIM_COLUMNS)[:chunk]]
            if not claims:
                break
            first, last = claims[0][0], claims[-1][0]
            if wanted is not None:
                claims = [c for c in claims if c[0] in wanted]
                if not claims:
                    continue
            with transaction.atomic():
                by_claim: dict[int, list] = {}
                # The claim's own steps: a joined member's count for the member (recompute_all_member_deadlines).
                for row in fetch_rows(ClaimEvent.objects.filter(claim_id__gte=first, claim_id__lte=last,
                                                                claimant__isnull=True)
                                  .order_by("claim_id", "occurred_on", "pk").values_list("claim_id", *EV_FIELDS)):
                    by_claim.setdefault(row[0], []).append(row[1:])
                existing = fetch_rows(Deadline.objects.filter(claim_id__gte=first, claim_id__lte=last,
                                                              claimant__isnull=True).order_by()
                                  .values_list("pk", "claim_id", "key", *DEADLINE_FIELDS))
                if wanted is not None:
                    existing = [row for row in existing if row[1] in wanted]
                no_events: list = []

                def planned(claim_id, province, route, facts):
                    return planner.plan(by_claim.get(claim_id, no_events), province, route, presorted=True,
                                        facts=facts)

                totals["claims"] += len(claims)
                if connection.vendor == "postgresql":
                    # New rows go into COPY as they are computed; updates and deletes follow (a new row's key is
                    # one the claim does not have, so the order cannot clash).
                    with _copy_in() as created:
                        _, updates, deletes = _changes(claims, planned, existing, creates=created)
                    counts = {**_apply([], updates, deletes), "created": len(created)}
                else:
                    counts = _apply(*_changes(claims, planned, existing))
                for key, value in counts.items():
                    totals[key] += value

    if not (wanted is None and _recomputed_in_bulk(run)):
        run()
    members = recompute_all_member_deadlines(rules=rules, today=latest_today(), claim_ids=wanted)
    return {key: value + members.get(key, 0) for key, value in totals.items()}


def _recomputed_in_bulk(run) -> bool:
    """Run a recompute of every claim as one bulk load when that pays (PostgreSQL, HAVEN_DEADLINE_BULK_RECOMPUTE,
    at least BULK_MISSING_CLAIMS claims without deadlines) and the tables can be locked in time. False when it
    did not run: LocksBusy is raised before any work, so nothing was counted or written."""
    if connection.vendor != "postgresql" or not getattr(settings, "HAVEN_DEADLINE_BULK_RECOMPUTE", True):
        return False
    present, missing = _claims_with_and_without_deadlines()
    if missing < BULK_MISSING_CLAIMS:
        return False
    try:
        with transaction.atomic(), _bulk_load(Deadline, rebuild_indexes=missing >= present):
            run()
    except LocksBusy:
        return False
    return True
