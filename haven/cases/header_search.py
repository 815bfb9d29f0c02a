"""The header's one search box: persons, households and cases the user may see, found by any name form.

A query is normalized as the search keys are (haven.people.search: case, accents, hyphens and spaces folded,
Hangul kept), so 리명철, Ri Myong-chol and Myŏng-ch'ŏl Ri find the same person. Every result comes from a
visible_* queryset (haven.cases.access): an outsider's search never reveals a record. Households have no search
key of their own: a household is found by its reference, its name, or any of its members' names."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from haven.cases.access import visible_cases, visible_households, visible_persons
from haven.cases.models import Case
from haven.people.models import Household, Person
from haven.people.search import key_contains, normalize

LIMIT = 20  # per kind: the box finds, the lists browse


@dataclass(frozen=True)
class SearchResults:
    query: str
    persons: list[Person] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.persons) + len(self.households) + len(self.cases)


def search_everything(user, query: str) -> SearchResults:
    """Up to LIMIT persons, households and cases matching `query` among those `user` may see."""
    key = normalize(query)
    if len(key) < 2:
        return SearchResults(query=query)
    persons = list(visible_persons(user).filter(key_contains(key)).select_related("household")
                   .order_by("family_name", "given_name", "pk")[:LIMIT])
    household_ids = Person.objects.filter(key_contains(key)).values("household_id")
    households = list(visible_households(user).filter(
        Q(pk__in=household_ids) | Q(name__icontains=query.strip()) | Q(reference__icontains=query.strip()))
        .order_by("reference")[:LIMIT])
    cases = list(visible_cases(user).filter(key_contains(key)).select_related("household")
                 .order_by("-opened_on", "-pk")[:LIMIT])
    return SearchResults(query=query, persons=persons, households=households, cases=cases)
