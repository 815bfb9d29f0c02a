"""Reads of claims and deadlines. A claim is reached only through its case's access rules."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from types import SimpleNamespace
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.urls import reverse

from haven.cases.access import Permissions, case_permissions_or_404, get_visible_or_404, visible_cases
from haven.cases.models import Attachment, Case
from haven.claims.deadlines import Rule, office_closure_doubt, office_closures_counted
from haven.claims.labels import (
    deadline_status,
    holiday_rule_note,
    member_tag,
    office_closure_note,
    recess_note,
    trigger_label,
)
from haven.claims.models import (
    OPEN_OR_LATE,
    Claim,
    ClaimEvent,
    Deadline,
    DeadlineRule,
    EvidenceItem,
    JoinedClaimant,
    LegalIssue,
)
from haven.claims.triggers import TRIGGERS
from haven.people.display import name_for_language


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


def visible_claimants(user) -> QuerySet[JoinedClaimant]:
    return JoinedClaimant.objects.filter(claim__case_id__in=visible_cases(user).values("pk"))


def get_claimant_for_user(user, pk, *, write: bool = False) -> tuple[JoinedClaimant, Permissions]:
    """One person's record in a claim file, through the claim's case (Http404 for outsiders)."""
    claimant = get_visible_or_404(
        visible_claimants(user).select_related("person", *(f"claim__{name}" for name in _CLAIM_RELATED)), pk)
    return claimant, case_permissions_or_404(user, claimant.claim.case, write=write)


def claimant_outcomes(claim: Claim, deadlines: Iterable[ClaimDeadline] = ()) -> list[JoinedClaimant]:
    """Each person of the claim file with their outcome, the principal claimant first; each joined member with
    `number` (their place among the joined members, as feeds and e-mails name them) and `own_deadlines`: their
    stored deadlines among `deadlines` (claim_deadline_rows), those their own decision and steps start. A claim
    written in bulk (an import) may have no records yet: its people are then shown following the claim's
    decision."""
    rows = list(claim.claimants.select_related("person").order_by("-is_principal", "pk"))
    if not rows:
        people = [claim.claimant, *claim.members.order_by("pk")]
        rows = [JoinedClaimant(claim=claim, person=person, is_principal=person.pk == claim.claimant_id,
                               outcome=claim.outcome, outcome_on=claim.outcome_on) for person in people]
    by_member: dict[int, list[ClaimDeadline]] = {}
    for row in deadlines:
        if row.deadline.claimant_id is not None:
            by_member.setdefault(row.deadline.claimant_id, []).append(row)
    number = 0
    for row in rows:
        number += 0 if row.is_principal else 1
        row.number = 0 if row.is_principal else number
        row.own_deadlines = by_member.get(row.pk, []) if row.pk else []
    return rows


def joined_members(claim: Claim) -> list[JoinedClaimant]:
    """The claim's joined members' records (not the principal's), with their person, in the claim page's order."""
    return list(claim.claimants.filter(is_principal=False).select_related("person").order_by("pk"))


def member_tags(deadlines: Iterable[Deadline]) -> dict[int, str]:
    """{deadline id: " · joined member N"} for joined members' deadlines: what feeds and e-mails add to a deadline
    to say whose it is without a name. One query, none when no deadline is a member's."""
    numbers = member_numbers(d.claimant_id for d in deadlines)
    return {d.pk: " · " + member_tag(numbers[d.claimant_id]) for d in deadlines if d.claimant_id in numbers}


def member_numbers(claimant_ids: Iterable[int | None]) -> dict[int, int]:
    """{JoinedClaimant id: its place among its claim's joined members, 1, 2, ...}: how the calendar feeds and
    e-mails, which carry no names, say whose deadline it is. One query, none when no id is given."""
    ids = {pk for pk in claimant_ids if pk is not None}
    if not ids:
        return {}
    numbers: dict[int, int] = {}
    counts: dict[int, int] = {}
    for claim_id, pk in (JoinedClaimant.objects.filter(
            claim_id__in=JoinedClaimant.objects.filter(pk__in=ids).values("claim_id"), is_principal=False)
            .order_by("claim_id", "pk").values_list("claim_id", "pk")):
        counts[claim_id] = numbers[pk] = counts.get(claim_id, 0) + 1
    return {pk: numbers[pk] for pk in ids if pk in numbers}


def get_deadline_for_user(user, pk) -> tuple[Deadline, Permissions]:
    deadline = get_visible_or_404(
        Deadline.objects.filter(case_id__in=visible_cases(user).values("pk"))
        .select_related("rule", "claim", "case", "case__organization", "case__sponsor_group", "claimant__person"), pk)
    return deadline, case_permissions_or_404(user, deadline.case)


def claims_of_case(case) -> QuerySet[Claim]:
    return Claim.objects.filter(case=case).select_related("claimant").order_by("pk")


def timeline(claim: Claim) -> list[ClaimEvent]:
    """The claim's steps in order, its joined members' own steps among them (`claimant`, with the person)."""
    return list(claim.events.select_related("recorded_by", "claimant__person").order_by("occurred_on", "pk"))


def claim_deadlines(claim: Claim) -> list[Deadline]:
    """The claim's deadlines, its own and its joined members' (`claimant` set, with the person), in the order of
    their due dates (met or not: the status column says which), each with `trigger_text`: what started its period,
    in words."""
    rows = list(claim.deadlines.select_related("rule", "claimant__person").order_by("due_on", "pk"))
    rule_labels = {row.key: row.rule.label for row in rows}
    missing = {row.trigger for row in rows if row.trigger not in TRIGGERS and row.trigger not in rule_labels}
    if missing:  # a period that runs from a deadline this claim no longer has (an administrator's rule)
        rule_labels.update(DeadlineRule.objects.filter(key__in=missing).values_list("key", "label"))
    for row in rows:
        row.trigger_text = trigger_label(row.trigger, rule_labels)
    return rows


class ClaimDeadline(NamedTuple):
    """A deadline on the claim page: the row, its DeadlineStatus, how a holiday moves it, the recess note and the
    note on federal office closing days that would move it ("" when none does)."""

    deadline: Deadline
    status: str
    holiday_note: str
    recess_note: str
    closure_note: str = ""


def claim_deadline_rows(claim: Claim, *, today: dt.date) -> list[ClaimDeadline]:
    rows = []
    for deadline in claim_deadlines(claim):
        rule = deadline.rule
        rows.append(ClaimDeadline(
            deadline,
            deadline_status(due_on=deadline.due_on, completed_on=deadline.completed_on,
                            responsible=rule.responsible, today=today, lapsed=deadline.lapsed),
            holiday_rule_note(direction=rule.direction, rollover=rule.rollover),
            recess_note(key=rule.key, skip_fc_recess=rule.skip_fc_recess),
            closure_note(deadline, claim.province)))
    return rows


def closure_note(deadline: Deadline, province: str) -> str:
    """The doubt about Boxing Day and the Sunday Mondays (haven.claims.deadlines.OFFICE_CLOSURES) where it moves this
    deadline. Not said when the stored date is not the one the rule gives from its trigger (a departure period
    suspended by a stay, or a row not yet recomputed after the setting changed)."""
    doubt = office_closure_doubt(Rule.from_model(deadline.rule), deadline.trigger_on, province)
    if doubt is None or doubt.shown != deadline.due_on:
        return ""
    return office_closure_note(days=doubt.days, counted=doubt.counted, not_counted=doubt.not_counted,
                               counting=office_closures_counted())


def issues_with_evidence(claim: Claim, perms: Permissions) -> list[LegalIssue]:
    """Legal issues with their checklist; volunteers see no confidential attachment (and no issue notes)."""
    attachments = Attachment.objects.order_by("pk")
    if not perms.see_confidential:
        attachments = attachments.filter(confidential=False)
    items = EvidenceItem.objects.order_by("pk").prefetch_related(Prefetch("attachments", queryset=attachments))
    return list(claim.issues.order_by("pk").prefetch_related(Prefetch("evidence", queryset=items)))


# The deadlines page's "due" filter: how many days ahead it lists (None: no limit; -1: overdue only).
DAY_WINDOWS = {"overdue": -1, "7": 7, "30": 30, "all": None}


def open_deadlines(user, *, today: dt.date, ahead_days: int | None = None, overdue_days: int | None = None,
                   days: str = "", responsible: Iterable[str] = (), case_reference: str = "",
                   case_id: int | None = None, include_met_late: bool = False) -> QuerySet[Deadline]:
    """Open deadlines of the user's visible cases, overdue first: due up to `ahead_days` from today and overdue
    by at most `overdue_days` (older ones are assumed handled outside Haven). Bare rows, no related objects.

    Filters, each only narrowing: `days` (a key of DAY_WINDOWS, overriding `ahead_days`), `responsible`
    (DeadlineRule.Responsible values), `case_reference` (a visible case's reference, any case) or `case_id`.
    `include_met_late`: also the deadlines met after their due date (the late list keeps them)."""
    ahead = getattr(settings, "HAVEN_DEADLINE_PAGE_DAYS", 60) if ahead_days is None else ahead_days
    if days in DAY_WINDOWS:
        ahead = DAY_WINDOWS[days]
    overdue = getattr(settings, "HAVEN_DEADLINE_OVERDUE_DAYS", 90) if overdue_days is None else overdue_days
    cases = visible_cases(user).order_by()
    if case_reference:
        cases = cases.filter(reference__iexact=case_reference)
    if case_id is not None:
        cases = cases.filter(pk=case_id)
    # A few thousand visible cases: probing the (case, due_on) open-deadline index per case beats scanning every
    # open deadline of the database; for larger sets the subquery lets the planner choose.
    case_ids = list(cases.values_list("pk", flat=True)[:CASE_ID_LIST_LIMIT + 1])
    cases = cases.values("pk")
    if len(case_ids) <= CASE_ID_LIST_LIMIT:
        # On PostgreSQL the ids travel as one array parameter (thousands of separate parameters cost more
        # to bind than the query takes to run), written out here: quicker than the driver's list adapter.
        cases = RawSQL("SELECT unnest(%s::bigint[])", ["{" + ",".join(map(str, case_ids)) + "}"]) \
            if connection.vendor == "postgresql" else case_ids
    # Deadlines for information (e.g. the PRRA bar) are never listed as overdue.
    information = DeadlineRule.objects.filter(responsible=DeadlineRule.Responsible.INFORMATION).values("pk")
    state = OPEN_OR_LATE if include_met_late else Q(completed_on__isnull=True)
    rows = (Deadline.objects
            .filter(state, case_id__in=cases, due_on__gte=today - dt.timedelta(days=overdue))
            .exclude(rule_id__in=information, due_on__lt=today))
    if ahead is not None:
        rows = rows.filter(due_on__lte=today + dt.timedelta(days=ahead))
    responsible = list(responsible)
    if responsible:
        rows = rows.filter(rule_id__in=DeadlineRule.objects.filter(responsible__in=responsible).values("pk"))
    return rows.order_by("due_on", "pk")


def met_late_count(user, *, today: dt.date, **filters) -> int:
    """How many deadlines of open_deadlines' window (`filters` as it takes them) were met after their due date."""
    return (open_deadlines(user, today=today, include_met_late=True, **filters)
            .filter(completed_on__isnull=False).count())


def visible_deadlines(user, *, today: dt.date, ahead_days: int | None = None, overdue_days: int | None = None,
                      include_met_late: bool = False) -> QuerySet[Deadline]:
    """open_deadlines as model rows with their rule, claim reference and case reference."""
    return (open_deadlines(user, today=today, ahead_days=ahead_days, overdue_days=overdue_days,
                           include_met_late=include_met_late)
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
    responsible: str
    case_id: int
    status: str  # a labels.DeadlineStatus: overdue, today, open, or met_late (kept on the late list)
    days_left: int  # negative when overdue
    person: str = ""  # a joined member's deadline: the member's name in the reader's language; "" for the claim's

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def deadlines_page(user, *, today: dt.date, number, per_page: int, include_met_late: bool = True,
                   **filters) -> tuple[list[DeadlineRow], Page]:
    """One page of open_deadlines (Paginator.get_page's rules for the page number; `filters` as it takes them)
    as DeadlineRows, sorted by due date; with the deadlines met late unless `include_met_late` is False (the late
    list keeps them, marked so).

    Two queries whatever the number of deadlines: the page's ids with the total count (a window count over
    the same index scan, so the visible cases are probed once), then the page's labels and references."""
    open_rows = open_deadlines(user, today=today, include_met_late=include_met_late, **filters)

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
    rows = _deadline_rows(page_rows, today)
    paginator = Paginator(range(total), per_page)
    return rows, Page(rows, number, paginator)


# A joined member's name parts, read with the page's labels (haven.people.display.name_for_language shows them).
NAME_PARTS = ("family_name", "given_name", "family_name_hangul", "given_name_hangul")


def _deadline_rows(page_rows: list[tuple], today: dt.date) -> list[DeadlineRow]:
    """DeadlineRows of the page's (pk, due_on, total) with their labels, references and member names: one query."""
    labels = {pk: rest for pk, *rest in Deadline.objects.filter(pk__in=[row[0] for row in page_rows]).values_list(
        "pk", "claim_id", "key", "rule__label", "rule__citation", "claim__reference", "case__reference",
        "rule__responsible", "case_id", "completed_on", *(f"claimant__person__{part}" for part in NAME_PARTS))}
    rows = []
    for pk, due_on, _total in page_rows:
        if pk not in labels:
            continue
        claim_id, key, label, citation, claim_ref, case_ref, responsible, case_id, completed_on, *name = labels[pk]
        person = name_for_language(SimpleNamespace(**dict(zip(NAME_PARTS, (part or "" for part in name)))))
        rows.append(DeadlineRow(pk, claim_id, key, due_on, label, citation, claim_ref, case_ref, responsible,
                                case_id, deadline_status(due_on=due_on, completed_on=completed_on,
                                                         responsible=responsible, today=today),
                                (due_on - today).days, person))
    return rows


def linked_deadline_rows(rows: list[DeadlineRow]) -> list[tuple[DeadlineRow, str, str]]:
    """(row, claim URL, case URL) for each row, with one reverse() of each per page, not one per row."""
    claim_url = reverse("claim_detail", kwargs={"pk": 0}).rsplit("0/", 1)
    case_url = reverse("case_detail", kwargs={"pk": 0}).rsplit("0/", 1)
    return [(row, f"{claim_url[0]}{row.claim_id}/{claim_url[1]}", f"{case_url[0]}{row.case_id}/{case_url[1]}")
            for row in rows]
