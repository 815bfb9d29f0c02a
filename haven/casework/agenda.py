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

from django.db import connections, models
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Concat, RowNumber, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Membership, Role, User
from haven.cases.access import AccessProfile, access_profile, visible_cases
from haven.cases.models import Case, CaseAssignment
from haven.casework.models import Appointment, Priority, Task
from haven.casework.selectors import OPEN_STATUSES, attended_by, day_bounds, visible_appointments, visible_tasks
from haven.claims.labels import rule_label
from haven.claims.selectors import member_tags, open_deadlines
from haven.db.compiled import CompiledShapes
from haven.people.codes import language_name

WEEK_DAYS = 6
DASHBOARD_LIMIT = 10  # items listed per bucket on "my work"; the bucket's count is always the full number
BUCKET_LIMIT = 30  # items listed in a due range, and appointments and deadlines fetched for the buckets
EXPANDED_LIMIT = 100  # items listed when one bucket is shown alone ("show more")
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

    @property
    def day(self) -> str:
        return self.on.isoformat()

    @property
    def when(self) -> str:
        """The date, or the local date and time of an appointment, as the lists show it (the |date filter parses
        its format on every call: a tenth of the list's time)."""
        return self.at.strftime("%Y-%m-%d %H:%M") if self.at else self.on.isoformat()


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


def _detail_urls(name: str):
    """pk -> the detail page's address, with one reverse() per list instead of one per item (a reverse() costs
    about 20 microseconds, and a page lists up to a hundred items)."""
    marker = 2147483647
    head, tail = reverse(name, kwargs={"pk": marker}).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


# A task's list row as plain values: model instances of the task, its case and its assignee cost three times as
# much to build, and the list needs none of their methods.
TASK_ROW = ("pk", "due_on", "title", "case_id", "case__reference", "case__kind", "status", "priority",
            "assignee_id", "assignee__first_name", "assignee__last_name", "assignee__username")


def _task_items(rows, today: dt.date) -> list[WorkItem]:
    url = _detail_urls("casework:task_detail")
    items = []
    for row in rows:
        is_open = row["status"] in OPEN_STATUSES
        name = f"{row['assignee__first_name']} {row['assignee__last_name']}".strip() or row["assignee__username"]
        items.append(WorkItem("task", row["pk"], row["due_on"], row["title"], row["case_id"], row["case__reference"],
                              row["case__kind"], url(row["pk"]), status=_label(Task.Status, row["status"]),
                              priority=_label(Priority, row["priority"]), assignee=name,
                              assignee_id=row["assignee_id"], overdue=is_open and row["due_on"] < today,
                              is_open=is_open))
    return items


APPOINTMENT_ROW = ("pk", "starts_at", "ends_at", "title", "case_id", "case__reference", "case__kind", "status",
                   "place", "link", "interpreter_language")


def _appointment_items(rows) -> list[WorkItem]:
    url = _detail_urls("casework:appointment_detail")
    languages = {}  # a language's name is looked up in pycountry's tables: once per page, not per appointment
    items = []
    for row in rows:
        starts, code = timezone.localtime(row["starts_at"]), row["interpreter_language"]
        if code not in languages:
            languages[code] = language_name(code)
        items.append(WorkItem("appointment", row["pk"], starts.date(), row["title"], row["case_id"],
                              row["case__reference"], row["case__kind"], url(row["pk"]), at=starts,
                              ends_at=timezone.localtime(row["ends_at"]), status=_label(Appointment.Status, row["status"]),
                              place=row["place"] or row["link"], interpreter=languages[code]))
    return items


def _deadline_item(deadline, today: dt.date, url, tag: str = "") -> WorkItem:
    return WorkItem("deadline", deadline.pk, deadline.due_on, f"{rule_label(deadline.rule.label)} · "
                    f"{deadline.claim.reference}{tag}", deadline.case_id, deadline.case.reference, deadline.case.kind,
                    url(deadline.claim_id), overdue=deadline.due_on < today)


def _tasks(queryset: QuerySet[Task], today: dt.date, limit: int) -> list[WorkItem]:
    return _task_items(queryset.order_by("due_on", "pk").values(*TASK_ROW)[:limit], today)


def _count_of(queryset: QuerySet) -> Subquery:
    """COUNT(*) of `queryset` as a scalar subquery: PostgreSQL runs it once (an InitPlan), beside the LIMITed list
    that the (assignee, due_on) index serves in order, instead of a window over every matching row."""
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
                    output_field=IntegerField())


def _open_tasks(user, filters: WorkFilters) -> QuerySet[Task]:
    return filtered_tasks(user, filters).filter(status__in=OPEN_STATUSES)


def _overdue_query(user, filters: WorkFilters, limit: int, *, today: dt.date) -> QuerySet:
    """The first `limit` overdue tasks, each with the number of all of them (in the same query)."""
    tasks = _open_tasks(user, filters).filter(due_on__lt=today)
    return tasks.annotate(total=_count_of(tasks)).order_by("due_on", "pk").values(*TASK_ROW, "total")[:limit]


def _overdue(user, filters: WorkFilters, today: dt.date, limit: int) -> tuple[list[WorkItem], int]:
    rows = _compiled_rows("overdue", _overdue_query, user, filters, limit, today=today)
    return _task_items(rows, today), rows[0]["total"] if rows else 0


def _appointments(user, filters: WorkFilters, first: dt.date, last: dt.date, limit: int) -> list[WorkItem]:
    start, end = day_bounds(first, last)
    return _appointment_items(filtered_appointments(user, filters).filter(starts_at__gte=start, starts_at__lt=end)
                              .order_by("starts_at", "pk").values(*APPOINTMENT_ROW)[:limit])


def _first_of_each(queryset: QuerySet, bucket: models.Case, order: list[str], limit: int) -> QuerySet:
    """The first `limit` rows (by `order`) of each bucket that the expression `bucket` names, each annotated with
    its bucket and that bucket's number of rows: one query, a row number and a count per bucket, over the rows of
    the days asked for only (a week's work; the overdue list, which may hold thousands, is counted apart)."""
    return (queryset.annotate(bucket=bucket, total=Window(Count("pk"), partition_by=[bucket]),
                              rank=Window(RowNumber(), partition_by=[bucket],
                                          order_by=[F(name).asc() for name in order]))
            .filter(rank__lte=limit).order_by(*order))


def _upcoming_tasks_query(user, filters: WorkFilters, limit: int, *, today: dt.date, first: dt.date,
                          last: dt.date) -> QuerySet:
    day = models.Case(models.When(due_on=today, then=Value("today")), default=Value("week"))
    tasks = _open_tasks(user, filters).filter(due_on__gte=first, due_on__lte=last)
    return _first_of_each(tasks, day, ["due_on", "pk"], limit).values(*TASK_ROW, "bucket", "total")


def _upcoming_tasks(user, filters: WorkFilters, today: dt.date, first: dt.date, last: dt.date,
                    limit: int) -> tuple[list[WorkItem], dict[str, int]]:
    rows = _compiled_rows("upcoming tasks", _upcoming_tasks_query, user, filters, limit, today=today, first=first,
                          last=last)
    return _task_items(rows, today), {row["bucket"]: row["total"] for row in rows}


def _upcoming_appointments_query(user, filters: WorkFilters, limit: int, *, start: dt.datetime, end: dt.datetime,
                                 today_end: dt.datetime) -> QuerySet:
    day = models.Case(models.When(starts_at__lt=today_end, then=Value("today")), default=Value("week"))
    appointments = filtered_appointments(user, filters).filter(starts_at__gte=start, starts_at__lt=end)
    return _first_of_each(appointments, day, ["starts_at", "pk"], limit).values(*APPOINTMENT_ROW, "bucket", "total")


def _upcoming_appointments(user, filters: WorkFilters, today: dt.date, first: dt.date, last: dt.date,
                           limit: int) -> tuple[list[WorkItem], dict[str, int]]:
    start, end = day_bounds(first, last)
    rows = _compiled_rows("upcoming appointments", _upcoming_appointments_query, user, filters, limit, start=start,
                          end=end, today_end=day_bounds(today, today)[1])
    return _appointment_items(rows), {row["bucket"]: row["total"] for row in rows}


def _deadlines(user, filters: WorkFilters, today: dt.date, first: dt.date, last: dt.date,
               limit: int) -> list[WorkItem]:
    rows = list(filtered_deadlines(user, filters, today=today, first=first, last=last)
                .select_related("rule", "claim", "case")
                # The columns the item shows: the three rows whole were sixty columns to compile and convert.
                .only("due_on", "case", "claim", "claimant", "rule", "rule__label", "claim__reference",
                      "case__reference", "case__kind")[:limit])
    url = _detail_urls("claim_detail")
    # A joined member's own deadline says whose by the member's number (the work calendar feed carries no names).
    tags = member_tags(rows)
    return [_deadline_item(deadline, today, url, tags.get(deadline.pk, "")) for deadline in rows]


def _sorted(items: list[WorkItem]) -> list[WorkItem]:
    return sorted(items, key=lambda item: (item.on, item.at is None, item.at or dt.datetime.min.replace(
        tzinfo=dt.timezone.utc), item.kind, item.pk))


# ------------------------------------------------------------------------------------------------- compiled once

# Stand-ins for the values of the page's queries, compiled once per shape on PostgreSQL (haven.db.compiled
# .CompiledShapes): ids far below any id or other parameter, dates and times of 1801.
_STAND_IN_ID = -7_300_000_000_000
_ID_GROUPS = ("org", "admin", "team", "analyst", "case")  # the access profile's sets, as the AccessProfile fields:
_PROFILE_FIELDS = ("staff_org_ids", "admin_org_ids", "volunteer_team_ids", "analyst_org_ids", "assigned_elsewhere")


def _reserved(value) -> bool:
    return (type(value) is int and value <= _STAND_IN_ID) or (isinstance(value, dt.date) and value.year == 1801)


_COMPILED = CompiledShapes(reserved=_reserved)


def _stand_in(name: str, value, n: int):
    if isinstance(value, dt.datetime):
        return dt.datetime(1801, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(hours=n)
    if isinstance(value, dt.date):
        return dt.date(1801, 1, 1) + dt.timedelta(days=n)
    return f"stand-in {name} {_STAND_IN_ID}" if isinstance(value, str) else _STAND_IN_ID - n


def _compiled_rows(name: str, build, user, filters: WorkFilters, limit: int, **scalars) -> list[dict]:
    """The rows of `build(user, filters, limit, **scalars)` (a values() queryset) as dicts. On PostgreSQL its SQL
    is compiled once per shape, for stand-ins: a user (with as many stand-in organizations, teams and cases in
    their access profile as the user has), filters and dates. Building and compiling the page's queries through
    the ORM took more CPU than running them. Tested against the queryset for personas and filters."""
    using = Task.objects.db
    reference = filters.case_reference.strip()
    if (connections[using].vendor != "postgresql" or not user.is_authenticated or filters.has_range
            or reference != filters.case_reference):
        return list(build(user, filters, limit, **scalars))
    profile = access_profile(user)
    stand_ins, values, groups = {"user": _STAND_IN_ID - 1}, {"user": user.pk}, {}
    for number, (group, field_name) in enumerate(zip(_ID_GROUPS, _PROFILE_FIELDS), start=1):
        ids = sorted(getattr(profile, field_name))
        fakes = [_STAND_IN_ID - 1000 * number - n for n in range(len(ids))]
        groups[field_name] = frozenset(fakes)
        stand_ins.update({f"{group}{n}": fake for n, fake in enumerate(fakes)})
        values.update({f"{group}{n}": real for n, real in enumerate(ids)})
    mode = ME if filters.assignee in (ME, user.pk) else ANYONE if filters.assignee == ANYONE else "user"
    given = {"assignee": int(filters.assignee) if mode == "user" else None, "case_reference": reference or None,
             "kind": filters.kind or None, **scalars}
    given = {key: value for key, value in given.items() if value is not None}
    for n, (key, value) in enumerate(given.items(), start=2):
        stand_ins[key], values[key] = _stand_in(key, value, n), value
    fake_user = User(pk=stand_ins["user"])
    fake_user._haven_access = AccessProfile(**groups, roles=profile.roles)
    fake_filters = WorkFilters(assignee=stand_ins.get("assignee", mode), case_reference=stand_ins.get(
        "case_reference", ""), kind=stand_ins.get("kind", ""))
    shape = (name, limit, mode, tuple(given), tuple(len(getattr(profile, field)) for field in _PROFILE_FIELDS),
             tuple(sorted(profile.roles)))
    fakes = {key: stand_ins[key] for key in scalars}
    return _COMPILED.dicts(using, shape, lambda: build(fake_user, fake_filters, limit, **fakes), stand_ins, values,
                           optional=frozenset(stand_ins) - {"user", *given})


# ------------------------------------------------------------------------------------------------- the pages

BUCKETS = {"overdue": _("Overdue"), "today": _("Today"), "week": _("This week")}


def my_work(user, *, today: dt.date, filters: WorkFilters, limit: int = DASHBOARD_LIMIT,
            only: str | None = None) -> list[Bucket]:
    """Overdue, today and this week (or the due range the filters give), each sorted by date, each listing its
    first `limit` items beside its full count; `only` (a key of BUCKETS) computes that bucket alone."""
    if filters.has_range:
        return [_range_bucket(user, today=today, filters=filters)]
    buckets = {key: Bucket(key, str(label)) for key, label in BUCKETS.items() if only in (None, key)}
    week_end = today + dt.timedelta(days=WEEK_DAYS)
    if "overdue" in buckets:
        overdue, total = _overdue(user, filters, today, limit)
        _add(buckets, overdue, today, {"overdue": total})
    if only != "overdue":  # today and the week: tasks and appointments (a past appointment is not overdue work)
        first = today + dt.timedelta(days=1) if only == "week" else today
        last = today if only == "today" else week_end
        for items, totals in (_upcoming_tasks(user, filters, today, first, last, limit),
                              _upcoming_appointments(user, filters, today, first, last, limit)):
            _add(buckets, items, today, totals)
    first = today if only in ("today", "week") else today - dt.timedelta(days=DEADLINE_OVERDUE_DAYS)
    last = today if only in ("overdue", "today") else week_end
    _add(buckets, _deadlines(user, filters, today, first, last, max(limit, BUCKET_LIMIT)), today)
    for bucket in buckets.values():
        bucket.items = _sorted(bucket.items)[:limit]
    return list(buckets.values())


def _add(buckets: dict[str, Bucket], items: list[WorkItem], today: dt.date,
         totals: dict[str, int] | None = None) -> None:
    """Put each item in its bucket, if that bucket is shown; add `totals` (per bucket) or one per item to counts."""
    for item in items:
        key = "overdue" if item.on < today else "today" if item.on == today else "week"
        if key in buckets:
            buckets[key].items.append(item)
            buckets[key].total += 0 if totals is not None else 1
    for key, total in (totals or {}).items():
        if key in buckets:
            buckets[key].total += total


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


ASSIGNEE_CHOICES = ((ME, _("Me")), (ANYONE, _("Anyone")))
COLLEAGUE_MATCHES = 2  # enough to tell one match from several


def may_filter_by_colleague(user) -> bool:
    """Staff may list a colleague's work; a volunteer sees only their own and anyone's (that they may see)."""
    return bool(access_profile(user).staff_org_ids)


def _colleagues(user) -> QuerySet[User]:
    """Whose work the filter can show besides one's own: the active staff and volunteers of the user's
    organizations (for staff)."""
    profile = access_profile(user)
    return (User.objects.filter(is_active=True, pk__in=Membership.objects.filter(
        organization_id__in=sorted(profile.staff_org_ids),
        role__in=[Role.ADMIN, Role.CASEWORKER, Role.LEGAL_REP, Role.VOLUNTEER]).values("user_id"))
        .exclude(pk=user.pk))


def _choice(pk: int, first: str, last: str, username: str) -> tuple[str, str]:
    return str(pk), f"{first} {last}".strip() or username


def colleague_choice(user, pk: int) -> tuple[str, str] | None:
    """(id, name) of the colleague whose work the filter shows, or None when the user may not ask for it."""
    if not may_filter_by_colleague(user):
        return None
    row = _colleagues(user).filter(pk=pk).values_list("pk", "first_name", "last_name", "username").first()
    return None if row is None else _choice(*row)


def find_colleagues(user, text: str) -> list[tuple[str, str]]:
    """The colleagues (at most COLLEAGUE_MATCHES) whose username, email address or full name is `text`, ignoring
    case. An organization may have a thousand members: the filter asks for one by name rather than listing all."""
    text = " ".join(text.split())
    if not text or not may_filter_by_colleague(user):
        return []
    full_name = Trim(Concat("first_name", Value(" "), "last_name", output_field=models.CharField()))
    rows = (_colleagues(user).annotate(full_name=full_name)
            .filter(Q(username__iexact=text) | Q(email__iexact=text) | Q(full_name__iexact=text))
            .order_by("username").values_list("pk", "first_name", "last_name", "username")[:COLLEAGUE_MATCHES])
    return [_choice(*row) for row in rows]


RECENT_DAYS = 7
RECENT_LIMIT = 20


def _recently_done_query(user, filters: WorkFilters, limit: int, *, since: dt.datetime) -> QuerySet:
    tasks = _case_filter(visible_tasks(user), filters).filter(status=Task.Status.DONE, completed_at__gte=since)
    who = _user_id(user, filters)
    if who is not None:
        tasks = tasks.filter(Q(assignee_id=who) | Q(created_by_id=who))
    return tasks.order_by("-completed_at", "-pk").values(*TASK_ROW)[:limit]


def recently_done(user, *, filters: WorkFilters, limit: int = RECENT_LIMIT) -> list[WorkItem]:
    """Tasks completed in the last week: with the default filter, those assigned to the user or handed out by them
    (a caseworker sees a volunteer's task done)."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    rows = _compiled_rows("recently done", _recently_done_query, user, filters, limit, since=since)
    return _task_items(rows, timezone.localdate())


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
