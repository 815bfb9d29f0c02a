"""Reads of settlement records. Every queryset starts from haven.cases.access.visible_cases(user); one record is
fetched through get_visible_or_404, so an outsider and a missing id get the same 404.

What each reader sees (docs/settlement.md):
- staff with the case's full permissions: everything but restricted notes;
- the case's designated workers (staff named on the case): restricted notes too, every read audited;
- sponsor-group volunteers: the practical details only: milestones, and goals, referrals and assessment
  ratings outside the health domains (physical health, mental health and trauma), never an assessment's
  summary or a rating's comment, never restricted notes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from haven.audit.services import record_views
from haven.cases.access import (
    Permissions,
    access_profile,
    case_permissions_or_404,
    get_visible_or_404,
    not_found,
    visible_cases,
)
from haven.cases.models import Case
from haven.settlement.models import (
    SENSITIVE_DOMAINS,
    Assessment,
    DesignatedWorker,
    Domain,
    DomainRating,
    Goal,
    Milestone,
    MonthlyBudget,
    Provider,
    Referral,
    RestrictedNote,
)

# The self-sufficiency rule (docs/settlement.md): this many consecutive months of the household's own income
# covering its needs, and every milestone of CORE_MILESTONES done.
MONTHS_REQUIRED = 3
CORE_MILESTONES = (Milestone.Kind.SIN, Milestone.Kind.HEALTH_CARD, Milestone.Kind.BANK_ACCOUNT,
                   Milestone.Kind.LEASE_SIGNED, Milestone.Kind.FIRST_JOB)


def practical_only(perms: Permissions) -> bool:
    """True for readers who see only the practical details (sponsor-group volunteers)."""
    return not perms.see_confidential


def _trim_sensitive(queryset: QuerySet, perms: Permissions) -> QuerySet:
    return queryset.exclude(domain__in=SENSITIVE_DOMAINS) if practical_only(perms) else queryset


# --- cases and designations ---------------------------------------------------------------------------------

def is_designated(user, case: Case) -> bool:
    return user.is_authenticated and DesignatedWorker.objects.filter(case=case, user=user).exists()


def may_read_restricted(user, case: Case, perms: Permissions | None) -> bool:
    """Restricted notes: staff with the case's full permissions whom the case names as designated workers."""
    return bool(perms and perms.see_confidential and is_designated(user, case))


def may_designate(user, case: Case) -> bool:
    """Designations are managed by the staff (administrators, caseworkers) of the case's own organization."""
    return case.organization_id in access_profile(user).staff_org_ids


def designations(case: Case) -> list[DesignatedWorker]:
    return list(case.designated_workers.select_related("user"))


# --- one record for a user -----------------------------------------------------------------------------------

def _case_child(user, queryset: QuerySet, pk, *, write: bool, sensitive_field: str | None = "domain"):
    item = get_visible_or_404(queryset.filter(case__in=visible_cases(user)).select_related("case"), pk)
    perms = case_permissions_or_404(user, item.case, write=write)
    if sensitive_field and practical_only(perms) and getattr(item, sensitive_field) in SENSITIVE_DOMAINS:
        raise not_found()
    return item, perms


def get_assessment_for_user(user, pk, *, write: bool = False) -> tuple[Assessment, Permissions]:
    return _case_child(user, Assessment.objects.select_related("person", "assessed_by"), pk, write=write,
                       sensitive_field=None)


def get_goal_for_user(user, pk, *, write: bool = False) -> tuple[Goal, Permissions]:
    return _case_child(user, Goal.objects.all(), pk, write=write)


def get_referral_for_user(user, pk, *, write: bool = False) -> tuple[Referral, Permissions]:
    return _case_child(user, Referral.objects.select_related("provider"), pk, write=write)


def get_milestone_for_user(user, pk, *, write: bool = False) -> tuple[Milestone, Permissions]:
    return _case_child(user, Milestone.objects.all(), pk, write=write, sensitive_field=None)


def get_budget_for_user(user, pk, *, write: bool = False) -> tuple[MonthlyBudget, Permissions]:
    item, perms = _case_child(user, MonthlyBudget.objects.all(), pk, write=write, sensitive_field=None)
    if practical_only(perms):  # a family's income is not a practical detail
        raise not_found()
    return item, perms


def get_designation_for_user(user, pk) -> DesignatedWorker:
    item = get_visible_or_404(DesignatedWorker.objects.filter(case__in=visible_cases(user))
                              .select_related("case", "user"), pk)
    if not may_designate(user, item.case):
        raise not_found()
    return item


def visible_restricted_notes(user) -> QuerySet[RestrictedNote]:
    """Restricted notes of the visible cases that name `user` as a designated worker (staff only: checked
    again per case by get_restricted_note_for_user and restricted_notes_of)."""
    return RestrictedNote.objects.filter(case__in=visible_cases(user), case__designated_workers__user=user)


def get_restricted_note_for_user(user, pk, *, write: bool = False) -> RestrictedNote:
    """One restricted note, its read audited; 404 for anyone the case does not name (as for a missing note)."""
    note = get_visible_or_404(visible_restricted_notes(user).select_related("case", "author"), pk)
    perms = case_permissions_or_404(user, note.case, write=write)
    if not may_read_restricted(user, note.case, perms):
        raise not_found()
    if not write:
        record_views(actor=user, objects=[(note, note.case_id)])
    return note


def restricted_notes_of(user, case: Case, perms: Permissions) -> list[RestrictedNote]:
    """The case's restricted notes for a designated worker, each read audited; 404 for anyone else."""
    if not may_read_restricted(user, case, perms):
        raise not_found()
    notes = list(case.restricted_notes.select_related("author"))
    record_views(actor=user, objects=[(note, case.pk) for note in notes])
    return notes


# --- providers -----------------------------------------------------------------------------------------------

def visible_providers(user) -> QuerySet[Provider]:
    """The provider directories of the organizations where `user` is staff."""
    return Provider.objects.filter(organization_id__in=access_profile(user).staff_org_ids)


def get_provider_for_user(user, pk) -> Provider:
    return get_visible_or_404(visible_providers(user).select_related("organization"), pk)


def providers_for_case(case: Case) -> QuerySet[Provider]:
    return Provider.objects.filter(organization_id=case.organization_id)


# --- lists of one case ---------------------------------------------------------------------------------------

def assessments_of(case: Case, perms: Permissions) -> list[Assessment]:
    ratings = _trim_sensitive(DomainRating.objects.all(), perms)
    return list(case.assessments.select_related("person", "assessed_by")
                .prefetch_related(Prefetch("ratings", queryset=ratings)))


def ratings_of(assessment: Assessment, perms: Permissions) -> list[DomainRating]:
    return list(_trim_sensitive(assessment.ratings.all(), perms))


def goals_of(case: Case, perms: Permissions) -> list[Goal]:
    return list(_trim_sensitive(case.settlement_goals.select_related("person"), perms))


def referrals_of(case: Case, perms: Permissions) -> list[Referral]:
    return list(_trim_sensitive(case.referrals.select_related("provider", "person"), perms))


@dataclass(frozen=True)
class MilestoneRow:
    kind: str
    label: str  # lazy: printed in the language of the page or document that shows it
    done_on: dt.date | None
    milestone: Milestone | None
    core: bool


def milestone_rows(case: Case) -> list[MilestoneRow]:
    """Every milestone in the plan's order, done (with its date) or not yet."""
    done = {m.kind: m for m in case.milestones.all()}
    return [MilestoneRow(kind=kind, label=label, done_on=done[kind].done_on if kind in done else None,
                         milestone=done.get(kind), core=kind in CORE_MILESTONES)
            for kind, label in Milestone.Kind.choices]


def budgets_of(case: Case, perms: Permissions) -> list[MonthlyBudget]:
    return [] if practical_only(perms) else list(case.monthly_budgets.all())


# --- the self-sufficiency indicator --------------------------------------------------------------------------

@dataclass(frozen=True)
class SelfSufficiency:
    reached: bool
    covered_months: int  # consecutive months, up to the latest recorded, whose income covered the needs
    months_required: int
    missing_milestones: list[str] = field(default_factory=list)
    latest_month: dt.date | None = None

    @property
    def explanation(self) -> str:
        if self.reached:
            return _("Self-sufficient: income has covered the household's needs for %(n)d consecutive months "
                     "and the core milestones are done.") % {"n": self.covered_months}
        parts = [_("%(covered)d of %(required)d consecutive months of income covering needs.")
                 % {"covered": self.covered_months, "required": self.months_required}]
        if self.missing_milestones:
            parts.append(_("Core milestones not yet done: %(list)s.") % {"list": ", ".join(self.missing_milestones)})
        return " ".join(parts)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def covered_streak(entries: list[tuple[dt.date, Decimal, Decimal]]) -> int:
    """Consecutive calendar months, ending at the latest entry, whose income is at least the needs. A month
    with no entry breaks the run, as a month of shortfall does."""
    streak, expected = 0, None
    for month, income, needs in sorted(entries, reverse=True):
        if expected is not None and _next_month(month) != expected:
            break
        if income < needs:
            break
        streak, expected = streak + 1, month
    return streak


def self_sufficiency(case: Case) -> SelfSufficiency:
    """The case's household against the rule of docs/settlement.md. Used on the family's page and by the
    sponsorship end-of-period alerts: a pure read, no user involved (callers have checked access)."""
    entries = list(case.monthly_budgets.values_list("month", "income", "needs"))
    streak = covered_streak(entries)
    done = set(case.milestones.values_list("kind", flat=True))
    missing = [str(Milestone.Kind(kind).label) for kind in CORE_MILESTONES if kind not in done]
    latest = max((month for month, _i, _n in entries), default=None)
    return SelfSufficiency(reached=streak >= MONTHS_REQUIRED and not missing, covered_months=streak,
                           months_required=MONTHS_REQUIRED, missing_milestones=missing, latest_month=latest)


def domain_label(code: str) -> str:
    return str(Domain(code).label)
