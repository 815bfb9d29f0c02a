"""Claimants counted as the IRB counts them (joined family claims, RPD Rules r.55) beside claim files; the three
rates, each with a hand-computed example; recognition_rate in the command; secondary suppression; published
rates mapped to their definition; a retracted figure never compared."""
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings

from haven.cases.models import Case
from haven.claims.models import ClaimEvent, JoinedClaimant
from haven.stats import exports
from haven.stats.comparison import attach_haven_figures, figure_interval, published_groups
from haven.stats.figures import CLAIM_OUTCOMES, OUTCOME_COLUMNS, OUTCOME_RELATIONS, compute_comparison
from haven.stats.models import PublishedFigure, PublishedSource, RateDefinition, Reliability
from haven.stats.privacy import SUPPRESSED
from haven.stats.published import parse_curated
from haven.stats.registry import Scope, build_table, protect_rows
from haven.stats.selectors import claims_in, outcome_table
from haven.stats.services import load_seed
from haven.stats.tests.helpers import d, make_claim
from haven.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def rows_by_period(rows):
    return {row["period"]: row for row in rows}


def joined(claim, *, principal=True, following=0, own=()):
    """The claim's per-person records: its principal, `following` members who follow the claim's decision and one
    member per (outcome, date) in `own` with a decision of their own."""
    people = JoinedClaimant.objects
    if principal:
        people.create(claim=claim, person=claim.claimant, is_principal=True, outcome=claim.outcome,
                      outcome_on=claim.outcome_on)
    for _ in range(following):
        people.create(claim=claim, person=PersonFactory(household=claim.case.household), outcome=claim.outcome,
                      outcome_on=claim.outcome_on)
    for outcome, on in own:
        people.create(claim=claim, person=PersonFactory(household=claim.case.household), own_decision=True,
                      outcome=outcome, outcome_on=on)


def build_families():
    # A: a family of three, all rejected with the principal.
    joined(make_claim(referred="2024-01-10", outcome="rejected", outcome_on="2024-06-01"), following=2)
    # B: the principal and one member rejected; another member accepted by a decision of their own.
    joined(make_claim(referred="2024-02-01", outcome="rejected", outcome_on="2024-06-15"), following=1,
           own=[("accepted", "2024-07-01")])
    # C: a couple, abandoned in 2023, reopened in 2024 (referred again) and accepted.
    joined(make_claim(referred="2023-05-01", outcome="accepted", outcome_on="2024-08-15", events=[
        ("referral", "2023-05-01", {}), ("abandonment", "2023-11-30", {}), ("reopening", "2024-02-01", {}),
        ("decision_accepted", "2024-08-15", {})]), following=1)
    # D: one claimant, pending.
    joined(make_claim(referred="2024-03-01"))


def test_joined_families_are_counted_by_claimant_and_by_claim_file():
    build_families()
    claims = claims_in(Case.objects.all(), "KP")
    files = rows_by_period(outcome_table(claims, by="year", unit="claims"))
    people = rows_by_period(outcome_table(claims, by="year"))
    count = ("referred", "accepted", "rejected", "abandoned", "withdrawn_other", "finalized", "pending")
    # Files, 2023: C referred and abandoned. 2024: A, B, D and C's reopening referred; C accepted, A and B rejected.
    assert [files["2023"][k] for k in count] == [1, 0, 0, 1, 0, 1, 0]
    assert [files["2024"][k] for k in count] == [4, 1, 2, 0, 0, 3, 1]
    # Claimants, 2023: C's two people referred and abandoned. 2024: A 3 + B 3 + D 1 + C's reopening for 2 = 9
    # referred; accepted: C's 2 and B's member 1 = 3; rejected: A's 3 and B's 2 = 5; pending 0 + 9 − 8 = 1 (D).
    assert [people["2023"][k] for k in count] == [2, 0, 0, 2, 0, 2, 0]
    assert [people["2024"][k] for k in count] == [9, 3, 5, 0, 0, 8, 1]
    assert people["2024"]["acceptance_rate"] == Decimal("0.3750")  # 3 / 8
    assert files["2024"]["acceptance_rate"] == Decimal("0.3333")  # 1 / 3


def test_joined_members_cost_a_fixed_number_of_queries(django_assert_max_num_queries):
    build_families()
    with django_assert_max_num_queries(17):
        outcome_table(claims_in(Case.objects.all()), by="quarter", by_country=True)
    for _ in range(3):
        build_families()
    with django_assert_max_num_queries(17):
        outcome_table(claims_in(Case.objects.all()), by="quarter", by_country=True)


def test_a_members_own_decision_is_counted_in_its_own_period():
    claim = make_claim(referred="2024-11-01", outcome="rejected", outcome_on="2024-12-20")
    joined(claim, own=[("withdrawn", "2025-01-15")])
    people = rows_by_period(outcome_table(claims_in(Case.objects.all()), by="year"))
    assert (people["2024"]["referred"], people["2024"]["rejected"], people["2024"]["pending"]) == (2, 1, 1)
    assert (people["2025"]["withdrawn_other"], people["2025"]["finalized"], people["2025"]["pending"]) == (1, 1, 0)


def test_a_members_own_later_proceedings_do_not_reopen_or_override_the_claim_file():
    # The principal accepted on 20 Dec 2024; the member rejected by a decision of their own the same day, then the
    # RAD referred the member's claim back (a step recorded for the member alone) in 2025. Counted as claim
    # steps, the referral back would re-refer the whole file in 2025 and supersede its acceptance.
    claim = make_claim(referred="2024-11-01", outcome="accepted", outcome_on="2024-12-20",
                       events=[("decision_accepted", "2024-12-20", {})])
    joined(claim, own=[("rejected", "2024-12-20")])
    member = JoinedClaimant.objects.get(claim=claim, is_principal=False)
    ClaimEvent.objects.create(claim=claim, claimant=member, type="rad_referred_back", occurred_on=d("2025-03-03"))
    people = rows_by_period(outcome_table(claims_in(Case.objects.all()), by="year"))
    assert [people["2024"][k] for k in ("referred", "accepted", "rejected", "finalized", "pending")] == [2, 1, 1, 2, 0]
    assert "2025" not in people or people["2025"]["referred"] == 0
    files = rows_by_period(outcome_table(claims_in(Case.objects.all()), by="year", unit="claims"))
    assert [files["2024"][k] for k in ("referred", "accepted", "finalized")] == [1, 1, 1]
    assert "2025" not in files or files["2025"]["referred"] == 0


def test_claimants_by_country_split():
    build_families()
    joined(make_claim(country="CN", referred="2024-01-10", outcome="accepted", outcome_on="2024-02-10"), following=1)
    split = outcome_table(claims_in(Case.objects.all()), by="year", by_country=True)
    cn = [(r["period"], r["referred"], r["accepted"]) for r in split if r["country"] == "CN"]
    assert cn == [("2024", 2, 2)]


# ------------------------------------------------------------------ the three rates, by hand

def test_each_rate_on_a_hand_computed_row():
    # 2022: accepted 3, rejected 1, abandoned 2, withdrawn 1, other 1 → finalized 8.
    for outcome, count in (("accepted", 3), ("rejected", 1), ("abandoned", 2), ("withdrawn", 1), ("other", 1)):
        for _ in range(count):
            make_claim(referred="2022-01-05", outcome=outcome, outcome_on="2022-09-01")
    row = outcome_table(claims_in(Case.objects.all()), by="year")[0]
    assert (row["accepted"], row["rejected"], row["abandoned"], row["withdrawn_other"], row["finalized"]) == \
        (3, 1, 2, 2, 8)
    assert row["acceptance_rate"] == Decimal("0.3750")  # 3 / 8
    assert row["rate_excluding_abandoned_withdrawn"] == Decimal("0.7500")  # 3 / (8 − 2 − 2)
    assert row["recognition_rate"] == Decimal("0.7500")  # 3 / (3 + 1)


def test_the_rates_differ_in_the_published_version_each_from_its_own_rounded_counts():
    # 11 of each → 10 once rounded; finalized 44 → 45.
    row = {"period": "2022", "referred": 44, "accepted": 11, "rejected": 11, "abandoned": 11, "withdrawn_other": 11,
           "finalized": 44, "pending": 0}
    protected = protect_rows(OUTCOME_COLUMNS, [row], OUTCOME_RELATIONS)[0]
    assert protected["acceptance_rate"] == Decimal("0.2222")  # 10 / 45
    assert protected["rate_excluding_abandoned_withdrawn"] == Decimal("0.4000")  # 10 / (45 − 10 − 10)
    assert protected["recognition_rate"] == Decimal("0.5000")  # 10 / (10 + 10)


def test_recognition_rate_follows_acceptance_rate_with_four_decimals_and_is_empty_without_decisions(capsys):
    make_claim(referred="2021-02-01", outcome="accepted", outcome_on="2021-05-01")
    for _ in range(2):
        make_claim(referred="2021-02-01", outcome="rejected", outcome_on="2021-05-01")
    make_claim(referred="2021-02-01", outcome="abandoned", outcome_on="2021-05-01")
    make_claim(referred="2022-02-01", outcome="abandoned", outcome_on="2022-05-01")  # nothing accepted or rejected
    call_command("stats", "claims", "--by", "year", "--format", "csv")
    lines = capsys.readouterr().out.strip().splitlines()
    header = lines[0].split(",")
    assert header[-2:] == ["acceptance_rate", "recognition_rate"]
    assert lines[1] == "2021,4,1,2,1,0,4,0,0.2500,0.3333"  # 1/4; 1/(1 + 2)
    assert lines[2] == "2022,1,0,0,1,0,1,0,0.0000,"
    call_command("stats", "claims", "--by", "year", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert list(data[0])[-2:] == ["acceptance_rate", "recognition_rate"]
    assert (data[0]["recognition_rate"], data[1]["recognition_rate"]) == (0.3333, None)


def test_the_command_counts_claimants_or_claim_files(capsys):
    joined(make_claim(referred="2024-01-10", outcome="rejected", outcome_on="2024-06-01"), following=2)
    call_command("stats", "claims", "--format", "csv")
    assert capsys.readouterr().out.splitlines()[1].startswith("2024,3,0,3,")
    call_command("stats", "claims", "--format", "csv", "--count", "claims")
    assert capsys.readouterr().out.splitlines()[1].startswith("2024,1,0,1,")


# ------------------------------------------------------------------ secondary suppression

def hidden_alone(rows) -> list:
    """The relations with exactly one suppressed cell: each lets a reader recompute that cell."""
    lone = []
    for cells in OUTCOME_RELATIONS.constraints(rows):
        hidden = [cell for cell in cells if rows[cell[0]][cell[1]] == SUPPRESSED]
        if len(hidden) == 1:
            lone.append(hidden[0])
    return lone


@override_settings(HAVEN_STATS_ROUND_TO=1)  # no rounding: shown counts are exact, so sums give hidden ones away
def test_a_suppressed_cell_cannot_be_recomputed_from_its_row_total_or_the_running_pending():
    rows = [
        {"period": "2023", "referred": 40, "accepted": 6, "rejected": 7, "abandoned": 0, "withdrawn_other": 0,
         "finalized": 13, "pending": 27},
        # accepted 3 is suppressed, but finalized − rejected − abandoned − withdrawn = 19 − 10 − 6 − 0 gives it.
        {"period": "2024", "referred": 3, "accepted": 3, "rejected": 10, "abandoned": 6, "withdrawn_other": 0,
         "finalized": 19, "pending": 11},
    ]
    primary = protect_rows(OUTCOME_COLUMNS, [dict(r) for r in rows])  # small counts only
    assert primary[1]["accepted"] == SUPPRESSED
    recomputed = primary[1]["finalized"] - primary[1]["rejected"] - primary[1]["abandoned"] \
        - primary[1]["withdrawn_other"]
    assert recomputed == 3  # what a reader would get without secondary suppression
    assert hidden_alone(primary)

    protected = protect_rows(OUTCOME_COLUMNS, [dict(r) for r in rows], OUTCOME_RELATIONS)
    assert hidden_alone(protected) == []
    assert protected[1]["accepted"] == SUPPRESSED
    # The smallest other non-zero cell of the row's total goes with it: abandoned (6).
    assert protected[1]["abandoned"] == SUPPRESSED and protected[1]["rejected"] == 10
    assert protected[1]["acceptance_rate"] == SUPPRESSED and protected[1]["recognition_rate"] == SUPPRESSED


@override_settings(HAVEN_STATS_ROUND_TO=1)
def test_a_suppressed_referral_is_not_left_alone_in_the_running_pending():
    rows = [
        {"period": "2023", "referred": 30, "accepted": 10, "rejected": 10, "abandoned": 0, "withdrawn_other": 0,
         "finalized": 20, "pending": 10},
        # pending 2024 = 10 + 2 − 5 = 7: with referred 2 hidden, 7 − 10 + 5 would give it.
        {"period": "2024", "referred": 2, "accepted": 5, "rejected": 0, "abandoned": 0, "withdrawn_other": 0,
         "finalized": 5, "pending": 7},
    ]
    protected = protect_rows(OUTCOME_COLUMNS, rows, OUTCOME_RELATIONS)
    assert protected[1]["referred"] == SUPPRESSED
    assert hidden_alone(protected) == []
    assert SUPPRESSED in (protected[1]["finalized"], protected[1]["pending"], protected[0]["pending"])


@override_settings(HAVEN_STATS_ROUND_TO=1)
def test_the_page_exports_and_api_apply_secondary_suppression():
    for outcome, count in (("accepted", 3), ("rejected", 10), ("abandoned", 6)):
        for _ in range(count):
            make_claim(referred="2024-01-05", outcome=outcome, outcome_on="2024-09-01")
    table = build_table(CLAIM_OUTCOMES, Scope(cases=Case.objects.all(), published=True), {"by": "year"})
    row = table.rows[0]
    assert (row["accepted"], row["abandoned"], row["rejected"], row["finalized"]) == (SUPPRESSED, SUPPRESSED, 10, 19)
    assert exports.to_csv(table).splitlines()[1] == "2024,19,--,10,--,0,19,0,--,--,--"
    assert json.loads(exports.to_json(table))["rows"][0]["abandoned"] == SUPPRESSED


# ------------------------------------------------------------------ published figures

def test_published_rates_say_which_rate_their_source_means():
    rows = [["source", "published", "subject", "period", "measure", "value", "unit", "statement",
             "rate_definition"],
            ["A", "2020-01-01", "North Korean refugee claims in Canada", "2019", "recognition rate", "80", "percent",
             "s", ""],
            ["B", "2020-01-01", "North Korean refugee claims in Canada", "2019", "approval rate", "60", "percent",
             "s", ""],
            ["C", "2020-01-01", "North Korean refugee claims in Canada", "2019", "success rate", "75", "percent",
             "s", "rate_excluding_abandoned_withdrawn"]]
    parsed = parse_curated(rows)
    assert not parsed.errors
    assert [(f.measure, f.rate_definition) for f in parsed.figures] == [
        ("recognition_rate", "recognition_rate"), ("acceptance_rate", "acceptance_rate"),
        ("rate_excluding_abandoned_withdrawn", "rate_excluding_abandoned_withdrawn")]
    bad = parse_curated([rows[0], [*rows[1][:8], "approval"]])
    assert "rate_definition" in bad.errors[0][1]


def test_seed_rates_are_mapped_and_the_cbsa_removals_figure_is_retracted_with_its_source():
    if not PublishedSource.objects.exists():
        load_seed()
    vice = PublishedFigure.objects.get(measure_text="approval rate of finalized claims")
    assert vice.rate_definition == RateDefinition.ACCEPTANCE
    cbsa = PublishedFigure.objects.get(subject="CBSA removals to North Korea")
    assert cbsa.reliability == Reliability.RETRACTED and "data-entry error" in cbsa.reliability_source
    assert figure_interval(cbsa) is None


def test_a_retracted_figure_is_never_compared():
    source = PublishedSource.objects.create(publisher="Agency", published_text="2015")
    other = PublishedSource.objects.create(publisher="Paper", published_text="2016")
    fields = {"subject": "Claims", "country": "KP", "period_text": "2024", "period_key": "2024",
              "measure_text": "accepted", "measure": "accepted", "unit": "claims", "qualifier": "exact"}
    retracted = PublishedFigure.objects.create(source=source, value=Decimal(12), value_text="12",
                                               reliability=Reliability.RETRACTED,
                                               reliability_source="The agency, 2016: a data-entry error", **fields)
    PublishedFigure.objects.create(source=other, value=Decimal(0), value_text="0", **fields)
    group = next(g for g in published_groups(PublishedFigure.objects.filter(country="KP", period_key="2024")))
    assert group.conflicts == []  # 12 and 0 would conflict if the retracted 12 were compared
    make_claim(referred="2024-01-05", outcome="accepted", outcome_on="2024-03-01")
    rows = [r for r in compute_comparison(Scope(cases=Case.objects.all(), published=False), {"country": "KP"})
            if r["period"] == "2024" and r["measure"] == "accepted"]
    by_source = {r["publisher"]: r for r in rows}
    assert by_source["Agency"]["haven"] is None and by_source["Agency"]["chart_value"] is None
    assert by_source["Agency"]["status"] == "Retracted: The agency, 2016: a data-entry error"
    assert by_source["Paper"]["haven"] == 1 and by_source["Paper"]["conflict"] == ""
    # A group of retracted figures only gets no Haven figure beside it.
    retracted_only = [g for g in published_groups(PublishedFigure.objects.filter(pk=retracted.pk))]
    attach_haven_figures(retracted_only, claims_in(Case.objects.all()), published=False,
                         columns=OUTCOME_COLUMNS)
    assert retracted_only[0].haven is None


def test_a_published_rate_is_set_beside_havens_rate_of_the_same_definition():
    source = PublishedSource.objects.create(publisher="Paper", published_text="2021")
    for measure, value in (("recognition_rate", "0.8"), ("acceptance_rate", "0.5")):
        PublishedFigure.objects.create(source=source, subject="Claims", country="KP", period_text="2021",
                                       period_key="2021", measure_text=measure, measure=measure,
                                       rate_definition=measure, unit="fraction", value=Decimal(value),
                                       value_text=value)
    make_claim(referred="2021-01-05", outcome="accepted", outcome_on="2021-03-01")
    make_claim(referred="2021-01-05", outcome="abandoned", outcome_on="2021-03-01")
    groups = published_groups(PublishedFigure.objects.filter(source=source))
    attach_haven_figures(groups, claims_in(Case.objects.all()), published=False, columns=OUTCOME_COLUMNS)
    assert {g.measure: g.haven for g in groups} == {"acceptance_rate": Decimal("0.5000"),
                                                    "recognition_rate": Decimal("1.0000")}


def test_a_figure_is_marked_retracted_only_with_its_source(capsys):
    from django.core.management.base import CommandError

    source = PublishedSource.objects.create(publisher="Agency", published_text="2015")
    figure = PublishedFigure.objects.create(source=source, subject="Removals", country="KP", period_text="2014",
                                            period_key="2014", measure_text="removals", measure="removals",
                                            unit="people", value=Decimal(12), value_text="12")
    with pytest.raises(CommandError, match="Say who retracted"):
        call_command("stats", "mark-figure", str(figure.pk), "retracted")
    figure.refresh_from_db()
    assert figure.is_valid
    call_command("stats", "mark-figure", str(figure.pk), "erroneous", "--source", "Agency correction, 2016")
    figure.refresh_from_db()
    assert (figure.reliability, figure.reliability_source) == ("erroneous", "Agency correction, 2016")
    assert figure_interval(figure) is None
