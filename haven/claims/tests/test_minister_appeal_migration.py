"""Claims migration 0014: a positive decision's stored "RAD notice of appeal due" becomes the Minister's period
(same dates) and its "RAD appellant's record due" goes; a rejected claim's rows are untouched; going back moves
the notice back."""
from __future__ import annotations

import datetime as dt
import importlib

import pytest

from haven.claims.tests.migrating import latest, migrate_to

BEFORE = ("claims", "0013_store_deadlines_of_members_own_decisions")
AFTER = ("claims", "0014_minister_rad_appeal_period_of_a_positive_decision")
D = dt.date


def _claim_with_rad_rows(apps, case_id, person_id, reference, decision):
    Claim, ClaimEvent = apps.get_model("claims", "Claim"), apps.get_model("claims", "ClaimEvent")
    Deadline, DeadlineRule = apps.get_model("claims", "Deadline"), apps.get_model("claims", "DeadlineRule")
    claim = Claim.objects.create(case_id=case_id, reference=reference, claimant_id=person_id,
                                 country_of_persecution="KP", province="ON", referred_on=D(2024, 1, 8))
    event = ClaimEvent.objects.create(claim=claim, type=decision, occurred_on=D(2024, 6, 3),
                                      received_on=D(2024, 6, 4))
    for key, due in (("rad_notice_due", D(2024, 6, 19)), ("rad_record_due", D(2024, 7, 19))):
        rule = DeadlineRule.objects.filter(key=key).order_by("-effective_from").first()
        Deadline.objects.create(claim=claim, case_id=case_id, rule=rule, key=key, trigger="rpd_reasons_received",
                                trigger_on=D(2024, 6, 4), due_on=due, event=event)
    return claim


# Not serialized_rollback, as tests/test_intake_migration.py explains; the rules are seeded when a flush removed them.
@pytest.mark.django_db(transaction=True)
def test_a_positive_decisions_appeal_period_becomes_the_ministers(personas):
    old = migrate_to(BEFORE)
    if not old.get_model("claims", "DeadlineRule").objects.filter(key="rad_notice_due").exists():
        importlib.import_module("haven.claims.migrations.0002_seed_deadline_rules").seed(old, None)
    accepted = _claim_with_rad_rows(old, personas.case.pk, personas.person.pk, "MIG-0014-A", "decision_accepted")
    rejected = _claim_with_rad_rows(old, personas.case.pk, personas.person.pk, "MIG-0014-R", "decision_rejected")

    new = migrate_to(AFTER)
    Deadline = new.get_model("claims", "Deadline")
    rows = list(Deadline.objects.filter(claim_id=accepted.pk).values_list("key", "due_on", "trigger",
                                                                             "rule__responsible"))
    assert rows == [("rad_minister_notice_due", D(2024, 6, 19), "rpd_acceptance_reasons_received", "minister")]
    assert sorted(Deadline.objects.filter(claim_id=rejected.pk).values_list("key", flat=True)) == [
        "rad_notice_due", "rad_record_due"]

    back = migrate_to(BEFORE)
    assert list(back.get_model("claims", "Deadline").objects.filter(claim_id=accepted.pk)
                .values_list("key", "due_on")) == [("rad_notice_due", D(2024, 6, 19))]
    migrate_to(latest())
