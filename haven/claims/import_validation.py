"""Checking the rows of a claims file (`haven import claims`, haven.claims.importing) before anything is written.

One pass, no object per row: cells are read straight from the row's dict, dates parsed once per distinct text
(_Dates) and countries looked up once per distinct spelling (_country); every error is collected as
`row N, column X: message` and the file is rejected with all of them (ImportRejected)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import Model

from haven.cases.models import Case
from haven.claims.models import Claim, IntakeRoute, Outcome, Province, USLandCrossing
from haven.db.bulk import pks_by_column
from haven.people.codes import country_code
from haven.records.dates import future_date_message, today_for
from haven.records.text import unsafe_cells
from haven.transfer.errors import HEADER_ROW, ImportRejected, RowError

COLUMNS = ("claim_ref", "claimant_ref", "family_name", "given_name", "birth_date", "country_of_persecution",
           "referred_on", "province", "outcome", "outcome_on",
           # Optional (issue 12): how and when the claim was made; an empty route is a port-of-entry claim.
           "intake_route", "entered_canada_on", "us_land_crossing", "claim_made_on")
REQUIRED = ("claim_ref", "claimant_ref", "country_of_persecution", "province")
PROVINCES = frozenset(Province.values)  # Choices.values builds a new list on every call
OUTCOMES = frozenset(Outcome.values)
ROUTES = frozenset(IntakeRoute.values)
CROSSINGS = frozenset(USLandCrossing.values)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    intake_route: str = IntakeRoute.PORT_OF_ENTRY
    entered_canada_on: dt.date | None = None
    us_land_crossing: str = ""
    claim_made_on: dt.date | None = None


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
                    hit = (day, future_date_message(day) if day > self.today else None)
            self.cache[value] = hit
        return hit


@lru_cache(maxsize=4096)
def _country(text: str) -> tuple[str, str | None]:
    """(ISO alpha-2 code, error message or None) for a country cell (haven.people.codes.country_code)."""
    try:
        return country_code(text), None
    except ValidationError as exc:
        return "", " ".join(exc.messages)


def by_reference(model: type[Model], references: Sequence[str], *, organization_id: int | None = None
                 ) -> dict[str, int]:
    """{reference: pk} of the rows of `model` (in the organization, if given) with one of these references."""
    where = {} if organization_id is None else {"organization_id": organization_id}
    return pks_by_column(model, "reference", references, where=where)


def validate_claims(*, organization, rows: Iterable[tuple[int, Mapping[str, str]]],
                    columns: Sequence[str]) -> list[ParsedClaim]:
    """Parse and check every row; raise ImportRejected listing every error.

    The messages are those of a row-by-row check."""
    errors = [RowError(HEADER_ROW, c, f"unknown column (the template's columns are: {', '.join(COLUMNS)})")
              for c in columns if c not in COLUMNS]
    errors += [RowError(HEADER_ROW, c, "required column is missing") for c in REQUIRED if c not in columns]
    if errors:
        raise ImportRejected(errors)
    # "The future" starts tomorrow where the organization is.
    checker = _RowChecker(errors, today=today_for(organization))
    parse = checker.row
    parsed = [parse(number, values) for number, values in rows]
    errors += _taken_references(parsed, list(checker.seen), organization)
    if errors:
        raise ImportRejected(errors)
    return parsed


def _taken_references(parsed: list[ParsedClaim], refs: list[str], organization) -> list[RowError]:
    """Claim references already taken by a claim, or by a case of the organization."""
    taken_claims = by_reference(Claim, refs)
    taken_cases = by_reference(Case, refs, organization_id=organization.pk)
    errors = []
    if taken_claims or taken_cases:
        for p in parsed:
            if p.claim_ref in taken_claims:
                errors.append(RowError(p.row, "claim_ref", f"a claim “{p.claim_ref}” already exists"))
            elif p.claim_ref in taken_cases:
                errors.append(RowError(p.row, "claim_ref", f"a case “{p.claim_ref}” already exists in "
                                                           f"{organization.slug}"))
    return errors


class _RowChecker:
    """Checks one row after the other, appending `row N, column X: message` errors to `errors`; `seen` maps each
    claim reference to the first row that has it."""

    def __init__(self, errors: list[RowError], *, today: dt.date) -> None:
        self.add = errors.append
        self.parse_date = _Dates(today).parse
        self.seen: dict[str, int] = {}
        self.province_list = ", ".join(Province.values)
        self.outcome_list = ", ".join(Outcome.values)

    def row(self, number: int, values: Mapping[str, str]) -> ParsedClaim:
        get, add = values.get, self.add
        for column, message in unsafe_cells(values):
            add(RowError(number, column, message))
        claim_ref = (get("claim_ref") or "").strip()
        claimant_ref = (get("claimant_ref") or "").strip()
        family_name = (get("family_name") or "").strip()
        given_name = (get("given_name") or "").strip()
        province_text = (get("province") or "").strip()
        referred_text = (get("referred_on") or "").strip()
        self._names(number, claim_ref, claimant_ref, family_name, given_name)
        birth_date = self._date(number, "birth_date", (get("birth_date") or "").strip())
        country = self._country(number, (get("country_of_persecution") or "").strip())
        province = province_text.upper()
        if province not in PROVINCES:
            add(RowError(number, "province", f"“{province_text}” is not a province or territory code "
                                             f"({self.province_list})"))
        referred_on = self._date(number, "referred_on", referred_text)
        outcome, outcome_on = self._outcome(number, get, referred_text, referred_on)
        if birth_date and referred_on and birth_date > referred_on:
            add(RowError(number, "birth_date", "the claimant was born after the referral"))
        if claim_ref:
            first = self.seen.setdefault(claim_ref, number)
            if first != number:
                add(RowError(number, "claim_ref", f"“{claim_ref}” is also on row {first}"))
        return ParsedClaim(number, claim_ref, claimant_ref, family_name, given_name, birth_date, country,
                           referred_on, province, outcome, outcome_on, *self._intake(number, get, referred_on))

    def _intake(self, number: int, get, referred_on: dt.date | None) -> tuple:
        """(intake_route, entered_canada_on, us_land_crossing, claim_made_on) of the optional intake columns."""
        add = self.add
        route_text = (get("intake_route") or "").strip()
        route = route_text.lower().replace("-", "_") or IntakeRoute.PORT_OF_ENTRY
        if route not in ROUTES:
            add(RowError(number, "intake_route", f"“{route_text}” is not one of: port_of_entry, inland (or empty)"))
        crossing_text = (get("us_land_crossing") or "").strip()
        crossing = crossing_text.lower().replace("-", "_")
        if crossing not in CROSSINGS:
            add(RowError(number, "us_land_crossing", f"“{crossing_text}” is not one of: at_port, between_ports "
                                                     f"(or empty)"))
        entered_on = self._date(number, "entered_canada_on", (get("entered_canada_on") or "").strip())
        made_on = self._date(number, "claim_made_on", (get("claim_made_on") or "").strip())
        if entered_on and made_on and made_on < entered_on:
            add(RowError(number, "claim_made_on", f"{made_on} is before the entry to Canada ({entered_on})"))
        if made_on and referred_on and referred_on < made_on:
            add(RowError(number, "referred_on", f"{referred_on} is before the claim was made ({made_on})"))
        return route, entered_on, crossing, made_on

    def _names(self, number: int, claim_ref: str, claimant_ref: str, family_name: str, given_name: str) -> None:
        add = self.add
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

    def _date(self, number: int, column: str, text: str) -> dt.date | None:
        if not text:
            return None
        day, message = self.parse_date(text)
        if message:
            self.add(RowError(number, column, message))
        return day

    def _country(self, number: int, text: str) -> str:
        if not text:
            self.add(RowError(number, "country_of_persecution", "a value is required"))
            return ""
        country, message = _country(text)
        if message:
            self.add(RowError(number, "country_of_persecution", message))
        return country

    def _outcome(self, number: int, get, referred_text: str, referred_on: dt.date | None
                 ) -> tuple[str, dt.date | None]:
        add = self.add
        outcome_text = (get("outcome") or "").strip()
        outcome_on_text = (get("outcome_on") or "").strip()
        outcome = outcome_text.lower()
        if outcome and outcome not in OUTCOMES:
            add(RowError(number, "outcome", f"“{outcome_text}” is not one of: {self.outcome_list} (or empty)"))
            outcome = ""
        outcome_on = self._date(number, "outcome_on", outcome_on_text)
        if outcome and outcome_on is None and not outcome_on_text:
            add(RowError(number, "outcome_on", "an outcome needs the date it was reached"))
        if outcome_on and not outcome_text:
            add(RowError(number, "outcome", "outcome_on is given but the outcome is empty"))
        if outcome and referred_on is None and not referred_text:
            add(RowError(number, "referred_on", "a claim with an outcome must have been referred: give the "
                                                "referral date"))
        if outcome_on and referred_on and outcome_on < referred_on:
            add(RowError(number, "outcome_on", f"{outcome_on} is before the referral ({referred_on})"))
        return outcome, outcome_on
