"""Test helpers: a claim of the personas' Maple case (haven.testing.personas), created on first use; and many
claims with a mix of steps, inserted in bulk (`seed_claims`, for the tests and bench/claims_bench.py).

For the project's route-access table (tests/test_route_access.py), e.g.
    "claim_detail": Access(OBJECT, lambda t: {"pk": maple_claim(t).pk}),
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from haven.accounts.models import Organization
from haven.cases.models import Case
from haven.claims import services
from haven.claims.models import Claim, ClaimEvent, EventType, EvidenceItem, JoinedClaimant, LegalIssue
from haven.people.models import Household, Person

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


def maple_member(t) -> JoinedClaimant:
    """The Maple claim's joined member (the principal applicant's child), following the claim's decision."""
    return maple_claim(t).claimants.get(person=t.child)


def maple_evidence(t) -> EvidenceItem:
    return EvidenceItem.objects.filter(issue__claim=maple_claim(t)).order_by("pk").first()


BATCH = 5000


def seed_claims(*, organization: Organization, claims: int, today: dt.date, prefix: str) -> list[int]:
    """Bulk-insert `claims` claims (one household, person and case each) with a mix of steps; returns claim ids."""
    ids: list[int] = []
    for start in range(0, claims, BATCH):
        count = min(BATCH, claims - start)
        with transaction.atomic():
            households = Household.objects.bulk_create(
                [Household(organization=organization, reference=f"{prefix}-H{start + i}", name=f"Family {start + i}")
                 for i in range(count)])
            persons = Person.objects.bulk_create(
                [Person(household=h, family_name="Kim", given_name=f"Ok-sun {i}") for i, h in enumerate(households)])
            cases = Case.objects.bulk_create(
                [Case(organization=organization, household=h, reference=f"{prefix}-C{start + i}",
                      kind=Case.Kind.PROTECTION_CLAIM, opened_on=today) for i, h in enumerate(households)])
            batch = Claim.objects.bulk_create(
                [Claim(case=c, reference=f"{prefix}-{start + i}", claimant=p, country_of_persecution="KP",
                       province=("ON", "QC", "BC")[i % 3], referred_on=today - dt.timedelta(days=(start + i) % 240))
                 for i, (c, p) in enumerate(zip(cases, persons, strict=True))])
            events = []
            for claim in batch:
                n = claim.pk
                referred = claim.referred_on
                events.append(ClaimEvent(claim=claim, type=EventType.REFERRAL, occurred_on=referred))
                if n % 4 == 0:
                    events.append(ClaimEvent(claim=claim, type=EventType.HEARING_SCHEDULED,
                                             occurred_on=referred + dt.timedelta(days=20),
                                             scheduled_for=referred + dt.timedelta(days=70)))
                if n % 5 in (1, 2):
                    decided = referred + dt.timedelta(days=10)
                    events.append(ClaimEvent(claim=claim, type=EventType.DECISION_REJECTED, occurred_on=decided,
                                             received_on=decided + dt.timedelta(days=3)))
                    if n % 5 == 2:
                        events.append(ClaimEvent(claim=claim, type=EventType.RAD_APPEAL_FILED,
                                                 occurred_on=decided + dt.timedelta(days=10), appellant="claimant"))
            ClaimEvent.objects.bulk_create(events, batch_size=BATCH)
            ids += [claim.pk for claim in batch]
    return ids
