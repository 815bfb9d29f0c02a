"""Reads of households and persons. Callers obtain the household or person
through haven.cases.access first; these functions then trim what the
permissions do not allow (vulnerabilities and identity documents)."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from haven.cases.access import Permissions
from haven.people.models import (
    Household,
    IdentityDocument,
    Nationality,
    Person,
    PersonLanguage,
    PersonName,
    Relationship,
    Vulnerability,
)
from haven.records import deleted_rows


def household_members(household: Household) -> QuerySet[Person]:
    """The household's members as themselves (Person.objects leaves out persons merged into another)."""
    return Person.objects.filter(household=household).order_by("relationship", "pk")


def current_principal(household: Household | int) -> Person | None:
    """The household's principal applicant (at most one: a database constraint), merged persons aside."""
    return Person.objects.filter(household=household, relationship=Relationship.PRINCIPAL).first()


def default_relationship(household: Household | int) -> str:
    """What a new member is when nobody says: the principal applicant while the household has none, a relative
    otherwise (the form asks, with no answer chosen)."""
    if current_principal(household) is None:
        return Relationship.PRINCIPAL
    return Relationship.OTHER_RELATIVE


@dataclass(frozen=True)
class PersonDetail:
    names: list[PersonName]
    nationalities: list[Nationality]
    languages: list[PersonLanguage]
    vulnerabilities: list[Vulnerability]
    documents: list[IdentityDocument]
    # For the organization's administrators only: removed vulnerabilities and documents, kept to be restored.
    removed_vulnerabilities: list[Vulnerability] = field(default_factory=list)
    removed_documents: list[IdentityDocument] = field(default_factory=list)


def person_detail(*, person: Person, perms: Permissions) -> PersonDetail:
    """A person's names, nationalities and languages; vulnerabilities and documents only if allowed."""
    return PersonDetail(
        names=list(person.names.all()),
        nationalities=list(person.nationalities.all()),
        languages=list(person.languages.all()),
        vulnerabilities=list(person.vulnerabilities.all()) if perms.see_confidential else [],
        documents=list(person.documents.all()) if perms.see_confidential else [],
        removed_vulnerabilities=removed_items(person, Vulnerability) if perms.is_admin else [],
        removed_documents=removed_items(person, IdentityDocument) if perms.is_admin else [],
    )


def removed_items(person: Person, model: type[Vulnerability] | type[IdentityDocument]) -> list:
    return list(deleted_rows(model, person=person).select_related("deleted_by"))
