"""Bulk import of people, households and their cases.

`import_people` validates every row first and writes nothing unless all rows
pass. The writes then happen in one transaction with bulk inserts (COPY on
PostgreSQL, see haven.db.bulk).

Audit (a documented compromise for speed): one `import` event for the whole
file (organization, file name, counts) and one `import` event per household,
logged against its case, listing the household, the case and the ids of the
people created; all in one `record_events` call, so the chain lock is taken
once. The people's names, nationalities, languages and vulnerabilities get no
event each: the rows themselves are the record of what the file held, and an
event per object would multiply the audit rows (and the import time) by
about eight on a 100,000-person file.

The rows are checked by haven.transfer.people_rows.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from tqdm import tqdm

from haven.accounts.models import STAFF_ROLES, Membership, Organization
from haven.audit.models import Action
from haven.audit.services import Event, record_events
from haven.cases.models import Case
from haven.cases.services import case_search_key
from haven.db.bulk import insert_rows
from haven.people.models import Household, Nationality, Person, PersonLanguage, PersonName, Vulnerability
from haven.people.services import PERSON_FIELDS
from haven.people.derived import person_search_key
from haven.transfer.errors import HEADER_ROW, ImportRejected, RowError
from haven.transfer.people_rows import (  # noqa: F401  (the template's columns, re-exported for views and tests)
    HOUSEHOLD_LABEL,
    NAME_SOURCE,
    PEOPLE_COLUMNS,
    PROGRESS_MIN_ROWS,
    REQUIRED_COLUMNS,
    ParsedHousehold,
    validate_people,
)

@dataclass
class ImportResult:
    dry_run: bool
    households: int = 0
    cases: int = 0
    persons: int = 0
    names: int = 0
    nationalities: int = 0
    languages: int = 0
    vulnerabilities: int = 0
    audit_events: int = 0
    household_ids: list[int] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        text = (f"{verb} {self.persons} people in {self.households} households with {self.cases} cases "
                f"({self.names} other names, {self.nationalities} nationalities, {self.languages} languages, "
                f"{self.vulnerabilities} vulnerabilities)")
        if self.dry_run:
            return f"Dry run: the file is valid; {text}. Nothing was written."
        return f"OK: {text}; {self.audit_events} audit events."




def _check_actor(actor, organization: Organization) -> None:
    if actor is None:
        return
    allowed = actor.is_active and Membership.objects.filter(
        user=actor, organization=organization, role__in=STAFF_ROLES).exists()
    if not allowed:
        raise PermissionDenied(f"{actor.get_username()} is not a staff member of {organization.slug} "
                               "and cannot import into it")



def import_people(*, actor, organization: Organization, rows: Iterable, columns: Sequence[str] | None = None,
                  dry_run: bool = False, progress: bool = False, source: str = "") -> ImportResult:
    """Import people from rows of template columns (see docs/import-people.md).

    `rows` holds (row number, {column: text}) pairs as a reader returns them, or plain dicts (numbered from
    row 2, the header being row 1). `columns` defaults to the keys of the first row. Raises ImportRejected
    (nothing written) when any row is invalid and PermissionDenied when the actor is not staff of the
    organization.
    """
    _check_actor(actor, organization)
    started, started_cpu = time.perf_counter(), time.process_time()
    rows = list(rows)
    numbered = [row if isinstance(row, tuple) else (index, row) for index, row in enumerate(rows, start=2)]
    if columns is None:
        columns = list(numbered[0][1].keys()) if numbered else list(REQUIRED_COLUMNS)
    households = validate_people(organization=organization, rows=numbered, columns=columns,
                                 progress=progress, total=len(numbered))
    result = ImportResult(dry_run=dry_run, households=len(households), cases=len(households),
                          persons=sum(len(h.members) for h in households))
    for household in households:
        for person in household.members:
            result.names += len(person.other_names)
            result.nationalities += len(person.nationalities)
            result.languages += len(person.languages)
            result.vulnerabilities += len(person.vulnerabilities)
    result.timings["validate"] = round(time.perf_counter() - started, 3)
    result.timings["validate_cpu"] = round(time.process_time() - started_cpu, 3)
    if dry_run:
        return result
    try:
        with transaction.atomic():
            _write(actor=actor, organization=organization, households=households, result=result,
                   progress=progress, source=source)
    except IntegrityError as exc:
        # Another import or user took a reference between validation and writing.
        raise ImportRejected([RowError(HEADER_ROW, "", f"the database refused the import, nothing was "
                                                      f"written: {exc}")]) from None
    return result


PERSON_COLUMNS = ("household_id", *(name for name in PERSON_FIELDS), "search_key", "created_at", "updated_at")


def _write(*, actor, organization, households: list[ParsedHousehold], result: ImportResult, progress: bool,
           source: str) -> None:
    clock, cpu = time.perf_counter(), time.process_time()

    def lap(name: str) -> None:
        nonlocal clock, cpu
        now, now_cpu = time.perf_counter(), time.process_time()
        result.timings[name] = round(now - clock, 3)
        result.timings[f"{name}_cpu"] = round(now_cpu - cpu, 3)
        clock, cpu = now, now_cpu

    bar = tqdm(total=6, desc="writing", unit="step", file=sys.stderr, leave=False,
               disable=not progress or result.persons < PROGRESS_MIN_ROWS)
    now = timezone.now()
    household_ids = insert_rows(Household, ("organization_id", "reference", "name", "created_at", "updated_at"),
                                [(organization.pk, h.key, h.name, now, now) for h in households], return_ids=True)
    bar.update()
    case_rows, person_rows, members = _case_and_person_rows(households, household_ids, organization, now)
    case_ids = insert_rows(Case, CASE_COLUMNS, case_rows, return_ids=True)
    bar.update()
    lap("households_and_cases")
    person_ids = insert_rows(Person, PERSON_COLUMNS, person_rows, return_ids=True)
    bar.update()
    lap("persons")
    _write_person_details(person_ids, members, now)
    bar.update()
    lap("names_nationalities_languages_vulnerabilities")
    events = _audit_events(households, household_ids, case_ids, person_ids, organization=organization,
                           result=result, source=source)
    bar.update()
    record_events(actor=actor, events=events)
    bar.update()
    bar.close()
    lap("audit")
    result.audit_events = len(events)
    result.household_ids = household_ids
    result.case_ids = case_ids


CASE_COLUMNS = ("organization_id", "household_id", "reference", "title", "kind", "status", "sponsor_group_id",
                "opened_on", "closed_on", "search_key", "created_at", "updated_at")


def _case_and_person_rows(households: list[ParsedHousehold], household_ids: list[int], organization, now
                          ) -> tuple[list[tuple], list[tuple], list]:
    """Rows of CASE_COLUMNS and PERSON_COLUMNS, with the search keys the services would compute, and the parsed
    members in the order of the person rows."""
    case_rows, person_rows, members = [], [], []
    for parsed, household_id in zip(households, household_ids):
        member_keys = []
        for member in parsed.members:
            # The key functions only read attributes, so a namespace stands in for an unsaved model instance.
            search_key = person_search_key(SimpleNamespace(**member.fields),
                                           [(f, g) for f, g, _ in member.other_names])
            member_keys.append(search_key)
            person_rows.append((household_id, *(member.fields[name] for name in PERSON_FIELDS), search_key,
                                now, now))
            members.append(member)
        case = SimpleNamespace(reference=parsed.case_reference, title="", household=SimpleNamespace(name=parsed.name))
        case_rows.append((organization.pk, household_id, parsed.case_reference, "", parsed.case_kind,
                          str(Case.Status.OPEN), parsed.sponsor_group.pk if parsed.sponsor_group else None,
                          parsed.opened_on, None, case_search_key(case, member_keys), now, now))
    return case_rows, person_rows, members


def _write_person_details(person_ids: list[int], members: list, now) -> None:
    """Other names, nationalities, languages and vulnerabilities of the new people."""
    names, nationalities, languages, vulnerabilities = [], [], [], []
    for person_id, member in zip(person_ids, members):
        names += [(person_id, f, g, s, NAME_SOURCE) for f, g, s in member.other_names]
        nationalities += [(person_id, c, s, "") for c, s in member.nationalities]
        languages += [(person_id, lang, level, i) for lang, level, i in member.languages]
        vulnerabilities += [(person_id, kind, "", now) for kind in member.vulnerabilities]
    insert_rows(PersonName, ("person_id", "family_name", "given_name", "script", "source"), names)
    insert_rows(Nationality, ("person_id", "country", "status", "note"), nationalities)
    insert_rows(PersonLanguage, ("person_id", "language", "level", "needs_interpreter"), languages)
    insert_rows(Vulnerability, ("person_id", "kind", "details", "recorded_at"), vulnerabilities)


def _audit_events(households: list[ParsedHousehold], household_ids: list[int], case_ids: list[int],
                  person_ids: list[int], *, organization, result: ImportResult, source: str) -> list[Event]:
    """One event for the file, then one per household listing its case and the ids of its people."""
    events = [Event(
        action=Action.IMPORT, object_type="accounts.organization", object_id=str(organization.pk),
        summary=(f"Imported {result.persons} people in {result.households} households"
                 + (f" from {source}" if source else "")),
        changes={"kind": "people", "source": source, "households": result.households, "cases": result.cases,
                 "persons": result.persons, "names": result.names, "nationalities": result.nationalities,
                 "languages": result.languages, "vulnerabilities": result.vulnerabilities},
    )]
    position = 0
    for parsed, household_id, case_id in zip(households, household_ids, case_ids):
        count = len(parsed.members)
        events.append(Event(
            action=Action.IMPORT, object_type=HOUSEHOLD_LABEL, object_id=str(household_id), case_id=case_id,
            summary=f"Imported household {parsed.key} with case {parsed.case_reference}"[:300],
            changes={"case": case_id, "case_reference": parsed.case_reference,
                     "persons": person_ids[position:position + count]},
        ))
        position += count
    return events
