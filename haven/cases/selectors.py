"""Reads of cases for the web UI and exports: every queryset starts from
haven.cases.access.visible_cases, so a selector never widens what a user sees."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from haven.accounts.models import Organization, Team
from haven.audit.models import Action, AuditEntry
from haven.cases.access import (
    Permissions,
    access_profile,
    deleted_items,
    visible_attachments,
    visible_cases,
    visible_notes,
)
from haven.cases.models import Attachment, Case, CaseAssignment, Note, NoteVersion
from haven.people.models import Household, Person
from haven.people.search import key_contains, normalize

# Sort keys the list accepts, mapped to ORDER BY columns (a whitelist: nothing else reaches order_by()).
CASE_ORDERINGS: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "pk"),
    "-reference": ("-reference", "-pk"),
    "opened_on": ("opened_on", "pk"),
    "-opened_on": ("-opened_on", "-pk"),
    "status": ("status", "-opened_on", "-pk"),
    "-status": ("-status", "-opened_on", "-pk"),
}
DEFAULT_CASE_ORDERING = "-opened_on"
FILTER_KEYS = ("status", "kind", "organization", "sponsor_group", "mine")


def search_condition(query: str) -> Q | None:
    """Accent-, case- and script-insensitive substring match on the case's search key."""
    key = normalize(query or "")
    return key_contains(key) if key else None


def case_list(*, user, query: str = "", filters: Mapping[str, Any] | None = None,
              ordering: str = DEFAULT_CASE_ORDERING) -> QuerySet[Case]:
    """Cases the user may see, searched, filtered and sorted, with what a list row shows in one query."""
    cases = _searched_and_filtered(user=user, query=query, filters=filters or {})
    cases = _with_row_annotations(cases.select_related("organization", "household", "sponsor_group"), user)
    return cases.order_by(*_ordering(ordering))


def _searched_and_filtered(*, user, query: str, filters: Mapping[str, Any]) -> QuerySet[Case]:
    cases = visible_cases(user)
    condition = search_condition(query)
    if condition is not None:
        cases = cases.filter(condition)
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    if filters.get("kind"):
        cases = cases.filter(kind=filters["kind"])
    if filters.get("organization"):
        cases = cases.filter(organization_id=_pk(filters["organization"]))
    if filters.get("sponsor_group"):
        cases = cases.filter(sponsor_group_id=_pk(filters["sponsor_group"]))
    if filters.get("mine"):
        cases = cases.filter(assignments__user=user)
    return cases


def _ordering(ordering: str) -> tuple[str, ...]:
    return CASE_ORDERINGS.get(ordering, CASE_ORDERINGS[DEFAULT_CASE_ORDERING])


def _with_row_annotations(cases: QuerySet[Case], user) -> QuerySet[Case]:
    """The member count and whether the case is assigned to `user`, as a list row shows them."""
    assigned_to_me = CaseAssignment.objects.filter(case=OuterRef("pk"), user_id=user.pk)
    # Correlated subqueries rather than JOIN + GROUP BY: one row per case, so counting and paging stay cheap.
    members = (Person.objects.filter(household_id=OuterRef("household_id")).order_by()
               .values("household_id").annotate(n=Count("pk")).values("n"))
    return cases.annotate(member_count=Coalesce(Subquery(members), 0), assigned_to_me=Exists(assigned_to_me))


def paginate(queryset: QuerySet, number: Any, per_page: int, *,
             rows: Callable[[Subquery], Iterable[Any]] | None = None) -> Page:
    """A Django Paginator page in two queries: a bare COUNT, then the page's rows.

    The rows query pages the ids first (an index walk with no joins or
    subqueries) and joins and annotates only the rows of the page: a window
    count or an OFFSET over the annotated query would build every row the
    offset skips, which is what made deep pages of 40,000 cases slow.
    The rows are `queryset`'s instances with those ids, or what `rows` reads for the subquery of the ids."""
    paginator = Paginator(queryset.values("pk"), per_page)  # count() drops the ORDER BY itself
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    wanted = min(wanted, max(paginator.num_pages, 1))
    offset = (wanted - 1) * per_page
    page_ids = Subquery(queryset.values("pk")[offset:offset + per_page])
    page = paginator.page(wanted)
    page.object_list = list(queryset.filter(pk__in=page_ids) if rows is None else rows(page_ids))
    return page


@dataclass(frozen=True, slots=True)
class CaseRow:
    """What a row of the case list shows: read as plain values, not as a case, its household, organization and
    sponsor group (four model instances a row, a hundred a page)."""
    pk: int
    reference: str
    title: str
    household_name: str
    organization_name: str
    sponsor_group_name: str | None
    kind: str
    status: str
    opened_on: dt.date
    member_count: int
    assigned_to_me: bool


_CASE_ROW_VALUES = ("pk", "reference", "title", "household__name", "organization__name", "sponsor_group__name",
                    "kind", "status", "opened_on", "member_count", "assigned_to_me")


def case_list_page(*, user, query: str = "", filters: Mapping[str, Any] | None = None,
                   ordering: str = DEFAULT_CASE_ORDERING, number: Any, per_page: int) -> Page:
    """A page of `case_list` as CaseRow values.

    The count and the page's ids come from the searched and filtered cases, in the list's order; the rows are then
    read for those ids among the cases the user may see, without evaluating the search and the filters a second
    time (for a Hangul search, the bigram function ran again on every row of the page)."""
    cases = _searched_and_filtered(user=user, query=query, filters=filters or {}).order_by(*_ordering(ordering))

    def rows(page_ids: Subquery) -> list[CaseRow]:
        page = _with_row_annotations(visible_cases(user).filter(pk__in=page_ids), user).order_by(*_ordering(ordering))
        return [CaseRow(*values) for values in page.values_list(*_CASE_ROW_VALUES)]

    return paginate(cases, number, per_page, rows=rows)


def _pk(value: Any) -> int | None:
    return getattr(value, "pk", value)


def case_filter_options(user) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(pk, name) of the organizations and sponsor groups worth offering as filters: those of the user's
    memberships."""
    profile = access_profile(user)
    team_ids, org_ids = profile.volunteer_team_ids, profile.staff_org_ids
    organizations: dict[int, str] = {}
    groups: list[tuple[int, str]] = []
    # One query: organizations LEFT JOIN their teams.
    rows = (Organization.objects.filter(Q(pk__in=org_ids) | Q(teams__pk__in=team_ids)).distinct()
            .values_list("pk", "name", "teams__pk", "teams__name", "teams__kind").order_by("name", "teams__name"))
    for org_pk, org_name, team_pk, team_name, team_kind in rows:
        organizations[org_pk] = org_name
        if team_kind == Team.Kind.SPONSOR_GROUP and (org_pk in org_ids or team_pk in team_ids):
            groups.append((team_pk, team_name))
    return list(organizations.items()), groups


@dataclass(frozen=True)
class Dashboard:
    mine: list[Case]
    recent: list[Case]
    status_counts: dict[str, int]
    total: int


def dashboard(*, user, limit: int = 10) -> Dashboard:
    """Cases assigned to the user, then recent cases of their organizations, and counts by status."""
    base = visible_cases(user).select_related("organization", "household", "sponsor_group")
    mine = list(base.filter(assignments__user=user).order_by("-opened_on", "-pk")[:limit])
    profile = access_profile(user)
    recent = list(base.filter(organization_id__in=profile.staff_org_ids | _team_org_ids(profile))
                  .exclude(pk__in=[case.pk for case in mine]).order_by("-opened_on", "-pk")[:limit])
    counts = {row["status"]: row["n"] for row in
              visible_cases(user).order_by().values("status").annotate(n=Count("pk"))}
    status_counts = {value: counts.get(value, 0) for value in Case.Status.values}
    return Dashboard(mine=mine, recent=recent, status_counts=status_counts, total=sum(counts.values()))


def _team_org_ids(profile) -> frozenset[int]:
    if not profile.volunteer_team_ids:
        return frozenset()
    return frozenset(Team.objects.filter(pk__in=profile.volunteer_team_ids).values_list("organization_id", flat=True))


@dataclass(frozen=True)
class CaseDetail:
    members: list[Person]
    notes: list[Note]
    attachments: list[Attachment]
    assignments: list[CaseAssignment]
    # For the case's administrators only: what was deleted, kept to be restored (empty for everyone else).
    deleted_notes: list[Note] = field(default_factory=list)
    deleted_attachments: list[Attachment] = field(default_factory=list)


def case_detail(*, user, case: Case, perms: Permissions) -> CaseDetail:
    """What the case page shows, already reduced to what `perms` allow."""
    members = list(Person.objects.filter(household_id=case.household_id).order_by("relationship", "pk"))
    notes = visible_notes(user, case, perms)
    if perms.is_admin:  # administrators also read a note's earlier versions
        notes = notes.prefetch_related(Prefetch("versions", queryset=NoteVersion.objects.select_related(
            "replaced_by")))
    attachments = list(visible_attachments(user, case, perms))
    assignments = list(case.assignments.select_related("user").order_by("role", "assigned_at"))
    deleted_notes, deleted_attachments = deleted_items(case) if perms.is_admin else ([], [])
    return CaseDetail(members=members, notes=list(notes), attachments=attachments, assignments=assignments,
                      deleted_notes=deleted_notes, deleted_attachments=deleted_attachments)


# What a case's history leaves out unless asked for every entry: who looked at what. On a busy case the views
# outnumber the changes many times over and would push them past the page's limit.
READ_ACTIONS = (Action.VIEW, Action.LIST, Action.DOWNLOAD, Action.EXPORT)


def case_history(*, case: Case, limit: int = 500, include_reads: bool = False) -> QuerySet[AuditEntry]:
    """Audit entries of the case and of the persons of its household, newest first: the changes, or with
    `include_reads` every entry, views and downloads too."""
    person_ids = [str(pk) for pk in Person.objects.filter(household_id=case.household_id).values_list("pk", flat=True)]
    condition = Q(case_id=case.pk) | Q(object_type="people.person", object_id__in=person_ids) | Q(
        object_type="people.household", object_id=str(case.household_id))
    entries = AuditEntry.objects.filter(condition)
    if not include_reads:
        entries = entries.exclude(action__in=READ_ACTIONS)
    return entries.select_related("actor").order_by("-seq")[:limit]


def household_choices(user) -> QuerySet[Household]:
    """Households in which the user may open a case: those of organizations where they are staff."""
    return Household.objects.filter(organization_id__in=access_profile(user).staff_org_ids).select_related(
        "organization").order_by("organization__name", "reference")


def household_cases(user, household: Household) -> QuerySet[Case]:
    return (visible_cases(user).filter(household=household)
            .select_related("household", "organization", "sponsor_group").order_by("-opened_on"))


def sponsor_groups_of(organization_ids) -> QuerySet[Team]:
    return Team.objects.filter(kind=Team.Kind.SPONSOR_GROUP, organization_id__in=organization_ids).select_related(
        "organization")

