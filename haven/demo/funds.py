"""The demo's money: the pilot's $250,000 campaign ("five families in two years") with gifts, pledges and official
receipts, the sponsor groups' trusts, allocations to families and one family's monthly support under way, planned
from its settlement plan's schedule (three months paid, the fourth approved, the rest waiting for approval). Invented donors; everything goes through the
funds services, so the demo's ledger balances and is audited like real work."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from haven.cases.models import Case
from haven.funds import ledger, receipts, services

GOAL = Decimal("250000.00")
DONORS = (
    ("person", "Ji-woo K. Han 한지우", "45 Yonge Street, Toronto ON M5E 1J4"),
    ("person", "Margaret L. Osei", "210 Rideau Street, Ottawa ON K1N 5Y1"),
    ("organization", "Maplewood Korean Church", "88 Sheppard Avenue West, Toronto ON M2N 1M2"),
    ("person", "Daniel S. Tremblay", "1450 Rue Peel, Montréal QC H3A 1S8"),
    ("person", "Seo-yeon P. Lim 임서연", "3 Granville Street, Vancouver BC V6C 1T2"),
    ("organization", "Northern Lights Foundation", "500 Portage Avenue, Winnipeg MB R3C 0G6"),
    ("person", "Priya R. Natarajan", "77 King Street North, Waterloo ON N2J 2X3"),
    ("person", "Tae-hoon C. Baek 백태훈", "19 Bloor Street East, Toronto ON M4W 1A9"),
)


def load_funds(*, organization, caseworker, approver, seed: int) -> dict[str, int]:
    """Called by haven.demo.services once the sponsorship organization's cases exist."""
    rng = random.Random(seed + 11)
    today = timezone.localdate()
    services.save_charity_profile(
        actor=approver, organization=organization, legal_name=organization.name,
        address="400 University Avenue, Suite 1200, Toronto ON M5G 1S5", registration_number="861234567RR0001",
        place_of_issue="Toronto", signatory_name="Grace Yoon", signatory_title="Treasurer")
    families = list(Case.objects.filter(organization=organization, kind=Case.Kind.SPONSORSHIP,
                                        sponsor_group__isnull=False).select_related("sponsor_group")
                    .order_by("reference"))
    campaign = services.create_campaign(
        actor=caseworker, organization=organization, name="Five families in two years", goal=GOAL,
        starts_on=today - dt.timedelta(days=540), ends_on=today + dt.timedelta(days=190),
        sponsor_group=families[0].sponsor_group if families else None,
        description="The pilot's fundraising: 12 months of support and start-up costs for five families.")
    donors = [services.create_donor(actor=caseworker, organization=organization, kind=kind, name=name,
                                    address=address, email=f"donor{n}@example.org")
              for n, (kind, name, address) in enumerate(DONORS)]
    pledge = services.create_pledge(actor=caseworker, donor=donors[2], campaign=campaign, amount="30000.00",
                                    pledged_on=today - dt.timedelta(days=500), due_on=today + dt.timedelta(days=120))
    gifts = _gifts(rng, organization, caseworker, campaign, donors, pledge, families, today)
    issued = 0
    for gift in gifts:
        if gift.donor_id and not gift.anonymous:
            receipts.issue_receipt(actor=caseworker, donation=gift)
            issued += 1
    months = _support(caseworker, approver, families, today)
    return {"gifts": len(gifts), "receipts": issued, "disbursements": months}


def _gifts(rng, organization, caseworker, campaign, donors, pledge, families, today) -> list:
    gifts = []
    for n in range(36):
        donor = donors[n % len(donors)]
        amount = Decimal(rng.choice([100, 250, 500, 1000, 2500, 5000])) + Decimal(rng.randrange(0, 100)) / 100
        gifts.append(services.record_donation(
            actor=caseworker, organization=organization, donor=donor, amount=amount, campaign=campaign,
            received_on=today - dt.timedelta(days=530 - n * 14), method=rng.choice(["cheque", "e_transfer", "card"]),
            anonymous=n % 9 == 4))
    for n in range(3):  # the church's pledge, paid in instalments
        gifts.append(services.record_donation(
            actor=caseworker, organization=organization, donor=pledge.donor, amount="10000.00", campaign=campaign,
            pledge=pledge, received_on=today - dt.timedelta(days=400 - n * 120), method="cheque"))
    for family in families[1:5]:  # gifts designated to a family go to its sponsor group's trust
        gifts.append(services.record_donation(
            actor=caseworker, organization=organization, donor=donors[rng.randrange(len(donors))],
            amount="12000.00", case=family, campaign=campaign, received_on=today - dt.timedelta(days=90)))
    gifts.append(services.record_donation(actor=caseworker, organization=organization, amount="75.00",
                                          anonymous=True, method="cash", campaign=campaign,
                                          received_on=today - dt.timedelta(days=20)))
    return gifts


def _support(caseworker, approver, families, today) -> int:
    """The first family arrived about three months ago: its months planned from its settlement plan's schedule
    (the sponsorship demo made the plan), three months paid, the fourth approved."""
    if not families:
        return 0
    arrived = families[0]
    schedule = ledger.schedule_from_settlement_plan(arrived)
    ledger.allocate(actor=caseworker, case=arrived, amount=sum((amount for _due, amount in schedule), Decimal("0")),
                    note=f"{len(schedule)} months of income support")
    months = ledger.plan_disbursements(actor=caseworker, case=arrived, schedule=schedule)
    for month in months[:4]:
        ledger.approve_disbursement(actor=approver, disbursement=month)
    for month in months[:3]:
        ledger.pay_disbursement(actor=caseworker, disbursement=month, paid_on=month.due_on)
    for family in families[1:3]:
        if family.sponsor_group_id:
            ledger.allocate(actor=caseworker, case=family, amount="5000.00", note="Start-up costs")
    return len(months)
