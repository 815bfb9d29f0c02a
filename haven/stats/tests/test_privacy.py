"""Outside-use disclosure control: suppression under the threshold and IRCC-style rounding to 5."""
from decimal import Decimal

import pytest
from django.test import override_settings

from haven.stats.charts import render_svg
from haven.stats.figures import OUTCOME_COLUMNS, OUTCOME_RELATIONS
from haven.stats.privacy import SUPPRESSED, protect_count, rate
from haven.stats.registry import protect_rows


@pytest.mark.parametrize("value,expected", [
    (0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (1234, 1235), (None, None),
])
def test_protect_count(value, expected):
    assert protect_count(value) == expected


@override_settings(HAVEN_STATS_SUPPRESS_BELOW=10, HAVEN_STATS_ROUND_TO=10)
def test_threshold_and_base_are_settings():
    assert protect_count(9) == SUPPRESSED
    assert protect_count(14) == 10
    assert protect_count(15) == 20


def test_rate_recomputed_from_protected_counts_and_suppressed_with_them():
    row = {"period": "2024", "referred": 40, "accepted": 12, "rejected": 6, "abandoned": 0, "withdrawn_other": 0,
           "finalized": 18, "pending": 22}
    protected = protect_rows(OUTCOME_COLUMNS, [row], OUTCOME_RELATIONS)[0]
    # 12 → 10, 6 → 5, 18 → 20, 22 → 20; the rates from those: 10/20, 10/(10 + 5), 10/(20 − 0 − 0).
    assert protected == {"period": "2024", "referred": 40, "accepted": 10, "rejected": 5, "abandoned": 0,
                         "withdrawn_other": 0, "finalized": 20, "pending": 20, "acceptance_rate": Decimal("0.5000"),
                         "recognition_rate": Decimal("0.6667"),
                         "rate_excluding_abandoned_withdrawn": Decimal("0.5000")}
    small = protect_rows(OUTCOME_COLUMNS, [{**row, "accepted": 3, "finalized": 9}], OUTCOME_RELATIONS)[0]
    assert small["acceptance_rate"] == small["recognition_rate"] == SUPPRESSED
    empty = protect_rows(OUTCOME_COLUMNS, [{**row, "accepted": 0, "rejected": 0, "finalized": 0, "pending": 40}],
                         OUTCOME_RELATIONS)[0]
    assert empty["acceptance_rate"] is None and empty["recognition_rate"] is None


def test_rate_places_and_empty():
    assert rate(2, 3) == Decimal("0.6667")
    assert rate(0, 0) is None


def test_svg_chart_draws_bars_and_skips_suppressed():
    svg = render_svg(title="T <x>", categories=["2023", "2024"], series=[("Referred", [10, SUPPRESSED])])
    assert svg.startswith("<svg") and "T &lt;x&gt;" in svg
    assert svg.count("<rect") == 2  # one bar and one legend swatch
    assert "style=" not in svg
