"""`make bench` (or directly): queries of the organization's sponsorship pipeline page with 2,000 applications.

Builds a throw-away test database (PostgreSQL when DATABASE_URL points at one, else SQLite), creates one
sponsorship organization with 2,000 applications spread over the stages, signs in a caseworker and counts the
queries of one page view (after a warm-up view, as a user's second page). Target: at most 15 queries (issue 11).

    PYTHONPATH=. .venv/bin/python bench/sponsorship_pipeline.py [--applications 2000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
TARGET_QUERIES = 15


def seed(count: int):
    from haven.accounts.models import Membership, Organization, Role, Team
    from haven.cases.models import Case
    from haven.people.models import Household
    from haven.sponsorship.models import Program, SponsorshipApplication, Stage
    from haven.testing.factories import UserFactory

    org = Organization.objects.create(name="Bench Sponsorship Society", slug="bench-sah", kind="sponsorship")
    group = Team.objects.create(organization=org, name="Bench group", kind=Team.Kind.SPONSOR_GROUP)
    user = UserFactory(username="caseworker@bench.test")
    Membership.objects.create(user=user, organization=org, role=Role.CASEWORKER)
    households = Household.objects.bulk_create([Household(organization=org, reference=f"B-HH-{i:05d}",
                                                          name=f"Family {i}") for i in range(count)])
    cases = Case.objects.bulk_create([Case(organization=org, household=h, reference=f"B-{i:05d}",
                                           sponsor_group=group, opened_on=dt.date(2023, 1, 1))
                                      for i, h in enumerate(households)])
    program, stages = Program.objects.get(code="PSR"), list(Stage.values)
    SponsorshipApplication.objects.bulk_create([SponsorshipApplication(
        organization=org, case=case, sponsor_group=group, program=program, transit_country="TH",
        stage=stages[i % len(stages)], stage_since=dt.date(2024, 1, 1), started_on=dt.date(2023, 1, 1),
        submitted_on=dt.date(2023, 3, 1), arrived_on=dt.date(2025, 1, 1) if i % 11 == 10 else None,
        priority=i % 7 == 0, priority_reason="SGBV survivor" if i % 7 == 0 else "") for i, case in enumerate(cases)])
    return user


def measure(count: int) -> dict:
    import django
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    django.setup()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        user = seed(count)
        client = Client()
        client.force_login(user)
        client.get(reverse("sponsorship:pipeline"))  # warm-up: the session's first view
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("sponsorship:pipeline"))
        assert response.status_code == 200, response.status_code
        return {"applications": count, "queries": len(queries), "target": TARGET_QUERIES,
                "vendor": connection.vendor, "met": len(queries) <= TARGET_QUERIES}
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=2000)
    args = parser.parse_args()
    result = measure(args.applications)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "sponsorship_pipeline.json").write_text(json.dumps(result, indent=2))
    print(f"Sponsorship pipeline ({result['vendor']}): {result['queries']} queries with {result['applications']} "
          f"applications (target ≤ {TARGET_QUERIES}): {'met' if result['met'] else 'NOT met'}")


if __name__ == "__main__":
    main()
