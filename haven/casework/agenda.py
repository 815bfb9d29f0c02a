"""Reads for "my work": tasks, appointments and claim deadlines as one dated list, bucketed into overdue, today and
this week, or laid out over a month for the calendar.

Tasks come from visible_tasks, appointments from visible_appointments (haven.casework.selectors) and deadlines
from the claims app's own visible selector (haven.claims.selectors.open_deadlines), so each keeps its access rule.
"This week" is the six days after today: a rolling week, so that Friday's list still shows Monday's work.

A page costs a fixed number of queries whatever the number of tasks: one count per kind of bucket, one list of
overdue tasks, one of upcoming tasks, one of appointments and one of deadlines."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Membership, Role, User
from haven.cases.access import access_profile, visible_cases
from haven.cases.models import Case, CaseAssignment
from haven.casework.models import Appointment, Priority, Task
from haven.casework.selectors import OPEN_STATUSES, attended_by, day_bounds, visible_appointments, visible_tasks
from haven.claims.labels import rule_label
from haven.claims.selectors import open_deadlines
from haven.people.codes import language_name

WEEK_DAYS = 6
BUCKET_LIMIT = 30  # items listed per bucket; the bucket's count is always the full number
DEADLINE_OVERDUE_DAYS = 30  # older overdue deadlines are assumed handled outside Haven, as on the deadlines page
ME, ANYONE = "me", "all"


@dataclass(frozen=True)
class WorkFilters:
    assignee: str | int = ME  # ME, ANYONE or a user id
    case_reference: str = ""
    kind: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None

    @property
    def has_range(self) -> bool:
        return self.due_from is not None or self.due_to is not None


@dataclass
class WorkItem:
    kind: str  # "task", "appointment" or "deadline"
    pk: int
    on: dt.date
    title: str
    case_id: int
    case_reference: str
    case_kind: str
    url: str
    at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    status: str = ""
    priority: str = ""
    assignee: str = ""
    assignee_id: int | None = None
    place: str = ""
    interpreter: str = ""
    overdue: bool = False
    is_open: bool = True  # a task not yet done or cancelled

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


KIND_LABELS = {"task": _("Task"), "appointment": _("Appointment"), "deadline": _("Claim deadline")}


@dataclass
class Bucket:
    key: str
    label: str
    items: list[WorkItem] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


# ------------------------------------------------------------------------------------------------- filtering

def _case_filter(queryset: QuerySet, filters: WorkFilters, prefix: str = "case__") -> QuerySet:
    if filters.case_reference:
        queryset = queryset.filter(**{f"{prefix}reference__iexact": filters.case_reference.strip()})
    if filters.kind:
        queryset = queryset.filter(**{f"{prefix}kind": filters.kind})
    return queryset


def _user_id(user, filters: WorkFilters) -> int | None:
    return user.pk if filters.assignee == ME else None if filters.assignee == ANYONE else int(filters.assignee)


def filtered_tasks(user, filters: WorkFilters) -> QuerySet[Task]:
    who = _user_id(user, filters)
    if who == user.pk:
        # One's own tasks in the cases one may see: visible_tasks' other conditions add nothing, and leaving them
        # out lets the database walk the (assignee, due_on) index.
        own = Task.objects.filter(assignee_id=user.pk, case_id__in=visible_cases(user).order_by().values("pk"))
        return _case_filter(own, filters)
    tasks = _case_filter(visible_tasks(user), filters)
    return tasks if who is None else tasks.filter(assignee_id=who)


def filtered_appointments(user, filters: WorkFilters) -> QuerySet[Appointment]:
    appointments = _case_filter(visible_appointments(user), filters).filter(status=Appointment.Status.SCHEDULED)
    who = _user_id(user, filters)
    if who is None:
        return appointments
    return appointments.filter(pk__in=attended_by(User(pk=who)))


def filtered_deadlines(user, filters: WorkFilters, *, today: dt.date, first: dt.date, last: dt.date) -> QuerySet:
    """Open claim deadlines of the visible cases between `first` and `last`; with an assignee, those of the cases
    assigned to them (deadlines belong to a case's workers, as their reminders do)."""
    deadlines = open_deadlines(user, today=today, ahead_days=(last - today).days,
                               overdue_days=(today - first).days)
    deadlines = _case_filter(deadlines, filters)
    who = _user_id(user, filters)
    if who is not None:
        deadlines = deadlines.filter(case_id__in=CaseAssignment.objects.filter(user_id=who).values("case_id"))
    return deadlines


# ------------------------------------------------------------------------------------------------- as items

def _label(choices, value: str) -> str:
    """A choice's label. Model.get_FOO_display flattens the field's choices on every call: on a page of 90 items
    that was a fifth of its time (bench/casework_bench.py)."""
    try:
        return str(choices(value).label)
    except ValueError:  # a value no longer among the choices is shown as stored
        return value


def _task_item(task: Task, today: dt.date) -> WorkItem:
    return WorkItem("task", task.pk, task.due_on, task.title, task.case_id, task.case.reference, task.case.kind,
                    reverse("casework:task_detail", kwargs={"pk": task.pk}), status=_label(Task.Status, task.status),
                    priority=_label(Priority, task.priority), assignee=_name(task.assignee),
                    assignee_id=task.assignee_id, overdue=task.is_open and task.due_on < today,
                    is_open=task.is_open)


def _appointment_item(appointment: Appointment) -> WorkItem:
    starts = timezone.localtime(appointment.starts_at)
    return WorkItem("appointment", appointment.pk, starts.date(), appointment.title, appointment.case_id,
                    appointment.case.reference, appointment.case.kind,
                    reverse("casework:appointment_detail", kwargs={"pk": appointment.pk}), at=starts,
                    ends_at=timezone.localtime(appointment.ends_at), status=_label(Appointment.Status, appointment.status),
                    place=appointment.place or appointment.link,
                    interpreter=language_name(appointment.interpreter_language))


def _deadline_item(deadline, today: dt.date) -> WorkItem:
    return WorkItem("deadline", deadline.pk, deadline.due_on, f"{rule_label(deadline.rule.label)} · "
                    f"{deadline.claim.reference}", deadline.case_id, deadline.case.reference, deadline.case.kind,
                    reverse("claim_detail", kwargs={"pk": deadline.claim_id}), overdue=deadline.due_on < today)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _tasks(queryset: QuerySet[Task], today: dt.date, limit: int) -> list[WorkItem]:
    rows = queryset.select_related("case", "assignee").order_by("due_on", "pk")[:limit]
    return [_task_item(task, today) for task in rows]


def _count_of(queryset: QuerySet) -> Subquery:
    """COUNT(*) of `queryset` as a scalar subquery: PostgreSQL runs it once (an InitPlan), beside the LIMITed list
    that the (assignee, due_on) index serves in order, instead of a window over every matching row."""
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
                    output_field=IntegerField())


def _counted(queryset: QuerySet[Task], today: dt.date, limit: int, *,
             today_only: dt.date | None = None) -> tuple[list[WorkItem], tuple[int, int]]:
    """The first `limit` tasks as items, with (the number of all of them, the number due on `today_only`)."""
    rows = list(queryset.select_related("case", "assignee").annotate(
        total=_count_of(queryset), that_day=_count_of(queryset.filter(due_on=today_only)))
        .order_by("due_on", "pk")[:limit])
    totals = (rows[0].total, rows[0].that_day or 0) if rows else (0, 0)
    return [_task_item(task, today) for task in rows], totals


def _appointments(user, filters: WorkFilters, first: dt.date, last: dt.date, limit: int) -> list[WorkItem]:
    start, end = day_bounds(first, last)
    rows = (filtered_appointments(user, filters).filter(starts_at__gte=start, starts_at__lt=end)
            .select_related("case").order_by("starts_at", "pk")[:limit])
    return [_appointment_item(appointment) for appointment in rows]


def _deadlines(user, filters: WorkFilters, today: dt.date, first: dt.date, last: dt.date,
               limit: int) -> list[WorkItem]:
    rows = (filtered_deadlines(user, filters, today=today, first=first, last=last)
            .select_related("rule", "claim", "case")[:limit])
    return [_deadline_item(deadline, today) for deadline in rows]


def _sorted(items: list[WorkItem]) -> list[WorkItem]:
    return sorted(items, key=lambda item: (item.on, item.at is None, item.at or dt.datetime.min.replace(
        tzinfo=dt.timezone.utc), item.kind, item.pk))


# ------------------------------------------------------------------------------------------------- the pages

def my_work(user, *, today: dt.date, filters: WorkFilters) -> list[Bucket]:
    """Overdue, today and this week (or the due range the filters give), each sorted by date."""
    if filters.has_range:
        return [_range_bucket(user, today=today, filters=filters)]
    week_end = today + dt.timedelta(days=WEEK_DAYS)
    tasks = filtered_tasks(user, filters).filter(status__in=OPEN_STATUSES)
    # Each list carries its full count as a window over the rows before LIMIT: no separate count query.
    overdue, overdue_total = _counted(tasks.filter(due_on__lt=today), today, BUCKET_LIMIT)
    upcoming, upcoming_totals = _counted(tasks.filter(due_on__gte=today, due_on__lte=week_end), today,
                                         2 * BUCKET_LIMIT, today_only=today)
    others = (_appointments(user, filters, today, week_end, BUCKET_LIMIT)
              + _deadlines(user, filters, today, today - dt.timedelta(days=DEADLINE_OVERDUE_DAYS), week_end,
                           BUCKET_LIMIT))
    buckets = [Bucket("overdue", str(_("Overdue")), overdue, overdue_total[0]),
               Bucket("today", str(_("Today")), [i for i in upcoming if i.on == today], upcoming_totals[1]),
               Bucket("week", str(_("This week")), [i for i in upcoming if i.on > today],
                      upcoming_totals[0] - upcoming_totals[1])]
    for item in others:
        bucket = buckets[0] if item.on < today else buckets[1] if item.on == today else buckets[2]
        if item.on < today and item.kind == "appointment":
            continue  # a past appointment is not overdue work
        bucket.items.append(item)
        bucket.total += 1
    for bucket in buckets:
        bucket.items = _sorted(bucket.items)
    return buckets


def _range_bucket(user, *, today: dt.date, filters: WorkFilters) -> Bucket:
    first = filters.due_from or today - dt.timedelta(days=365)
    last = filters.due_to or today + dt.timedelta(days=365)
    tasks = filtered_tasks(user, filters).filter(due_on__gte=first, due_on__lte=last).exclude(
        status=Task.Status.CANCELLED)
    items = (_tasks(tasks, today, BUCKET_LIMIT) + _appointments(user, filters, first, last, BUCKET_LIMIT)
             + _deadlines(user, filters, today, first, last, BUCKET_LIMIT))
    label = _("Due from %(first)s to %(last)s") % {"first": first.isoformat(), "last": last.isoformat()}
    others = sum(1 for item in items if item.kind != "task")
    return Bucket("range", str(label), _sorted(items), tasks.count() + others)


MONTH_LIMIT = 1000


def month_items(user, *, today: dt.date, first: dt.date, last: dt.date, filters: WorkFilters) -> list[WorkItem]:
    """Every task (but cancelled ones), appointment and open deadline between `first` and `last`, for the calendar."""
    tasks = filtered_tasks(user, filters).filter(due_on__gte=first, due_on__lte=last).exclude(
        status=Task.Status.CANCELLED)
    return _sorted(_tasks(tasks, today, MONTH_LIMIT) + _appointments(user, filters, first, last, MONTH_LIMIT)
                   + _deadlines(user, filters, today, first, last, MONTH_LIMIT))


def assignee_choices(user) -> list[tuple[str, str]]:
    """Whose work the filter can show: oneself, anyone, and the staff and volunteers of the user's organizations
    (for staff); a volunteer sees only their own."""
    profile = access_profile(user)
    choices = [(ME, str(_("Me"))), (ANYONE, str(_("Anyone")))]
    if not profile.staff_org_ids:
        return choices
    members = (User.objects.filter(is_active=True, pk__in=Membership.objects.filter(
        organization_id__in=sorted(profile.staff_org_ids),
        role__in=[Role.ADMIN, Role.CASEWORKER, Role.LEGAL_REP, Role.VOLUNTEER]).values("user_id"))
        .exclude(pk=user.pk).order_by("first_name", "last_name", "username")
        .values_list("pk", "first_name", "last_name", "username"))
    return choices + [(str(pk), f"{first} {last}".strip() or username) for pk, first, last, username in members]


RECENT_DAYS = 7
RECENT_LIMIT = 20


def recently_done(user, *, filters: WorkFilters, limit: int = RECENT_LIMIT) -> list[WorkItem]:
    """Tasks completed in the last week: with the default filter, those assigned to the user or handed out by them
    (a caseworker sees a volunteer's task done)."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    tasks = _case_filter(visible_tasks(user), filters).filter(status=Task.Status.DONE, completed_at__gte=since)
    who = _user_id(user, filters)
    if who is not None:
        tasks = tasks.filter(Q(assignee_id=who) | Q(created_by_id=who))
    rows = tasks.select_related("case", "assignee").order_by("-completed_at", "-pk")[:limit]
    today = timezone.localdate()
    return [_task_item(task, today) for task in rows]


def summary_counts(user, *, today: dt.date) -> dict[str, int]:
    """The user's own open tasks overdue, due today and due this week: the main dashboard's summary (one query)."""
    week_end = today + dt.timedelta(days=WEEK_DAYS)
    return (visible_tasks(user).filter(assignee_id=user.pk, status__in=OPEN_STATUSES)
            .aggregate(overdue=Count("pk", filter=Q(due_on__lt=today)), today=Count("pk", filter=Q(due_on=today)),
                       week=Count("pk", filter=Q(due_on__gt=today, due_on__lte=week_end))))


CASE_KIND_CHOICES = Case.Kind.choices


@dataclass
class Day:
    on: dt.date
    in_month: bool
    items: list[WorkItem] = field(default_factory=list)


def month_bounds(month: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of `month` ("YYYY-MM"), or of today's month when it is missing or malformed."""
    try:
        year, number = (int(part) for part in (month or "").split("-"))
        first = dt.date(year, number, 1)
    except ValueError:
        first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def month_grid(first: dt.date, last: dt.date, items: list[WorkItem]) -> list[list[Day]]:
    """Weeks (Monday first) covering the month, each day with its items."""
    start = first - dt.timedelta(days=first.weekday())
    end = last + dt.timedelta(days=6 - last.weekday())
    days = {start + dt.timedelta(days=n): None for n in range((end - start).days + 1)}
    grid = {on: Day(on, first <= on <= last) for on in days}
    for item in items:
        if item.on in grid:
            grid[item.on].items.append(item)
    ordered = list(grid.values())
    return [ordered[n:n + 7] for n in range(0, len(ordered), 7)]
