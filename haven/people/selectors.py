"""Reads of households and persons. Callers obtain the household or person
through haven.cases.access first; these functions then trim what the
permissions do not allow (vulnerabilities and identity documents)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from haven.cases.access import Permissions
from haven.people.models import (
    Household,
    IdentityDocument,
    Nationality,
    Person,
    PersonLanguage,
    PersonName,
    Vulnerability,
)


def household_members(household: Household) -> QuerySet[Person]:
    return Person.objects.filter(household=household).order_by("relationship", "pk")


@dataclass(frozen=True)
class PersonDetail:
    names: list[PersonName]
    nationalities: list[Nationality]
    languages: list[PersonLanguage]
    vulnerabilities: list[Vulnerability]
    documents: list[IdentityDocument]


def person_detail(*, person: Person, perms: Permissions) -> PersonDetail:
    """A person's names, nationalities and languages; vulnerabilities and documents only if allowed."""
    return PersonDetail(
        names=list(person.names.all()),
        nationalities=list(person.nationalities.all()),
        languages=list(person.languages.all()),
        vulnerabilities=list(person.vulnerabilities.all()) if perms.see_confidential else [],
        documents=list(person.documents.all()) if perms.see_confidential else [],
    )
