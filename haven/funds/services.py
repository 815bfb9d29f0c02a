"""Writes of the funds app: campaigns, donors, pledges, donations and the charity's receipt details.

Each public action checks (`check_*`, translated messages keyed by field), saves and writes its audit row in one
transaction. Receipts are in haven.funds.receipts, the trust ledger (allocations, disbursements) in
haven.funds.ledger; both follow the same shape."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organization, Team
from haven.audit.models import Action
from haven.audit.services import record
from haven.cases.access import access_profile
from haven.cases.models import Case
from haven.funds.models import Campaign, CharityProfile, Donation, Donor, Pledge, TrustAccount
from haven.funds.money import check_amount, cents
from haven.records import check_version, save_versioned
from haven.records.dates import check_not_future

CHARITY_FIELDS = ("legal_name", "address", "registration_number", "place_of_issue", "signatory_name",
                  "signatory_title", "cra_website")


def check_staff(actor, organization_id: int) -> None:
    """Money is handled by the organization's staff (administrators, caseworkers, legal representatives)."""
    if organization_id not in access_profile(actor).staff_org_ids:
        raise ValidationError(_("Only the organization's staff may record or change its funds."))


def check_sponsor_group(group: Team | None, organization_id: int, field: str = "sponsor_group") -> None:
    if group is not None and (group.organization_id != organization_id or group.kind != Team.Kind.SPONSOR_GROUP):
        raise ValidationError({field: _("Choose one of the organization's sponsor groups.")})


# --- charity details -----------------------------------------------------------------------------------------


def save_charity_profile(*, actor, organization: Organization, expected_version: int | None = None,
                         **fields: str) -> CharityProfile:
    """Create or update the organization's charity details. `expected_version`: the version of the details the
    writer read (haven.records.versioning), None for internal jobs or a writer who saw none yet."""
    if organization.pk not in access_profile(actor).admin_org_ids:
        raise ValidationError(_("Only the organization's administrators may change its charity details."))
    unknown = set(fields) - set(CHARITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown charity fields {sorted(unknown)}")
    for name in ("legal_name", "address", "registration_number", "place_of_issue", "signatory_name"):
        if not str(fields.get(name, "")).strip():
            raise ValidationError({name: _("This field is required on an official receipt.")})
    with transaction.atomic():
        profile, created = CharityProfile.objects.get_or_create(organization=organization, defaults=fields)
        if not created:
            check_version(profile, expected_version)
            for name, value in fields.items():
                setattr(profile, name, value)
            save_versioned(profile, expected_version=expected_version, update_fields=[*fields, "updated_at"])
        record(actor=actor, action=Action.CREATE if created else Action.UPDATE, obj=profile,
               summary="charity details", changes=dict(fields))
    return profile


# --- campaigns and donors ------------------------------------------------------------------------------------


def check_create_campaign(*, actor, organization: Organization, name: str, goal, starts_on: dt.date,
                          ends_on: dt.date | None, sponsor_group: Team | None) -> Decimal:
    check_staff(actor, organization.pk)
    if not name.strip():
        raise ValidationError({"name": _("Give the campaign a name.")})
    check_sponsor_group(sponsor_group, organization.pk)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A campaign cannot end before it starts.")})
    return check_amount(goal, "goal")


def create_campaign(*, actor, organization: Organization, name: str, goal, starts_on: dt.date,
                    ends_on: dt.date | None = None, description: str = "",
                    sponsor_group: Team | None = None) -> Campaign:
    goal = check_create_campaign(actor=actor, organization=organization, name=name, goal=goal,
                                 starts_on=starts_on, ends_on=ends_on, sponsor_group=sponsor_group)
    with transaction.atomic():
        campaign = Campaign.objects.create(organization=organization, name=name.strip(), goal=goal,
                                           starts_on=starts_on, ends_on=ends_on, description=description,
                                           sponsor_group=sponsor_group, created_by=actor)
        record(actor=actor, action=Action.CREATE, obj=campaign, summary=f"campaign {campaign.name}",
               changes={"goal": cents(goal), "starts_on": starts_on, "ends_on": ends_on})
    return campaign


def create_donor(*, actor, organization: Organization, name: str, kind: str = Donor.Kind.PERSON,
                 email: str = "", phone: str = "", address: str = "") -> Donor:
    check_staff(actor, organization.pk)
    if not name.strip():
        raise ValidationError({"name": _("Enter the donor's name.")})
    if kind not in Donor.Kind.values:
        raise ValidationError({"kind": _("Choose a person or an organization.")})
    with transaction.atomic():
        donor = Donor.objects.create(organization=organization, name=name.strip(), kind=kind, email=email,
                                     phone=phone, address=address)
        # Contact details stay out of the audit log: it says which fields were given, not their values.
        record(actor=actor, action=Action.CREATE, obj=donor, summary="donor",
               changes={"kind": kind, "contact": [f for f, v in (("email", email), ("phone", phone),
                                                                  ("address", address)) if v]})
    return donor


def check_create_pledge(*, actor, donor: Donor, campaign: Campaign | None, amount, pledged_on: dt.date,
                        due_on: dt.date | None) -> Decimal:
    check_staff(actor, donor.organization_id)
    if campaign is not None and campaign.organization_id != donor.organization_id:
        raise ValidationError({"campaign": _("Choose one of the organization's campaigns.")})
    check_not_future(pledged_on, organization=donor.organization, field="pledged_on")
    if due_on is not None and due_on < pledged_on:
        raise ValidationError({"due_on": _("A pledge cannot fall due before it was made.")})
    return check_amount(amount, "amount")


def create_pledge(*, actor, donor: Donor, amount, pledged_on: dt.date, campaign: Campaign | None = None,
                  due_on: dt.date | None = None) -> Pledge:
    amount = check_create_pledge(actor=actor, donor=donor, campaign=campaign, amount=amount,
                                 pledged_on=pledged_on, due_on=due_on)
    with transaction.atomic():
        pledge = Pledge.objects.create(organization_id=donor.organization_id, donor=donor, campaign=campaign,
                                       amount=amount, pledged_on=pledged_on, due_on=due_on, created_by=actor)
        record(actor=actor, action=Action.CREATE, obj=pledge, summary="pledge",
               changes={"amount": cents(amount), "campaign": campaign.pk if campaign else None})
    return pledge


# --- donations -----------------------------------------------------------------------------------------------


def _check_designation(organization_id: int, *, donor, campaign, case, pledge, sponsor_group) -> None:
    if donor is not None and donor.organization_id != organization_id:
        raise ValidationError({"donor": _("Choose one of the organization's donors.")})
    if campaign is not None and campaign.organization_id != organization_id:
        raise ValidationError({"campaign": _("Choose one of the organization's campaigns.")})
    if case is not None and (case.organization_id != organization_id or case.kind != Case.Kind.SPONSORSHIP):
        raise ValidationError({"case": _("A gift can be designated to one of the organization's sponsored "
                                         "families only.")})
    check_sponsor_group(sponsor_group, organization_id)
    if case is not None and sponsor_group is not None and case.sponsor_group_id not in (None, sponsor_group.pk):
        raise ValidationError({"sponsor_group": _("A gift designated to a family is held in trust for that "
                                                  "family's sponsor group.")})
    if pledge is not None and (donor is None or pledge.donor_id != donor.pk):
        raise ValidationError({"pledge": _("A gift fulfils a pledge of the same donor only.")})


def check_record_donation(*, actor, organization: Organization, amount, advantage, received_on: dt.date,
                          donor: Donor | None, campaign: Campaign | None, case: Case | None,
                          pledge: Pledge | None, sponsor_group: Team | None) -> tuple[Decimal, Decimal]:
    check_staff(actor, organization.pk)
    amount = check_amount(amount, "amount")
    advantage = check_amount(advantage, "advantage", allow_zero=True)
    if advantage >= amount:
        raise ValidationError({"advantage": _("The advantage must be less than the gift: otherwise there is no "
                                              "gift to receipt (Income Tax Act s. 248(31)).")})
    check_not_future(received_on, organization=organization, field="received_on")
    _check_designation(organization.pk, donor=donor, campaign=campaign, case=case, pledge=pledge,
                       sponsor_group=sponsor_group)
    if pledge is not None:
        given = pledge.donations.filter(status=Donation.Status.RECEIVED).aggregate(total=Sum("amount"))["total"]
        outstanding = pledge.amount - (given or 0)
        if amount > outstanding:
            raise ValidationError({"pledge": _("This gift is more than what remains of the pledge "
                                               "(%(outstanding)s): record the difference as a separate gift.")
                                   % {"outstanding": cents(outstanding)}})
    return amount, advantage


def trust_group(*, case: Case | None, campaign: Campaign | None, sponsor_group: Team | None) -> Team | None:
    """The sponsor group whose trust receives a gift: the one chosen, else the designated family's, else the
    campaign's. A gift for none of them stays in the organization's general funds."""
    if sponsor_group is not None:
        return sponsor_group
    if case is not None and case.sponsor_group_id:
        return case.sponsor_group
    if campaign is not None and campaign.sponsor_group_id:
        return campaign.sponsor_group
    return None


def locked_trust(group: Team) -> TrustAccount:
    """The group's trust account, created on first use, locked until the end of the caller's transaction."""
    TrustAccount.objects.get_or_create(sponsor_group=group, defaults={"organization_id": group.organization_id})
    return TrustAccount.objects.select_for_update().get(sponsor_group=group)


def record_donation(*, actor, organization: Organization, amount, received_on: dt.date,
                    method: str = Donation.Method.CHEQUE, donor: Donor | None = None, anonymous: bool = False,
                    campaign: Campaign | None = None, case: Case | None = None, pledge: Pledge | None = None,
                    sponsor_group: Team | None = None, advantage=Decimal("0"),
                    advantage_description: str = "") -> Donation:
    amount, advantage = check_record_donation(
        actor=actor, organization=organization, amount=amount, advantage=advantage, received_on=received_on,
        donor=donor, campaign=campaign, case=case, pledge=pledge, sponsor_group=sponsor_group)
    if method not in Donation.Method.values:
        raise ValidationError({"method": _("Choose how the gift was made.")})
    group = trust_group(case=case, campaign=campaign, sponsor_group=sponsor_group)
    with transaction.atomic():
        trust = locked_trust(group) if group is not None else None
        donation = Donation.objects.create(
            organization=organization, donor=donor, amount=amount, advantage=advantage,
            advantage_description=advantage_description, received_on=received_on, method=method,
            anonymous=anonymous, campaign=campaign, case=case, trust=trust, pledge=pledge, created_by=actor)
        if trust is not None:
            trust.received += amount
            trust.save(update_fields=["received"])
        record(actor=actor, action=Action.CREATE, obj=donation, case_id=case.pk if case else None,
               summary="donation received", changes={
                   "amount": cents(amount), "received_on": received_on, "method": method,
                   "campaign": campaign.pk if campaign else None, "trust": trust.pk if trust else None,
                   "pledge": pledge.pk if pledge else None, "anonymous": anonymous})
    return donation


def check_void_donation(*, actor, donation: Donation, trust: TrustAccount | None, reason: str) -> None:
    check_staff(actor, donation.organization_id)
    if donation.status == Donation.Status.VOID:
        raise ValidationError(_("This gift is already cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the gift is cancelled.")})
    if donation.receipts.filter(status="issued").exists():
        raise ValidationError(_("An official receipt was issued for this gift: void the receipt first."))
    if trust is not None and trust.received - donation.amount < trust.allocated:
        raise ValidationError(_("Cancelling this gift would leave the trust with less than it has allocated to "
                                "families (%(allocated)s): the ledger must balance.")
                              % {"allocated": cents(trust.allocated)})


def void_donation(*, actor, donation: Donation, reason: str) -> Donation:
    """Cancel a gift recorded in error (it stays in the ledger, marked cancelled, with its reason)."""
    with transaction.atomic():
        trust = TrustAccount.objects.select_for_update().get(pk=donation.trust_id) if donation.trust_id else None
        donation = Donation.objects.select_for_update().get(pk=donation.pk)
        check_void_donation(actor=actor, donation=donation, trust=trust, reason=reason)
        donation.status, donation.void_reason = Donation.Status.VOID, reason.strip()
        donation.save(update_fields=["status", "void_reason"])
        if trust is not None:
            trust.received -= donation.amount
            trust.save(update_fields=["received"])
        record(actor=actor, action=Action.UPDATE, obj=donation, case_id=donation.case_id,
               summary="donation cancelled", changes={"status": "void", "reason": reason.strip()})
    return donation
