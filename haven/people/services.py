"""Writes to people and households. Each function validates, saves and audits
in one transaction. Callers fetch the objects through haven.cases.access
(with write=True) first; these functions do not re-check access."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haven.audit.models import Action
from haven.audit.services import created_fields, diff, record, snapshot
from haven.people.models import (
    DatePrecision,
    Household,
    IdentityDocument,
    Nationality,
    Person,
    PersonLanguage,
    PersonName,
    Relationship,
    Vulnerability,
)
from haven.people.selectors import current_principal, default_relationship
from haven.people.codes import language_name
from haven.people.derived import normalize_birth_date, refresh_household_case_keys, refresh_person_search_key
from haven.people.search import normalize
from haven.records import check_version, is_soft_deletable, move_to_deleted, restore, save_versioned
from haven.records.dates import check_not_future
from haven.records.text import check_safe_fields

PERSON_FIELDS = (
    "relationship", "family_name", "given_name", "family_name_hangul", "given_name_hangul", "sex",
    "birth_date", "birth_date_precision", "birth_place", "birth_country", "residence_country",
    "phone", "email", "address",
)
PERSON_SENSITIVE = frozenset(Person.CONTACT_FIELDS)


def _validated(instance, exclude: Iterable[str] = ()) -> None:
    check_safe_fields(instance)
    instance.full_clean(exclude=list(exclude))


def _check_birth_date(person: Person, old: dt.date | None = None) -> None:
    """A new or changed birth date cannot be after today in the household's organization (a birth date already
    on file is left to the data-quality report, so an unrelated edit is not refused because of it)."""
    if person.birth_date and person.birth_date != old:
        check_not_future(person.birth_date, organization=person.household.organization, field="birth_date")


def _settled_precision(data: Mapping[str, Any], *, precision: str) -> str:
    """The precision to store when a writer sends a birth date without one (an API client, an import, a script):
    a date alone means an exact date; no date means unknown; otherwise the precision already on file."""
    if "birth_date_precision" in data or "birth_date" not in data:
        return precision
    if data["birth_date"] is None:
        return DatePrecision.UNKNOWN
    return DatePrecision.EXACT if precision == DatePrecision.UNKNOWN else precision


def check_birth_date_precision(*, birth_date: dt.date | None, precision: str) -> None:
    """A birth date and its precision agree: exact, month and year need a date (of which only the year and month,
    or the year, count); "unknown" has none."""
    if precision == DatePrecision.UNKNOWN and birth_date is not None:
        raise ValidationError({"birth_date_precision": _(
            "The precision is “unknown” but a date of birth was given: choose how precise the date is, or leave "
            "the date empty.")})
    if precision in (DatePrecision.EXACT, DatePrecision.MONTH, DatePrecision.YEAR) and birth_date is None:
        raise ValidationError({"birth_date": ValidationError(
            _("A date of birth of precision “%(precision)s” needs its date (at least the year); choose “unknown” "
              "when it is not known."), params={"precision": DatePrecision(precision).label})})


def check_principal(*, household: Household, relationship: str, person: Person | None = None) -> None:
    """A household has at most one principal applicant; changing who it is goes through make_principal."""
    if relationship != Relationship.PRINCIPAL:
        return
    principal = current_principal(household)
    if principal is not None and (person is None or principal.pk != person.pk):
        raise ValidationError({"relationship": ValidationError(
            _("%(name)s is already this household's principal applicant. A household has one: to change who it "
              "is, use “Make principal applicant” on the new principal's page."),
            params={"name": principal.display_name})})


def _settle_birth_date(person: Person, data: Mapping[str, Any]) -> None:
    person.birth_date_precision = _settled_precision(data, precision=person.birth_date_precision)
    check_birth_date_precision(birth_date=person.birth_date, precision=person.birth_date_precision)
    person.birth_date = normalize_birth_date(person.birth_date, person.birth_date_precision)


def check_household_reference(*, organization, reference: str) -> None:
    """A household reference is unique within its organization."""
    if reference and Household.objects.filter(organization=organization, reference=reference).exists():
        raise ValidationError({"reference": _("Another household of the organization already has this reference.")})


@transaction.atomic
def create_household(*, actor, organization, reference: str, name: str) -> Household:
    household = Household(organization=organization, reference=reference.strip(), name=name.strip())
    check_safe_fields(household)  # first: PostgreSQL refuses a NUL even in the uniqueness query
    check_household_reference(organization=organization, reference=household.reference)
    _validated(household)
    household.save()
    record(actor=actor, action=Action.CREATE, obj=household,
           changes=created_fields({"reference": household.reference, "name": household.name,
                                   "organization": organization.pk}))
    return household


@transaction.atomic
def update_household(*, actor, household: Household, name: str, expected_version: int | None = None) -> Household:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs."""
    check_version(household, expected_version)
    old = snapshot(household, ["name"])
    household.name = name.strip()
    _validated(household)
    save_versioned(household, expected_version=expected_version, update_fields=["name", "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=household, changes=diff(old, snapshot(household, ["name"])))
    refresh_household_case_keys(household_id=household.pk)
    return household


@transaction.atomic
def create_person(*, actor, household: Household, data: Mapping[str, Any],
                  other_names: Iterable[Mapping[str, str]] = (),
                  nationalities: Iterable[Mapping[str, str]] = (),
                  languages: Iterable[Mapping[str, Any]] = ()) -> Person:
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown person fields: %(fields)s"), params={"fields": ", ".join(sorted(unknown))})
    person = Person(household=household, **data)
    if "relationship" not in data:
        person.relationship = default_relationship(household)
    _settle_birth_date(person, data)
    _validated(person, exclude=["household"])
    _check_birth_date(person)
    check_principal(household=household, relationship=person.relationship)
    person.save()
    record(actor=actor, action=Action.CREATE, obj=person,
           changes=created_fields(snapshot(person, PERSON_FIELDS), sensitive=PERSON_SENSITIVE))
    for name in other_names:
        add_person_name(actor=actor, person=person, refresh=False, **name)
    for nationality in nationalities:
        add_nationality(actor=actor, person=person, **nationality)
    for language in languages:
        add_language(actor=actor, person=person, **language)
    refresh_person_search_key(person)
    return person


@transaction.atomic
def update_person(*, actor, person: Person, data: Mapping[str, Any], expected_version: int | None = None) -> Person:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs. A
    stale one raises EditConflict, even when the values sent equal the stored ones."""
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown person fields: %(fields)s"), params={"fields": ", ".join(sorted(unknown))})
    check_version(person, expected_version)
    old = snapshot(person, PERSON_FIELDS)
    for name, value in data.items():
        setattr(person, name, value)
    _settle_birth_date(person, data)
    _validated(person, exclude=["household"])
    _check_birth_date(person, old["birth_date"])
    check_principal(household=person.household, relationship=person.relationship, person=person)
    changes = diff(old, snapshot(person, PERSON_FIELDS), sensitive=PERSON_SENSITIVE)
    if not changes:
        return person
    save_versioned(person, expected_version=expected_version, update_fields=[*changes.keys(), "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=person, changes=changes)
    refresh_person_search_key(person)
    return person


def check_make_principal(*, person: Person, former_relationship: str) -> None:
    if person.merged_into_id is not None:
        raise ValidationError(_("This person was merged into another; un-merge them first."))
    if person.relationship == Relationship.PRINCIPAL:
        raise ValidationError({"relationship": _("This person is already the principal applicant.")})
    if former_relationship not in Relationship.values or former_relationship == Relationship.PRINCIPAL:
        raise ValidationError({"former_relationship": _(
            "Choose what the current principal applicant becomes in the household.")})


@transaction.atomic
def make_principal(*, actor, person: Person, former_relationship: str) -> Person:
    """Make `person` the household's principal applicant: the current one (if any) takes `former_relationship`
    and `person` takes their place, in one audited change (the database allows one principal per household)."""
    check_make_principal(person=person, former_relationship=former_relationship)
    former = current_principal(person.household)
    if former is not None:
        former.relationship = former_relationship
        save_versioned(former, expected_version=None, update_fields=["relationship", "updated_at"])
    old = person.relationship
    person.relationship = Relationship.PRINCIPAL
    save_versioned(person, expected_version=None, update_fields=["relationship", "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=person,
           summary=f"principal applicant of household {person.household_id}: person {person.pk}"
                   + (f" instead of person {former.pk}" if former else ""),
           changes={"relationship": {"old": old, "new": Relationship.PRINCIPAL},
                    "former_principal": ({"person": former.pk, "relationship": {
                        "old": Relationship.PRINCIPAL, "new": former_relationship}} if former else None)})
    return person


def _add_child(actor, instance, fields: Iterable[str], sensitive: Iterable[str] = ()) -> Any:
    _validated(instance, exclude=["person"])
    instance.save()
    record(actor=actor, action=Action.CREATE, obj=instance,
           changes=created_fields({"person": instance.person_id, **snapshot(instance, fields)}, sensitive=sensitive))
    return instance


def _delete_child(actor, instance, fields: Iterable[str], sensitive: Iterable[str] = ()) -> None:
    """Remove an item from the person, audited. Vulnerabilities and documents move to the person's deleted items
    instead (their models are haven.records.SoftDeletable): the audit log redacts their encrypted values, so it
    alone could not bring them back."""
    changes = diff({"person": instance.person_id, **snapshot(instance, fields)}, {}, sensitive=sensitive)
    if is_soft_deletable(type(instance)):
        move_to_deleted(actor, instance, changes=changes)
        return
    record(actor=actor, action=Action.DELETE, obj=instance, changes=changes)
    instance.delete()


@transaction.atomic
def restore_removed_item(*, actor, item: Vulnerability | IdentityDocument) -> Vulnerability | IdentityDocument:
    return restore(actor, item)


@transaction.atomic
def add_person_name(*, actor, person: Person, family_name: str = "", given_name: str = "",
                    script: str = PersonName.Script.LATIN, source: str = "", refresh: bool = True) -> PersonName:
    if not normalize(family_name + given_name):
        raise ValidationError(_("A name needs a family name or a given name."))
    name = _add_child(actor, PersonName(person=person, family_name=family_name.strip(),
                                        given_name=given_name.strip(), script=script, source=source.strip()),
                      ["family_name", "given_name", "script", "source"])
    if refresh:
        refresh_person_search_key(person)
    return name


@transaction.atomic
def remove_person_name(*, actor, name: PersonName) -> None:
    person = name.person
    _delete_child(actor, name, ["family_name", "given_name", "script", "source"])
    refresh_person_search_key(person)


def check_new_nationality(*, person: Person, country: str) -> None:
    if person.nationalities.filter(country=country).exists():
        raise ValidationError({"country": _("This nationality is already recorded; remove it first to change it.")})


@transaction.atomic
def add_nationality(*, actor, person: Person, country: str, status: str = Nationality.Status.CITIZEN,
                    note: str = "") -> Nationality:
    check_new_nationality(person=person, country=country.upper())
    return _add_child(actor, Nationality(person=person, country=country.upper(), status=status, note=note),
                      ["country", "status", "note"])


@transaction.atomic
def update_nationality(*, actor, nationality: Nationality, status: str, note: str = "",
                       expected_version: int | None = None) -> Nationality:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs."""
    check_version(nationality, expected_version)
    old = snapshot(nationality, ["status", "note"])
    nationality.status, nationality.note = status, note
    _validated(nationality, exclude=["person"])
    save_versioned(nationality, expected_version=expected_version, update_fields=["status", "note"])
    record(actor=actor, action=Action.UPDATE, obj=nationality, changes=diff(old, snapshot(nationality, ["status", "note"])))
    return nationality


@transaction.atomic
def remove_nationality(*, actor, nationality: Nationality) -> None:
    _delete_child(actor, nationality, ["country", "status"])


def check_new_language(*, person: Person, language: str) -> None:
    if person.languages.filter(language=language).exists():
        raise ValidationError({"language": ValidationError(_("%(language)s is already recorded."),
                                                           params={"language": language_name(language)})})


@transaction.atomic
def add_language(*, actor, person: Person, language: str, level: str = PersonLanguage.Level.NATIVE,
                 needs_interpreter: bool = False) -> PersonLanguage:
    check_new_language(person=person, language=language.lower())
    return _add_child(actor, PersonLanguage(person=person, language=language.lower(), level=level,
                                            needs_interpreter=needs_interpreter),
                      ["language", "level", "needs_interpreter"])


@transaction.atomic
def remove_language(*, actor, language: PersonLanguage) -> None:
    _delete_child(actor, language, ["language", "level"])


@transaction.atomic
def add_vulnerability(*, actor, person: Person, kind: str, details: str = "") -> Vulnerability:
    return _add_child(actor, Vulnerability(person=person, kind=kind, details=details), ["kind", "details"],
                      sensitive=["details"])


@transaction.atomic
def remove_vulnerability(*, actor, vulnerability: Vulnerability) -> None:
    _delete_child(actor, vulnerability, ["kind", "details"], sensitive=["details"])


DOCUMENT_FIELDS = ("kind", "issuing_country", "number", "family_name_as_written", "given_name_as_written",
                   "issued_on", "expires_on")


@transaction.atomic
def add_identity_document(*, actor, person: Person, kind: str, issuing_country: str = "", number: str = "",
                          family_name_as_written: str = "", given_name_as_written: str = "",
                          issued_on: dt.date | None = None, expires_on: dt.date | None = None) -> IdentityDocument:
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationError({"expires_on": _("A document cannot expire before it was issued.")})
    document = _add_child(actor, IdentityDocument(
        person=person, kind=kind, issuing_country=issuing_country.upper(), number=number.strip(),
        family_name_as_written=family_name_as_written.strip(), given_name_as_written=given_name_as_written.strip(),
        issued_on=issued_on, expires_on=expires_on, added_by=actor if getattr(actor, "pk", None) else None,
    ), DOCUMENT_FIELDS, sensitive=["number"])
    if family_name_as_written or given_name_as_written:
        add_person_name(actor=actor, person=person, family_name=family_name_as_written,
                        given_name=given_name_as_written, source=document.get_kind_display())
    return document


@transaction.atomic
def remove_identity_document(*, actor, document: IdentityDocument) -> None:
    _delete_child(actor, document, DOCUMENT_FIELDS, sensitive=["number"])
