"""bench/stats_bench.py seeds claims by bulk SQL and measures the outcome tables: a small run, in process."""
import pytest

from haven.claims.models import Claim


@pytest.mark.django_db
def test_seed_and_table_measures_run_at_a_small_size(bench_module):
    stats_bench = bench_module("stats_bench")
    seeded = stats_bench.seed(120)
    assert seeded["claims"] == 120 and seeded["cases"] == 12
    assert Claim.objects.filter(case__organization__slug="bench-stats").count() == 120
    assert seeded["reopened"] == Claim.objects.filter(case__organization__slug="bench-stats",
                                                      events__type="reopening").count()
    tables = stats_bench.measure_tables()
    assert tables["outcomes_by_year_and_country"]["rows"] > 0
    assert {"first_s", "best_s"} <= set(tables["rad_by_year"])
