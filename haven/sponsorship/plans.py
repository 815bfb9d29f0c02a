"""Settlement plans: which cost table is in force, the budget of a plan, and the writes to plans (creation,
in-kind donations, the support start, an extension beyond 12 months approved by a second user, a new version of
the cost table) and the end-of-support alerts. Each write validates (`check_*`), saves and audits in one
transaction."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.audit.models import Action
from haven.audit.services import created_fields, diff, record, snapshot
from haven.records import check_version, save_versioned
from haven.sponsorship.budget import BASE_MONTHS, MAX_MONTHS, Budget, TableAmounts, compute_budget
from haven.sponsorship.models import (
    CostTable,
    CostTableRow,
    InKindDonation,
    SettlementPlan,
    SponsorshipApplication,
    SupportAlert,
)
from haven.settlement.selectors import self_sufficiency
from haven.sponsorship.selectors import ALERT_DAYS, period_end


# ------------------------------------------------------------------ the cost table and the budget

def table_in_force(on: dt.date) -> CostTable:
    """The cost table version in force on `on`; ValidationError before the first stored version."""
    table = CostTable.objects.filter(effective_from__lte=on).prefetch_related("rows").first()
    if table is None:
        first = CostTable.objects.order_by("effective_from").values_list("effective_from", flat=True).first()
        raise ValidationError({"table_date": _("No cost table was in force on %(date)s (the first stored table "
                                               "starts on %(first)s).") % {"date": on.isoformat(),
                                                                            "first": first or "—"}})
    return table


def amounts_of(table: CostTable) -> TableAmounts:
    return TableAmounts(by_size={row.family_size: (row.income_support, row.start_up) for row in table.rows.all()},
                        extra_person=(table.extra_person_income_support, table.extra_person_start_up))


def parse_money(value, field: str = "in_kind") -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give an amount in dollars, such as 1200.50.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("An amount has at most two decimal places (cents).")})
    return amount


def check_budget_inputs(*, family_size: int, months: int, in_kind: Decimal, max_months: int = MAX_MONTHS) -> None:
    if family_size < 1:
        raise ValidationError({"family_size": _("A household has at least one person.")})
    if not BASE_MONTHS <= months <= max_months:
        raise ValidationError({"months": _("Income support lasts from %(low)s to %(high)s months.")
                               % {"low": BASE_MONTHS, "high": max_months}})
    if in_kind < 0:
        raise ValidationError({"in_kind": _("An amount cannot be negative.")})


def budget_for(*, family_size: int, months: int = BASE_MONTHS, in_kind: Decimal = Decimal("0"),
               on: dt.date | None = None) -> Budget:
    """The budget `haven budget` prints: validated, from the table in force on `on` (default today)."""
    check_budget_inputs(family_size=family_size, months=months, in_kind=in_kind)
    table = table_in_force(on or timezone.localdate())
    return compute_budget(amounts_of(table), family_size=family_size, months=months, in_kind=in_kind)


def plan_budget(plan: SettlementPlan) -> Budget:
    in_kind = sum((item.value for item in plan.in_kind.all()), Decimal("0"))
    return compute_budget(amounts_of(plan.cost_table), family_size=plan.family_size, months=plan.months,
                          in_kind=in_kind)


# ------------------------------------------------------------------ plans

def check_create_plan(*, application: SponsorshipApplication, family_size: int) -> None:
    if SettlementPlan.objects.filter(application=application).exists():
        raise ValidationError({"family_size": _("This application already has a settlement plan.")})
    check_budget_inputs(family_size=family_size, months=BASE_MONTHS, in_kind=Decimal("0"))


@transaction.atomic
def create_plan(*, actor, application: SponsorshipApplication, family_size: int,
                on: dt.date | None = None, support_starts_on: dt.date | None = None) -> SettlementPlan:
    """A 12-month plan on the cost table in force on `on` (default today); the plan keeps that version."""
    check_create_plan(application=application, family_size=family_size)
    table = table_in_force(on or timezone.localdate())
    plan = SettlementPlan.objects.create(application=application, cost_table=table, family_size=family_size,
                                         months=BASE_MONTHS, support_starts_on=support_starts_on, created_by=actor)
    record(actor=actor, action=Action.CREATE, obj=plan, case_id=application.case_id, changes=created_fields({
        "family_size": family_size, "cost_table": table.effective_from, "months": BASE_MONTHS,
        "support_starts_on": support_starts_on}))
    return plan


@transaction.atomic
def update_plan(*, actor, plan: SettlementPlan, family_size: int, support_starts_on: dt.date | None,
                expected_version: int | None = None) -> SettlementPlan:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs. A stale
    one raises EditConflict, even when the values sent equal the stored ones."""
    check_version(plan, expected_version)
    check_budget_inputs(family_size=family_size, months=plan.months, in_kind=Decimal("0"))
    old = snapshot(plan, ("family_size", "support_starts_on"))
    plan.family_size, plan.support_starts_on = family_size, support_starts_on
    changes = diff(old, snapshot(plan, ("family_size", "support_starts_on")))
    if changes:
        save_versioned(plan, expected_version=expected_version,
                       update_fields=["family_size", "support_starts_on", "updated_at"])
        record(actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.application.case_id, changes=changes)
    return plan


def check_in_kind(*, kind: str, value) -> Decimal:
    if kind not in InKindDonation.Kind.values:
        raise ValidationError({"kind": _("Choose what was given.")})
    return parse_money(value, "value")


@transaction.atomic
def add_in_kind(*, actor, plan: SettlementPlan, kind: str, value, description: str = "") -> InKindDonation:
    """A donation in kind (housing, furniture...) valued in dollars: it reduces the cash the plan needs."""
    amount = check_in_kind(kind=kind, value=value)
    item = InKindDonation.objects.create(plan=plan, kind=kind, value=amount, description=description.strip(),
                                         recorded_by=actor)
    record(actor=actor, action=Action.CREATE, obj=item, case_id=plan.application.case_id,
           changes=created_fields({"kind": kind, "value": amount, "description": item.description}))
    return item


def check_extension_request(*, plan: SettlementPlan, months: int, reason: str) -> None:
    longest = min(MAX_MONTHS, plan.application.program.max_months)
    if not plan.months < months <= longest:
        raise ValidationError({"months": _("An extension asks for more than the plan's %(now)s months and at "
                                           "most %(max)s (IRPR 154(3); the program's limit).")
                               % {"now": plan.months, "max": longest}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Record the reason for support beyond 12 months.")})


@transaction.atomic
def request_extension(*, actor, plan: SettlementPlan, months: int, reason: str) -> SettlementPlan:
    """Ask for more months of income support at the same monthly rate; a second user approves."""
    check_extension_request(plan=plan, months=months, reason=reason)
    plan.extension_months, plan.extension_reason = months, reason.strip()
    plan.extension_requested_by, plan.extension_approved_by, plan.extension_approved_at = actor, None, None
    # Counted as an edit (unchecked: the extension form carries no version) so a plan form opened before is stale.
    save_versioned(plan, expected_version=None, update_fields=[
        "extension_months", "extension_reason", "extension_requested_by", "extension_approved_by",
        "extension_approved_at", "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.application.case_id,
           summary="extension requested", changes={"extension_months": {"old": None, "new": months},
                                                   "extension_reason": {"old": "", "new": plan.extension_reason}})
    return plan


def check_extension_approval(*, actor, plan: SettlementPlan) -> None:
    if not plan.extension_months:
        raise ValidationError({"months": _("No extension is waiting for approval.")})
    if plan.extension_requested_by_id == actor.pk:
        raise ValidationError({"approver": _("The person who asked for the extension cannot approve it: a second "
                                             "user must.")})


@transaction.atomic
def approve_extension(*, actor, plan: SettlementPlan) -> SettlementPlan:
    check_extension_approval(actor=actor, plan=plan)
    old_months = plan.months
    plan.months, plan.extension_months = plan.extension_months, None
    plan.extension_approved_by, plan.extension_approved_at = actor, timezone.now()
    save_versioned(plan, expected_version=None, update_fields=[
        "months", "extension_months", "extension_approved_by", "extension_approved_at", "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.application.case_id,
           summary="extension approved", changes={"months": {"old": old_months, "new": plan.months}})
    return plan


# ------------------------------------------------------------------ cost table versions

def check_cost_table(*, effective_from: dt.date, rows: dict[int, tuple], extra_person: tuple) -> None:
    if CostTable.objects.filter(effective_from=effective_from).exists():
        raise ValidationError({"effective_from": _("A cost table already starts on that date; tables in use "
                                                   "are never changed, add one with a later date.")})
    if sorted(rows) != list(range(1, len(rows) + 1)) or not rows:
        raise ValidationError({"rows": _("Give the amounts for every family size from 1 up.")})
    for amount in [*(a for pair in rows.values() for a in pair), *extra_person]:
        parse_money(amount, "rows")


@transaction.atomic
def add_cost_table(*, actor, effective_from: dt.date, source: str, rows: dict[int, tuple],
                   extra_person: tuple) -> CostTable:
    """A new version of the cost table, in force from `effective_from` (plans made earlier keep theirs)."""
    check_cost_table(effective_from=effective_from, rows=rows, extra_person=extra_person)
    table = CostTable.objects.create(effective_from=effective_from, source=source.strip(),
                                     extra_person_income_support=Decimal(str(extra_person[0])),
                                     extra_person_start_up=Decimal(str(extra_person[1])))
    CostTableRow.objects.bulk_create([CostTableRow(table=table, family_size=size, income_support=Decimal(str(a)),
                                                   start_up=Decimal(str(b))) for size, (a, b) in rows.items()])
    record(actor=actor, action=Action.CREATE, obj=table, changes=created_fields({
        "effective_from": effective_from, "source": table.source,
        "rows": {size: [str(a), str(b)] for size, (a, b) in rows.items()}}))
    return table


# ------------------------------------------------------------------ alerts

def raise_due_alerts(*, today: dt.date | None = None) -> list[SupportAlert]:
    """Alerts for every plan whose sponsorship period ends in 60 or fewer (then 30 or fewer) days, once per
    threshold, each saying whether the family is self-sufficient by then: run daily from cron
    (`haven sponsorship_alerts`)."""
    today = today or timezone.localdate()
    raised = []
    plans = SettlementPlan.objects.filter(support_starts_on__isnull=False).select_related("application__case")
    for plan in plans:
        ends = period_end(plan)
        left = (ends - today).days
        if not 0 <= left <= max(ALERT_DAYS):
            continue
        days = min(threshold for threshold in ALERT_DAYS if left <= threshold)  # the tightest threshold met
        if not SupportAlert.objects.filter(plan=plan, days_before=days, period_ends_on=ends).exists():
            raised.append(_raise_alert(plan=plan, days=days, ends=ends))
    return raised


def _raise_alert(*, plan: SettlementPlan, days: int, ends: dt.date) -> SupportAlert:
    sufficient = self_sufficiency(plan.application.case).reached
    try:
        with transaction.atomic():
            alert = SupportAlert.objects.create(plan=plan, days_before=days, period_ends_on=ends,
                                                self_sufficient=sufficient)
            record(actor=None, action=Action.CREATE, obj=alert, case_id=plan.application.case_id,
                   summary=f"sponsorship period ends in {days} days or fewer",
                   changes=created_fields({"days_before": days, "period_ends_on": ends,
                                           "self_sufficient": sufficient}))
    except IntegrityError:  # raised meanwhile by another run of the command
        return SupportAlert.objects.get(plan=plan, days_before=days, period_ends_on=ends)
    return alert
