"""Reads of the sponsorship records. Every queryset starts from `visible_applications(user)`, built on
haven.cases.access.visible_cases: an outsider and a missing id get the same Http404."""
from __future__ import annotations

import csv
import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from haven.accounts.models import Organization, Team
from haven.cases.access import (
    Permissions,
    access_profile,
    case_permissions,
    get_visible_or_404,
    not_found,
    visible_cases,
)
from haven.settlement.selectors import self_sufficiency
from haven.sponsorship import stages
from haven.sponsorship.models import (
    EligibilityAnswer,
    SettlementPlan,
    SponsorProfile,
    SponsorshipApplication,
    Stage,
)
from haven.stats.published import seed_paths

PILOT_TARGET_FAMILIES = 5  # "five families over two years" (hanvoice.ca press release, 26 Oct 2021)
PILOT_TARGET_MONTHS = 24
ALERT_DAYS = (60, 30)


def visible_applications(user) -> QuerySet[SponsorshipApplication]:
    return SponsorshipApplication.objects.filter(case__in=visible_cases(user))


@dataclass(frozen=True)
class ApplicationAccess:
    """What the user may do with one application: read (perms), and write only as staff of its organization
    (a volunteer reads their group's family; counsel assigned to the case reads it)."""

    perms: Permissions
    can_write: bool


def get_application_for_user(user, pk, *, write: bool = False) -> tuple[SponsorshipApplication, ApplicationAccess]:
    application = get_visible_or_404(
        visible_applications(user).select_related("case", "case__household", "case__organization", "sponsor_group",
                                                  "program", "organization"), pk)
    perms = case_permissions(user, application.case)
    can_write = application.organization_id in access_profile(user).staff_org_ids
    if perms is None or (write and not can_write):
        raise not_found()
    return application, ApplicationAccess(perms, can_write)


def staff_organizations(user) -> QuerySet[Organization]:
    """The sponsorship organizations where the user is staff (they manage sponsor groups and applications)."""
    return Organization.objects.filter(pk__in=access_profile(user).staff_org_ids,
                                       kind=Organization.Kind.SPONSORSHIP)


def sponsor_groups_of(user) -> QuerySet[Team]:
    """Sponsor groups whose profiles the user may see: all of their organizations' as staff, their own as a
    volunteer."""
    profile = access_profile(user)
    return Team.objects.filter(Q(pk__in=sorted(profile.volunteer_team_ids))
                               | Q(organization_id__in=sorted(profile.staff_org_ids)), kind=Team.Kind.SPONSOR_GROUP)


def visible_sponsor_profiles(user) -> QuerySet[SponsorProfile]:
    return SponsorProfile.objects.filter(team__in=sponsor_groups_of(user)).select_related("team")


def get_sponsor_profile_for_user(user, pk, *, write: bool = False) -> SponsorProfile:
    try:
        profile = SponsorProfile.objects.select_related("team", "team__organization").get(pk=int(pk))
    except (SponsorProfile.DoesNotExist, TypeError, ValueError):
        raise not_found() from None
    access = access_profile(user)
    staff = profile.team.organization_id in access.staff_org_ids
    if not (staff or profile.team_id in access.volunteer_team_ids) or (write and not staff):
        raise not_found()
    return profile


def plan_of(application: SponsorshipApplication) -> SettlementPlan | None:
    return (SettlementPlan.objects.select_related("cost_table", "extension_requested_by", "extension_approved_by")
            .prefetch_related("cost_table__rows", "in_kind").filter(application=application).first())


def answer_history(case) -> list[EligibilityAnswer]:
    return list(EligibilityAnswer.objects.filter(case=case).select_related("answered_by")
                .order_by("-answered_at", "-pk"))


def current_answers(case) -> dict[str, EligibilityAnswer]:
    """The latest answer to each question."""
    latest: dict[str, EligibilityAnswer] = {}
    for answer in answer_history(case):
        latest.setdefault(answer.question, answer)
    return latest


def application_timeline(application: SponsorshipApplication, today: dt.date):
    """(the effective steps with the time spent in each stage, every recorded row including corrections,
    total days)."""
    rows = list(application.events.select_related("recorded_by").order_by("pk"))
    steps = stages.effective(rows)
    periods = stages.periods(steps)
    total = stages.total_days(application.started_on, application.arrived_on, today)
    return periods, rows, total


# ------------------------------------------------------------------ the organization's pipeline

def pipeline_queue(user) -> QuerySet[SponsorshipApplication]:
    """The queue: priority first, then the longest waiting."""
    return (visible_applications(user)
            .select_related("case", "case__household", "sponsor_group", "program")
            .order_by("-priority", "started_on", "pk"))


def stage_counts(applications: QuerySet) -> list[tuple[str, str, int]]:
    counts = dict(applications.order_by().values_list("stage").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in Stage.choices]


def aggregate_scope(user) -> QuerySet[SponsorshipApplication]:
    """Applications counted in aggregates: the user's visible ones, plus for analysts their organizations' (they
    see figures, never rows)."""
    profile = access_profile(user)
    if profile.analyst_org_ids:
        return SponsorshipApplication.objects.filter(organization_id__in=profile.analyst_org_ids) \
            | visible_applications(user)
    return visible_applications(user)


def percentile(values: list[int], fraction: float) -> float | None:
    """Nearest-rank percentile (0 < fraction <= 1); None for no values."""
    if not values:
        return None
    ordered_values = sorted(values)
    rank = max(1, -(-int(fraction * 100) * len(ordered_values) // 100))
    return float(ordered_values[min(rank, len(ordered_values)) - 1])


@dataclass(frozen=True)
class Durations:
    count: int
    median_days: float | None
    p90_days: float | None


def durations(applications: QuerySet, today: dt.date) -> dict[str, Durations]:
    """Organization-wide times: from submission to arrival (the families who arrived), and the age of the
    applications still open (from preparation to today)."""
    rows = list(applications.order_by().values_list("started_on", "submitted_on", "arrived_on", "decision"))
    processed = [(arrived - submitted).days for _, submitted, arrived, _ in rows if submitted and arrived]
    open_ages = [(today - started).days for started, _, arrived, decision in rows
                 if arrived is None and decision != "refused"]
    return {
        "processing": Durations(len(processed), statistics.median(processed) if processed else None,
                                percentile(processed, 0.9)),
        "open": Durations(len(open_ages), statistics.median(open_ages) if open_ages else None,
                          percentile(open_ages, 0.9)),
    }


def published_comparison() -> list[dict[str, str]]:
    """The published processing times to compare with (seed-statistics.csv: about three years from Thailand
    under PSR; about a month for South Korea and a year for the United States), with their source."""
    wanted = {"Private sponsorship from Thailand", "Comparators"}
    with open(seed_paths()[0], encoding="utf-8", newline="") as handle:
        return [{"source": row["source"], "published": row["published"], "subject": row["subject"],
                 "value": row["value"], "unit": row["unit"], "statement": row["statement"]}
                for row in csv.DictReader(handle) if row["subject"] in wanted]


def arrivals_against_target(applications: QuerySet, today: dt.date) -> list[tuple[dt.date, int, float]]:
    """Per month of the last two years: (month, families arrived so far in the window, the pilot's target line
    rising to five families at the end)."""
    start = (today.replace(day=1) - dt.timedelta(days=PILOT_TARGET_MONTHS * 31)).replace(day=1)
    arrivals = sorted(applications.order_by().filter(arrived_on__gte=start).values_list("arrived_on", flat=True))
    points, month = [], start
    for index in range(PILOT_TARGET_MONTHS + 1):
        arrived = sum(1 for day in arrivals if day < _next_month(month))
        points.append((month, arrived, PILOT_TARGET_FAMILIES * index / PILOT_TARGET_MONTHS))
        month = _next_month(month)
    return points


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def support_ending(user, today: dt.date | None = None) -> list[tuple[SettlementPlan, dt.date, int, bool]]:
    """Plans of visible applications whose sponsorship period ends within 60 days: (plan, end, days left,
    whether the family is self-sufficient by haven.settlement's rule)."""
    today = today or timezone.localdate()
    plans = (SettlementPlan.objects.filter(application__in=visible_applications(user),
                                           support_starts_on__isnull=False)
             .select_related("application", "application__case"))
    result = []
    for plan in plans:
        ends = period_end(plan)
        left = (ends - today).days
        if 0 <= left <= max(ALERT_DAYS):
            result.append((plan, ends, left, self_sufficiency(plan.application.case).reached))
    return sorted(result, key=lambda item: item[1])


def period_end(plan: SettlementPlan) -> dt.date:
    """The day after the last month of income support."""
    start = plan.support_starts_on
    month = start.month - 1 + plan.months
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                          31, 31, 30, 31, 30, 31][month - 1])
    return dt.date(year, month, day)


def support_month(plan: SettlementPlan, today: dt.date) -> int | None:
    """Which month of income support `today` falls in (1..months), None before the start or after the end."""
    if plan.support_starts_on is None or today < plan.support_starts_on or today >= period_end(plan):
        return None
    months = (today.year - plan.support_starts_on.year) * 12 + today.month - plan.support_starts_on.month
    if today.day < plan.support_starts_on.day:
        months -= 1
    return months + 1
