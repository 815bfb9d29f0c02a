"""The trust ledger: money held in trust per sponsor group, allocated to its families, paid out month by month.

Invariants (tested for any sequence of operations by haven/funds/tests/test_ledger_properties.py):
- per sponsor group trust, allocated never exceeds received;
- per family, paid never exceeds allocated;
- the running totals on TrustAccount and FamilyFund equal the sums of their entries (`recomputed`).

Every write locks the rows it checks (`select_for_update`, the trust before the family, always in that order so
two writers cannot deadlock) and checks under the lock, so concurrent writers cannot overdraw. The database's
check constraints (haven.funds.models) would refuse an overdraft even if a check were forgotten.

A disbursement needs a second user's approval: whoever planned (requested) it cannot approve it."""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.audit.models import Action
from haven.audit.services import record
from haven.cases.models import Case
from haven.funds import selectors
from haven.funds.models import Allocation, Disbursement, Donation, FamilyFund, TrustAccount
from haven.funds.money import check_amount, cents
from haven.funds.services import check_staff, locked_trust
from haven.sponsorship.plans import plan_budget
from haven.records.dates import check_not_future

SECOND_USER = _("A second person must approve this: the person who requested it cannot approve it.")


def check_family_case(case: Case) -> None:
    if case.kind != Case.Kind.SPONSORSHIP:
        raise ValidationError({"case": _("Funds are allocated to sponsored families (private sponsorship "
                                         "cases) only.")})
    if case.sponsor_group_id is None:
        raise ValidationError({"case": _("This family has no sponsor group yet: its funds are held in trust by "
                                         "a sponsor group.")})


def _locked_fund(case: Case, trust: TrustAccount) -> FamilyFund:
    FamilyFund.objects.get_or_create(case=case, defaults={"trust": trust})
    return FamilyFund.objects.select_for_update().get(case=case)


def check_allocate(*, actor, case: Case, trust: TrustAccount, amount) -> Decimal:
    check_staff(actor, case.organization_id)
    check_family_case(case)
    amount = check_amount(amount, "amount")
    if trust.allocated + amount > trust.received:
        raise ValidationError({"amount": _("Only %(available)s of the trust is not yet allocated: a family "
                                           "cannot be given more than the group has received.")
                               % {"available": cents(trust.received - trust.allocated)}})
    return amount


def allocate(*, actor, case: Case, amount, allocated_on: dt.date | None = None, note: str = "") -> Allocation:
    """Allocate `amount` of the family's sponsor-group trust to the family."""
    allocated_on = allocated_on or timezone.localdate()
    check_family_case(case)
    check_not_future(allocated_on, organization=case.organization, field="allocated_on")
    with transaction.atomic():
        trust = locked_trust(case.sponsor_group)
        amount = check_allocate(actor=actor, case=case, trust=trust, amount=amount)
        fund = _locked_fund(case, trust)
        allocation = Allocation.objects.create(fund=fund, amount=amount, allocated_on=allocated_on, note=note,
                                               created_by=actor)
        trust.allocated += amount
        trust.save(update_fields=["allocated"])
        fund.allocated += amount
        fund.save(update_fields=["allocated"])
        record(actor=actor, action=Action.CREATE, obj=allocation, case_id=case.pk, summary="allocated from trust",
               changes={"amount": cents(amount), "trust": trust.pk, "allocated_on": allocated_on})
    return allocation


def check_plan(*, actor, case: Case, schedule: Sequence[tuple[dt.date, Decimal]]) -> list[tuple[dt.date, Decimal]]:
    check_staff(actor, case.organization_id)
    check_family_case(case)
    if not schedule:
        raise ValidationError({"schedule": _("The support schedule has no month.")})
    rows = [(due_on, check_amount(amount, "schedule")) for due_on, amount in schedule]
    dates = [due_on for due_on, _amount in rows]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise ValidationError({"schedule": _("The schedule's months must be in order, one payment a date.")})
    return rows


def plan_disbursements(*, actor, case: Case,
                       schedule: Sequence[tuple[dt.date, Decimal]]) -> list[Disbursement]:
    """Plan one disbursement per (due date, amount) of the support schedule (haven.sponsorship's settlement plan
    gives it). Months already planned and not paid or cancelled are replaced; paid months stay as they are.
    Each planned disbursement waits for a second user's approval (`approve_disbursement`)."""
    rows = check_plan(actor=actor, case=case, schedule=schedule)
    with transaction.atomic():
        fund = _locked_fund(case, locked_trust(case.sponsor_group))
        pending = fund.disbursements.filter(status__in=[Disbursement.Status.PLANNED, Disbursement.Status.APPROVED])
        replaced = pending.update(status=Disbursement.Status.CANCELLED)
        first_month = fund.disbursements.filter(status=Disbursement.Status.PAID).count() + 1
        planned = Disbursement.objects.bulk_create([
            Disbursement(fund=fund, month=first_month + index, due_on=due_on, amount=amount, requested_by=actor)
            for index, (due_on, amount) in enumerate(rows)])
        record(actor=actor, action=Action.CREATE, obj=fund, case_id=case.pk, summary="disbursements planned",
               changes={"months": len(planned), "total": cents(sum((a for _d, a in rows), Decimal("0"))),
                        "replaced": replaced, "first_due": rows[0][0], "ids": [d.pk for d in planned]})
    return planned


def _locked_disbursement(disbursement: Disbursement) -> tuple[Disbursement, FamilyFund]:
    fund = FamilyFund.objects.select_for_update(of=("self",)).select_related("case").get(pk=disbursement.fund_id)
    return Disbursement.objects.select_for_update().get(pk=disbursement.pk), fund


def check_approve_disbursement(*, actor, disbursement: Disbursement, fund: FamilyFund) -> None:
    check_staff(actor, fund.case.organization_id)
    if disbursement.status != Disbursement.Status.PLANNED:
        raise ValidationError(_("Only a disbursement awaiting approval can be approved."))
    if disbursement.requested_by_id == actor.pk:
        raise ValidationError(SECOND_USER)


def approve_disbursement(*, actor, disbursement: Disbursement) -> Disbursement:
    with transaction.atomic():
        disbursement, fund = _locked_disbursement(disbursement)
        check_approve_disbursement(actor=actor, disbursement=disbursement, fund=fund)
        disbursement.status, disbursement.approved_by = Disbursement.Status.APPROVED, actor
        disbursement.approved_at = timezone.now()
        disbursement.save(update_fields=["status", "approved_by", "approved_at"])
        record(actor=actor, action=Action.UPDATE, obj=disbursement, case_id=fund.case_id,
               summary="disbursement approved", changes={"status": "approved", "amount": cents(disbursement.amount)})
    return disbursement


def check_pay_disbursement(*, actor, disbursement: Disbursement, fund: FamilyFund, paid_on: dt.date) -> None:
    check_staff(actor, fund.case.organization_id)
    if disbursement.status != Disbursement.Status.APPROVED:
        raise ValidationError(_("A disbursement is paid once a second person has approved it."))
    check_not_future(paid_on, organization=fund.case.organization, field="paid_on")
    if fund.paid + disbursement.amount > fund.allocated:
        raise ValidationError(_("The family has %(unpaid)s allocated and not yet paid: allocate more from the "
                                "trust before paying %(amount)s.")
                              % {"unpaid": cents(fund.allocated - fund.paid), "amount": cents(disbursement.amount)})


def pay_disbursement(*, actor, disbursement: Disbursement, paid_on: dt.date | None = None) -> Disbursement:
    paid_on = paid_on or timezone.localdate()
    with transaction.atomic():
        disbursement, fund = _locked_disbursement(disbursement)
        check_pay_disbursement(actor=actor, disbursement=disbursement, fund=fund, paid_on=paid_on)
        disbursement.status, disbursement.paid_on, disbursement.paid_by = Disbursement.Status.PAID, paid_on, actor
        disbursement.save(update_fields=["status", "paid_on", "paid_by"])
        fund.paid += disbursement.amount
        fund.save(update_fields=["paid"])
        record(actor=actor, action=Action.UPDATE, obj=disbursement, case_id=fund.case_id,
               summary="disbursement paid", changes={"status": "paid", "paid_on": paid_on,
                                                     "amount": cents(disbursement.amount)})
    return disbursement


def cancel_disbursement(*, actor, disbursement: Disbursement) -> Disbursement:
    with transaction.atomic():
        disbursement, fund = _locked_disbursement(disbursement)
        check_staff(actor, fund.case.organization_id)
        if disbursement.status not in (Disbursement.Status.PLANNED, Disbursement.Status.APPROVED):
            raise ValidationError(_("A paid or cancelled disbursement cannot be cancelled."))
        disbursement.status = Disbursement.Status.CANCELLED
        disbursement.save(update_fields=["status"])
        record(actor=actor, action=Action.UPDATE, obj=disbursement, case_id=fund.case_id,
               summary="disbursement cancelled", changes={"status": "cancelled"})
    return disbursement


@dataclass(frozen=True)
class Balances:
    received: Decimal
    allocated: Decimal
    paid: Decimal


def recomputed(trust: TrustAccount) -> tuple[Balances, dict[int, Balances]]:
    """The trust's and each family's totals from the entries themselves (donations, allocations, paid
    disbursements), with aggregate queries: what the running totals must equal."""
    received = Donation.objects.filter(trust=trust, status=Donation.Status.RECEIVED).aggregate(
        total=Sum("amount"))["total"] or Decimal("0")
    families = {}
    rows = FamilyFund.objects.filter(trust=trust).annotate(
        given=Sum("allocations__amount", distinct=False)).values_list("pk", "given")
    paid = dict(FamilyFund.objects.filter(trust=trust).annotate(
        out=Sum("disbursements__amount", filter=Q(disbursements__status=Disbursement.Status.PAID)))
        .values_list("pk", "out"))
    for pk, given in rows:
        families[pk] = Balances(received=Decimal("0"), allocated=given or Decimal("0"),
                                paid=paid.get(pk) or Decimal("0"))
    allocated = sum((b.allocated for b in families.values()), Decimal("0"))
    return Balances(received=received, allocated=allocated,
                    paid=sum((b.paid for b in families.values()), Decimal("0"))), families


def _monthly_dates(first_due_on: dt.date, months: int) -> list[dt.date]:
    """One date a month from `first_due_on` (a day past the month's end moves to its last day)."""
    dates = []
    for index in range(months):
        year, month = divmod(first_due_on.month - 1 + index, 12)
        year, month = first_due_on.year + year, month + 1
        dates.append(dt.date(year, month, min(first_due_on.day, calendar.monthrange(year, month)[1])))
    return dates


def flat_schedule(first_due_on: dt.date, months: int, amount: Decimal) -> list[tuple[dt.date, Decimal]]:
    """`months` equal payments, one a month from `first_due_on`: the planning form's schedule, the fallback for a
    family without a settlement plan (`schedule_from_settlement_plan`)."""
    return [(due_on, amount) for due_on in _monthly_dates(first_due_on, months)]


def schedule_from_settlement_plan(case: Case) -> list[tuple[dt.date, Decimal]]:
    """The family's support schedule as (due date, amount) rows: one a month of the settlement plan's budget
    schedule (haven.sponsorship.plans.plan_budget, whose cents sum exactly to the income support), the first on
    the plan's support start, or on the family's arrival when the start is not recorded yet."""
    plan = selectors.settlement_plan_of(case)
    if plan is None:
        raise ValidationError({"schedule": _("This family has no settlement plan: plan the months by hand.")})
    first = plan.support_starts_on or plan.application.arrived_on
    if first is None:
        raise ValidationError({"schedule": _("The settlement plan has no support start and the family has not "
                                             "arrived yet: record the start of support on the plan first.")})
    amounts = plan_budget(plan).schedule
    return list(zip(_monthly_dates(first, len(amounts)), amounts))
