"""Funds reports: campaign progress and its chart, the families' needed/raised/allocated/paid/months remaining,
and the ledger rows for CSV and XLSX. Aggregate queries only (one per figure, whatever the number of gifts): the
bench (bench/funds_bench.py) holds them under 200 ms over 100,000 donations."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.sponsorship.models import SettlementPlan
from haven.sponsorship.plans import plan_budget
from haven.cases.models import Case
from haven.funds.models import Allocation, Campaign, Disbursement, Donation, FamilyFund
from haven.stats.charts import render_svg

ZERO = Decimal("0.00")


def _cents(value) -> Decimal:
    """A sum as it reads: two decimal places (SQLite gives back 3000 for 3000.00)."""
    return Decimal(value or 0).quantize(ZERO)
LIVE = Q(status=Donation.Status.RECEIVED)


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    raised: Decimal
    gifts: int

    @property
    def percent(self) -> int:
        """Whole percent of the goal raised, capped at 100 for the bar."""
        return min(100, int(self.raised * 100 / self.campaign.goal)) if self.campaign.goal else 0

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.campaign.goal - self.raised)


def campaign_progress(campaigns: Iterable[Campaign]) -> list[CampaignProgress]:
    campaigns = list(campaigns)
    totals = {row["campaign"]: row for row in Donation.objects.filter(LIVE, campaign__in=campaigns)
              .values("campaign").annotate(raised=Sum("amount"), gifts=Count("id"))}
    return [CampaignProgress(c, _cents(totals.get(c.pk, {}).get("raised")), totals.get(c.pk, {}).get("gifts", 0))
            for c in campaigns]


def raised_over_time(campaign: Campaign) -> list[tuple[dt.date, Decimal]]:
    """(day, cumulative amount raised by the end of that day), one row per day with gifts."""
    rows = (Donation.objects.filter(LIVE, campaign=campaign).values("received_on")
            .annotate(total=Sum("amount")).order_by("received_on"))
    running, series = ZERO, []
    for row in rows:
        running += _cents(row["total"])
        series.append((row["received_on"], running))
    return series


def campaign_chart(campaign: Campaign, series: list[tuple[dt.date, Decimal]] | None = None) -> str:
    series = raised_over_time(campaign) if series is None else series
    if not series:
        series = [(campaign.starts_on, ZERO)]
    categories = [day.isoformat() for day, _total in series]
    return render_svg(title=_("Raised against goal: %(name)s") % {"name": campaign.name}, categories=categories,
                      series=[(_("Raised"), [total for _day, total in series]),
                              (_("Goal"), [campaign.goal] * len(series))], kind="line")


@dataclass(frozen=True)
class FamilyRow:
    case: Case
    needed: Decimal
    raised: Decimal
    allocated: Decimal
    paid: Decimal
    months_remaining: int


def family_rows(cases) -> list[FamilyRow]:
    """Per family. `needed` is the cash its settlement plan needs (income support and start-up, less in-kind
    gifts: haven.sponsorship.plans.plan_budget) or, for a family without a plan, the total of the months planned
    for it, cancelled months aside."""
    cases = list(cases.select_related("household", "sponsor_group").order_by("reference"))
    plans = {plan.application.case_id: plan for plan in SettlementPlan.objects.filter(
        application__case__in=cases).select_related("application", "cost_table").prefetch_related(
        "cost_table__rows", "in_kind")}
    raised = dict(Donation.objects.filter(LIVE, case__in=cases).values("case").annotate(t=Sum("amount"))
                  .values_list("case", "t"))
    funds = {fund.case_id: fund for fund in FamilyFund.objects.filter(case__in=cases).annotate(
        needed=Sum("disbursements__amount", filter=~Q(disbursements__status=Disbursement.Status.CANCELLED)),
        left=Count("disbursements", filter=Q(disbursements__status__in=[Disbursement.Status.PLANNED,
                                                                          Disbursement.Status.APPROVED])))}
    rows = []
    for case in cases:
        fund = funds.get(case.pk)
        plan = plans.get(case.pk)
        needed = plan_budget(plan).cash_needed if plan else _cents(fund.needed if fund else None)
        rows.append(FamilyRow(case=case, needed=needed,
                              raised=_cents(raised.get(case.pk)), allocated=fund.allocated if fund else ZERO,
                              paid=fund.paid if fund else ZERO, months_remaining=fund.left if fund else 0))
    return rows


def organization_totals(organization_ids) -> dict[str, Decimal]:
    """Aggregates an analyst may see: money received, allocated to families and paid out."""
    received = Donation.objects.filter(LIVE, organization_id__in=organization_ids).aggregate(t=Sum("amount"))["t"]
    funds = FamilyFund.objects.filter(case__organization_id__in=organization_ids).aggregate(
        allocated=Sum("allocated"), paid=Sum("paid"))
    return {"received": _cents(received), "allocated": _cents(funds["allocated"]), "paid": _cents(funds["paid"])}


def ledger_rows(organization_ids) -> list[list]:
    """Every movement of money, oldest first: gifts received (donors not named: the ledger is about money),
    allocations to families and disbursements paid."""
    rows = []
    for gift in (Donation.objects.filter(organization_id__in=organization_ids)
                 .select_related("campaign", "trust__sponsor_group", "case")):
        rows.append([gift.received_on, _("Gift received"), gift.get_status_display(), gift.amount,
                     gift.trust.sponsor_group.name if gift.trust_id else _("General funds"),
                     gift.case.reference if gift.case_id else "", gift.campaign.name if gift.campaign_id else ""])

    for allocation in Allocation.objects.filter(fund__case__organization_id__in=organization_ids).select_related(
            "fund__case", "fund__trust__sponsor_group"):
        rows.append([allocation.allocated_on, _("Allocated to family"), "", allocation.amount,
                     allocation.fund.trust.sponsor_group.name, allocation.fund.case.reference, ""])
    for month in Disbursement.objects.filter(fund__case__organization_id__in=organization_ids,
                                             status=Disbursement.Status.PAID).select_related(
            "fund__case", "fund__trust__sponsor_group"):
        rows.append([month.paid_on, _("Disbursement paid"), "", month.amount, month.fund.trust.sponsor_group.name,
                     month.fund.case.reference, ""])
    rows.sort(key=lambda row: row[0] or timezone.localdate())
    return rows


def ledger_header() -> list[str]:
    return [_("Date"), _("Movement"), _("Status"), _("Amount"), _("Sponsor group"), _("Family"), _("Campaign")]
