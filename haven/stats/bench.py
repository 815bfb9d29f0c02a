"""Statistics benchmarks (called by `make bench` through bench/run.py, or directly):

    .venv/bin/python -m haven.stats.bench [--claims 1000000] [--backends sqlite,postgresql]

For each backend a fresh database is created (SQLite: a file under var/; PostgreSQL: a database
`haven_stats_bench` on the server of DATABASE_URL or postgres://postgres@127.0.0.1:5432), migrated and
filled with N claims (bulk SQL: COPY on PostgreSQL), 2% of them reopened after an abandonment. Measured:

- the IRB-style outcome table by year and by country over every claim (target < 2 s), best of 3 and first run;
- the same by quarter, and the decision-time and RAD tables (for information);
- `haven import claims` (target: 1,000,000 rows in < 5 minutes), when haven.claims provides the importer:
  measured on --import-rows rows (default 2,000) and projected linearly to 1,000,000.

Prints and returns a JSON-able dict.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
COUNTRIES = ["KP", "CN", "MX", "IN", "NG", "CO", "HT", "IR", "TR", "PK", "AF", "BD", "ER", "ET", "SO",
             "VE", "UA", "RU", "SY", "IQ", "CD", "LK", "HU", "RO", "ZW", "KE", "GH", "EG", "YE", "PS"]
OUTCOMES = ["accepted"] * 45 + ["rejected"] * 20 + ["no_credible_basis"] * 3 + ["manifestly_unfounded"] * 1 + \
    ["abandoned"] * 12 + ["withdrawn"] * 8 + ["other"] * 1 + [""] * 10


LAST_DAY = dt.date(2026, 6, 30)  # generated dates stay in the past (the importer refuses future dates)


def claim_rows(n: int, seed: int = 5):
    rng = random.Random(seed)
    start = dt.date(2013, 1, 1).toordinal()
    for i in range(n):
        referred = dt.date.fromordinal(start + rng.randrange(0, 12 * 365))
        outcome = rng.choice(OUTCOMES)
        outcome_on = None
        if outcome:
            outcome_on = min(dt.date.fromordinal(referred.toordinal() + rng.randrange(20, 900)), LAST_DAY)
        yield i, rng.choice(COUNTRIES), referred, outcome, outcome_on


# ------------------------------------------------------------------------------------------ in-process part


def _seed(n: int) -> dict:
    """Fill the (fresh, migrated) database with n claims by bulk SQL. Returns timings."""
    from django.db import connection, transaction

    from haven.accounts.models import Organization
    from haven.cases.models import Case
    from haven.people.models import Household, Person

    started = time.perf_counter()
    org, _ = Organization.objects.get_or_create(slug="bench-stats", defaults={"name": "Bench statistics",
                                                                               "kind": "legal_clinic"})
    cases_n = max(1, min(n // 10, 100_000))
    with transaction.atomic():
        households = Household.objects.bulk_create(
            [Household(organization=org, reference=f"BH-{i}", name=f"Bench {i}") for i in range(cases_n)],
            batch_size=5000)
        persons = Person.objects.bulk_create(
            [Person(household=h, family_name="Bench", given_name=str(i)) for i, h in enumerate(households)],
            batch_size=5000)
        cases = Case.objects.bulk_create(
            [Case(organization=org, household=h, reference=f"BC-{i}", kind="protection_claim",
                  opened_on=dt.date(2013, 1, 1)) for i, h in enumerate(households)], batch_size=5000)
    case_ids = [c.pk for c in cases]
    person_ids = [p.pk for p in persons]
    now = dt.datetime.now(dt.timezone.utc)
    columns = ("case_id", "claimant_id", "reference", "country_of_persecution", "province", "referred_on",
               "outcome", "outcome_on", "stage", "created_at", "updated_at")

    def rows():
        for i, country, referred, outcome, outcome_on in claim_rows(n):
            k = i % cases_n
            yield (case_ids[k], person_ids[k], f"BENCH-{i:08d}", country, "ON", referred, outcome, outcome_on,
                   "", now, now)

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY claims_claim ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            sql = (f"INSERT INTO claims_claim ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})")
            batch = []
            for row in rows():
                batch.append(row)
                if len(batch) == 20000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        # 2% reopened: an abandonment, then a reopening, before the current outcome.
        cursor.execute("SELECT id, referred_on FROM claims_claim WHERE id % 50 = 0")
        reopened = cursor.fetchall()
        events = []
        for claim_id, referred in reopened:
            referred = referred if isinstance(referred, dt.date) else dt.date.fromisoformat(referred)
            events.append((claim_id, "abandonment", referred + dt.timedelta(days=60), now, now))
            events.append((claim_id, "reopening", referred + dt.timedelta(days=90), now, now))
        cursor.executemany("INSERT INTO claims_claimevent (claim_id, type, occurred_on, appellant, ground, "
                           "substituted_outcome, order_kind, destination_country, destination_confirmed, note, "
                           "created_at, updated_at) VALUES (%s, %s, %s, '', '', '', '', '', false, '', %s, %s)",
                           events)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"claims": n, "cases": cases_n, "reopened": len(reopened),
            "seed_seconds": round(time.perf_counter() - started, 1)}


def _time(fn, repeat: int = 3) -> dict:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        timings.append(time.perf_counter() - started)
    return {"first_s": round(timings[0], 3), "best_s": round(min(timings), 3), "rows": len(result)}


def measure_tables() -> dict:
    from haven.cases.models import Case
    from haven.stats.selectors import claims_in, decision_time_table, outcome_table, rad_table

    cases = Case.objects.filter(organization__slug="bench-stats")
    claims = claims_in(cases)
    out = {
        "outcomes_by_year_and_country": _time(lambda: outcome_table(claims, by="year", by_country=True)),
        "outcomes_by_year": _time(lambda: outcome_table(claims, by="year")),
        "outcomes_by_quarter_and_country": _time(lambda: outcome_table(claims, by="quarter", by_country=True)),
        "decision_times_by_year": _time(lambda: decision_time_table(claims, by="year"), repeat=2),
        "rad_by_year": _time(lambda: rad_table(claims, by="year"), repeat=2),
    }
    out["target_met"] = out["outcomes_by_year_and_country"]["best_s"] < 2.0
    return out


def measure_import(n: int) -> dict:
    """`haven import claims FILE` of n generated rows, if the claims importer exists."""
    from haven.transfer import registry

    try:
        importer = registry.get_importer("claims")
    except LookupError:
        importer = None
    if importer is None:
        return {"skipped": "no claims importer registered (haven/claims/importers.py)"}
    from haven.accounts.models import Organization

    path = ROOT / "var" / f"bench-claims-{n}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["claim_ref", "claimant_ref", "family_name", "given_name", "birth_date",
                         "country_of_persecution", "referred_on", "province", "outcome", "outcome_on"])
        for i, country, referred, outcome, outcome_on in claim_rows(n, seed=11):
            writer.writerow([f"IMP-{i:08d}", f"P-{i:08d}", "Kim", f"Bench{i}", "1980-01-01", country,
                             referred.isoformat(), "ON", outcome, outcome_on.isoformat() if outcome_on else ""])
    org, _ = Organization.objects.get_or_create(slug="bench-import", defaults={"name": "Bench import",
                                                                               "kind": "legal_clinic"})
    started = time.perf_counter()
    result = importer.run(path=path, organization=org, actor=None, dry_run=False, progress=False)
    seconds = round(time.perf_counter() - started, 1)
    projected = round(seconds * 1_000_000 / n, 1) if n else None
    return {"rows": n, "seconds": seconds, "rows_per_second": round(n / seconds, 1) if seconds else None,
            "projected_seconds_for_1m": projected, "target_met": projected is not None and projected < 300,
            "summary": result.summary() if hasattr(result, "summary") else str(result)}


def inner(n: int, with_import: bool, import_rows: int = 0) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from haven.claims.models import Claim

    call_command("migrate", verbosity=0, interactive=False)
    result = {"vendor": connection.vendor}
    existing = Claim.objects.filter(case__organization__slug="bench-stats").count()
    result["seed"] = {"claims": existing, "reused": True} if existing == n else _seed(n)
    result["tables"] = measure_tables()
    if with_import:
        result["import"] = measure_import(import_rows or n)
    return result


# ------------------------------------------------------------------------------------------ orchestration


def _postgres_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        base = "postgres://postgres@127.0.0.1:5432/postgres"
    return base.rsplit("/", 1)[0] + "/haven_stats_bench"


def _database_url(backend: str) -> str:
    return f"sqlite:///{ROOT / 'var' / 'stats-bench.sqlite3'}" if backend == "sqlite" else _postgres_url()


def _fresh_database(backend: str) -> str:
    if backend == "sqlite":
        path = ROOT / "var" / "stats-bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    url = _postgres_url()
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS haven_stats_bench")
        conn.execute("CREATE DATABASE haven_stats_bench")
    return url


IMPORT_ROWS = 2_000  # the claims importer is measured on this many rows and projected to 1,000,000


def run_bench(claims: int = 1_000_000, backends=("postgresql", "sqlite"), with_import: bool = True,
              import_rows: int = IMPORT_ROWS, reuse: bool = False) -> dict:
    """`reuse`: keep the bench database of an earlier run when it already holds exactly `claims` claims."""
    results = {}
    for backend in backends:
        url = _database_url(backend) if reuse else _fresh_database(backend)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "haven.settings"}
        cmd = [sys.executable, "-m", "haven.stats.bench", "--inner", "--claims", str(claims)]
        if not with_import:
            cmd.append("--no-import")
        if import_rows:
            cmd += ["--import-rows", str(import_rows)]
        started = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        marker = [line for line in out.stdout.splitlines() if line.startswith("STATS-BENCH ")]
        if out.returncode != 0 or not marker:
            results[backend] = {"error": (out.stderr or out.stdout)[-2000:]}
        else:
            results[backend] = json.loads(marker[-1][len("STATS-BENCH "):])
        results[backend]["wall_seconds"] = round(time.perf_counter() - started, 1)
    return results


run = run_bench


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS,
                        help="Rows for the import measure, projected to 1,000,000 (default %(default)s).")
    parser.add_argument("--reuse", action="store_true", help="Reuse the bench databases of an earlier run.")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        result = inner(args.claims, not args.no_import, args.import_rows)
        print("STATS-BENCH " + json.dumps(result, default=str))
        return 0
    result = run_bench(args.claims, tuple(args.backends.split(",")), not args.no_import, args.import_rows,
                       args.reuse)
    print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
