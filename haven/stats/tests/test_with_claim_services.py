"""The outcome table over claims recorded through haven.claims.services (the real lifecycle), so the counting
rules hold for the summary fields the claims app derives from events."""
import datetime as dt

import pytest

from haven.cases.models import Case
from haven.claims import services
from haven.stats.selectors import claims_in, outcome_table
from haven.testing.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_reopened_claim_recorded_through_services():
    case = CaseFactory(kind="protection_claim")
    person = PersonFactory(household=case.household)
    claim = services.create_claim(actor=None, case=case, reference="SVC-1", claimant=person,
                                  country_of_persecution="KP", referred_on=dt.date(2023, 12, 31))
    services.record_event(actor=None, claim=claim, type="withdrawal", occurred_on=dt.date(2024, 1, 1))
    services.record_event(actor=None, claim=claim, type="reinstatement", occurred_on=dt.date(2024, 3, 31))
    services.record_event(actor=None, claim=claim, type="decision_accepted", occurred_on=dt.date(2024, 4, 1),
                          received_on=dt.date(2024, 4, 5))
    claim.refresh_from_db()
    assert (claim.outcome, claim.outcome_on) == ("accepted", dt.date(2024, 4, 1))
    rows = {r["period"]: r for r in outcome_table(claims_in(Case.objects.all()), by="quarter")}
    assert (rows["2023-Q4"]["referred"], rows["2023-Q4"]["pending"]) == (1, 1)
    q1 = rows["2024-Q1"]
    assert (q1["referred"], q1["withdrawn_other"], q1["finalized"], q1["pending"]) == (1, 1, 1, 1)
    q2 = rows["2024-Q2"]
    assert (q2["referred"], q2["accepted"], q2["finalized"], q2["pending"], str(q2["acceptance_rate"])) == \
        (0, 1, 1, 0, "1.0000")
