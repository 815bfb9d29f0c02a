"""Each data-quality check finds its record and only it."""
import datetime as dt

import pytest

from haven.cases.models import Case
from haven.people.models import Nationality
from haven.stats.selectors import claims_in, data_quality
from haven.stats.tests.helpers import make_claim

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def found(today=TODAY):
    return {check.key: sorted(item["reference"] for item in check.items)
            for check in data_quality(claims_in(Case.objects.all()), today=today)}


def test_each_check_flags_its_record():
    make_claim(reference="GOOD", referred="2025-01-01", outcome="accepted", outcome_on="2025-06-01",
               events=[("referral", "2025-01-01", {}), ("hearing_held", "2025-05-01", {}),
                       ("decision_accepted", "2025-06-01", {})])
    make_claim(reference="BACKWARDS", referred="2025-03-01", outcome="abandoned", outcome_on="2025-02-01")
    make_claim(reference="NOREF", outcome="withdrawn", outcome_on="2025-02-01")
    make_claim(reference="STALE", referred="2025-05-31")
    make_claim(reference="FRESH", referred="2025-06-02")
    make_claim(reference="FUTURE", referred="2026-07-01")
    make_claim(reference="LATEHEARING", referred="2025-01-01", outcome="rejected", outcome_on="2025-03-01",
               events=[("decision_rejected", "2025-03-01", {}), ("hearing_held", "2025-04-01", {})])
    make_claim(reference="EARLYDECISION", referred="2025-12-01", outcome="",
               events=[("abandonment", "2025-11-01", {})])
    make_claim(reference="NCBRAD", referred="2025-01-01", outcome="no_credible_basis", outcome_on="2025-03-01",
               events=[("decision_ncb", "2025-03-01", {}), ("rad_appeal_filed", "2025-03-10", {})])
    make_claim(reference="NOEVENT", referred="2025-01-01", outcome="accepted", outcome_on="2025-03-01")
    removed = make_claim(reference="REMOVED", referred="2025-01-01", outcome="rejected", outcome_on="2025-03-01",
                         events=[("decision_rejected", "2025-03-01", {}),
                                 ("removal", "2025-09-01", {"destination_country": "KP"})])
    Nationality.objects.create(person=removed.claimant, country="KR", status="citizen")
    confirmed = make_claim(reference="CONFIRMED", referred="2025-01-01", outcome="rejected", outcome_on="2025-03-01",
                           events=[("decision_rejected", "2025-03-01", {}),
                                   ("removal", "2025-09-01", {"destination_country": "KP",
                                                              "destination_confirmed": True})])
    Nationality.objects.create(person=confirmed.claimant, country="KR", status="citizen")
    make_claim(reference="dup-7 ", referred="2025-12-01", outcome="", events=())
    make_claim(reference="DUP-7", referred="2025-12-02", outcome="", events=())
    result = found()
    assert result["decision_before_referral"] == ["BACKWARDS"]
    assert result["outcome_without_referral"] == ["NOREF"]
    assert result["missing_outcome_after_year"] == ["STALE"]  # referred 366 days before "today"
    assert result["outcome_in_future"] == ["FUTURE"]
    assert result["hearing_after_decision"] == ["LATEHEARING"]
    assert result["event_before_referral"] == ["EARLYDECISION"]
    assert result["rad_after_ncb"] == ["NCBRAD"]
    assert "NOEVENT" in result["outcome_without_event"] and "GOOD" not in result["outcome_without_event"]
    assert result["removal_destination_no_nationality"] == ["REMOVED"]
    assert result["duplicate_reference"] == ["DUP-7", "dup-7 "]


def test_counts_only_mode_gives_the_same_totals():
    make_claim(reference="A", referred="2025-03-01", outcome="abandoned", outcome_on="2025-02-01")
    make_claim(reference="B", referred="2025-03-01", outcome="abandoned", outcome_on="2025-02-01")
    checks = {c.key: c for c in data_quality(claims_in(Case.objects.all()), today=TODAY, with_items=False)}
    assert checks["decision_before_referral"].total == 2
    assert checks["decision_before_referral"].items == []
    limited = {c.key: c for c in data_quality(claims_in(Case.objects.all()), today=TODAY, limit=1)}
    assert limited["decision_before_referral"].total == 2
    assert len(limited["decision_before_referral"].items) == 1
