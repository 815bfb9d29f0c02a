"""Every column of the IRB-style outcome table on hand-built claims, including 31 Dec / 1 Jan and quarter-end
boundaries and a reopened claim."""
from decimal import Decimal

import pytest
from django.core.management import call_command

from haven.cases.models import Case
from haven.stats.selectors import claims_in, decision_time_table, outcome_table, rad_table
from haven.stats.tests.helpers import build_outcome_fixture, make_claim

pytestmark = pytest.mark.django_db


def rows_by_period(rows):
    return {row["period"]: row for row in rows}


def test_year_table_every_column_with_boundaries_and_reopening():
    build_outcome_fixture()
    rows = rows_by_period(outcome_table(claims_in(Case.objects.all(), "KP"), by="year"))
    assert list(rows) == ["2023", "2024", "2025"]
    # 2023: c1 (31 Dec) and c9 referred; c9's abandonment (later superseded by the reopening) finalized.
    assert rows["2023"] == {"period": "2023", "referred": 2, "accepted": 0, "rejected": 0, "abandoned": 1,
                            "withdrawn_other": 0, "finalized": 1, "pending": 1,
                            # 0/1; nothing accepted or rejected; 1 − 1 abandoned = 0 left: both empty.
                            "acceptance_rate": Decimal("0.0000"), "recognition_rate": None,
                            "rate_excluding_abandoned_withdrawn": None}
    # 2024: seven new referrals plus c9's reopening; c1 decided on 1 Jan; NCB counts as rejected.
    assert rows["2024"] == {"period": "2024", "referred": 8, "accepted": 2, "rejected": 2, "abandoned": 1,
                            "withdrawn_other": 1, "finalized": 6, "pending": 3,
                            # 2/6; 2/(2 + 2); 2/(6 − 1 − 1)
                            "acceptance_rate": Decimal("0.3333"), "recognition_rate": Decimal("0.5000"),
                            "rate_excluding_abandoned_withdrawn": Decimal("0.5000")}
    # 2025: MU (rejected) on 1 Jan, "other" (withdrawn_other); c8 still pending.
    assert rows["2025"] == {"period": "2025", "referred": 0, "accepted": 0, "rejected": 1, "abandoned": 0,
                            "withdrawn_other": 1, "finalized": 2, "pending": 1,
                            "acceptance_rate": Decimal("0.0000"), "recognition_rate": Decimal("0.0000"),
                            "rate_excluding_abandoned_withdrawn": Decimal("0.0000")}


def test_quarter_table_boundaries_and_empty_quarters_carry_pending():
    build_outcome_fixture()
    rows = rows_by_period(outcome_table(claims_in(Case.objects.all(), "KP"), by="quarter"))
    assert list(rows)[:4] == ["2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1"]
    assert rows["2023-Q3"]["referred"] == 0 and rows["2023-Q3"]["pending"] == 1
    assert rows["2023-Q3"]["acceptance_rate"] is None  # nothing finalized: empty
    assert rows["2023-Q4"]["referred"] == 1 and rows["2023-Q4"]["abandoned"] == 1
    assert rows["2023-Q4"]["pending"] == 1
    # 31 Mar referral is Q1, the 1 Apr NCB decision is Q2; the 30 Jun referral is Q2 and 1 Jul is Q3.
    q1, q2, q3, q4 = (rows[f"2024-Q{i}"] for i in range(1, 5))
    assert (q1["referred"], q1["accepted"], q1["finalized"], q1["pending"]) == (4, 1, 1, 4)
    assert (q2["referred"], q2["rejected"], q2["finalized"], q2["pending"]) == (2, 1, 1, 5)
    assert (q3["referred"], q3["accepted"], q3["abandoned"], q3["finalized"], q3["pending"]) == (1, 1, 1, 2, 4)
    assert q3["acceptance_rate"] == Decimal("0.5000")
    assert (q4["referred"], q4["rejected"], q4["withdrawn_other"], q4["finalized"], q4["pending"]) == (1, 1, 1, 2, 3)
    assert rows["2025-Q1"]["finalized"] == 2 and rows["2025-Q1"]["pending"] == 1 and \
        rows["2025-Q1"]["rejected"] == 1


def test_all_countries_and_by_country_split():
    build_outcome_fixture()
    all_rows = rows_by_period(outcome_table(claims_in(Case.objects.all()), by="year"))
    assert all_rows["2024"]["referred"] == 9 and all_rows["2024"]["accepted"] == 3
    assert all_rows["2024"]["acceptance_rate"] == Decimal("0.4286")
    split = outcome_table(claims_in(Case.objects.all()), by="year", by_country=True)
    cn = [row for row in split if row["country"] == "CN"]
    assert [(r["period"], r["referred"], r["accepted"], r["pending"]) for r in cn] == [("2024", 1, 1, 0), ("2025", 0, 0, 0)]
    assert {row["country"] for row in split} == {"CN", "KP"}


def test_reinstatement_and_rad_referral_back_count_as_referrals():
    make_claim(referred="2022-03-01", outcome="", events=[
        ("withdrawal", "2022-06-01", {}), ("reinstatement", "2022-09-01", {})])
    make_claim(referred="2022-01-10", outcome="", events=[
        ("decision_rejected", "2022-04-01", {}), ("rad_appeal_filed", "2022-04-20", {"appellant": "claimant"}),
        ("rad_referred_back", "2022-10-01", {})])
    row = outcome_table(claims_in(Case.objects.all()), by="year")[0]
    assert (row["referred"], row["withdrawn_other"], row["rejected"], row["finalized"], row["pending"]) == \
        (4, 1, 1, 2, 2)


def test_judicial_review_sends_back_to_the_rpd_only_without_a_rad_decision():
    # NCB (no RAD appeal) -> JR allowed -> back to the RPD: counted again as referred.
    make_claim(referred="2021-01-05", outcome="accepted", outcome_on="2021-11-01", events=[
        ("decision_ncb", "2021-03-01", {}), ("jr_allowed", "2021-07-01", {}), ("decision_accepted", "2021-11-01", {})])
    # Rejected -> RAD confirmed -> JR allowed goes back to the RAD: not an RPD referral.
    make_claim(referred="2021-01-05", outcome="rejected", outcome_on="2021-03-01", events=[
        ("decision_rejected", "2021-03-01", {}), ("rad_appeal_filed", "2021-03-10", {"appellant": "claimant"}),
        ("rad_confirmed", "2021-05-01", {}), ("jr_allowed", "2021-09-01", {})])
    row = outcome_table(claims_in(Case.objects.all()), by="year")[0]
    assert (row["referred"], row["accepted"], row["rejected"], row["finalized"], row["pending"]) == (3, 1, 2, 3, 0)


def test_rad_substitution_and_vacation_keep_the_rpd_decision():
    make_claim(referred="2022-01-10", outcome="accepted", outcome_on="2023-02-01", events=[
        ("decision_rejected", "2022-03-01", {}), ("rad_appeal_filed", "2022-03-15", {"appellant": "claimant"}),
        ("rad_set_aside", "2023-02-01", {"substituted_outcome": "accepted"})])
    make_claim(referred="2021-01-10", outcome="rejected", outcome_on="2024-01-01", events=[
        ("decision_accepted", "2021-05-01", {}), ("vacation", "2024-01-01", {})])
    rows = rows_by_period(outcome_table(claims_in(Case.objects.all()), by="year"))
    assert (rows["2021"]["accepted"], rows["2021"]["finalized"]) == (1, 1)
    assert (rows["2022"]["rejected"], rows["2022"]["finalized"], rows["2022"]["pending"]) == (1, 1, 0)
    for period in ("2023", "2024"):
        assert rows[period]["finalized"] == 0 and rows[period]["pending"] == 0


def test_rad_table_and_decision_times():
    make_claim(referred="2024-01-01", outcome="rejected", outcome_on="2024-01-11", events=[
        ("rad_appeal_filed", "2024-01-20", {"appellant": "claimant"}), ("rad_confirmed", "2024-05-01", {})])
    make_claim(referred="2024-01-01", outcome="accepted", outcome_on="2024-01-31", events=[
        ("rad_appeal_filed", "2024-02-10", {"appellant": "minister"})])
    make_claim(referred="2024-01-01", outcome="accepted", outcome_on="2024-04-10")  # 100 days
    make_claim(referred="2024-01-01", outcome="abandoned", outcome_on="2024-02-01")  # not a decision
    claims = claims_in(Case.objects.all())
    rad = rad_table(claims)[0]
    assert (rad["filed"], rad["filed_by_claimant"], rad["filed_by_minister"], rad["confirmed"], rad["finalized"],
            rad["pending"]) == (2, 1, 1, 1, 1, 1)
    times = decision_time_table(claims)[0]
    # days 10, 30, 100: median 30; p90 = 30 + 0.8 * 70 = 86
    assert times == {"period": "2024", "decided": 3, "median_days": Decimal("30.0"), "p90_days": Decimal("86.0")}


def _percentile_cont(values: list[int], fraction: float) -> Decimal:
    """PostgreSQL's percentile_cont: linear interpolation between the sorted values around fraction × (n − 1)."""
    ordered = sorted(values)
    exact = Decimal(str(fraction)) * (len(ordered) - 1)
    low = int(exact)
    high = min(low + 1, len(ordered) - 1)
    return (ordered[low] + (ordered[high] - ordered[low]) * (exact - low)).quantize(Decimal("0.1"))


def test_decision_times_match_percentile_cont_with_repeated_values():
    """Many claims share a number of days (the SQLite path reads percentiles from a per-day histogram): medians
    and 90th percentiles by period equal PostgreSQL's percentile_cont, on odd and even counts."""
    import datetime as dt
    import random

    rng = random.Random(5)
    days_by_year = {2022: [rng.choice((3, 10, 10, 45, 45, 45, 200)) for _ in range(17)],
                    2023: [rng.randint(1, 30) for _ in range(12)] + [30, 30, 30],
                    2024: [7]}
    for year, days in days_by_year.items():
        for count in days:
            decided = dt.date(year, 6, 30)
            make_claim(referred=(decided - dt.timedelta(days=count)).isoformat(),
                       outcome=rng.choice(("accepted", "rejected")), outcome_on=decided.isoformat())
    rows = rows_by_period(decision_time_table(claims_in(Case.objects.all())))
    for year, days in days_by_year.items():
        assert rows[str(year)] == {"period": str(year), "decided": len(days),
                                   "median_days": _percentile_cont(days, 0.5),
                                   "p90_days": _percentile_cont(days, 0.9)}, year


def test_outcome_table_is_computed_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    build_outcome_fixture()
    make_claim(referred="2021-01-01", outcome="accepted", outcome_on="2021-02-01")
    # One more than the claim files' table: whether any claim has joined members (whose counts take 7 more).
    with django_assert_max_num_queries(10):
        outcome_table(claims_in(Case.objects.all()), by="quarter", by_country=True)
    with django_assert_max_num_queries(9):
        outcome_table(claims_in(Case.objects.all()), by="quarter", by_country=True, unit="claims")


def test_command_prints_exactly_the_columns(capsys):
    build_outcome_fixture()
    call_command("stats", "claims", "--by", "year", "--country", "KP", "--format", "csv")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == ("period,referred,accepted,rejected,abandoned,withdrawn_other,finalized,pending,acceptance_rate,"
                        "recognition_rate")
    assert lines[2] == "2024,8,2,2,1,1,6,3,0.3333,0.5000"
    call_command("stats", "claims", "--by", "quarter", "--country", "North Korea", "--format", "json")
    import json

    data = json.loads(capsys.readouterr().out)
    assert list(data[0]) == ["period", "referred", "accepted", "rejected", "abandoned", "withdrawn_other",
                             "finalized", "pending", "acceptance_rate", "recognition_rate"]
    assert data[1]["period"] == "2023-Q3" and data[1]["acceptance_rate"] is None


def test_command_empty_rate_in_csv(capsys):
    make_claim(referred="2020-05-05")
    call_command("stats", "claims", "--by", "year", "--format", "csv")
    assert capsys.readouterr().out.strip().splitlines()[1] == "2020,1,0,0,0,0,0,1,,"
