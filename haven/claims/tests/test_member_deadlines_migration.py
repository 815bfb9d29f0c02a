"""Claims migrations 0012-0013 (joined members' steps and stored deadlines): existing steps and deadlines are kept,
the steps stay the claim's, a member whose own decision was recorded gets the stored deadlines that decision starts
(as the claim page computed them), and going back deletes only those rows."""
from __future__ import annotations

import datetime as dt
import importlib

import pytest

from haven.claims.tests.migrating import latest, migrate_to

BEFORE = ("claims", "0011_claim_intake_route_and_eligibility")
AFTER = ("claims", "0013_store_deadlines_of_members_own_decisions")


# Not serialized_rollback, as tests/test_intake_migration.py explains; the rules are seeded when a flush removed them.
@pytest.mark.django_db(transaction=True)
def test_a_members_own_decision_gets_its_stored_deadlines_and_nothing_else_changes(personas):
    old = migrate_to(BEFORE)
    Claim, ClaimEvent = old.get_model("claims", "Claim"), old.get_model("claims", "ClaimEvent")
    Deadline, JoinedClaimant = old.get_model("claims", "Deadline"), old.get_model("claims", "JoinedClaimant")
    DeadlineRule = old.get_model("claims", "DeadlineRule")
    if not DeadlineRule.objects.exists():
        importlib.import_module("haven.claims.migrations.0002_seed_deadline_rules").seed(old, None)
    claim = Claim.objects.create(case_id=personas.case.pk, reference="MIG-0012", claimant_id=personas.person.pk,
                                 country_of_persecution="KP", province="ON", referred_on=dt.date(2024, 1, 8),
                                 outcome="accepted", outcome_on=dt.date(2024, 6, 3), stage="decision_accepted")
    referral = ClaimEvent.objects.create(claim=claim, type="referral", occurred_on=dt.date(2024, 1, 8))
    ClaimEvent.objects.create(claim=claim, type="decision_accepted", occurred_on=dt.date(2024, 6, 3))
    boc = Deadline.objects.create(claim=claim, case_id=personas.case.pk, rule=DeadlineRule.objects.get(key="boc_due"),
                                  key="boc_due", trigger="referral_to_rpd", trigger_on=dt.date(2024, 1, 8),
                                  due_on=dt.date(2024, 1, 23), event=referral)
    JoinedClaimant.objects.create(claim=claim, person_id=personas.person.pk, is_principal=True, outcome="accepted",
                                  outcome_on=dt.date(2024, 6, 3))
    member = JoinedClaimant.objects.create(claim=claim, person_id=personas.child.pk, own_decision=True,
                                           outcome="rejected", outcome_on=dt.date(2024, 6, 3),
                                           reasons_received_on=dt.date(2024, 6, 10))

    new = migrate_to(AFTER)
    Deadline = new.get_model("claims", "Deadline")
    assert new.get_model("claims", "ClaimEvent").objects.filter(claim_id=claim.pk, claimant__isnull=True).count() == 2
    kept = Deadline.objects.get(pk=boc.pk)
    assert (kept.claimant_id, kept.key, kept.due_on, kept.event_id) == (None, "boc_due", dt.date(2024, 1, 23),
                                                                        referral.pk)
    rows = {row.key: row for row in Deadline.objects.filter(claimant_id=member.pk)}
    assert rows["rad_notice_due"].due_on == dt.date(2024, 6, 25)  # 15 days after the member's reasons
    assert rows["rad_notice_due"].event_id is None  # started by the member's decision, not by a recorded step
    assert "boc_due" not in rows  # the referral's deadlines stay the claim's
    assert {row.claim_id for row in rows.values()} == {claim.pk}

    migrate_to(BEFORE)  # and back: the members' rows go, the claim's stay
    assert list(old.get_model("claims", "Deadline").objects.filter(claim_id=claim.pk).values_list("pk", flat=True)) \
        == [boc.pk]
    migrate_to(latest())
