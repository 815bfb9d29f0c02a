"""Writes to cases, assignments, notes and attachments: validate, save, audit, in one transaction."""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import STAFF_ROLES, Membership, Role
from haven.audit.models import Action
from haven.audit.services import created_fields, diff, record, snapshot
from haven.cases.access import Permissions, case_permissions
from haven.cases.filetypes import check_allowed_file
from haven.cases.models import Attachment, AttachmentContent, Case, CaseAssignment, Note, NoteVersion
from haven.cases.search import case_search_key, refresh_case_search_keys  # noqa: F401 (importers use them from here)
from haven.people import services as people_services
from haven.people.models import Household, Relationship
from haven.records import check_version, move_to_deleted, restore, save_versioned
from haven.records.dates import check_not_future, today_for
from haven.records.text import check_safe_fields, check_safe_text

CASE_FIELDS = ("reference", "title", "kind", "status", "sponsor_group", "opened_on", "closed_on")


def check_case_reference(*, organization_id: int, reference: str, exclude_pk: int | None = None) -> None:
    """A case reference is unique within its organization (the database says so too, in its own words)."""
    if reference and Case.objects.filter(organization_id=organization_id, reference=reference).exclude(
            pk=exclude_pk).exists():
        raise ValidationError({"reference": _("Another case of the organization already has this reference.")})


def _validate_case(case: Case) -> None:
    check_safe_fields(case)
    check_case_reference(organization_id=case.organization_id, reference=case.reference, exclude_pk=case.pk)
    if case.closed_on and case.opened_on and case.closed_on < case.opened_on:
        # Before full_clean: the database constraint says the same in words a user cannot act on.
        raise ValidationError({"closed_on": _("A case cannot close before it opened.")})
    case.full_clean(exclude=["search_key"])
    if case.household.organization_id != case.organization_id:
        raise ValidationError({"household": _("The household belongs to another organization.")})
    if case.sponsor_group_id and case.sponsor_group.organization_id != case.organization_id:
        raise ValidationError({"sponsor_group": _("The sponsor group belongs to another organization.")})
    if case.sponsor_group_id and case.sponsor_group.kind != "sponsor_group":
        raise ValidationError({"sponsor_group": _("Choose a sponsor group, not a staff team.")})
    if case.status == Case.Status.CLOSED and not case.closed_on:
        raise ValidationError({"closed_on": _("A closed case needs the date it was closed.")})


@transaction.atomic
def open_case(*, actor, organization, household, reference: str, opened_on: dt.date | None = None,
              kind: str = Case.Kind.SPONSORSHIP, title: str = "", sponsor_group=None,
              assign_actor: bool = False) -> Case:
    case = Case(organization=organization, household=household, reference=reference.strip(), title=title.strip(),
                kind=kind, sponsor_group=sponsor_group, opened_on=opened_on or today_for(organization))
    _validate_case(case)
    check_not_future(case.opened_on, organization=organization, field="opened_on")
    case.save()
    record(actor=actor, action=Action.CREATE, obj=case, case_id=case.pk,
           changes=created_fields({"organization": organization.pk, "household": household.pk,
                                   **snapshot(case, CASE_FIELDS)}))
    refresh_case_search_keys(household_id=household.pk)
    if assign_actor and getattr(actor, "pk", None):
        assign_worker(actor=actor, case=case, user=actor, role=CaseAssignment.Role.LEAD)
    return case


PRINCIPAL_NAME_FIELDS = ("family_name", "given_name", "family_name_hangul", "given_name_hangul")
PRINCIPAL_BIRTH_FIELDS = ("birth_date", "birth_date_precision")
# The new household's errors, keyed by the fields of open_case_with_household that carry them.
NEW_HOUSEHOLD_FIELDS = {"reference": "household_reference", "name": "household_name"}


def _new_household(*, actor, organization, reference: str, name: str, principal: dict[str, Any]) -> Household:
    """The household of a case opened with a new one, and its principal applicant (names, and the birth date
    with its precision when given)."""
    errors = {}
    if not (name or "").strip():
        errors["household_name"] = _("Choose an existing household or name the new one.")
    if not any((principal.get(key) or "").strip() for key in PRINCIPAL_NAME_FIELDS):
        errors["family_name"] = _("Give the principal applicant's name, in Latin letters or Hangul.")
    if errors:
        raise ValidationError(errors)
    try:
        household = people_services.create_household(actor=actor, organization=organization, reference=reference,
                                                     name=name)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError({NEW_HOUSEHOLD_FIELDS.get(field, field): messages
                               for field, messages in error.error_dict.items()}) from None
    people_services.create_person(actor=actor, household=household, data={
        "relationship": Relationship.PRINCIPAL,
        **{key: (principal.get(key) or "").strip() for key in PRINCIPAL_NAME_FIELDS},
        **{key: principal[key] for key in PRINCIPAL_BIRTH_FIELDS if key in principal}})
    return household


@transaction.atomic
def open_case_with_household(*, actor, organization, reference: str, opened_on: dt.date | None = None,
                             kind: str = Case.Kind.SPONSORSHIP, title: str = "", sponsor_group=None,
                             household: Household | None = None, household_reference: str = "",
                             household_name: str = "", principal: dict[str, Any] | None = None) -> Case:
    """Open a case for an existing household of the organization, or for a new one (named here, with its
    principal applicant), and assign the actor as lead: all or nothing. The case's own rules are checked first,
    so that a taken case reference does not leave a household behind in a caller's error message."""
    if household is not None and household.organization_id != organization.pk:
        raise ValidationError({"household": _("The household belongs to another organization.")})
    check_case_reference(organization_id=organization.pk, reference=(reference or "").strip())
    if household is None:
        household = _new_household(actor=actor, organization=organization,
                                   reference=household_reference or reference, name=household_name,
                                   principal=principal or {})
    return open_case(actor=actor, organization=organization, household=household, reference=reference,
                     opened_on=opened_on, kind=kind, title=title, sponsor_group=sponsor_group, assign_actor=True)


@transaction.atomic
def update_case(*, actor, case: Case, expected_version: int | None = None, **fields) -> Case:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs."""
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown case fields: %(fields)s"), params={"fields": ", ".join(sorted(unknown))})
    check_version(case, expected_version)
    old = snapshot(case, CASE_FIELDS)
    for name, value in fields.items():
        setattr(case, name, value)
    if case.status != Case.Status.CLOSED and "status" in fields:
        case.closed_on = None
    _validate_case(case)
    if case.opened_on != old["opened_on"]:  # an opening date already on file is not re-checked on other edits
        check_not_future(case.opened_on, organization=case.organization, field="opened_on")
    changes = diff(old, snapshot(case, CASE_FIELDS))
    if not changes:
        return case
    save_versioned(case, expected_version=expected_version, update_fields=[*changes.keys(), "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=case, case_id=case.pk, changes=changes)
    refresh_case_search_keys(household_id=case.household_id)
    return case


# Outside the case's organization only these roles may be assigned (cross-organization counsel).
ASSIGNABLE_OUTSIDE_ROLES = frozenset({"caseworker", "legal_rep"})


# One answer for a username nobody has, an inactive account and anyone who cannot be assigned from outside the
# case's organization: which usernames exist elsewhere, and with which roles, is not the assigner's to learn.
NOT_ASSIGNABLE = _("Nobody with this exact username can be assigned: staff of the case's organization, or "
                   "caseworkers and legal representatives of another organization.")


def check_assignable(*, case: Case, user) -> None:
    """An assignment gives full access, confidential material included: refuse volunteers and analysts."""
    if user is None or not user.is_active:
        raise ValidationError(NOT_ASSIGNABLE)
    roles = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
    own_role = roles.get(case.organization_id)
    if own_role is None:
        if not ASSIGNABLE_OUTSIDE_ROLES.intersection(roles.values()):
            raise ValidationError(NOT_ASSIGNABLE)
    elif own_role not in STAFF_ROLES:  # a member of the case's own organization, whom its staff know
        raise ValidationError(_("Volunteers and analysts cannot be assigned: an assignment gives full access to the "
                                "case, confidential notes, files and vulnerabilities included."))


def check_not_assigned(*, case: Case, user) -> None:
    """A new assignment only: a role is changed by removing the assignment first (the assignment form's rule)."""
    if case.assignments.filter(user=user).exists():
        raise ValidationError(_("%(username)s is already assigned to this case; remove the assignment first to "
                                "change the role."), params={"username": user.get_username()})


@transaction.atomic
def assign_worker(*, actor, case: Case, user, role: str = CaseAssignment.Role.MEMBER) -> CaseAssignment:
    check_assignable(case=case, user=user)
    assignment, created = CaseAssignment.objects.get_or_create(case=case, user=user, defaults={"role": role})
    if not created and assignment.role != role:
        old_role, assignment.role = assignment.role, role
        assignment.save(update_fields=["role"])
        record(actor=actor, action=Action.UPDATE, obj=assignment, case_id=case.pk,
               changes=diff({"role": old_role}, {"role": role}))
    elif created:
        record(actor=actor, action=Action.CREATE, obj=assignment, case_id=case.pk,
               changes=created_fields({"user": user.get_username(), "role": role}))
    return assignment


@transaction.atomic
def unassign_worker(*, actor, assignment: CaseAssignment) -> None:
    record(actor=actor, action=Action.DELETE, obj=assignment, case_id=assignment.case_id,
           changes=diff({"user": assignment.user.get_username(), "role": assignment.role}, {}))
    assignment.delete()


def check_note(*, perms: Permissions | None, body: str, confidential: bool) -> str:
    """The note's text, stripped. A note needs text; only who may see confidential material may write a
    confidential one (a sponsor-group volunteer writes notes the whole group may read)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("A note cannot be empty.")})
    check_safe_text(body, field="body")
    if confidential and not (perms and perms.see_confidential):
        raise ValidationError({"confidential": _("You may only add notes that are not confidential.")})
    return body


def check_add_note(*, actor, case: Case, body: str, confidential: bool) -> str:
    perms = case_permissions(actor, case) if actor is not None else None
    if perms is None or not perms.can_add_note:
        raise ValidationError(_("You may not add notes to this case."))
    return check_note(perms=perms, body=body, confidential=confidential)


@transaction.atomic
def add_note(*, actor, case: Case, body: str, confidential: bool = True) -> Note:
    body = check_add_note(actor=actor, case=case, body=body, confidential=confidential)
    note = Note(case=case, author=actor, body=body, confidential=confidential)
    note.save()
    record(actor=actor, action=Action.CREATE, obj=note, case_id=case.pk,
           changes=created_fields({"body": body, "confidential": confidential}, sensitive=["body"]))
    return note


@transaction.atomic
def update_note(*, actor, note: Note, body: str, confidential: bool, expected_version: int | None = None) -> Note:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs."""
    perms = case_permissions(actor, note.case) if actor is not None else None
    # Only making a note confidential needs the right to see confidential material; keeping it so does not.
    body = check_note(perms=perms, body=body, confidential=confidential and not note.confidential)
    check_version(note, expected_version)
    old = snapshot(note, ["body", "confidential"])
    written_at = note.updated_at
    note.body, note.confidential = body, confidential
    changes = diff(old, snapshot(note, ["body", "confidential"]), sensitive=["body"])
    if changes:
        # The text it replaces is kept (encrypted), for the case's administrators: an edit loses nothing.
        NoteVersion.objects.create(note=note, body=old["body"], confidential=old["confidential"],
                                   written_at=written_at, replaced_at=timezone.now(), replaced_by=actor)
        save_versioned(note, expected_version=expected_version, update_fields=["body", "confidential", "updated_at"])
        record(actor=actor, action=Action.UPDATE, obj=note, case_id=note.case_id, changes=changes)
    return note


@transaction.atomic
def delete_note(*, actor, note: Note) -> None:
    """Move a note to the case's deleted items: hidden from every page, export and API, kept for the case's
    administrators to restore."""
    move_to_deleted(actor, note, case_id=note.case_id,
                    changes=diff({"body": note.body, "confidential": note.confidential}, {}, sensitive=["body"]))


@transaction.atomic
def restore_case_item(*, actor, item: Note | Attachment) -> Note | Attachment:
    """Put a deleted note or file back in its case (who may: haven.cases.access.get_item_for_admin)."""
    return restore(actor, item, case_id=item.case_id)


@transaction.atomic
def add_attachment(*, actor, case: Case, filename: str, content: bytes, content_type: str,
                   kind: str = Attachment.Kind.EVIDENCE, description: str = "",
                   confidential: bool = True) -> Attachment:
    filename = (filename or "").strip().replace("/", "_").replace("\\", "_")
    if not filename:
        raise ValidationError({"file": _("The file needs a name.")})
    check_safe_text(filename, field="file")
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > settings.HAVEN_MAX_UPLOAD_BYTES:
        raise ValidationError({"file": ValidationError(
            _("The file is larger than %(mb)d MB."), params={"mb": settings.HAVEN_MAX_UPLOAD_BYTES // (1024 * 1024)})})
    # What the content is decides the stored type, not what the browser or client said (`content_type`).
    content_type = check_allowed_file(filename=filename, content=content)
    attachment = Attachment(case=case, uploaded_by=actor, filename=filename[:255], description=description,
                            content_type=content_type, size=len(content),
                            sha256=hashlib.sha256(content).hexdigest(), kind=kind, confidential=confidential)
    check_safe_fields(attachment, ["description", "content_type"])
    attachment.full_clean(exclude=["case", "uploaded_by"])
    attachment.save()
    AttachmentContent.objects.create(attachment=attachment, data=content)
    record(actor=actor, action=Action.CREATE, obj=attachment, case_id=case.pk,
           changes=created_fields({"filename": filename, "size": len(content), "sha256": attachment.sha256,
                                   "kind": kind, "confidential": confidential}, sensitive=["filename"]))
    return attachment


@transaction.atomic
def delete_attachment(*, actor, attachment: Attachment) -> None:
    """Move a file to the case's deleted items (its encrypted content stays), as delete_note does."""
    move_to_deleted(actor, attachment, case_id=attachment.case_id, changes=diff(
        {"filename": attachment.filename, "sha256": attachment.sha256}, {}, sensitive=["filename"]))


def read_attachment(*, actor, attachment: Attachment) -> bytes:
    """Return the decrypted bytes and log the download."""
    data = bytes(AttachmentContent.objects.get(attachment=attachment).data)
    record(actor=actor, action=Action.DOWNLOAD, obj=attachment, case_id=attachment.case_id)
    return data
