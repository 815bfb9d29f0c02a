"""Statistics benchmarks (called by `make bench` through bench/run.py, or directly):

    .venv/bin/python bench/stats_bench.py [--claims 1000000] [--backends sqlite,postgresql] [--reuse]
        [--no-import] [--import-rows 20000] [--command-rows 1000000]

For each backend a fresh database is created (SQLite: a file under var/; PostgreSQL: a database
`haven_stats_bench` on the server of DATABASE_URL or postgres://postgres@127.0.0.1:5432), migrated and
filled with N claims (bulk SQL: COPY on PostgreSQL), 2% of them reopened after an abandonment (`--reuse` keeps
the database of an earlier run when it holds exactly N claims). Measured:

- the IRB-style outcome table by year and by country over every claim (target < 2 s), best of 3 and first run;
- the same by quarter, and the decision-time and RAD tables (for information);
- `haven import claims` (target: 1,000,000 rows in < 5 minutes), in a second fresh database
  (`haven_stats_import_bench`, var/stats-import-bench.sqlite3) so that the imported claims never enter the
  outcome-table measures: `--import-rows` rows (default 20,000) through the importer in process, projected to
  1,000,000, and the whole command `haven import claims FILE --organization SLUG` in its own process on
  `--command-rows` rows (default: 1,000,000 on PostgreSQL, none on SQLite; COMMAND_ROWS), timed from process
  start to exit, with the rows it wrote counted afterwards. The file (write_claims_file) has the outcome
  table's random dates, 30 countries spelled three ways, names that repeat and one claimant in ten with two
  claims.

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

ROOT = Path(__file__).resolve().parent.parent
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


def seed(n: int) -> dict:
    """Fill the (fresh, migrated) database with n claims by bulk SQL. Returns timings."""
    from django.db import connection

    started = time.perf_counter()
    cases_n = max(1, min(n // 10, 100_000))
    case_ids, person_ids = _seed_cases(cases_n)
    reopened = _seed_claims(n, case_ids, person_ids)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"claims": n, "cases": cases_n, "reopened": reopened,
            "seed_seconds": round(time.perf_counter() - started, 1)}


def _seed_cases(cases_n: int) -> tuple[list[int], list[int]]:
    """The bench organization's households, their principal and their case: (case ids, person ids)."""
    from django.db import transaction

    from haven.accounts.models import Organization
    from haven.cases.models import Case
    from haven.people.models import Household, Person

    org, _ = Organization.objects.get_or_create(slug="bench-stats", defaults={"name": "Bench statistics",
                                                                               "kind": "legal_clinic"})
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
    return [c.pk for c in cases], [p.pk for p in persons]


CLAIM_COLUMNS = ("case_id", "claimant_id", "reference", "country_of_persecution", "province", "referred_on",
                 "outcome", "outcome_on", "stage", "created_at", "updated_at")


def _seed_claims(n: int, case_ids: list[int], person_ids: list[int]) -> int:
    """n claims spread over the cases (COPY on PostgreSQL, executemany elsewhere), 2% of them reopened after an
    abandonment; returns how many were reopened."""
    from django.db import connection, transaction

    now = dt.datetime.now(dt.timezone.utc)

    def rows():
        for i, country, referred, outcome, outcome_on in claim_rows(n):
            k = i % len(case_ids)
            yield (case_ids[k], person_ids[k], f"BENCH-{i:08d}", country, "ON", referred, outcome, outcome_on,
                   "", now, now)

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY claims_claim ({', '.join(CLAIM_COLUMNS)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            sql = (f"INSERT INTO claims_claim ({', '.join(CLAIM_COLUMNS)}) "
                   f"VALUES ({', '.join(['%s'] * len(CLAIM_COLUMNS))})")
            batch = []
            for row in rows():
                batch.append(row)
                if len(batch) == 20000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        return _reopen_some(cursor, now)


def _reopen_some(cursor, now: dt.datetime) -> int:
    """2% reopened: an abandonment, then a reopening, before the current outcome."""
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
    return len(reopened)


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


FAMILY_NAMES = ["Kim", "Ri", "Pak", "Choe", "Jong", "Kang", "Han", "O", "Jang", "Yun", "Garcia", "Singh", "Okafor"]
SYLLABLES = ["Ok", "Sun", "Chol", "Myong", "Jin", "Hyok", "Su", "Yong", "Mi", "Gwang", "Il", "Song", "Hui", "Nam"]
PROVINCES = ["ON"] * 5 + ["QC"] * 3 + ["BC", "AB", "MB", "NS"]
COUNTRY_SPELLINGS = {"KP": ["KP", "PRK", "North Korea"], "CN": ["CN", "CHN", "China"], "MX": ["MX", "Mexico"]}


def write_claims_file(path: Path, n: int, *, prefix: str, seed: int = 11) -> None:
    """A `haven import claims` CSV of n claims: the outcome table's random dates, countries and outcomes
    (claim_rows), a claimant in ten with a second claim, names drawn from small lists (so names repeat, as in
    real files), birth dates, six provinces, and countries spelled as alpha-2, alpha-3 or English name."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["claim_ref", "claimant_ref", "family_name", "given_name", "birth_date",
                         "country_of_persecution", "referred_on", "province", "outcome", "outcome_on"])
        claimant = None
        for i, country, referred, outcome, outcome_on in claim_rows(n, seed=seed):
            if claimant is None or i % 10 != 1:  # one claimant in ten has a second claim
                born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 55 * 365))
                claimant = (f"{prefix}-P{i:08d}", rng.choice(FAMILY_NAMES),
                            rng.choice(SYLLABLES) + rng.choice(SYLLABLES).lower(), born)
            ref, family, given, born = claimant
            if born > referred:
                born = referred - dt.timedelta(days=365 * 20)
            writer.writerow([f"{prefix}-{i:08d}", ref, family, given, born.isoformat(),
                             rng.choice(COUNTRY_SPELLINGS.get(country, [country])), referred.isoformat(),
                             rng.choice(PROVINCES), outcome, outcome_on.isoformat() if outcome_on else ""])


def _stamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S%f")


def measure_import(n: int) -> dict:
    """`haven import claims` of n generated rows in this process (run_claims_import, the command's code path),
    projected linearly to 1,000,000."""
    from haven.transfer import registry

    try:
        importer = registry.get_importer("claims")
    except LookupError:
        importer = None
    if importer is None:
        return {"skipped": "no claims importer registered (haven/claims/importers.py)"}
    from haven.accounts.models import Organization

    stamp = _stamp()
    path = ROOT / "var" / f"bench-claims-{n}.csv"
    write_claims_file(path, n, prefix=f"IMP{stamp}")
    org = Organization.objects.create(slug=f"bench-import-{stamp}", name=f"Bench import {stamp}",
                                      kind="legal_clinic")
    load_before = os.getloadavg()
    started, started_cpu = time.perf_counter(), time.process_time()
    result = importer.run(path=path, organization=org, actor=None, dry_run=False, progress=False)
    seconds = round(time.perf_counter() - started, 1)
    path.unlink(missing_ok=True)
    projected = round(seconds * 1_000_000 / n, 1) if n else None
    return {"rows": n, "seconds": seconds, "app_cpu_s": round(time.process_time() - started_cpu, 1),
            "rows_per_second": round(n / seconds, 1) if seconds else None,
            "projected_seconds_for_1m": projected, "target_met": projected is not None and projected < 300,
            "load_average_before": load_before, "load_average_after": os.getloadavg(),
            "summary": result.summary() if hasattr(result, "summary") else str(result)}


def measure_import_command(n: int) -> dict:
    """The whole command `haven import claims FILE --organization SLUG` on n generated rows, timed from process
    start to exit (CSV read, validation of every row, households, people, cases, claims, steps, deadlines and
    audit written in one transaction), then the rows it wrote counted."""
    from django.db import connection

    from haven.accounts.models import Organization
    from haven.audit.models import AuditEntry
    from haven.claims.models import Claim, ClaimEvent, Deadline

    stamp = _stamp()
    path = ROOT / "var" / f"bench-claims-command-{n}.csv"
    write_claims_file(path, n, prefix=f"CMD{stamp}")
    org = Organization.objects.create(slug=f"bench-command-{stamp}", name=f"Bench command {stamp}",
                                      kind="legal_clinic")
    audit_before = AuditEntry.objects.count()
    connection.close()  # the command runs in its own process
    load_before = os.getloadavg()
    started = time.perf_counter()
    out = subprocess.run([str(Path(sys.executable).with_name("haven")), "import", "claims", str(path),
                          "--organization", org.slug, "--no-progress"],
                         cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True)
    seconds = round(time.perf_counter() - started, 1)
    load_after = os.getloadavg()
    path.unlink(missing_ok=True)
    claims = Claim.objects.filter(case__organization=org)
    return {"rows": n, "seconds": seconds, "exit_status": out.returncode,
            "output": (out.stdout + out.stderr).strip()[-500:],
            "target_met": (out.returncode == 0 and seconds < 300) if n >= 1_000_000 else None,
            "load_average_before": load_before, "load_average_after": load_after,
            "written": {"claims": claims.count(),
                        "events": ClaimEvent.objects.filter(claim__case__organization=org).count(),
                        "deadlines": Deadline.objects.filter(case__organization=org).count(),
                        "audit_entries": AuditEntry.objects.count() - audit_before}}


def inner(n: int, with_import: bool, import_rows: int = 0, command_rows: int = 0) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from haven.claims.models import Claim

    call_command("migrate", verbosity=0, interactive=False)
    result = {"vendor": connection.vendor}
    if n:
        existing = Claim.objects.filter(case__organization__slug="bench-stats").count()
        result["seed"] = {"claims": existing, "reused": True} if existing == n else seed(n)
        result["tables"] = measure_tables()
    if with_import and import_rows:
        result["import"] = measure_import(import_rows)
    if with_import and command_rows:
        result["import_command"] = measure_import_command(command_rows)
    return result


# ------------------------------------------------------------------------------------------ orchestration


def _postgres_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        base = "postgres://postgres@127.0.0.1:5432/postgres"
    return base.rsplit("/", 1)[0] + "/haven_stats_bench"


def _database_url(backend: str, name: str = "haven_stats_bench") -> str:
    if backend == "sqlite":
        return f"sqlite:///{ROOT / 'var' / (name.removeprefix('haven_').replace('_', '-') + '.sqlite3')}"
    return _postgres_url().rsplit("/", 1)[0] + f"/{name}"


def _fresh_database(backend: str, name: str = "haven_stats_bench") -> str:
    url = _database_url(backend, name)
    if backend == "sqlite":
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return url
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return url


IMPORT_DATABASE = "haven_stats_import_bench"  # the imports are measured in a fresh database of their own


IMPORT_ROWS = 20_000  # the claims importer measured in process on this many rows, projected to 1,000,000
# The whole `haven import claims` command on 1,000,000 rows, per backend (0: not measured).
COMMAND_ROWS = {"postgresql": 1_000_000, "sqlite": 0}


def run_bench(claims: int = 1_000_000, backends=("postgresql", "sqlite"), with_import: bool = True,
              import_rows: int = IMPORT_ROWS, reuse: bool = False, command_rows: dict | None = None) -> dict:
    """`reuse`: keep the bench database of an earlier run when it already holds exactly `claims` claims.
    `command_rows`: {backend: rows} for the whole-command import (default COMMAND_ROWS)."""
    command_rows = COMMAND_ROWS if command_rows is None else command_rows
    results = {}
    for backend in backends:
        url = _database_url(backend) if reuse else _fresh_database(backend)
        results[backend] = _inner_process(url, ["--claims", str(claims), "--no-import"])
        if with_import and (import_rows or command_rows.get(backend)):
            results[backend]["imports"] = _inner_process(
                _fresh_database(backend, IMPORT_DATABASE),
                ["--claims", "0", "--import-rows", str(import_rows),
                 "--command-rows", str(command_rows.get(backend, 0))])
    return results


def _inner_process(url: str, args: list[str]) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "haven.settings"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--inner", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    marker = [line for line in out.stdout.splitlines() if line.startswith("STATS-BENCH ")]
    if out.returncode != 0 or not marker:
        result = {"error": (out.stderr or out.stdout)[-2000:]}
    else:
        result = json.loads(marker[-1][len("STATS-BENCH "):])
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    return result


run = run_bench


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS,
                        help="Rows for the in-process import measure, projected to 1,000,000 (default %(default)s).")
    parser.add_argument("--command-rows", type=int, default=None,
                        help="Rows for the whole `haven import claims` command, on every backend given "
                             f"(default: {COMMAND_ROWS}; 0 to skip).")
    parser.add_argument("--reuse", action="store_true", help="Reuse the bench databases of an earlier run.")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        result = inner(args.claims, not args.no_import, args.import_rows, args.command_rows or 0)
        print("STATS-BENCH " + json.dumps(result, default=str))
        return 0
    backends = tuple(args.backends.split(","))
    command_rows = None if args.command_rows is None else {backend: args.command_rows for backend in backends}
    result = run_bench(args.claims, backends, not args.no_import, args.import_rows, args.reuse, command_rows)
    print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
