"""Checking a people file (`haven import people`, haven.transfer.services.import_people) before anything is
written: every row parsed into a ParsedPerson, rows grouped by household key into ParsedHousehold, every error
collected as `row N, column X: message` and the file rejected with all of them (ImportRejected)."""
from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from tqdm import tqdm

from haven.accounts.models import Organization, Team
from haven.cases.models import Case
from haven.people.codes import country_code, language_code
from haven.people.models import (
    DatePrecision,
    Household,
    Nationality,
    PersonLanguage,
    PersonName,
    Relationship,
    Sex,
    Vulnerability,
)
from haven.people.derived import normalize_birth_date
from haven.records.dates import future_date_message, today_for
from haven.records.text import unsafe_cells
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
# "1975" or "1975-03": a birth date known to the year or to the month.
PARTIAL_BIRTH_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
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




class _Row:
    """One data row being validated: collects errors as `row N, column X: message`."""

    def __init__(self, number: int, values: Mapping[str, str], errors: list[RowError]):
        self.number, self.errors = number, errors
        self.values = {column: (value or "").strip() for column, value in values.items()}
        for column, message in unsafe_cells(self.values):
            self.error(column, message)

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
    _parse_names(row, fields)
    _parse_birth(row, fields, today)
    _parse_contact(row, fields)
    person = ParsedPerson(row=row.number, fields=fields)
    _parse_other_names(row, person)
    _parse_nationalities(row, person)
    _parse_languages(row, person)
    _parse_vulnerabilities(row, person)
    return person


def _parse_names(row: _Row, fields: dict) -> None:
    """Relationship, names (Latin and Hangul) and sex."""
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


def _partial_birth_date(row: _Row) -> tuple[dt.date | None, str | None]:
    """A birth date written as a year ("1975": year known) or a month ("1975-03": month known), with the precision
    it implies; (None, None) for anything else, which `_Row.date` then reads as a full date."""
    partial = PARTIAL_BIRTH_DATE.match(row.get("birth_date"))
    if not partial:
        return None, None
    year, month = int(partial[1]), int(partial[2] or 1)
    if not 1 <= month <= 12:
        row.error("birth_date", gettext("“%(value)s” is not a real date") % {"value": row.get("birth_date")})
        return None, None
    return dt.date(year, month, 1), str(DatePrecision.MONTH if partial[2] else DatePrecision.YEAR)


def _parse_birth(row: _Row, fields: dict, today: dt.date) -> None:
    """Birth date and its precision, place and country; the country of residence."""
    birth_date, implied = _partial_birth_date(row)
    if implied is None:
        birth_date = row.date("birth_date")
    precision_given = row.get("birth_date_precision")
    precision = row.choice("birth_date_precision", DatePrecision, PRECISIONS,
                           implied or (EXACT if birth_date else UNKNOWN_PRECISION))
    if implied and precision in (EXACT, str(DatePrecision.MONTH)) and precision != implied:
        row.error("birth_date", gettext("“%(value)s” does not give the day or month that “%(precision)s” needs") % {
            "value": row.get("birth_date"), "precision": precision})
    if birth_date and birth_date > today:
        row.error("birth_date", future_date_message(birth_date))
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


def _parse_contact(row: _Row, fields: dict) -> None:
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


def _parse_other_names(row: _Row, person: ParsedPerson) -> None:
    for item in _split(row.get("other_names")):
        family, given = _split_name(item)
        if len(family) > 100 or len(given) > 100:
            row.error("other_names", gettext("“%(value)s”: at most 100 characters per part") % {"value": item})
            continue
        person.other_names.append((family, given, script_of(item)))



def _parse_nationalities(row: _Row, person: ParsedPerson) -> None:
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



def _parse_languages(row: _Row, person: ParsedPerson) -> None:
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



def _parse_vulnerabilities(row: _Row, person: ParsedPerson) -> None:
    for item in _split(row.get("vulnerabilities")):
        kind = item.lower()
        if kind not in VULNERABILITY_KINDS:
            row.error("vulnerabilities", gettext("“%(value)s” is not one of: %(choices)s") % {
                "value": item, "choices": _choices(Vulnerability.Kind.choices)})
        elif kind in person.vulnerabilities:
            row.error("vulnerabilities", gettext("“%(value)s” is listed twice") % {"value": item})
        else:
            person.vulnerabilities.append(kind)


def _check_columns(columns: Sequence[str]) -> list[RowError]:
    known = ", ".join(PEOPLE_COLUMNS)
    errors = [RowError(HEADER_ROW, column, gettext("unknown column (the template's columns are: %(columns)s)") % {
        "columns": known}) for column in columns if column not in PEOPLE_COLUMNS]
    errors += [RowError(HEADER_ROW, column, gettext("required column is missing"))
               for column in REQUIRED_COLUMNS if column not in columns]
    return errors



def _progress(iterable, *, total: int, desc: str, enabled: bool):
    return tqdm(iterable, total=total, desc=desc, unit="row", file=sys.stderr,
                disable=not enabled or total < PROGRESS_MIN_ROWS, leave=False)



def validate_people(*, organization: Organization, rows: Iterable[tuple[int, Mapping[str, str]]],
                    columns: Sequence[str], progress: bool = False, total: int = 0) -> list[ParsedHousehold]:
    """Parse and check every row; raise ImportRejected listing every error."""
    errors = _check_columns(columns)
    if errors:
        raise ImportRejected(errors)
    today = today_for(organization)  # "the future" starts tomorrow where the organization is
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
    """Check the household's own columns (the first row that gives each) and its members as a whole."""
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
    _check_case_reference(household, organization, value, existing_cases, case_rows, errors)
    _check_case_kind_and_opening(household, value, today, errors)
    _check_sponsor_group(household, organization, value, groups, errors)
    _check_principal(household, errors)


def _check_case_reference(household: ParsedHousehold, organization, value, existing_cases, case_rows,
                          errors: list[RowError]) -> None:
    first = household.first_row
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


def _check_case_kind_and_opening(household: ParsedHousehold, value, today, errors: list[RowError]) -> None:
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
            errors.append(RowError(row, "case_opened_on", future_date_message(household.opened_on)))
    household.opened_on = household.opened_on or today


def _check_sponsor_group(household: ParsedHousehold, organization, value, groups, errors: list[RowError]) -> None:
    row, group = value("sponsor_group")
    if group:
        household.sponsor_group = groups.get(group.casefold())
        if household.sponsor_group is None:
            known = ", ".join(sorted(team.name for team in groups.values())) or "none"
            errors.append(RowError(row, "sponsor_group", gettext(
                "“%(value)s” is not a sponsor group of %(organization)s (known: %(known)s)") % {
                "value": group, "organization": organization.slug, "known": known}))


def _check_principal(household: ParsedHousehold, errors: list[RowError]) -> None:
    first = household.first_row
    principals = [person for person in household.members if person.fields["relationship"] == PRINCIPAL]
    if len(principals) > 1:
        for person in principals[1:]:
            errors.append(RowError(person.row, "relationship", gettext(
                "household %(key)s already has a principal on row %(row)d") % {
                "key": household.key, "row": principals[0].row}))
    elif not principals and household.key:
        errors.append(RowError(first, "relationship", gettext("household %(key)s has no principal") % {
            "key": household.key}))
