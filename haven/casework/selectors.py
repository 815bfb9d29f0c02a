"""Reads of tasks and appointments, always through the case's access rules (haven.cases.access).

Who sees what:
- whoever may change a case (its organization's staff, workers assigned to it) sees all its tasks and
  appointments;
- a sponsor-group volunteer sees only the tasks assigned to them and the appointments they attend, in their
  group's cases; never another family's, never the rest of the family's work;
- everyone else gets 404, as for a record that does not exist.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from haven.accounts.models import STAFF_ROLES, Membership, Role, User
from haven.cases.access import (
    Permissions,
    access_profile,
    case_permissions,
    get_visible_or_404,
    not_found,
    visible_cases,
)
from haven.cases.models import Case, CaseAssignment
from haven.casework.models import Appointment, Task

OPEN_STATUSES = (Task.Status.OPEN, Task.Status.IN_PROGRESS)


@dataclass(frozen=True)
class WorkPermissions:
    """What a user may do with one task or appointment."""

    case: Permissions
    can_edit: bool  # change, cancel, reopen and delete: whoever may change the case
    can_complete: bool  # the case's writers, and the task's own assignee (a volunteer completes their task)


def _full_access(user, prefix: str = "") -> Q:
    """Records of the cases the user may change: their organizations' cases and the cases assigned to them."""
    profile = access_profile(user)
    return (Q(**{f"{prefix}case__organization_id__in": sorted(profile.staff_org_ids)})
            | Q(**{f"{prefix}case_id__in": CaseAssignment.objects.filter(user_id=user.pk).values("case_id")}))


def visible_tasks(user) -> QuerySet[Task]:
    if not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(case_id__in=visible_cases(user).order_by().values("pk")).filter(
        _full_access(user) | Q(assignee_id=user.pk))


def attended_by(user) -> QuerySet:
    return Appointment.attendees.through.objects.filter(user_id=user.pk).values("appointment_id")


def visible_appointments(user) -> QuerySet[Appointment]:
    if not user.is_authenticated:
        return Appointment.objects.none()
    return Appointment.objects.filter(case_id__in=visible_cases(user).order_by().values("pk")).filter(
        _full_access(user) | Q(pk__in=attended_by(user)))


def _permissions(user, case: Case, *, assignee_id: int | None = None) -> WorkPermissions:
    perms = case_permissions(user, case)
    if perms is None:
        raise not_found()
    return WorkPermissions(case=perms, can_edit=perms.can_write,
                           can_complete=perms.can_write or assignee_id == user.pk)


def _require(perms: WorkPermissions, *, edit: bool, complete: bool) -> WorkPermissions:
    if (edit and not perms.can_edit) or (complete and not perms.can_complete):
        raise not_found()
    return perms


_RELATED = ("case", "case__organization", "case__household", "case__sponsor_group")


def get_task_for_user(user, pk, *, edit: bool = False, complete: bool = False) -> tuple[Task, WorkPermissions]:
    """The task and what the user may do with it; Http404 when hidden (or the action is not theirs)."""
    task = get_visible_or_404(visible_tasks(user).select_related("assignee", *_RELATED), pk)
    return task, _require(_permissions(user, task.case, assignee_id=task.assignee_id), edit=edit,
                          complete=complete)


def get_appointment_for_user(user, pk, *, edit: bool = False) -> tuple[Appointment, WorkPermissions]:
    appointment = get_visible_or_404(visible_appointments(user).select_related(*_RELATED), pk)
    return appointment, _require(_permissions(user, appointment.case), edit=edit, complete=False)


def get_writable_case(user, pk) -> Case:
    """A case the user may add tasks and appointments to; Http404 otherwise."""
    case = get_visible_or_404(visible_cases(user).select_related("organization", "household", "sponsor_group"),
                              pk)
    perms = case_permissions(user, case)
    if perms is None or not perms.can_write:
        raise not_found()
    return case


def case_work(user, case: Case) -> tuple[list[Task], list[Appointment]]:
    """A case's tasks and appointments as the user may see them (a volunteer: their own only)."""
    tasks = visible_tasks(user).filter(case=case).select_related("assignee").order_by("status", "due_on", "pk")
    appointments = (visible_appointments(user).filter(case=case).prefetch_related("attendees")
                    .order_by("-starts_at", "pk"))
    return list(tasks), list(appointments)


def upcoming_appointments(user, case: Case, *, now: dt.datetime | None = None) -> list[Appointment]:
    """The case's scheduled appointments not yet over, soonest first, as the user may see them (a volunteer:
    those they attend): what the family's printable plan lists."""
    return list(visible_appointments(user).filter(case=case, status=Appointment.Status.SCHEDULED,
                                                  ends_at__gte=now or timezone.now()).order_by("starts_at", "pk"))


def attendee_candidates(case: Case):
    """The people a task may be assigned to and who may attend an appointment: the staff of the case's
    organization, the workers assigned to the case and the volunteers of its sponsor group."""
    staff = Membership.objects.filter(organization_id=case.organization_id, role__in=sorted(STAFF_ROLES))
    condition = Q(pk__in=staff.values("user_id")) | Q(pk__in=case.assignments.values("user_id"))
    if case.sponsor_group_id:
        volunteers = Membership.objects.filter(role=Role.VOLUNTEER, team_id=case.sponsor_group_id)
        condition |= Q(pk__in=volunteers.values("user_id"))
    return User.objects.filter(condition, is_active=True).order_by("first_name", "last_name", "username")


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware instants that begin `first` and end `last` in the current time zone."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end
