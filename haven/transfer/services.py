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
"""
from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from tqdm import tqdm

from haven.accounts.models import STAFF_ROLES, Membership, Organization, Team
from haven.audit.models import Action
from haven.audit.services import Event, record_events
from haven.cases.models import Case
from haven.cases.services import case_search_key
from haven.people.codes import country_code, language_code
from haven.people.models import (
    DatePrecision,
    Household,
    Nationality,
    Person,
    PersonLanguage,
    PersonName,
    Relationship,
    Sex,
    Vulnerability,
)
from haven.people.services import PERSON_FIELDS, normalize_birth_date, person_search_key
from haven.db.bulk import insert_rows
from haven.transfer.errors import HEADER_ROW, ImportRejected, RowError
PROGRESS_MIN_ROWS = 1000
HOUSEHOLD_LABEL = "people.household"

PEOPLE_COLUMNS = (
    "household_key", "household_name", "case_reference", "case_kind", "case_opened_on", "sponsor_group",
    "relationship", "family_name", "given_name", "family_name_hangul", "given_name_hangul", "other_names",
    "sex", "birth_date", "birth_date_precision", "birth_place", "birth_country", "residence_country",
    "nationalities", "languages", "phone", "email", "address", "vulnerabilities",
)
REQUIRED_COLUMNS = ("household_key", "household_name", "case_reference", "relationship", "family_name",
                    "given_name")
# Columns that describe the household and its case: repeated on each member's row or left blank after the first.
HOUSEHOLD_COLUMNS = ("household_name", "case_reference", "case_kind", "case_opened_on", "sponsor_group")
NAME_SOURCE = "import"

SEX_WORDS = {word: str(sex) for word, sex in {
    "f": Sex.FEMALE, "female": Sex.FEMALE, "woman": Sex.FEMALE,
    "m": Sex.MALE, "male": Sex.MALE, "man": Sex.MALE,
    "x": Sex.OTHER, "other": Sex.OTHER, "another gender": Sex.OTHER,
    "u": Sex.UNKNOWN, "unknown": Sex.UNKNOWN,
}.items()}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,40}$")
EARLIEST_BIRTH = dt.date(1900, 1, 1)


RELATIONSHIPS = frozenset(Relationship.values)
PRECISIONS = frozenset(DatePrecision.values)
NATIONALITY_STATUSES = frozenset(Nationality.Status.values)
LANGUAGE_LEVELS = frozenset(PersonLanguage.Level.values)
VULNERABILITY_KINDS = frozenset(Vulnerability.Kind.values)
CASE_KINDS = frozenset(Case.Kind.values)


def _choices(choices) -> str:
    return ", ".join(value for value, _label in choices)


HANGUL = re.compile("[\uac00-\ud7a3]")
HANGUL_ONLY = re.compile("[\uac00-\ud7a3 ]+")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
# Plain strings: comparing with enum members costs an attribute lookup on every row.
PRINCIPAL, EXACT, UNKNOWN_PRECISION = str(Relationship.PRINCIPAL), str(DatePrecision.EXACT), str(DatePrecision.UNKNOWN)
SCRIPT_HANGUL, SCRIPT_HAN, SCRIPT_LATIN, SCRIPT_OTHER = (str(PersonName.Script.HANGUL), str(PersonName.Script.HAN),
                                                         str(PersonName.Script.LATIN), str(PersonName.Script.OTHER))
UNKNOWN_SEX = str(Sex.UNKNOWN)
DEFAULT_STATUS, DEFAULT_LEVEL = str(Nationality.Status.CITIZEN), str(PersonLanguage.Level.NATIVE)


def script_of(text: str) -> str:
    if HANGUL.search(text):
        return SCRIPT_HANGUL
    if HAN.search(text):
        return SCRIPT_HAN
    if LATIN.search(text):
        return SCRIPT_LATIN
    return SCRIPT_OTHER


@dataclass
class ParsedPerson:
    row: int
    fields: dict
    other_names: list[tuple[str, str, str]] = field(default_factory=list)
    nationalities: list[tuple[str, str]] = field(default_factory=list)
    languages: list[tuple[str, str, bool]] = field(default_factory=list)
    vulnerabilities: list[str] = field(default_factory=list)


@dataclass
class ParsedHousehold:
    key: str
    first_row: int
    values: dict[str, tuple[int, str]] = field(default_factory=dict)
    members: list[ParsedPerson] = field(default_factory=list)
    name: str = ""
    case_reference: str = ""
    case_kind: str = Case.Kind.SPONSORSHIP
    opened_on: dt.date | None = None
    sponsor_group: Team | None = None


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


class _Row:
    """One data row being validated: collects errors as `row N, column X: message`."""

    def __init__(self, number: int, values: Mapping[str, str], errors: list[RowError]):
        self.number, self.errors = number, errors
        self.values = {column: (value or "").strip() for column, value in values.items()}

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, max_length: int) -> str:
        value = self.get(column)
        if len(value) > max_length:
            self.error(column, gettext("at most %(max)d characters (this has %(length)d)") % {
                "max": max_length, "length": len(value)})
        return value

    def choice(self, column: str, choices_class, allowed: frozenset[str], default: str = "") -> str:
        value = self.get(column).lower()
        if not value:
            return default
        if value not in allowed:
            self.error(column, gettext("“%(value)s” is not one of: %(choices)s") % {
                "value": self.get(column), "choices": _choices(choices_class.choices)})
            return default
        return value

    def date(self, column: str) -> dt.date | None:
        value = self.get(column)
        if not value:
            return None
        if not ISO_DATE.match(value):
            self.error(column, gettext("“%(value)s” is not a date written YYYY-MM-DD") % {"value": value})
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, gettext("“%(value)s” is not a real date") % {"value": value})
            return None

    def country(self, column: str) -> str:
        value = self.get(column)
        if not value:
            return ""
        try:
            return country_code(value)
        except ValidationError as exc:
            self.error(column, " ".join(exc.messages))
            return ""


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _split_name(text: str) -> tuple[str, str]:
    """“Family Given…”, or “Family, Given” when the family name has several words; Hangul “리명철” → 리 + 명철."""
    if "," in text:
        family, given = text.split(",", 1)
        return family.strip(), given.strip()
    parts = text.split(None, 1)
    if len(parts) == 1:
        word = parts[0]
        if len(word) > 1 and HANGUL_ONLY.fullmatch(word):
            return word[0], word[1:]
        return word, ""
    return parts[0], parts[1].strip()


def _parse_person(row: _Row, today: dt.date) -> ParsedPerson:
    fields: dict = {}
    relationship = row.get("relationship")
    if not relationship:
        row.error("relationship", gettext("required: one of %(choices)s") % {"choices": _choices(Relationship.choices)})
    fields["relationship"] = row.choice("relationship", Relationship, RELATIONSHIPS, "other_relative")
    fields["family_name"] = row.text("family_name", 100)
    fields["given_name"] = row.text("given_name", 100)
    for column in ("family_name_hangul", "given_name_hangul"):
        value = row.text(column, 50)
        if value and not HANGUL_ONLY.fullmatch(value):
            row.error(column, gettext("“%(value)s” must be written in Hangul syllables only") % {"value": value})
        fields[column] = value
    if not any(fields[name] for name in ("family_name", "given_name", "family_name_hangul", "given_name_hangul")):
        row.error("family_name", "a name is required: family_name, given_name or their Hangul forms")

    sex = row.get("sex").lower()
    fields["sex"] = SEX_WORDS.get(sex, UNKNOWN_SEX)
    if sex and sex not in SEX_WORDS:
        row.error("sex", gettext("“%(value)s” is not one of: F, M, X, U") % {"value": row.get("sex")})

    birth_date = row.date("birth_date")
    precision_given = row.get("birth_date_precision")
    precision = row.choice("birth_date_precision", DatePrecision, PRECISIONS,
                           EXACT if birth_date else UNKNOWN_PRECISION)
    if birth_date and birth_date > today:
        row.error("birth_date", gettext("%(date)s is in the future") % {"date": birth_date.isoformat()})
    elif birth_date and birth_date < EARLIEST_BIRTH:
        row.error("birth_date", gettext("%(date)s is before 1900") % {"date": birth_date.isoformat()})
    if precision_given and precision == UNKNOWN_PRECISION and birth_date:
        row.error("birth_date_precision", "“unknown” needs an empty birth_date")
    if precision_given and precision != UNKNOWN_PRECISION and not birth_date and not row.get("birth_date"):
        row.error("birth_date", gettext("required when birth_date_precision is “%(precision)s”") % {
            "precision": precision})
    fields["birth_date"] = normalize_birth_date(birth_date, precision)
    fields["birth_date_precision"] = precision
    fields["birth_place"] = row.text("birth_place", 200)
    fields["birth_country"] = row.country("birth_country")
    fields["residence_country"] = row.country("residence_country")

    phone = row.text("phone", 40)
    if phone and not PHONE.match(phone):
        row.error("phone", gettext("“%(value)s” is not a phone number (digits, spaces, + ( ) - . /)") % {
            "value": phone})
    fields["phone"] = phone
    email = row.text("email", 254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.error("email", gettext("“%(value)s” is not an e-mail address") % {"value": email})
    fields["email"] = email
    fields["address"] = row.text("address", 1000)

    person = ParsedPerson(row=row.number, fields=fields)
    for item in _split(row.get("other_names")):
        family, given = _split_name(item)
        if len(family) > 100 or len(given) > 100:
            row.error("other_names", gettext("“%(value)s”: at most 100 characters per part") % {"value": item})
            continue
        person.other_names.append((family, given, script_of(item)))

    for item in _split(row.get("nationalities")):
        code, _, status = (part.strip() for part in item.partition(":"))
        status = (status or DEFAULT_STATUS).lower()
        try:
            country = country_code(code)
        except ValidationError as exc:
            row.error("nationalities", f"“{item}”: {' '.join(exc.messages)}")
            continue
        if status not in NATIONALITY_STATUSES:
            row.error("nationalities", gettext("“%(value)s”: the status must be one of %(choices)s") % {
                "value": item, "choices": _choices(Nationality.Status.choices)})
        elif country in {c for c, _ in person.nationalities}:
            row.error("nationalities", gettext("“%(value)s”: %(code)s is listed twice") % {
                "value": item, "code": country})
        else:
            person.nationalities.append((country, status))

    for item in _split(row.get("languages")):
        parts = [part.strip() for part in item.split(":")]
        level = (parts[1] if len(parts) > 1 and parts[1] else DEFAULT_LEVEL).lower()
        interpreter = len(parts) > 2 and parts[2].lower() == "interpreter"
        try:
            language = language_code(parts[0])
        except ValidationError as exc:
            row.error("languages", f"“{item}”: {' '.join(exc.messages)}")
            continue
        if level not in LANGUAGE_LEVELS:
            row.error("languages", gettext("“%(value)s”: the level must be one of %(choices)s") % {
                "value": item, "choices": _choices(PersonLanguage.Level.choices)})
        elif len(parts) > 3 or (len(parts) == 3 and not interpreter):
            row.error("languages", gettext("“%(value)s”: write code:level or code:level:interpreter") % {"value": item})
        elif language in {code for code, _, _ in person.languages}:
            row.error("languages", gettext("“%(value)s”: %(code)s is listed twice") % {"value": item, "code": language})
        else:
            person.languages.append((language, level, interpreter))

    for item in _split(row.get("vulnerabilities")):
        kind = item.lower()
        if kind not in VULNERABILITY_KINDS:
            row.error("vulnerabilities", gettext("“%(value)s” is not one of: %(choices)s") % {
                "value": item, "choices": _choices(Vulnerability.Kind.choices)})
        elif kind in person.vulnerabilities:
            row.error("vulnerabilities", gettext("“%(value)s” is listed twice") % {"value": item})
        else:
            person.vulnerabilities.append(kind)
    return person


def _check_columns(columns: Sequence[str]) -> list[RowError]:
    known = ", ".join(PEOPLE_COLUMNS)
    errors = [RowError(HEADER_ROW, column, gettext("unknown column (the template's columns are: %(columns)s)") % {
        "columns": known}) for column in columns if column not in PEOPLE_COLUMNS]
    errors += [RowError(HEADER_ROW, column, gettext("required column is missing"))
               for column in REQUIRED_COLUMNS if column not in columns]
    return errors


def _check_actor(actor, organization: Organization) -> None:
    if actor is None:
        return
    allowed = actor.is_active and Membership.objects.filter(
        user=actor, organization=organization, role__in=STAFF_ROLES).exists()
    if not allowed:
        raise PermissionDenied(f"{actor.get_username()} is not a staff member of {organization.slug} "
                               "and cannot import into it")


def _progress(iterable, *, total: int, desc: str, enabled: bool):
    return tqdm(iterable, total=total, desc=desc, unit="row", file=sys.stderr,
                disable=not enabled or total < PROGRESS_MIN_ROWS, leave=False)


def validate_people(*, organization: Organization, rows: Iterable[tuple[int, Mapping[str, str]]],
                    columns: Sequence[str], progress: bool = False, total: int = 0) -> list[ParsedHousehold]:
    """Parse and check every row; raise ImportRejected listing every error."""
    errors = _check_columns(columns)
    if errors:
        raise ImportRejected(errors)
    today = timezone.localdate()
    households: dict[str, ParsedHousehold] = {}
    for number, values in _progress(rows, total=total, desc="validating", enabled=progress):
        row = _Row(number, values, errors)
        key = row.text("household_key", 40)
        if not key:
            row.error("household_key", "required: rows with the same key form one household")
        household = households.get(key)
        if household is None:
            household = households[key] = ParsedHousehold(key=key, first_row=number)
        for column in HOUSEHOLD_COLUMNS:
            value = row.get(column)
            if not value:
                continue
            seen = household.values.get(column)
            if seen is None:
                household.values[column] = (number, value)
            elif seen[1] != value:
                row.error(column, gettext(
                    "“%(value)s” differs from “%(other)s” on row %(row)d of household %(key)s") % {
                    "value": value, "other": seen[1], "row": seen[0], "key": key})
        household.members.append(_parse_person(row, today))
    if not households:
        errors.append(RowError(HEADER_ROW + 1, "", gettext("the file has no data rows")))

    groups = {team.name.casefold(): team for team in Team.objects.filter(organization=organization,
                                                                         kind=Team.Kind.SPONSOR_GROUP)}
    existing_households = set(Household.objects.filter(organization=organization).values_list("reference", flat=True))
    existing_cases = set(Case.objects.filter(organization=organization).values_list("reference", flat=True))
    case_rows: dict[str, tuple[int, str]] = {}
    for household in households.values():
        _finish_household(household, organization, groups, existing_households, existing_cases, case_rows, today,
                          errors)
    if errors:
        raise ImportRejected(errors)
    return list(households.values())


def _finish_household(household: ParsedHousehold, organization, groups, existing_households, existing_cases,
                      case_rows, today, errors: list[RowError]) -> None:
    first = household.first_row

    def value(column: str) -> tuple[int, str]:
        return household.values.get(column, (first, ""))

    if household.key and household.key in existing_households:
        errors.append(RowError(first, "household_key", gettext(
            "household %(key)s already exists in %(organization)s") % {
            "key": household.key, "organization": organization.slug}))
    row, name = value("household_name")
    if not name:
        errors.append(RowError(first, "household_name", gettext("required on at least one row of the household")))
    elif len(name) > 200:
        errors.append(RowError(row, "household_name", gettext("at most %(max)d characters") % {"max": 200}))
    household.name = name

    row, reference = value("case_reference")
    if not reference:
        errors.append(RowError(first, "case_reference", gettext("required on at least one row of the household")))
    elif len(reference) > 40:
        errors.append(RowError(row, "case_reference", gettext("at most %(max)d characters") % {"max": 40}))
    elif reference in existing_cases:
        errors.append(RowError(row, "case_reference", gettext(
            "case %(reference)s already exists in %(organization)s") % {
            "reference": reference, "organization": organization.slug}))
    elif reference in case_rows:
        other_row, other_key = case_rows[reference]
        errors.append(RowError(row, "case_reference", gettext(
            "%(reference)s is also the case of household %(key)s (row %(row)d)") % {
            "reference": reference, "key": other_key, "row": other_row}))
    else:
        case_rows[reference] = (row, household.key)
    household.case_reference = reference

    row, kind = value("case_kind")
    if kind and kind.lower() not in CASE_KINDS:
        errors.append(RowError(row, "case_kind", gettext("“%(value)s” is not one of: %(choices)s") % {
            "value": kind, "choices": _choices(Case.Kind.choices)}))
    household.case_kind = kind.lower() if kind else str(Case.Kind.SPONSORSHIP)

    row, opened = value("case_opened_on")
    if opened:
        checker = _Row(row, {"case_opened_on": opened}, errors)
        household.opened_on = checker.date("case_opened_on")
        if household.opened_on and household.opened_on > today:
            errors.append(RowError(row, "case_opened_on", gettext("%(date)s is in the future") % {"date": opened}))
    household.opened_on = household.opened_on or today

    row, group = value("sponsor_group")
    if group:
        household.sponsor_group = groups.get(group.casefold())
        if household.sponsor_group is None:
            known = ", ".join(sorted(team.name for team in groups.values())) or "none"
            errors.append(RowError(row, "sponsor_group", gettext(
                "“%(value)s” is not a sponsor group of %(organization)s (known: %(known)s)") % {
                "value": group, "organization": organization.slug, "known": known}))

    principals = [person for person in household.members if person.fields["relationship"] == PRINCIPAL]
    if len(principals) > 1:
        for person in principals[1:]:
            errors.append(RowError(person.row, "relationship", gettext(
                "household %(key)s already has a principal on row %(row)d") % {
                "key": household.key, "row": principals[0].row}))
    elif not principals and household.key:
        errors.append(RowError(first, "relationship", gettext("household %(key)s has no principal") % {
            "key": household.key}))


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
    case_ids = insert_rows(Case, ("organization_id", "household_id", "reference", "title", "kind", "status",
                                  "sponsor_group_id", "opened_on", "closed_on", "search_key", "created_at",
                                  "updated_at"), case_rows, return_ids=True)
    bar.update()
    lap("households_and_cases")
    person_ids = insert_rows(Person, PERSON_COLUMNS, person_rows, return_ids=True)
    bar.update()
    lap("persons")

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
    bar.update()
    lap("names_nationalities_languages_vulnerabilities")

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
    bar.update()
    record_events(actor=actor, events=events)
    bar.update()
    bar.close()
    lap("audit")
    result.audit_events = len(events)
    result.household_ids = household_ids
    result.case_ids = case_ids
