"""Claims measures for `make bench` (bench/run.py calls `run_bench()` on the seeded bench database).

- `bench_recompute(claims=100_000)`: seeds claims with realistic steps (bulk, in a fresh organization) and
  times `recompute_all_deadlines()` (every claim of the database) three times: first with the new claims'
  deadlines all missing (every row written), then with nothing to change (every claim read, computed and
  compared), then after an administrator lengthens a rule (every affected row rewritten).
  Target: under 10 s.
  Also: the nothing-to-change recompute without the planner's memo (every claim through the engine), and the
  number of distinct event patterns (the memo's misses).
- `bench_deadlines_page(claims=2_000)`: a caseworker whose organization has 2,000 open claims requests the
  deadlines page repeatedly through Django's test client; p50/p95 in ms. Target: p95 under 100 ms.

- `bench_import(rows=20_000)`: `haven import claims` of a generated CSV (one claimant in ten has a second
  claim; a third of the claims decided) into a fresh organization; wall and CPU seconds, projected to
  1,000,000 rows. Target: 1,000,000 rows in under 5 minutes.

Run by hand:  DATABASE_URL=postgres://... .venv/bin/python -c \
    "import sys; sys.path.insert(0, 'bench'); import django; django.setup(); from claims_bench import run_bench; print(run_bench())"

The claims are seeded by haven.claims.testing.seed_claims (the tests use it too).
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from pathlib import Path
import statistics
import time

from django.db import connection
from django.test import Client
from django.utils import timezone

from haven.accounts.models import Membership, Organization, Role, User
from haven.claims.models import Claim, ClaimEvent, DeadlineRule
from haven.claims.planning import EV_FIELDS, DeadlinePlanner
from haven.claims.recompute import recompute_all_deadlines
from haven.claims.testing import seed_claims

RECOMPUTE_TARGET_S = 10.0
PAGE_TARGET_MS = 100.0


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%d%H%M%S%f")


def _patterns() -> int:
    """Distinct (province, events) patterns among every claim: how many the planner computes."""
    events: dict[int, list] = {}
    for row in ClaimEvent.objects.order_by("claim_id", "occurred_on", "pk").values_list("claim_id", *EV_FIELDS[1:]):
        events.setdefault(row[0], []).append(row[1:])
    return len({(province, *events.get(pk, ())) for pk, province in Claim.objects.values_list("pk", "province")})


def bench_recompute(*, claims: int = 100_000) -> dict:
    today = timezone.localdate()
    stamp = _stamp()
    organization = Organization.objects.create(name=f"Claims bench {stamp}", slug=f"claims-bench-{stamp}",
                                               kind=Organization.Kind.LEGAL_CLINIC)
    started = time.perf_counter()
    ids = seed_claims(organization=organization, claims=claims, today=today, prefix=f"RB{stamp}")
    seeded = time.perf_counter() - started
    events = ClaimEvent.objects.filter(claim_id__in=ids[:1]).count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    started, started_cpu = time.perf_counter(), time.process_time()
    cold = recompute_all_deadlines()
    cold_s, cold_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    started, started_cpu = time.perf_counter(), time.process_time()
    warm = recompute_all_deadlines()
    warm_s, warm_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    # The same without the planner's memo: every claim through the engine, as if no two claims shared a pattern
    # (the bench's claims repeat much more than real ones: see "patterns").
    DeadlinePlanner.memoize = False
    try:
        started, started_cpu = time.perf_counter(), time.process_time()
        recompute_all_deadlines()
        no_memo_s, no_memo_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    finally:
        DeadlinePlanner.memoize = True
    patterns = _patterns()
    # An administrator lengthens the RAD record period by a day: every affected deadline is rewritten.
    rule = DeadlineRule.objects.filter(key="rad_record_due", active=True, effective_from__isnull=False).order_by(
        "-effective_from").first()
    rule.period += 1
    rule.save(update_fields=["period"])
    started, started_cpu = time.perf_counter(), time.process_time()
    changed = recompute_all_deadlines()
    changed_s, changed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    rule.period -= 1
    rule.save(update_fields=["period"])
    recompute_all_deadlines()
    return {
        "recompute_after_rule_change_s": round(changed_s, 2),
        "recompute_after_rule_change_app_cpu_s": round(changed_cpu, 2), "recompute_after_rule_change": changed,
        "claims": claims, "seed_s": round(seeded, 2), "load_average": os.getloadavg()[0], "events_first_claim": events,
        "recompute_cold_s": round(cold_s, 2), "recompute_cold_app_cpu_s": round(cold_cpu, 2), "recompute_cold": cold,
        "recompute_unchanged_s": round(warm_s, 2), "recompute_unchanged_app_cpu_s": round(warm_cpu, 2),
        "recompute_unchanged": warm,
        "recompute_unchanged_without_memo_s": round(no_memo_s, 2),
        "recompute_unchanged_without_memo_app_cpu_s": round(no_memo_cpu, 2), "patterns": patterns,
        "target_s": RECOMPUTE_TARGET_S,
        "ok": max(cold_s, warm_s, changed_s) < RECOMPUTE_TARGET_S,
    }


def bench_deadlines_page(*, claims: int = 2_000, requests: int = 60) -> dict:
    today = timezone.localdate()
    stamp = _stamp()
    organization = Organization.objects.create(name=f"Deadlines bench {stamp}", slug=f"deadlines-bench-{stamp}",
                                               kind=Organization.Kind.LEGAL_CLINIC)
    user = User.objects.create_user(username=f"deadlines-{stamp}@bench.test", email="bench@bench.test")
    Membership.objects.create(user=user, organization=organization, role=Role.CASEWORKER)
    ids = seed_claims(organization=organization, claims=claims, today=today, prefix=f"PB{stamp}")
    recompute_all_deadlines(claim_ids=ids)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    client.get("/claims/deadlines/")  # warm-up
    timings, cpu = [], []
    rows = 0
    for n in range(requests):
        url = "/claims/deadlines/" if n % 2 == 0 else f"/claims/deadlines/?page={2 + n % 10}"
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        rows = max(rows, response.content.count(b"data-rule="))
    timings.sort()
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    from haven.claims.selectors import visible_deadlines

    listed = visible_deadlines(user, today=today).count()
    return {"claims": claims, "open_deadlines_listed": listed, "rows_per_page": rows, "requests": requests,
            "p50_ms": round(statistics.median(timings), 1), "p95_ms": round(p95, 1),
            "app_cpu_p50_ms": round(statistics.median(cpu), 1), "load_average": os.getloadavg()[0],
            "target_p95_ms": PAGE_TARGET_MS, "ok": p95 < PAGE_TARGET_MS, "database": connection.vendor}


IMPORT_TARGET_S = 300.0
OUTCOMES = ("", "", "rejected", "accepted", "", "abandoned", "withdrawn", "", "no_credible_basis", "other")


def write_import_file(path: Path, *, rows: int, prefix: str, today: dt.date) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["claim_ref", "claimant_ref", "family_name", "given_name", "birth_date",
                         "country_of_persecution", "referred_on", "province", "outcome", "outcome_on"])
        for i in range(rows):
            person = i - 1 if i % 10 == 1 else i  # one claimant in ten has a second claim
            referred = today - dt.timedelta(days=30 + i % 2000)
            outcome = OUTCOMES[i % len(OUTCOMES)]
            decided = referred + dt.timedelta(days=i % 25) if outcome else None
            writer.writerow([f"{prefix}-{i:08d}", f"{prefix}-H{person:08d}", "Kim", f"Bench{person}", "1980-01-01",
                             ("KP", "PRK", "China", "KR")[i % 4], referred.isoformat(), ("ON", "QC", "BC")[i % 3],
                             outcome, decided.isoformat() if decided else ""])


def bench_import(*, rows: int = 20_000) -> dict:
    from haven.claims.importing import run_claims_import

    today = timezone.localdate()
    stamp = _stamp()
    organization = Organization.objects.create(name=f"Import bench {stamp}", slug=f"import-bench-{stamp}",
                                               kind=Organization.Kind.LEGAL_CLINIC)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.csv"
        write_import_file(path, rows=rows, prefix=f"IB{stamp}", today=today)
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run_claims_import(path=path, organization=organization, actor=None, dry_run=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    projected = seconds * 1_000_000 / rows
    return {"rows": rows, "seconds": round(seconds, 2), "app_cpu_s": round(cpu, 2),
            "rows_per_second": round(rows / seconds), "projected_s_for_1m": round(projected, 1),
            "summary": result.summary(), "load_average": os.getloadavg()[0], "database": connection.vendor,
            "target_s_for_1m": IMPORT_TARGET_S, "ok": projected < IMPORT_TARGET_S}


def run_bench() -> dict:
    return {"recompute": bench_recompute(), "deadlines_page": bench_deadlines_page(), "import": bench_import()}
