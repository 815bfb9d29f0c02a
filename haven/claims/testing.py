"""Test helpers: a claim of the personas' Maple case (haven.testing.personas), created on first use.

For the project's route-access table (tests/test_route_access.py), e.g.
    "claim_detail": Access(OBJECT, lambda t: {"pk": maple_claim(t).pk}),
"""
from __future__ import annotations

import datetime as dt

from haven.claims import services
from haven.claims.models import Claim, ClaimEvent, EventType, EvidenceItem, LegalIssue

MAPLE_CLAIM_REFERENCE = "TB6-00001"


def maple_claim(t) -> Claim:
    """The Maple case's claim (claimant: the principal applicant), referred, rejected, reasons received."""
    claim = Claim.objects.filter(reference=MAPLE_CLAIM_REFERENCE).first()
    if claim is not None:
        return claim
    claim = services.create_claim(actor=t.owner, case=t.case, reference=MAPLE_CLAIM_REFERENCE, claimant=t.person,
                                  members=[t.child], country_of_persecution="KP", province="ON",
                                  referred_on=dt.date(2024, 1, 8))
    services.record_event(actor=t.owner, claim=claim, type=EventType.DECISION_REJECTED,
                          occurred_on=dt.date(2024, 6, 3), received_on=dt.date(2024, 6, 10))
    issue = services.add_issue(actor=t.owner, claim=claim, kind=LegalIssue.Kind.ROK_NATIONALITY,
                               notes="Confidential: family in Hyesan at risk.")
    services.update_evidence_item(actor=t.owner, item=issue.evidence.first(), attachments=[t.attachment])
    return claim


def maple_event(t) -> ClaimEvent:
    return maple_claim(t).events.order_by("-occurred_on", "-pk").first()


def maple_evidence(t) -> EvidenceItem:
    return EvidenceItem.objects.filter(issue__claim=maple_claim(t)).order_by("pk").first()
