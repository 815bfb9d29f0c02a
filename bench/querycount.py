"""SQL queries per page, measured with django.test.utils.CaptureQueriesContext
through the test client, signed in as the bench caseworker.

Run against the database named by DATABASE_URL (seeded by bench/seed.py or
the importer); prints and optionally writes JSON: {page: {"queries": n, "status": s, "ms": t}}.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")


def pages(user) -> list[tuple[str, str]]:
    """(label, URL) of the pages measured; pages whose route does not exist are left out."""
    from django.urls import NoReverseMatch, reverse

    from haven.cases.access import visible_cases
    from haven.people.models import Person

    cases = visible_cases(user).order_by("-opened_on", "-pk")
    total = cases.count()
    case = cases.first()
    person = Person.objects.filter(household_id=case.household_id).first() if case else None
    deep_page = max(1, total // 25 // 2)
    hangul = f"{person.given_name_hangul}" if person else "명철"
    latin = f"{person.given_name}" if person else "Myong-chol"

    wanted = [
        ("dashboard", "dashboard", {}, ""),
        ("case list, first page", "case_list", {}, ""),
        ("case list, middle page", "case_list", {}, f"?page={deep_page}"),
        ("case search, Hangul", "case_list", {}, f"?q={hangul}"),
        ("case search, romanized", "case_list", {}, f"?q={latin}"),
        ("case list, filtered and sorted", "case_list", {}, "?status=open&sort=reference"),
        ("case detail", "case_detail", {"pk": getattr(case, "pk", 0)}, ""),
        ("household detail", "household_detail", {"pk": getattr(case, "household_id", 0)}, ""),
        ("person detail", "person_detail", {"pk": getattr(person, "pk", 0)}, ""),
        ("API case list", "api:case-list", {}, ""),
        ("API case list, search", "api:case-list", {}, f"?q={hangul}"),
        ("API person list", "api:person-list", {}, ""),
        ("API household list", "api:household-list", {}, ""),
    ]
    result = []
    for label, name, kwargs, query in wanted:
        # API routes are named with or without the "api:" namespace depending on haven/api/urls.py.
        for candidate in (name, name.removeprefix("api:")):
            try:
                result.append((label, reverse(candidate, kwargs=kwargs) + query))
                break
            except NoReverseMatch:
                continue
    return result


def measure(username: str) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from haven.accounts.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    results = {}
    for label, url in pages(user):
        try:
            client.get(url)  # warm caches (templates, content types) as a running server would have them
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
        except Exception as exc:  # a page under construction: reported, not fatal
            results[label] = {"url": url, "status": "error", "queries": None, "ms_single": None,
                              "error": repr(exc)[:300], "sql": []}
            continue
        results[label] = {"url": url, "status": response.status_code, "queries": len(captured.captured_queries),
                          "ms_single": round(elapsed, 1),
                          "sql": [q["sql"][:400] for q in captured.captured_queries]}
        if os.environ.get("HAVEN_BENCH_FULL_SQL"):
            results[label]["full_sql"] = [q["sql"] for q in captured.captured_queries]
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Queries per page")
    parser.add_argument("--user", default="caseworker@bench.test")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    results = measure(args.user)
    for label, row in results.items():
        if row["queries"] is None:
            print(f"  - queries  error  {label}: {row['error']}")
        else:
            print(f"{row['queries']:3d} queries  {row['status']}  {row['ms_single']:7.1f} ms  {label}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
