"""The case's search key: its reference, title and household name with the keys of the household's members.
Below haven.cases.services so that haven.people.services can refresh it when a member's names change without
importing the case services (which call the people services)."""
from __future__ import annotations

from collections.abc import Iterable

from haven.cases.models import Case
from haven.people.models import Person
from haven.people.search import build_key, normalize


def case_search_key(case: Case, member_keys: Iterable[str]) -> str:
    parts = [normalize(case.reference), normalize(case.title), normalize(case.household.name)]
    for key in member_keys:
        parts += [part for part in key.split("|") if part]
    return build_key(parts)


def refresh_case_search_keys(*, household_id: int) -> None:
    member_keys = list(Person.objects.filter(household_id=household_id).values_list("search_key", flat=True))
    for case in Case.objects.filter(household_id=household_id).select_related("household"):
        Case.objects.filter(pk=case.pk).update(search_key=case_search_key(case, member_keys))
