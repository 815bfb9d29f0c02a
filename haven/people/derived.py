"""Values derived from a person's audited record: the search key (and the keys of the household's cases) and the
stored form of a birth date of known precision. Pure helpers and index refreshers, called by the services after
the write they audit (and by importers and the bench); they write no audit row of their own: the change that made
them is what the log shows."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from haven.cases.search import refresh_case_search_keys
from haven.people.models import DatePrecision, Person
from haven.people.search import build_key, name_keys


def person_search_key(person: Person, extra_names: Iterable[tuple[str, str]] = ()) -> str:
    parts: list[str] = []
    parts += name_keys(person.family_name, person.given_name)
    parts += name_keys(person.family_name_hangul, person.given_name_hangul)
    for family, given in extra_names:
        parts += name_keys(family, given)
    return build_key(parts)


def refresh_person_search_key(person: Person) -> None:
    names = list(person.names.values_list("family_name", "given_name"))
    person.search_key = person_search_key(person, names)
    Person.objects.filter(pk=person.pk).update(search_key=person.search_key)
    refresh_household_case_keys(household_id=person.household_id)


def refresh_household_case_keys(*, household_id: int) -> None:
    refresh_case_search_keys(household_id=household_id)


def normalize_birth_date(birth_date: dt.date | None, precision: str) -> dt.date | None:
    """Forms record an unknown day as 1 January (year) or the 1st (month)."""
    if birth_date is None or precision == DatePrecision.EXACT:
        return birth_date
    if precision == DatePrecision.MONTH:
        return birth_date.replace(day=1)
    if precision == DatePrecision.YEAR:
        return birth_date.replace(month=1, day=1)
    return None
