"""Funds records of the Maple personas (haven.testing.personas), shared by the funds tests and the route-access
test: a campaign, a donor, a gift designated to the Ri family with its receipt, the group A trust with an
allocation and a planned month of support."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from haven.funds import ledger, receipts, services

DONOR_NAME = "Haneul Philanthropy Circle"
DONOR_ADDRESS = "12 Bloor Street West, Toronto ON M4W 1A8"


def charity(t):
    return services.save_charity_profile(
        actor=t.admin, organization=t.org, legal_name="Maple Sponsorship Society",
        address="100 Queen Street, Ottawa ON K1P 1J9", registration_number="123456789RR0001",
        place_of_issue="Ottawa", signatory_name="Jane Doe", signatory_title="Treasurer")


def build_maple_funds(t) -> None:
    """Sets campaign, donor, donation, receipt, trust, allocation, disbursement and pledge on `t`."""
    charity(t)
    today = dt.date.today()
    t.campaign = services.create_campaign(actor=t.owner, organization=t.org, name="Pilot families 2026",
                                          goal=Decimal("250000.00"), starts_on=today - dt.timedelta(days=60),
                                          sponsor_group=t.group_a)
    t.donor = services.create_donor(actor=t.owner, organization=t.org, name=DONOR_NAME,
                                    kind="organization", email="give@haneul.test", address=DONOR_ADDRESS)
    t.pledge = services.create_pledge(actor=t.owner, donor=t.donor, campaign=t.campaign,
                                      amount=Decimal("5000.00"), pledged_on=today - dt.timedelta(days=30))
    t.donation = services.record_donation(actor=t.owner, organization=t.org, donor=t.donor,
                                          amount=Decimal("3000.00"), received_on=today - dt.timedelta(days=2),
                                          campaign=t.campaign, case=t.case, pledge=t.pledge)
    t.receipt = receipts.issue_receipt(actor=t.owner, donation=t.donation)
    t.trust = t.donation.trust
    t.allocation = ledger.allocate(actor=t.owner, case=t.case, amount=Decimal("2000.00"))
    t.disbursement = ledger.plan_disbursements(
        actor=t.owner, case=t.case, schedule=[(today + dt.timedelta(days=10), Decimal("1500.00"))])[0]
