"""bench/claims_bench.py's functions run end to end at a small size (figures are measured by `make bench`, not
asserted)."""
import pytest

from haven.claims.models import Deadline


@pytest.fixture
def claims_bench(bench_module):
    return bench_module("claims_bench")


@pytest.mark.django_db
def test_bench_functions_run_and_report(claims_bench):
    recompute = claims_bench.bench_recompute(claims=40)
    assert recompute["recompute_cold"]["claims"] == 40
    assert recompute["recompute_cold"]["created"] == Deadline.objects.count()
    assert recompute["recompute_unchanged"] == {"claims": 40, "created": 0, "updated": 0, "deleted": 0}
    assert recompute["recompute_after_rule_change"]["updated"] > 0
    assert 0 < recompute["patterns"] <= recompute["recompute_unchanged"]["claims"]
    page = claims_bench.bench_deadlines_page(claims=30, requests=4)
    assert page["open_deadlines_listed"] > 0
    assert page["rows_per_page"] > 0
    assert {"p50_ms", "p95_ms", "ok"} <= set(page)


@pytest.mark.django_db
def test_import_bench_runs_and_reports(claims_bench):
    from haven.claims.models import Claim

    result = claims_bench.bench_import(rows=30)
    assert result["rows"] == 30 and "imported 30 claims (27 new households, 27 new people)" in result["summary"]
    assert Claim.objects.filter(reference__startswith="IB").count() == 30
    assert {"seconds", "app_cpu_s", "projected_s_for_1m", "ok"} <= set(result)
