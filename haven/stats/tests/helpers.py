"""Hand-built claims for the statistics tests (direct rows: the figures only read them)."""
from __future__ import annotations

import datetime as dt
import itertools

from haven.claims.models import Claim, ClaimEvent
from haven.testing.factories import CaseFactory, HouseholdFactory, PersonFactory

_counter = itertools.count(1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def make_claim(*, case=None, organization=None, country="KP", referred=None, outcome="", outcome_on=None,
               reference=None, events=()):
    if case is None:
        household = HouseholdFactory(organization=organization) if organization else HouseholdFactory()
        case = CaseFactory(household=household, organization=household.organization, kind="protection_claim")
    claimant = PersonFactory(household=case.household)
    claim = Claim.objects.create(
        case=case, claimant=claimant, reference=reference or f"TC-{next(_counter):06d}",
        country_of_persecution=country, referred_on=d(referred) if referred else None, outcome=outcome,
        outcome_on=d(outcome_on) if outcome_on else None)
    for kind, on, extra in events:
        ClaimEvent.objects.create(claim=claim, type=kind, occurred_on=d(on), **extra)
    return claim


def build_outcome_fixture(organization=None):
    """Claims across year and quarter boundaries, one reopened; see test_outcomes for the expected table."""
    org = {"organization": organization}
    make_claim(referred="2023-12-31", outcome="accepted", outcome_on="2024-01-01", **org)  # c1
    make_claim(referred="2024-01-01", outcome="rejected", outcome_on="2024-12-31", **org)  # c2
    make_claim(referred="2024-03-31", outcome="no_credible_basis", outcome_on="2024-04-01", **org)  # c3
    make_claim(referred="2024-06-30", outcome="manifestly_unfounded", outcome_on="2025-01-01", **org)  # c4
    make_claim(referred="2024-07-01", outcome="abandoned", outcome_on="2024-09-30", **org)  # c5
    make_claim(referred="2024-10-01", outcome="withdrawn", outcome_on="2024-12-31", **org)  # c6
    make_claim(referred="2024-02-15", outcome="other", outcome_on="2025-03-31", **org)  # c7
    make_claim(referred="2024-05-05", **org)  # c8: pending
    # c9: abandoned in 2023, reopened in 2024 (counted again as referred), then accepted.
    make_claim(referred="2023-05-01", outcome="accepted", outcome_on="2024-08-15", **org,
               events=[("referral", "2023-05-01", {}), ("abandonment", "2023-11-30", {}),
                       ("reopening", "2024-02-01", {}), ("decision_accepted", "2024-08-15", {})])
    make_claim(country="CN", referred="2024-01-10", outcome="accepted", outcome_on="2024-02-10", **org)  # c10
    make_claim(outcome="", **org)  # c11: no referral yet, counted nowhere
