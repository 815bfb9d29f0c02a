"""Reads of claims and deadlines. A claim is reached only through its case's access rules."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.db.models.expressions import RawSQL

from haven.cases.access import Permissions, case_permissions_or_404, get_visible_or_404, visible_cases
from haven.cases.models import Attachment, Case
from haven.claims.labels import deadline_status, holiday_rule_note, recess_note
from haven.claims.models import OPEN_OR_LATE, Claim, ClaimEvent, Deadline, DeadlineRule, EvidenceItem, LegalIssue


CASE_ID_LIST_LIMIT = 5000


# The claim's case is read with what get_case_for_user reads with it, so that views find the same case.
_CLAIM_RELATED = ("claimant", "case", "case__organization", "case__household", "case__sponsor_group")


def visible_claims(user) -> QuerySet[Claim]:
    """Claims of the cases the user may see."""
    return Claim.objects.filter(case_id__in=visible_cases(user).values("pk"))


def visible_claim_events(user) -> QuerySet[ClaimEvent]:
    return ClaimEvent.objects.filter(claim__case_id__in=visible_cases(user).values("pk"))


def visible_evidence_items(user) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(issue__claim__case_id__in=visible_cases(user).values("pk"))


def get_claim_for_user(user, pk, *, write: bool = False) -> tuple[Claim, Permissions]:
    """The claim and the user's permissions on its case; Http404 for outsiders, exactly as for a missing claim."""
    claim = get_visible_or_404(visible_claims(user).select_related(*_CLAIM_RELATED), pk)
    return claim, case_permissions_or_404(user, claim.case, write=write)


def get_event_for_user(user, pk, *, write: bool = False) -> tuple[ClaimEvent, Permissions]:
    event = get_visible_or_404(
        visible_claim_events(user).select_related(*(f"claim__{name}" for name in _CLAIM_RELATED)), pk)
    return event, case_permissions_or_404(user, event.claim.case, write=write)


def get_evidence_item_for_user(user, pk, *, write: bool = False) -> tuple[EvidenceItem, Permissions]:
    item = get_visible_or_404(
        visible_evidence_items(user).select_related(*(f"issue__claim__{name}" for name in _CLAIM_RELATED)), pk)
    return item, case_permissions_or_404(user, item.issue.claim.case, write=write)


def claims_of_case(case) -> QuerySet[Claim]:
    return Claim.objects.filter(case=case).select_related("claimant").order_by("pk")


def timeline(claim: Claim) -> list[ClaimEvent]:
    return list(claim.events.select_related("recorded_by").order_by("occurred_on", "pk"))


def claim_deadlines(claim: Claim) -> list[Deadline]:
    return list(claim.deadlines.select_related("rule").order_by("completed_on", "due_on"))


class ClaimDeadline(NamedTuple):
    """A deadline on the claim page: the row, its DeadlineStatus, how a holiday moves it and the recess note."""

    deadline: Deadline
    status: str
    holiday_note: str
    recess_note: str


def claim_deadline_rows(claim: Claim, *, today: dt.date) -> list[ClaimDeadline]:
    rows = []
    for deadline in claim_deadlines(claim):
        rule = deadline.rule
        rows.append(ClaimDeadline(
            deadline,
            deadline_status(due_on=deadline.due_on, completed_on=deadline.completed_on,
                            responsible=rule.responsible, today=today),
            holiday_rule_note(direction=rule.direction, rollover=rule.rollover),
            recess_note(key=rule.key, skip_fc_recess=rule.skip_fc_recess)))
    return rows


def issues_with_evidence(claim: Claim, perms: Permissions) -> list[LegalIssue]:
    """Legal issues with their checklist; volunteers see no confidential attachment (and no issue notes)."""
    attachments = Attachment.objects.order_by("pk")
    if not perms.see_confidential:
        attachments = attachments.filter(confidential=False)
    items = EvidenceItem.objects.order_by("pk").prefetch_related(Prefetch("attachments", queryset=attachments))
    return list(claim.issues.order_by("pk").prefetch_related(Prefetch("evidence", queryset=items)))


def open_deadlines(user, *, today: dt.date, ahead_days: int | None = None,
                   overdue_days: int | None = None, include_met_late: bool = False) -> QuerySet[Deadline]:
    """Open deadlines of the user's visible cases, overdue first: due up to `ahead_days` from today and overdue
    by at most `overdue_days` (older ones are assumed handled outside Haven). Bare rows, no related objects.
    `include_met_late`: also the deadlines met after their due date (the late list keeps them)."""
    ahead = getattr(settings, "HAVEN_DEADLINE_PAGE_DAYS", 60) if ahead_days is None else ahead_days
    overdue = getattr(settings, "HAVEN_DEADLINE_OVERDUE_DAYS", 90) if overdue_days is None else overdue_days
    cases = visible_cases(user).order_by().values("pk")
    # A few thousand visible cases: probing the (case, due_on) open-deadline index per case beats scanning every
    # open deadline of the database; for larger sets the subquery lets the planner choose.
    case_ids = list(cases.order_by().values_list("pk", flat=True)[:CASE_ID_LIST_LIMIT + 1])
    if len(case_ids) <= CASE_ID_LIST_LIMIT:
        # On PostgreSQL the ids travel as one array parameter (thousands of separate parameters cost more
        # to bind than the query takes to run), written out here: quicker than the driver's list adapter.
        cases = RawSQL("SELECT unnest(%s::bigint[])", ["{" + ",".join(map(str, case_ids)) + "}"]) \
            if connection.vendor == "postgresql" else case_ids
    # Deadlines for information (e.g. the PRRA bar) are never listed as overdue.
    information = DeadlineRule.objects.filter(responsible=DeadlineRule.Responsible.INFORMATION).values("pk")
    state = OPEN_OR_LATE if include_met_late else Q(completed_on__isnull=True)
    return (Deadline.objects
            .filter(state, case_id__in=cases,
                    due_on__gte=today - dt.timedelta(days=overdue), due_on__lte=today + dt.timedelta(days=ahead))
            .exclude(rule_id__in=information, due_on__lt=today)
            .order_by("due_on", "pk"))


def visible_deadlines(user, *, today: dt.date, ahead_days: int | None = None,
                      overdue_days: int | None = None) -> QuerySet[Deadline]:
    """open_deadlines as model rows with their rule, claim reference and case reference."""
    return (open_deadlines(user, today=today, ahead_days=ahead_days, overdue_days=overdue_days)
            .select_related("rule")
            .prefetch_related(Prefetch("claim", queryset=Claim.objects.only("pk", "reference")),
                              Prefetch("case", queryset=Case.objects.only("pk", "reference"))))


class DeadlineRow(NamedTuple):
    """One line of the deadlines page, with everything the template shows already worked out."""

    pk: int
    claim_id: int
    key: str
    due_on: dt.date
    label: str
    citation: str
    claim_reference: str
    case_reference: str
    status: str  # a labels.DeadlineStatus: overdue, today, open, or met_late (kept on the late list)


def deadlines_page(user, *, today: dt.date, number, per_page: int) -> tuple[list[DeadlineRow], Page]:
    """One page of open_deadlines (Paginator.get_page's rules for the page number) as DeadlineRows.

    Two queries whatever the number of deadlines: the page's ids with the total count (a window count over
    the same index scan, so the visible cases are probed once), then the page's labels and references."""
    open_rows = open_deadlines(user, today=today, include_met_late=True)

    def fetch(number: int) -> list[tuple]:
        start = (number - 1) * per_page
        # Only columns of the (case, due_on) INCLUDE (id, rule) index: an index-only scan where the visibility
        # map allows; the page's other columns come with its labels.
        return list(open_rows.annotate(total=Window(Count("pk")))
                    .values_list("pk", "due_on", "total")[start:start + per_page])

    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    page_rows = fetch(number) if number >= 1 else []
    if page_rows:
        total = page_rows[0][2]
    else:  # no deadline, or a page number out of range: Paginator.get_page shows the last page
        total = open_rows.count()
        last = max(1, -(-total // per_page))
        if number != last:
            number = last
            page_rows = fetch(number) if total else []
    labels = {pk: rest for pk, *rest in Deadline.objects.filter(pk__in=[row[0] for row in page_rows]).values_list(
        "pk", "claim_id", "key", "rule__label", "rule__citation", "claim__reference", "case__reference",
        "completed_on", "rule__responsible")}
    rows = [DeadlineRow(pk, claim_id, key, due_on, label, citation, claim_ref, case_ref,
                        deadline_status(due_on=due_on, completed_on=completed_on, responsible=responsible,
                                        today=today))
            for pk, due_on, _ in page_rows if pk in labels
            for claim_id, key, label, citation, claim_ref, case_ref, completed_on, responsible in [labels[pk]]]
    paginator = Paginator(range(total), per_page)
    return rows, Page(rows, number, paginator)
