"""Writing a checked claims file in bulk (`import_claims(..., method="bulk")`, haven.claims.importing).

Households (existing ones by reference, new ones), claimants (found by name and birth date, or added), cases,
claims, steps and deadlines go in through a haven.db.writer.BulkWriter (COPY in a background thread on
PostgreSQL, executemany on SQLite), each table's rows built while the previous table's are being stored. The
audit gets one event for the file and one per claim, hashed while the last deadlines are copied."""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils import timezone

from haven.audit.models import Action
from haven.audit.services import Event, record_events
from haven.cases.models import Case
from haven.cases.services import case_search_key, refresh_case_search_keys
from haven.claims.deadlines import RuleSet
from haven.claims.import_validation import ParsedClaim, by_reference
from haven.claims.models import Claim, ClaimEvent, Deadline
from haven.claims.planning import DeadlinePlanner
from haven.claims.recompute import INSERT_FIELDS as DEADLINE_COLUMNS
from haven.db.writer import WRITE_CHUNK, BulkWriter
from haven.people.models import DatePrecision, Household, Person, Relationship
from haven.people.derived import person_search_key
from haven.records.dates import today_for

LOOKUP_CHUNK = 10_000  # household ids per IN list (SQLite allows 32,766 parameters per statement)
CLAIM_COLUMNS = ("case_id", "reference", "claimant_id", "country_of_persecution", "province", "referred_on",
                 "outcome", "outcome_on", "stage", "created_at", "updated_at", "intake_route", "entered_canada_on",
                 "us_land_crossing", "claim_made_on")
EVENT_COLUMNS = ("claim_id", "type", "occurred_on", "received_on", "scheduled_for", "appellant", "ground",
                 "substituted_outcome", "order_kind", "destination_country", "destination_confirmed", "note",
                 "recorded_by_id", "created_at", "updated_at")
CASE_COLUMNS = ("organization_id", "household_id", "reference", "title", "kind", "status", "sponsor_group_id",
                "opened_on", "closed_on", "search_key", "created_at", "updated_at")
HOUSEHOLD_COLUMNS = ("organization_id", "reference", "name", "created_at", "updated_at")
PERSON_COLUMNS = ("household_id", "relationship", "family_name", "given_name", "birth_date", "birth_date_precision",
                  "search_key", "created_at", "updated_at")

_Names = namedtuple("_Names", "family_name given_name family_name_hangul given_name_hangul", defaults=("", ""))


@dataclass
class _People:
    """Each row's household (an existing id, or ("new", index in household_rows)) and claimant (an existing id,
    or -(index in person_rows + 1)), the new households' and people's rows, and what was new on each row."""

    existing: dict[str, int]
    existing_ids: list[int]
    household_rows: list[tuple] = field(default_factory=list)
    person_rows: list[list] = field(default_factory=list)
    person_keys: list[str] = field(default_factory=list)
    person_household: list = field(default_factory=list)
    row_household: list = field(default_factory=list)
    row_person: list[int] = field(default_factory=list)
    new_household_rows: list[bool] = field(default_factory=list)
    new_person_rows: list[bool] = field(default_factory=list)
    household_ids: list[int] = field(default_factory=list)

    def household_id(self, household) -> int:
        return self.household_ids[household[1]] if isinstance(household, tuple) else household


def write_all(parsed: list[ParsedClaim], steps: list[tuple[list, object]], *, writer: BulkWriter, actor,
              organization, rules: RuleSet, result, source: str) -> None:
    now = timezone.now()
    people = _plan_people(parsed, organization, now)
    result.households, result.persons = len(people.household_rows), len(people.person_rows)
    people.household_ids = writer.insert(Household, HOUSEHOLD_COLUMNS, people.household_rows, return_ids=True)
    for row in people.person_rows:
        row[0] = people.household_id(row[0])
    person_ids = writer.insert(Person, PERSON_COLUMNS, [tuple(row) for row in people.person_rows], return_ids=True)
    case_ids = _write_cases(parsed, people, writer=writer, organization=organization, now=now)
    claim_rows = []
    for p, person, case_id, (_, state) in zip(parsed, people.row_person, case_ids, steps):
        claimant = person_ids[-person - 1] if person < 0 else person
        claim_rows.append((case_id, p.claim_ref, claimant, p.country, p.province, p.referred_on,
                           state.outcome if state else "", state.outcome_on if state else None,
                           state.stage if state else "", now, now, p.intake_route, p.entered_canada_on,
                           p.us_land_crossing, p.claim_made_on))
    claim_ids = writer.insert(Claim, CLAIM_COLUMNS, claim_rows, return_ids=True)
    recorded_by = actor.pk if getattr(actor, "pk", None) else None
    event_rows = [(claim_id, str(step.type), step.occurred_on, None, None, "", "", "", "", "", False, "",
                   recorded_by, now, now)
                  for claim_id, (claim_steps, _) in zip(claim_ids, steps) for step in claim_steps]
    event_ids = iter(writer.insert(ClaimEvent, EVENT_COLUMNS, event_rows, return_ids=True))
    audit, deadline_count = _write_deadlines(parsed, steps, people, claim_ids, case_ids, person_ids, event_ids,
                                             writer=writer, rules=rules, today=today_for(organization))
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


def _plan_people(parsed: list[ParsedClaim], organization, now) -> _People:
    """Households: existing ones (by reference in the organization) and their members, then the new ones."""
    existing = by_reference(Household, list(dict.fromkeys(p.claimant_ref for p in parsed)),
                            organization_id=organization.pk)
    plan = _People(existing=existing, existing_ids=sorted(existing.values()))
    people, populated = _existing_members(plan.existing_ids)
    new_households: dict[str, int] = {}  # reference -> index in household_rows
    household_rows, person_rows = plan.household_rows, plan.person_rows
    # Bound once: the loop runs once per row of the file.
    new_household, new_person = plan.new_household_rows.append, plan.new_person_rows.append
    row_household, row_person = plan.row_household.append, plan.row_person.append
    for p in parsed:
        if p.claimant_ref in existing:
            household = existing[p.claimant_ref]
            new_household(False)
        elif p.claimant_ref in new_households:
            household = ("new", new_households[p.claimant_ref])
            new_household(False)
        else:
            new_households[p.claimant_ref] = len(household_rows)
            household = ("new", len(household_rows))
            household_rows.append((organization.pk, p.claimant_ref, f"{p.family_name or p.given_name} family".strip(),
                                   now, now))
            new_household(True)
        key = (household, p.family_name, p.given_name, p.birth_date)
        person = people.get(key)
        if person is None:
            relationship = Relationship.OTHER_RELATIVE if household in populated else Relationship.PRINCIPAL
            populated.add(household)
            search_key = person_search_key(_Names(p.family_name, p.given_name))
            person = people[key] = -(len(person_rows) + 1)
            precision = DatePrecision.EXACT if p.birth_date else DatePrecision.UNKNOWN  # as the services infer it
            person_rows.append([household, str(relationship), p.family_name, p.given_name, p.birth_date,
                                str(precision), search_key, now, now])
            plan.person_keys.append(search_key)
            plan.person_household.append(household)
            new_person(True)
        else:
            new_person(False)
        row_household(household)
        row_person(person)
    return plan


def _existing_members(existing_ids: list[int]) -> tuple[dict[tuple, int], set]:
    """{(household id, family, given, birth): person id} of the existing households' members, and the
    households that have members."""
    people: dict[tuple, int] = {}  # (household key, family, given, birth) -> person id or -(index + 1) if new
    populated: set = set()
    for start in range(0, len(existing_ids), LOOKUP_CHUNK):  # a household's members are all in one chunk
        for pk, household_id, family, given, birth in Person.objects.filter(
                household_id__in=existing_ids[start:start + LOOKUP_CHUNK]).values_list(
                    "pk", "household_id", "family_name", "given_name", "birth_date"):
            people.setdefault((household_id, family, given, birth), pk)  # the first in Person's ordering
            populated.add(household_id)
    return people, populated


def _write_cases(parsed: list[ParsedClaim], people: _People, *, writer: BulkWriter, organization, now) -> list[int]:
    """One case per claim, its search key from the household's members' keys in Person's ordering, as
    refresh_case_search_keys computes them; the existing households' earlier cases get theirs refreshed."""
    today = today_for(organization)
    member_keys = _member_keys(people, writer)
    household_names = {people.household_ids[index]: row[2] for index, row in enumerate(people.household_rows)}
    existing_ids = people.existing_ids
    for start in range(0, len(existing_ids), LOOKUP_CHUNK):
        household_names.update(Household.objects.filter(pk__in=existing_ids[start:start + LOOKUP_CHUNK])
                               .values_list("pk", "name"))
    case_rows = []
    for p, household in zip(parsed, people.row_household):
        hid = people.household_id(household)
        stand_in = SimpleNamespace(reference=p.claim_ref, title="",
                                   household=SimpleNamespace(name=household_names[hid]))
        case_rows.append((organization.pk, hid, p.claim_ref, "", str(Case.Kind.PROTECTION_CLAIM),
                          str(Case.Status.OPEN), None, p.referred_on or today, None,
                          case_search_key(stand_in, member_keys.get(hid, ())), now, now))
    case_ids = writer.insert(Case, CASE_COLUMNS, case_rows, return_ids=True)
    earlier = sorted(set(people.existing.values()) & {people.household_id(h) for h in people.row_household})
    if earlier:
        writer.drain()
    for hid in earlier:
        refresh_case_search_keys(household_id=hid)  # the household's earlier cases
    return case_ids


def _member_keys(people: _People, writer: BulkWriter) -> dict[int, list[str]]:
    """{household id: its members' search keys}. A new household with one member has only that key; the others
    are read back from the database."""
    household_id = people.household_id
    member_keys: dict[int, list[str]] = {}
    for household, search_key in zip(people.person_household, people.person_keys):
        member_keys.setdefault(household_id(household), []).append(search_key)
    reread = sorted({household_id(h) for h in people.row_household
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
    return member_keys


def _write_deadlines(parsed: list[ParsedClaim], steps: list[tuple[list, object]], people: _People,
                     claim_ids: list[int], case_ids: list[int], person_ids: list[int], event_ids, *,
                     writer: BulkWriter, rules: RuleSet, today) -> tuple[list[Event], int]:
    """Each claim's deadlines, planned once per pattern of steps and copied in chunks while the next claims are
    planned; returns the claims' audit events and the number of deadlines."""
    deadline_rows, audit = [], []
    deadline_count = 0
    planner = DeadlinePlanner(rules, today=today)  # a claim's deadlines computed once per pattern of steps
    for p, claim_id, case_id, (claim_steps, _), household, person, new_household, new_person in zip(
            parsed, claim_ids, case_ids, steps, people.row_household, people.row_person, people.new_household_rows,
            people.new_person_rows):
        saved = [step._replace(pk=next(event_ids)) for step in claim_steps]
        planned = [(claim_id, case_id, key, *values) for key, values in planner.plan(
            [(s.pk, s.type, s.occurred_on, s.received_on, s.scheduled_for, s.ground, s.substituted_outcome,
              s.order_kind) for s in saved], p.province or None, p.intake_route)] if saved else []
        deadline_rows += planned
        if len(deadline_rows) >= WRITE_CHUNK:  # copied while the next claims are planned
            writer.insert(Deadline, DEADLINE_COLUMNS, deadline_rows)
            deadline_count += len(deadline_rows)
            deadline_rows = []
        changes = {"claim": claim_id, "claim_reference": p.claim_ref, "case": case_id,
                   "events": [step.pk for step in saved], "deadlines": len(planned)}
        if new_household:
            changes["household"] = people.household_id(household)
        if new_person:
            changes["person"] = person_ids[-person - 1]
        audit.append(Event(action=Action.IMPORT, object_type="claims.claim", object_id=str(claim_id),
                           case_id=case_id, summary=f"Imported claim {p.claim_ref}"[:300], changes=changes))
    writer.insert(Deadline, DEADLINE_COLUMNS, deadline_rows)
    return audit, deadline_count + len(deadline_rows)
