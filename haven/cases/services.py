"""Writes to cases, assignments, notes and attachments: validate, save, audit, in one transaction."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.audit.models import Action
from haven.audit.services import created_fields, diff, record, snapshot
from haven.cases.models import Attachment, AttachmentContent, Case, CaseAssignment, Note, NoteVersion
from haven.people.models import Person
from haven.people.search import build_key, normalize
from haven.records import check_version, move_to_deleted, restore, save_versioned

CASE_FIELDS = ("reference", "title", "kind", "status", "sponsor_group", "opened_on", "closed_on")


def case_search_key(case: Case, member_keys: Iterable[str]) -> str:
    parts = [normalize(case.reference), normalize(case.title), normalize(case.household.name)]
    for key in member_keys:
        parts += [part for part in key.split("|") if part]
    return build_key(parts)


def refresh_case_search_keys(*, household_id: int) -> None:
    member_keys = list(Person.objects.filter(household_id=household_id).values_list("search_key", flat=True))
    for case in Case.objects.filter(household_id=household_id).select_related("household"):
        Case.objects.filter(pk=case.pk).update(search_key=case_search_key(case, member_keys))


def _validate_case(case: Case) -> None:
    case.full_clean(exclude=["search_key"])
    if case.household.organization_id != case.organization_id:
        raise ValidationError({"household": "The household belongs to another organization."})
    if case.sponsor_group_id and case.sponsor_group.organization_id != case.organization_id:
        raise ValidationError({"sponsor_group": "The sponsor group belongs to another organization."})
    if case.sponsor_group_id and case.sponsor_group.kind != "sponsor_group":
        raise ValidationError({"sponsor_group": "Choose a sponsor group, not a staff team."})
    if case.status == Case.Status.CLOSED and not case.closed_on:
        raise ValidationError({"closed_on": "A closed case needs the date it was closed."})


@transaction.atomic
def open_case(*, actor, organization, household, reference: str, opened_on: dt.date | None = None,
              kind: str = Case.Kind.SPONSORSHIP, title: str = "", sponsor_group=None,
              assign_actor: bool = False) -> Case:
    case = Case(organization=organization, household=household, reference=reference.strip(), title=title.strip(),
                kind=kind, sponsor_group=sponsor_group, opened_on=opened_on or timezone.localdate())
    _validate_case(case)
    case.save()
    record(actor=actor, action=Action.CREATE, obj=case, case_id=case.pk,
           changes=created_fields({"organization": organization.pk, "household": household.pk,
                                   **snapshot(case, CASE_FIELDS)}))
    refresh_case_search_keys(household_id=household.pk)
    if assign_actor and getattr(actor, "pk", None):
        assign_worker(actor=actor, case=case, user=actor, role=CaseAssignment.Role.LEAD)
    return case


@transaction.atomic
def update_case(*, actor, case: Case, expected_version: int | None = None, **fields) -> Case:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs."""
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown case fields: {', '.join(sorted(unknown))}")
    check_version(case, expected_version)
    old = snapshot(case, CASE_FIELDS)
    for name, value in fields.items():
        setattr(case, name, value)
    if case.status != Case.Status.CLOSED and "status" in fields:
        case.closed_on = None
    _validate_case(case)
    changes = diff(old, snapshot(case, CASE_FIELDS))
    if not changes:
        return case
    save_versioned(case, expected_version=expected_version, update_fields=[*changes.keys(), "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=case, case_id=case.pk, changes=changes)
    refresh_case_search_keys(household_id=case.household_id)
    return case


# Outside the case's organization only these roles may be assigned (cross-organization counsel).
ASSIGNABLE_OUTSIDE_ROLES = frozenset({"caseworker", "legal_rep"})


def check_assignable(*, case: Case, user) -> None:
    """An assignment gives full access, confidential material included: refuse volunteers and analysts."""
    from haven.accounts.models import STAFF_ROLES, Membership, Role

    if not user.is_active:
        raise ValidationError(_("No active user has this exact username."))
    roles = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
    own_role = roles.get(case.organization_id)
    refused = _("Volunteers and analysts cannot be assigned: an assignment gives full access to the case, "
                "confidential notes, files and vulnerabilities included.")
    if own_role is not None:
        if own_role not in STAFF_ROLES:
            raise ValidationError(refused)
    elif not ASSIGNABLE_OUTSIDE_ROLES.intersection(roles.values()):
        if roles and set(roles.values()) <= {Role.VOLUNTEER, Role.ANALYST}:
            raise ValidationError(refused)
        raise ValidationError(_("Only staff of the case's organization, or caseworkers and legal "
                                "representatives of another organization, can be assigned."))


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


@transaction.atomic
def add_note(*, actor, case: Case, body: str, confidential: bool = True) -> Note:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "A note cannot be empty."})
    note = Note(case=case, author=actor, body=body, confidential=confidential)
    note.save()
    record(actor=actor, action=Action.CREATE, obj=note, case_id=case.pk,
           changes=created_fields({"body": body, "confidential": confidential}, sensitive=["body"]))
    return note


@transaction.atomic
def update_note(*, actor, note: Note, body: str, confidential: bool, expected_version: int | None = None) -> Note:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "A note cannot be empty."})
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
        raise ValidationError({"file": "The file needs a name."})
    if not content:
        raise ValidationError({"file": "The file is empty."})
    if len(content) > settings.HAVEN_MAX_UPLOAD_BYTES:
        raise ValidationError({"file": f"The file is larger than {settings.HAVEN_MAX_UPLOAD_BYTES // (1024 * 1024)} MB."})
    attachment = Attachment(case=case, uploaded_by=actor, filename=filename[:255], description=description,
                            content_type=(content_type or "application/octet-stream")[:100], size=len(content),
                            sha256=hashlib.sha256(content).hexdigest(), kind=kind, confidential=confidential)
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
