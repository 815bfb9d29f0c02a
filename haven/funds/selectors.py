"""Reads of the funds app. Every queryset starts from what the user may see (haven.cases.access):

- staff (administrators, caseworkers, legal representatives) of an organization see all of its funds: campaigns,
  donors, donations, pledges, receipts, trust accounts, families' funds and disbursements;
- a sponsor-group volunteer sees their own group's trust totals and their group's families' funds and
  disbursement schedules, never a donor, a donation or a receipt (of any group), never another family;
- analysts see aggregates only (haven.funds.reports), no record;
- anyone else gets 404, exactly as for a record that does not exist."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from haven.accounts.models import Organization, Team
from haven.cases.access import access_profile, get_visible_or_404, visible_cases
from haven.cases.models import Case
from haven.sponsorship.models import SettlementPlan
from haven.funds.models import (
    Allocation,
    Campaign,
    CharityProfile,
    Disbursement,
    Donation,
    Donor,
    FamilyFund,
    Pledge,
    Receipt,
    TrustAccount,
)

def staff_org_ids(user) -> frozenset[int]:
    return access_profile(user).staff_org_ids


def staff_organizations(user) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=staff_org_ids(user))


def visible_campaigns(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(organization_id__in=staff_org_ids(user))


def visible_donors(user) -> QuerySet[Donor]:
    return Donor.objects.filter(organization_id__in=staff_org_ids(user))


def visible_donations(user) -> QuerySet[Donation]:
    return Donation.objects.filter(organization_id__in=staff_org_ids(user))


def visible_pledges(user) -> QuerySet[Pledge]:
    return Pledge.objects.filter(organization_id__in=staff_org_ids(user))


def visible_receipts(user) -> QuerySet[Receipt]:
    return Receipt.objects.filter(organization_id__in=staff_org_ids(user))


def visible_trusts(user) -> QuerySet[TrustAccount]:
    profile = access_profile(user)
    return TrustAccount.objects.filter(Q(organization_id__in=profile.staff_org_ids)
                                       | Q(sponsor_group_id__in=profile.volunteer_team_ids))


def visible_family_cases(user) -> QuerySet[Case]:
    """Sponsorship cases whose funds the user may see: their organization's as staff, their group's as a
    volunteer. Counsel assigned from another organization sees the case, not its money."""
    profile = access_profile(user)
    return visible_cases(user).filter(
        Q(organization_id__in=profile.staff_org_ids) | Q(sponsor_group_id__in=profile.volunteer_team_ids),
        kind=Case.Kind.SPONSORSHIP)


def visible_family_funds(user) -> QuerySet[FamilyFund]:
    return FamilyFund.objects.filter(case__in=visible_family_cases(user))


def visible_allocations(user) -> QuerySet[Allocation]:
    return Allocation.objects.filter(fund__in=visible_family_funds(user))


def visible_disbursements(user) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(fund__in=visible_family_funds(user))


def _write(queryset: QuerySet, user, write: bool, org_field: str = "organization_id") -> QuerySet:
    """Changing funds is for the organization's staff: volunteers read, and get 404 on a change."""
    return queryset.filter(**{f"{org_field}__in": staff_org_ids(user)}) if write else queryset


def get_campaign_for_user(user, pk, *, write: bool = False) -> Campaign:
    return get_visible_or_404(visible_campaigns(user).select_related("organization", "sponsor_group"), pk)


def get_donor_for_user(user, pk, *, write: bool = False) -> Donor:
    return get_visible_or_404(visible_donors(user).select_related("organization"), pk)


def get_donation_for_user(user, pk, *, write: bool = False) -> Donation:
    return get_visible_or_404(visible_donations(user).select_related(
        "organization", "donor", "campaign", "case", "trust__sponsor_group", "pledge"), pk)


def get_receipt_for_user(user, pk, *, write: bool = False) -> Receipt:
    return get_visible_or_404(visible_receipts(user).select_related(
        "organization", "donation", "replaces", "issued_by", "void_requested_by", "voided_by"), pk)


def get_trust_for_user(user, pk, *, write: bool = False) -> TrustAccount:
    return get_visible_or_404(_write(visible_trusts(user), user, write).select_related("sponsor_group", "organization"), pk)


def get_family_case_for_user(user, case_pk, *, write: bool = False) -> Case:
    return get_visible_or_404(_write(visible_family_cases(user), user, write).select_related(
        "organization", "household", "sponsor_group"), case_pk)


def get_disbursement_for_user(user, pk, *, write: bool = False) -> Disbursement:
    return get_visible_or_404(_write(visible_disbursements(user), user, write, "fund__case__organization_id")
                      .select_related("fund__case", "requested_by", "approved_by"), pk)


def get_admin_organization(user, pk) -> Organization:
    """An organization the user administers (its charity details are the administrators')."""
    return get_visible_or_404(Organization.objects.filter(pk__in=access_profile(user).admin_org_ids), pk)


def charity_profile(organization) -> CharityProfile | None:
    return CharityProfile.objects.filter(organization=organization).first()


def pledge_fulfilled(pledge: Pledge):
    total = pledge.donations.filter(status=Donation.Status.RECEIVED).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))  # SQLite's sum of 100.00 comes back as 100


def sponsor_groups_of(organization_ids) -> QuerySet:
    return Team.objects.filter(organization_id__in=organization_ids, kind=Team.Kind.SPONSOR_GROUP)


def family_cases_of(organization_ids) -> QuerySet[Case]:
    return Case.objects.filter(organization_id__in=organization_ids, kind=Case.Kind.SPONSORSHIP)


def settlement_plan_of(case: Case) -> SettlementPlan | None:
    """The settlement plan of the case's sponsorship application, None when it has none."""
    return (SettlementPlan.objects.filter(application__case=case).select_related("application", "cost_table")
            .prefetch_related("cost_table__rows", "in_kind").first())
