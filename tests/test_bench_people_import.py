"""bench/people_import_bench.py times the people import on generated data: a small run reports its counts and
phases."""
import pytest

from haven.people.models import Person


@pytest.mark.django_db
def test_small_run_reports_counts_and_phases(bench_module):
    report = bench_module("people_import_bench").run_people_import_benchmark(people=40, seed=1)
    assert report["people"] >= 40
    assert Person.objects.filter(household__organization__slug=report["organization"]).count() == report["people"]
    assert report["audit_events"] == report["households"] + 1
    assert "persons" in report["phases"]
