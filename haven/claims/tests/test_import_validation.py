"""Claims import validation with its per-file caches: every row gets its own error, however often a bad value
repeats, and the pattern memos give each claim its own steps and deadlines."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haven.accounts.models import Organization
from haven.claims.importing import import_claims
from haven.claims.models import Claim, ClaimEvent, Deadline
from haven.transfer.errors import ImportRejected

COLUMNS = ["claim_ref", "claimant_ref", "family_name", "given_name", "birth_date", "country_of_persecution",
           "referred_on", "province", "outcome", "outcome_on"]


def rows(*lines: str):
    return [(number, dict(zip(COLUMNS, line.split(",")))) for number, line in enumerate(lines, start=2)]


@pytest.fixture
def org(db):
    return Organization.objects.create(name="Validation clinic", slug="validation", kind="legal_clinic")


def test_repeated_bad_values_are_reported_on_every_row(org):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    with pytest.raises(ImportRejected) as raised:
        import_claims(actor=None, organization=org, columns=COLUMNS, rows=rows(
            "V-1,H-1,Kim,A,1980-02-30,Atlantis,2024-01-05,ON,,",
            "V-2,H-2,Kim,B,1980-02-30,Atlantis,2024-01-05,ON,,",
            f"V-3,H-3,Kim,C,,KP,{future},ON,,",
            f"V-4,H-4,Kim,D,,KP,{future},ON,,",
            "V-5,H-5,Kim,E,,KP,2024/01/05,ON,,",
        ))
    found = {(error.row, error.column, error.message) for error in raised.value.errors}
    for row in (2, 3):
        assert (row, "birth_date", "“1980-02-30” is not a real date") in found
        assert (row, "country_of_persecution", "“Atlantis” is not an ISO 3166 country code or name.") in found
    for row in (4, 5):
        assert (row, "referred_on", f"{future} is in the future") in found
    assert (6, "referred_on", "“2024/01/05” is not a date written YYYY-MM-DD") in found
    assert len(found) == 7
    assert not Claim.objects.exists()


def test_existing_case_reference_in_the_organization_is_refused(org):
    import_claims(actor=None, organization=org, columns=COLUMNS, rows=rows("V-10,H-10,Kim,A,,KP,2024-01-05,ON,,"))
    Claim.objects.filter(reference="V-10").update(reference="V-10-renamed")  # the case keeps "V-10"
    with pytest.raises(ImportRejected) as raised:
        import_claims(actor=None, organization=org, columns=COLUMNS,
                      rows=rows("V-11,H-11,Kim,B,,KP,2024-01-05,ON,,", "V-10,H-12,Kim,C,,KP,2024-01-05,ON,,"))
    assert [(e.row, e.column, e.message) for e in raised.value.errors] == [
        (3, "claim_ref", "a case “V-10” already exists in validation")]


def test_claims_with_the_same_pattern_get_their_own_events_and_deadlines(org):
    import_claims(actor=None, organization=org, columns=COLUMNS, rows=rows(
        "V-20,H-20,Kim,A,,KP,2024-03-01,ON,rejected,2024-09-02",
        "V-21,H-21,Pak,B,,CN,2024-03-01,ON,rejected,2024-09-02",
        "V-22,H-22,Ri,C,,KP,2024-03-01,QC,rejected,2024-09-02",
    ))
    claims = {claim.reference: claim for claim in Claim.objects.all()}
    for reference in ("V-20", "V-21", "V-22"):
        claim = claims[reference]
        events = {event.pk for event in ClaimEvent.objects.filter(claim=claim)}
        deadlines = list(Deadline.objects.filter(claim=claim))
        assert len(events) == 2 and deadlines
        assert all(d.case_id == claim.case_id for d in deadlines)
        assert {d.event_id for d in deadlines if d.event_id} <= events
    boc = {ref: Deadline.objects.get(claim=claims[ref], key="boc_due").due_on for ref in claims}
    assert boc["V-20"] == boc["V-21"] == dt.date(2024, 3, 18)  # 16 March is a Saturday
    assert boc["V-22"] == dt.date(2024, 3, 18)


def test_bulk_rows_read_back_as_the_orm_writes_them(org):
    before = timezone.now()
    import_claims(actor=None, organization=org, columns=COLUMNS,
                  rows=rows("V-30,H-30,Kim,Ok-sun,1980-02-03,PRK,2024-03-01,QC,accepted,2024-06-03"))
    claim = Claim.objects.select_related("claimant__household", "case").get(reference="V-30")
    assert claim.created_at.tzinfo is not None and before <= claim.created_at <= timezone.now()
    assert claim.claimant.birth_date == dt.date(1980, 2, 3) and claim.claimant.phone == ""
    assert (claim.country_of_persecution, claim.province, claim.outcome_on) == ("KP", "QC", dt.date(2024, 6, 3))
    assert claim.case.opened_on == dt.date(2024, 3, 1) and claim.case.household == claim.claimant.household
    assert Claim.objects.filter(referred_on__year=2024, created_at__gte=before).count() == 1
    event = ClaimEvent.objects.get(claim=claim, type="decision_accepted")
    assert event.occurred_on == dt.date(2024, 6, 3) and event.note == ""
