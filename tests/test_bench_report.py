"""bench/run.py's report: the closed loop's cheapest pages are shown beside the measured ones, with a p50 ratio."""
from __future__ import annotations

import pytest


@pytest.fixture
def bench_run(bench_module):
    return bench_module("run")


def summary(p50: float, p95: float, rps: float) -> dict:
    return {"p50_ms": p50, "p95_ms": p95, "throughput_rps": rps, "requests": 100}


def test_floor_table_puts_each_page_beside_the_signed_in_404(bench_run):
    load_report = {
        "config": {"clients": 10},
        "results": {"case list (random page)": summary(90.0, 160.0, 110.0),
                    "name search, Hangul": summary(45.0, 80.0, 120.0)},
        "floor_results": {"/healthz (no session, no database)": summary(6.0, 40.0, 700.0),
                          bench_run.SIGNED_IN_FLOOR: summary(30.0, 55.0, 400.0)},
    }
    lines = bench_run.floor_table(load_report)
    assert "| /healthz (no session, no database) | 6.0 / 40.0 ms | 700.0 |" in lines
    assert f"| {bench_run.SIGNED_IN_FLOOR} | 30.0 / 55.0 ms | 400.0 |" in lines
    assert lines[-1] == "p50 against the signed-in 404 page's: case list (random page) ×3.0, name search, Hangul ×1.5."


def test_floor_table_is_empty_for_a_report_of_an_older_run(bench_run):
    assert bench_run.floor_table({"config": {"clients": 10}, "results": {}}) == []


def test_floor_scenarios_ask_for_the_pages_they_name(bench_run):
    paths = {label: next_path(None) for label, next_path in bench_run.FLOOR_SCENARIOS.items()}
    assert paths == {"/healthz (no session, no database)": "/healthz", bench_run.SIGNED_IN_FLOOR: "/no-such-page/"}
