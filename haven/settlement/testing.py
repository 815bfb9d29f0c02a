"""Test helpers: settlement records of the personas' Maple case (haven.testing.personas), made through the ORM
so that a test's audit counts see only what it calls. The owner is the case's designated worker.

For the route-access table (tests/test_route_access.py) and the audit sweep (tests/test_audit_sweep.py)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from haven.settlement.models import (
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


def maple_settlement(t) -> None:
    """Set on `t`: provider, assessment (with a mental-health rating), goal, health_goal, referral, milestone,
    budget, designation (the owner) and restricted_note."""
    t.provider = Provider.objects.create(organization=t.org, name="Maple Language Centre",
                                         kind=Provider.Kind.LANGUAGE_CLASSES)
    t.assessment = Assessment.objects.create(case=t.case, kind=Assessment.Kind.BASELINE,
                                             assessed_on=dt.date(2025, 3, 1), assessed_by=t.owner,
                                             summary="Baseline after arrival; sleeps badly since detention.")
    DomainRating.objects.create(assessment=t.assessment, domain=Domain.LANGUAGE, level=2, clb_listening=2,
                                clb_speaking=1, clb_reading=2, clb_writing=1)
    DomainRating.objects.create(assessment=t.assessment, domain=Domain.MENTAL_HEALTH, level=1,
                                comment="Nightmares about the border crossing.")
    t.goal = Goal.objects.create(case=t.case, domain=Domain.LANGUAGE, description="Reach CLB 4 in speaking",
                                 target_date=dt.date(2026, 6, 30), created_by=t.owner)
    t.health_goal = Goal.objects.create(case=t.case, domain=Domain.MENTAL_HEALTH,
                                        description="Weekly sessions with a trauma counsellor", created_by=t.owner)
    t.referral = Referral.objects.create(case=t.case, provider=t.provider, domain=Domain.LANGUAGE,
                                         referred_on=dt.date(2025, 3, 5), status_changed_on=dt.date(2025, 3, 5),
                                         created_by=t.owner)
    t.milestone = Milestone.objects.create(case=t.case, kind=Milestone.Kind.ARRIVAL, done_on=dt.date(2025, 2, 20),
                                           recorded_by=t.owner)
    t.budget = MonthlyBudget.objects.create(case=t.case, month=dt.date(2025, 4, 1), income=Decimal("1200.00"),
                                            needs=Decimal("2400.00"), recorded_by=t.owner)
    t.designation = DesignatedWorker.objects.create(case=t.case, user=t.owner, designated_by=t.admin)
    t.restricted_note = RestrictedNote.objects.create(case=t.case, topic=RestrictedNote.Topic.SGBV,
                                                      body="Disclosed assault in transit; counsellor only.",
                                                      author=t.owner)
