"""Writes of tasks and appointments. Each `check_<action>` validates (messages translated, keyed by field) and
each `<action>(*, actor, ...)` calls it, saves with `update_fields` and writes its audit row, in one transaction.

Who may act is decided by haven.casework.selectors (a hidden record or an action that is not the user's answers
404); the rules here are the ones a form, the API and the demo must all obey: who a task may be assigned to, who
may attend, which states a task moves between, and the edit version an edit was based on."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.audit.models import Action
from haven.audit.services import created_fields, diff, record, snapshot
from haven.cases.access import case_permissions
from haven.cases.models import Case
from haven.casework.models import Appointment, Priority, Task
from haven.casework.selectors import attendee_candidates
from haven.people.codes import validate_language
from haven.people.models import Person
from haven.records import check_version, move_to_deleted, save_versioned
from haven.records.text import unsafe_character_message

# Control characters and NUL are refused as everywhere (haven.records.text); a one-line field (a title, a place)
# refuses tabs and line breaks too.
_LINE_BREAK = re.compile(r"[\r\n\t]")
UNSAFE_TEXT = _("This text contains control characters; remove them.")
TASK_FIELDS = ("title", "assignee", "due_on", "priority")
APPOINTMENT_FIELDS = ("title", "starts_at", "ends_at", "place", "link", "interpreter_language")


def _check_text(errors: dict, field: str, value: str, *, lines: bool = False) -> None:
    message = unsafe_character_message(value or "")
    if message is None and not lines and _LINE_BREAK.search(value or ""):
        message = UNSAFE_TEXT
    if message is not None:
        errors.setdefault(field, []).append(message)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# ------------------------------------------------------------------------------------------------------ tasks

def check_assignee(*, case: Case, assignee: User | None) -> None:
    """A task goes to a staff member of the case's organization, a worker assigned to the case or a volunteer
    of the case's sponsor group."""
    if assignee is None:
        raise ValidationError({"assignee": [_("Choose who the task is assigned to.")]})
    if not attendee_candidates(case).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": [_(
            "%(user)s cannot be assigned this task: a task goes to a staff member of the case's organization, a "
            "worker assigned to the case or a volunteer of its sponsor group.") % {"user": assignee}]})


def check_task(*, case: Case, title: str, assignee: User | None, due_on: dt.date | None,
               priority: str = Priority.NORMAL) -> None:
    errors: dict[str, list] = {}
    if not (title or "").strip():
        errors["title"] = [_("A task needs a title.")]
    _check_text(errors, "title", title)
    if not isinstance(due_on, dt.date):
        errors["due_on"] = [_("A task needs a due date.")]
    if priority not in Priority.values:
        errors["priority"] = [_("Choose a priority from the list.")]
    try:
        check_assignee(case=case, assignee=assignee)
    except ValidationError as error:
        errors.update(error.message_dict)
    _raise(errors)


@transaction.atomic
def create_task(*, actor, case: Case, title: str, assignee: User, due_on: dt.date,
                priority: str = Priority.NORMAL) -> Task:
    check_task(case=case, title=title, assignee=assignee, due_on=due_on, priority=priority)
    task = Task(case=case, title=title.strip(), assignee=assignee, due_on=due_on, priority=priority,
                created_by=actor)
    task.save()
    record(actor=actor, action=Action.CREATE, obj=task, case_id=case.pk,
           changes=created_fields(snapshot(task, TASK_FIELDS)))
    return task


@transaction.atomic
def update_task(*, actor, task: Task, expected_version: int | None = None, **fields) -> Task:
    """Change a task's title, assignee, due date or priority. EditConflict when `expected_version` is stale."""
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"update_task() cannot change {sorted(unknown)}")
    check_version(task, None if expected_version is None else int(expected_version))
    new = {**snapshot(task, TASK_FIELDS), **fields}
    new["title"] = (new["title"] or "").strip()
    check_task(case=task.case, **new)
    old = snapshot(task, TASK_FIELDS)
    changes = diff(old, new)
    if changes:
        for name, value in new.items():
            setattr(task, name, value)
        save_versioned(task, expected_version=None if expected_version is None else int(expected_version),
                       update_fields=[*TASK_FIELDS, "updated_at"])
        record(actor=actor, action=Action.UPDATE, obj=task, case_id=task.case_id, changes=changes)
    return task


def check_complete_task(*, actor, task: Task, outcome: str = "") -> None:
    errors: dict[str, list] = {}
    if not task.is_open:
        errors["status"] = [_("Only an open task can be completed.")]
    _check_text(errors, "outcome", outcome, lines=True)
    perms = case_permissions(actor, task.case)
    if not (perms and perms.can_write) and task.assignee_id != actor.pk:
        errors["assignee"] = [_("Only the person the task is assigned to, or the case's workers, can complete it.")]
    _raise(errors)


def _set_status(actor, task: Task, status: str, *, outcome: str | None = None, summary: str = "") -> Task:
    old = snapshot(task, ["status", "outcome"])
    task.status = status
    if outcome is not None:
        task.outcome = outcome.strip()
    done = status == Task.Status.DONE
    task.completed_at, task.completed_by = (timezone.now(), actor) if done else (None, None)
    save_versioned(task, expected_version=None,
                   update_fields=["status", "outcome", "completed_at", "completed_by", "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=task, case_id=task.case_id, summary=summary,
           changes=diff(old, snapshot(task, ["status", "outcome"])))
    return task


@transaction.atomic
def complete_task(*, actor, task: Task, outcome: str = "") -> Task:
    check_complete_task(actor=actor, task=task, outcome=outcome)
    return _set_status(actor, task, Task.Status.DONE, outcome=outcome, summary="task completed")


def check_reopen_task(*, task: Task) -> None:
    if task.is_open:
        raise ValidationError({"status": [_("This task is already open.")]})


@transaction.atomic
def reopen_task(*, actor, task: Task) -> Task:
    check_reopen_task(task=task)
    return _set_status(actor, task, Task.Status.OPEN, summary="task reopened")


def check_start_task(*, task: Task) -> None:
    if task.status != Task.Status.OPEN:
        raise ValidationError({"status": [_("Only an open task can be started.")]})


@transaction.atomic
def start_task(*, actor, task: Task) -> Task:
    check_start_task(task=task)
    return _set_status(actor, task, Task.Status.IN_PROGRESS, summary="task started")


def check_cancel_task(*, task: Task, outcome: str = "") -> None:
    errors: dict[str, list] = {}
    if not task.is_open:
        errors["status"] = [_("Only an open task can be cancelled.")]
    _check_text(errors, "outcome", outcome, lines=True)
    _raise(errors)


@transaction.atomic
def cancel_task(*, actor, task: Task, outcome: str = "") -> Task:
    check_cancel_task(task=task, outcome=outcome)
    return _set_status(actor, task, Task.Status.CANCELLED, outcome=outcome, summary="task cancelled")


@transaction.atomic
def delete_task(*, actor, task: Task) -> None:
    """Move a task to the deleted items: gone from every page, feed and digest, kept in the database."""
    move_to_deleted(actor, task, case_id=task.case_id, changes=diff(snapshot(task, TASK_FIELDS), {}))


# ----------------------------------------------------------------------------------------------- appointments

def _check_when(errors: dict, starts_at, ends_at) -> None:
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, dt.datetime):
            errors[field] = [_("Enter a date and time.")]
        elif timezone.is_naive(value):
            errors[field] = [_("Enter a date and time with its time zone.")]
    if "starts_at" not in errors and "ends_at" not in errors and ends_at <= starts_at:
        errors["ends_at"] = [_("An appointment ends after it starts.")]


def _check_people(errors: dict, case: Case, attendees: Iterable[User], household_members: Iterable[Person]) -> None:
    attendees, household_members = list(attendees), list(household_members)
    allowed = set(attendee_candidates(case).filter(pk__in=[u.pk for u in attendees]).values_list("pk", flat=True))
    strangers = [str(user) for user in attendees if user.pk not in allowed]
    if strangers:
        errors["attendees"] = [_("%(users)s cannot attend: only the case's staff, assigned workers and sponsor-group "
                                 "volunteers can.") % {"users": ", ".join(strangers)}]
    if any(person.household_id != case.household_id for person in household_members):
        errors["household_members"] = [_("Only members of the case's household can be chosen.")]
    if not attendees and not household_members:
        errors["attendees"] = [_("Say who attends the appointment.")]


def check_appointment(*, case: Case, title: str, starts_at, ends_at, place: str = "", link: str = "",
                      attendees: Iterable[User] = (), household_members: Iterable[Person] = (),
                      interpreter_language: str = "") -> None:
    errors: dict[str, list] = {}
    if not (title or "").strip():
        errors["title"] = [_("An appointment needs a title.")]
    _check_text(errors, "title", title)
    _check_text(errors, "place", place)
    _check_when(errors, starts_at, ends_at)
    if not (place or "").strip() and not (link or "").strip():
        errors["place"] = [_("Give a place or a link for the appointment.")]
    if link and not re.match(r"^https?://\S+$", link):
        errors["link"] = [_("Enter a web address starting with https://.")]
    if interpreter_language:
        try:
            validate_language(interpreter_language)
        except ValidationError as error:
            errors["interpreter_language"] = error.messages
    _check_people(errors, case, attendees, household_members)
    _raise(errors)


def _people_changes(appointment: Appointment, attendees, household_members) -> dict:
    return {"attendees": sorted(user.pk for user in attendees),
            "household_members": sorted(person.pk for person in household_members)}


@transaction.atomic
def create_appointment(*, actor, case: Case, title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                       place: str = "", link: str = "", attendees: Iterable[User] = (),
                       household_members: Iterable[Person] = (), interpreter_language: str = "") -> Appointment:
    attendees, household_members = list(attendees), list(household_members)
    check_appointment(case=case, title=title, starts_at=starts_at, ends_at=ends_at, place=place, link=link,
                      attendees=attendees, household_members=household_members,
                      interpreter_language=interpreter_language)
    appointment = Appointment(case=case, title=title.strip(), starts_at=starts_at, ends_at=ends_at,
                              place=place.strip(), link=link.strip(), interpreter_language=interpreter_language,
                              created_by=actor)
    appointment.save()
    appointment.attendees.set(attendees)
    appointment.household_members.set(household_members)
    record(actor=actor, action=Action.CREATE, obj=appointment, case_id=case.pk,
           changes=created_fields({**snapshot(appointment, APPOINTMENT_FIELDS),
                                   **_people_changes(appointment, attendees, household_members)}))
    return appointment


@transaction.atomic
def update_appointment(*, actor, appointment: Appointment, expected_version: int | None = None,
                       attendees: Iterable[User] | None = None, household_members: Iterable[Person] | None = None,
                       **fields) -> Appointment:
    unknown = set(fields) - set(APPOINTMENT_FIELDS)
    if unknown:
        raise TypeError(f"update_appointment() cannot change {sorted(unknown)}")
    check_version(appointment, None if expected_version is None else int(expected_version))
    old_people = _people_changes(appointment, appointment.attendees.all(), appointment.household_members.all())
    attendees = list(appointment.attendees.all() if attendees is None else attendees)
    household_members = list(appointment.household_members.all() if household_members is None
                             else household_members)
    new = {**snapshot(appointment, APPOINTMENT_FIELDS), **fields}
    check_appointment(case=appointment.case, attendees=attendees, household_members=household_members, **new)
    changes = diff({**snapshot(appointment, APPOINTMENT_FIELDS), **old_people},
                   {**new, **_people_changes(appointment, attendees, household_members)})
    if changes:
        for name, value in new.items():
            setattr(appointment, name, value)
        save_versioned(appointment, expected_version=None if expected_version is None else int(expected_version),
                       update_fields=[*APPOINTMENT_FIELDS, "updated_at"])
        appointment.attendees.set(attendees)
        appointment.household_members.set(household_members)
        record(actor=actor, action=Action.UPDATE, obj=appointment, case_id=appointment.case_id, changes=changes)
    return appointment


def check_cancel_appointment(*, appointment: Appointment) -> None:
    if appointment.status == Appointment.Status.CANCELLED:
        raise ValidationError({"status": [_("This appointment is already cancelled.")]})


@transaction.atomic
def cancel_appointment(*, actor, appointment: Appointment) -> Appointment:
    check_cancel_appointment(appointment=appointment)
    appointment.status = Appointment.Status.CANCELLED
    save_versioned(appointment, expected_version=None, update_fields=["status", "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=appointment, case_id=appointment.case_id,
           summary="appointment cancelled",
           changes={"status": {"old": Appointment.Status.SCHEDULED, "new": Appointment.Status.CANCELLED}})
    return appointment


@transaction.atomic
def delete_appointment(*, actor, appointment: Appointment) -> None:
    move_to_deleted(actor, appointment, case_id=appointment.case_id,
                    changes=diff(snapshot(appointment, APPOINTMENT_FIELDS), {}))
