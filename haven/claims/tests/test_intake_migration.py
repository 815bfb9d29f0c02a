"""Claims migration 0011 (intake route and eligibility): existing claims keep every value and become port-of-entry
claims, as the deadline engine assumed them to be; the BOC rule becomes a port-of-entry rule; nothing is lost
going back and forth."""
from __future__ import annotations

import datetime as dt
import importlib

import pytest

from haven.claims.tests.migrating import latest, migrate_to

BEFORE = ("claims", "0010_split_south_korean_nationality_from_article_1e")
AFTER = ("claims", "0011_claim_intake_route_and_eligibility")


# Not serialized_rollback: on PostgreSQL, reloading the serialized rows after an earlier transactional test's flush
# collides with the content types that flush re-created under new ids. The rules are seeded here instead when that
# flush removed them.
@pytest.mark.django_db(transaction=True)
def test_migration_of_existing_claims_keeps_their_data_and_defaults_the_route_to_port_of_entry(personas):
    old = migrate_to(BEFORE)
    Claim = old.get_model("claims", "Claim")
    ClaimEvent = old.get_model("claims", "ClaimEvent")
    Deadline = old.get_model("claims", "Deadline")
    DeadlineRule = old.get_model("claims", "DeadlineRule")
    if not DeadlineRule.objects.exists():
        importlib.import_module("haven.claims.migrations.0002_seed_deadline_rules").seed(old, None)
    claim = Claim.objects.create(case_id=personas.case.pk, reference="MIG-0001", claimant_id=personas.person.pk,
                                 country_of_persecution="KP", province="QC", referred_on=dt.date(2024, 6, 3),
                                 outcome="rejected", outcome_on=dt.date(2024, 10, 1), stage="decision_rejected")
    ClaimEvent.objects.create(claim=claim, type="referral", occurred_on=dt.date(2024, 6, 3))
    boc = DeadlineRule.objects.get(key="boc_due")
    Deadline.objects.create(claim=claim, case_id=personas.case.pk, rule=boc, key="boc_due",
                            trigger="referral_to_rpd", trigger_on=dt.date(2024, 6, 3), due_on=dt.date(2024, 6, 18),
                            completed_on=dt.date(2024, 6, 25))
    before = Claim.objects.filter(pk=claim.pk).values(
        "reference", "country_of_persecution", "province", "referred_on", "outcome", "outcome_on", "stage").get()

    new = migrate_to(AFTER)
    Claim = new.get_model("claims", "Claim")
    migrated = Claim.objects.get(pk=claim.pk)
    assert {name: getattr(migrated, name) for name in before} == before
    assert (migrated.intake_route, migrated.entered_canada_on, migrated.us_land_crossing,
            migrated.claim_made_on) == ("port_of_entry", None, "", None)
    assert new.get_model("claims", "ClaimEvent").objects.get(claim_id=claim.pk).ineligibility == ""
    assert new.get_model("claims", "DeadlineRule").objects.get(key="boc_due").route == "port_of_entry"
    assert new.get_model("claims", "DeadlineRule").objects.exclude(key="boc_due").filter(route="").count() >= 13
    # The deadline met late is kept as it was.
    late = new.get_model("claims", "Deadline").objects.get(claim_id=claim.pk)
    assert (late.due_on, late.completed_on) == (dt.date(2024, 6, 18), dt.date(2024, 6, 25))

    migrate_to(BEFORE)  # and back: the claim is still there
    assert old.get_model("claims", "Claim").objects.filter(pk=claim.pk, province="QC").exists()
    migrate_to(latest())  # the tests after this one need every later migration too
