"""`make bench`: Haven's performance measures on PostgreSQL.

1. Queries per page at a small data size (a fresh database with a few hundred people).
2. A fresh database filled with 100,000 persons in 40,000 cases through the real importer
   (`haven import people FILE`, rows from haven.demo's seeded generator): the import is timed.
   Falls back to bench/seed.py (bulk seeder) if the importer or generator is missing.
3. Queries per page at that size, and EXPLAIN ANALYZE of each list query.
4. gunicorn (HAVEN_DEBUG=0) driven by 10 concurrent clients signed in as a caseworker who sees
   every case: case list pages at random page numbers, name searches in Hangul and in Latin
   script with names taken from the generated data. p50/p95 per scenario.
5. The other capabilities' bench functions (bench/claims_bench.py, bench/stats_bench.py, bench/dedup_bench.py).

Results: bench/results/*.json, a Markdown summary on stdout and in bench/results/summary.md,
and BENCHMARKS.md (machine, command, figures).

    .venv/bin/python bench/run.py [--persons 100000 --cases 40000 --clients 10 --duration 20]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haven_bench"
BENCH_USER = "caseworker@bench.test"
BENCH_PASSWORD = "bench caseworker password 2026"
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b",
                                 re.I)

sys.path.insert(0, str(ROOT / "bench"))
import load  # noqa: E402  (bench/load.py, importable once bench/ is on the path)
from bench_report import (  # noqa: E402  (bench/bench_report.py, likewise)
    SIGNED_IN_FLOOR,
    floor_table,
    loadavg,
    machine,
    markdown,
    write_benchmarks_md,
)


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", flush=True)


# --------------------------------------------------------------------------- databases

def db_parts(url: str) -> dict:
    parts = urllib.parse.urlsplit(url)
    return {"host": parts.hostname or "127.0.0.1", "port": str(parts.port or 5432),
            "user": parts.username or "postgres", "name": parts.path.lstrip("/"), "password": parts.password}


def with_name(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def psql(url: str, sql: str, database: str = "postgres") -> str:
    p = db_parts(url)
    env = {**os.environ}
    if p["password"]:
        env["PGPASSWORD"] = p["password"]
    out = subprocess.run(["psql", "-h", p["host"], "-p", p["port"], "-U", p["user"], "-d", database, "-v",
                          "ON_ERROR_STOP=1", "-qAt", "-c", sql], env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def recreate_database(url: str) -> None:
    name = db_parts(url)["name"]
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"refusing to drop a database named {name!r}")
    psql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(url, f"CREATE DATABASE {name}")


def drop_database(url: str) -> None:
    psql(url, f"DROP DATABASE IF EXISTS {db_parts(url)['name']} WITH (FORCE)")


def app_env(url: str, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "haven.settings",
           "HAVEN_ENV": "development", "HAVEN_DEBUG": "0", "HAVEN_LOG_LEVEL": "ERROR"}
    env.update({key: str(value) for key, value in extra.items()})
    return env


def haven(url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "haven"), *args], cwd=ROOT, env=app_env(url), check=check,
                          capture_output=True, text=True)


def python(url: str, code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=app_env(url), check=True,
                         capture_output=True, text=True)
    return out.stdout


# --------------------------------------------------------------------------- seeding

def importer_available() -> bool:
    try:
        importlib.import_module("haven.demo.generator").generate_people_rows  # noqa: B018
    except (ImportError, AttributeError):
        return False
    return (ROOT / "haven" / "transfer" / "management" / "commands" / "import_data.py").exists()


def people_rows(persons: int, cases: int, groups: list[str], seed: int = 2026) -> list[dict[str, str]]:
    """Generator rows for `cases` households, trimmed to exactly `persons` people (never removing a principal)."""
    from haven.demo.generator import generate_people_rows

    rows = generate_people_rows(seed=seed, households=cases, sponsor_groups=tuple(groups),
                                opened_from=dt.date(2016, 1, 1))
    by_household: dict[str, list[dict]] = {}
    for row in rows:
        by_household.setdefault(row["household_key"], []).append(row)
    excess = len(rows) - persons
    while excess > 0:
        trimmed = False
        for members in by_household.values():
            if excess <= 0:
                break
            if len(members) > 1:
                members.pop()
                excess -= 1
                trimmed = True
        if not trimmed:
            break
    return [row for members in by_household.values() for row in members]


def seed_with_importer(url: str, persons: int, cases: int, label: str) -> dict:
    groups = [f"Sponsor group {n:02d}" for n in range(20)]
    python(url, f"""
import django; django.setup()
from haven.accounts.models import Organization, Team
org, _ = Organization.objects.get_or_create(slug="bench", defaults={{"name": "Bench Sponsorship Society",
                                             "kind": Organization.Kind.SPONSORSHIP}})
for name in {groups!r}:
    Team.objects.get_or_create(organization=org, name=name, defaults={{"kind": Team.Kind.SPONSOR_GROUP}})
import sys; sys.path.insert(0, "bench")
from seed import ensure_bench_user
ensure_bench_user(org)
""")
    started = time.perf_counter()
    rows = people_rows(persons, cases, groups)
    generated = time.perf_counter() - started
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"people-{label}.csv"
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    log(f"{len(rows)} rows generated in {generated:.1f} s → {path.name}; importing")
    started = time.perf_counter()
    out = haven(url, "import", "people", str(path), "--organization", "bench", "--actor", BENCH_USER,
                "--no-progress", check=False)
    seconds = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"import failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    psql(url, "ANALYZE", database=db_parts(url)["name"])
    names = sample_names(rows)
    path.unlink()
    return {"method": "haven import people (haven.transfer) on haven.demo rows", "rows": len(rows),
            "import_seconds": round(seconds, 2), "generate_seconds": round(generated, 2),
            "output": out.stdout.strip()[-500:], **names}


def sample_names(rows: list[dict[str, str]], count: int = 400) -> dict:
    rng = random.Random(11)
    sample = rng.sample(rows, min(count, len(rows)))
    hangul, latin = set(), set()
    for row in sample:
        if row.get("given_name_hangul"):
            hangul.add(row["given_name_hangul"])
            hangul.add(row.get("family_name_hangul", "") + row["given_name_hangul"])
        if row.get("given_name"):
            latin.add(row["given_name"])
            latin.add(f"{row.get('family_name', '')} {row['given_name']}".strip())
    return {"search_hangul": sorted(hangul), "search_latin": sorted(latin)}


def seed_with_bulk(url: str, persons: int, cases: int, label: str) -> dict:
    out_file = RESULTS / f"seed-{label}.json"
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "bench" / "seed.py"), "--persons", str(persons), "--cases",
                    str(cases), "--out", str(out_file)], cwd=ROOT, env=app_env(url), check=True)
    seconds = time.perf_counter() - started
    data = json.loads(out_file.read_text(encoding="utf-8"))
    out_file.unlink()
    return {"method": "bench/seed.py bulk seeder (importer not available)", "rows": data["persons"],
            "import_seconds": round(seconds, 2), "search_hangul": data["search_hangul"],
            "search_latin": data["search_latin"]}


def prepare(url: str, persons: int, cases: int, label: str, method: str) -> dict:
    log(f"{label}: creating {db_parts(url)['name']}, migrating")
    recreate_database(url)
    started = time.perf_counter()
    haven(url, "migrate", "--noinput")
    migrate_s = time.perf_counter() - started
    use_importer = method == "importer" or (method == "auto" and importer_available())
    log(f"{label}: seeding {persons} persons in {cases} cases with {'the importer' if use_importer else 'bench/seed.py'}")
    seeded = seed_with_importer(url, persons, cases, label) if use_importer else seed_with_bulk(url, persons, cases,
                                                                                                label)
    counts = python(url, """
import django, json; django.setup()
from haven.cases.models import Case
from haven.people.models import Person, Household
print(json.dumps({"persons": Person.objects.count(), "cases": Case.objects.count(),
                  "households": Household.objects.count()}))
""")
    seeded.update(json.loads(counts))
    # What autovacuum does within minutes of a bulk load, done now so that every run measures the same state:
    # planner statistics, and the visibility map that lets a deep page be an index-only scan.
    started = time.perf_counter()
    psql(url, "VACUUM ANALYZE", database=db_parts(url)["name"])
    seeded["vacuum_analyze_seconds"] = round(time.perf_counter() - started, 2)
    seeded["migrate_seconds"] = round(migrate_s, 2)
    seeded["seeded_at"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    seeded["loadavg_after_seed"] = loadavg()
    log(f"{label}: {seeded['persons']} persons, {seeded['cases']} cases; "
        f"{'import' if use_importer else 'seed'} took {seeded['import_seconds']} s")
    return seeded


# --------------------------------------------------------------------------- query counts and plans

EXPLAIN_CODE = r"""
import django, json, sys; django.setup()
from django.db import connection
sys.path.insert(0, "bench")
from querycount import measure
results = measure(sys.argv[1] if len(sys.argv) > 1 else "caseworker@bench.test")
plans = {}
for label, row in results.items():
    if not (label.startswith("case list") or label.startswith("case search") or label.startswith("API case")):
        continue
    for sql in row.pop("full_sql", []):
        if not sql.lstrip().upper().startswith("SELECT") or "cases_case" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(line for (line,) in cursor.fetchall())
        plans.setdefault(label, []).append({"sql": sql, "plan": plan})
for row in results.values():
    row.pop("full_sql", None)
print(json.dumps({"pages": results, "plans": plans}, ensure_ascii=False))
"""


def query_counts(url: str) -> dict:
    out = subprocess.run([sys.executable, "-c", EXPLAIN_CODE, BENCH_USER], cwd=ROOT,
                         env=app_env(url, HAVEN_BENCH_FULL_SQL="1"), check=True, capture_output=True, text=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    for row in data["pages"].values():
        sql = row.get("sql", [])
        row["sql_statements"] = sum(1 for q in sql if not TRANSACTION_CONTROL.match(q))
    return data


# --------------------------------------------------------------------------- serving and load

def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int, threads: int, experiment: str = "",
                   worker_class: str = "gthread") -> subprocess.Popen:
    log_path = RESULTS / "gunicorn.log"
    app = "bench.experiments:application" if experiment else "haven.wsgi"
    command = [str(VENV_BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", worker_class, "--threads", str(threads), "--keep-alive", "30",
               "--error-logfile", str(log_path), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=app_env(url, HAVEN_DB_CONN_MAX_AGE=600,
                                                              HAVEN_BENCH_EXPERIMENT=experiment),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    import http.client

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port}; see {log_path}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def sign_in(base: str, username: str, password: str) -> str:
    """Sign in through the login form like a browser; returns the Cookie header of the session.

    Standard library only (urllib with a cookie jar), so `make bench` needs nothing beyond the test extra.
    """
    import http.cookiejar
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # the 302 after a successful login is the answer we check

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    login_url = f"{base}/accounts/login/"
    with opener.open(login_url, timeout=10) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode("utf-8"))
    if not token:
        raise RuntimeError("no CSRF token on the login page")
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "username": username,
                                   "password": password}).encode()
    request = urllib.request.Request(login_url, data=body, headers={"Referer": login_url})
    try:
        with opener.open(request, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as error:  # urllib raises on the unfollowed 302
        status = error.code
    if status != 302:
        raise RuntimeError(f"login answered {status}")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def run_load(base: str, cookies: list[str], total_cases: int, names: dict, duration: float, warmup: float,
             think: tuple[float, float] | None) -> dict:
    pages = max(1, -(-total_cases // 25))
    hangul, latin = names["search_hangul"], names["search_latin"]
    quote = urllib.parse.quote
    scenarios = {
        "case list (random page)": lambda rng: f"/cases/?page={rng.randint(1, pages)}",
        "name search, Hangul": lambda rng: f"/cases/?q={quote(rng.choice(hangul))}",
        "name search, romanized": lambda rng: f"/cases/?q={quote(rng.choice(latin))}",
    }
    return drive(base, cookies, scenarios, duration, warmup, think)


# The cheapest pages, driven exactly like the measured ones: what the server, the database and the load generator
# sharing these cores give a page that does no case work at all.
FLOOR_SCENARIOS = {
    "/healthz (no session, no database)": lambda rng: "/healthz",
    SIGNED_IN_FLOOR: lambda rng: "/no-such-page/",
}


def drive(base: str, cookies: list[str], scenarios: dict, duration: float, warmup: float,
          think: tuple[float, float] | None) -> dict:
    results = {}
    for label, next_path in scenarios.items():
        log(f"load: {label}, {len(cookies)} clients, {duration:.0f} s"
            + (f", think time {think[0]}–{think[1]} s" if think else ", no think time"))
        samples = load.run(base_url=base, cookies=cookies, next_path=next_path, duration=duration, warmup=warmup,
                           think=think)
        results[label] = samples.summary()
        s = results[label]
        log(f"      {s['requests']} requests, {s['throughput_rps']} req/s, p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms,"
            f" statuses {s['statuses']}")
    return results


# --------------------------------------------------------------------------- other capabilities' benches

def other_benches(url: str) -> dict:
    """Call the other capabilities' run_bench() (bench/claims_bench.py, bench/stats_bench.py, bench/dedup_bench.py)
    when they exist, each in its own process with DATABASE_URL pointing at the seeded database."""
    hooks = {
        "claims": ("claims_bench", ROOT / "bench" / "claims_bench.py"),
        "stats": ("stats_bench", ROOT / "bench" / "stats_bench.py"),
        "dedup": ("dedup_bench", ROOT / "bench" / "dedup_bench.py"),
        "funds": ("funds_bench", ROOT / "bench" / "funds_bench.py"),
    }
    results = {}
    for key, (module, path) in hooks.items():
        if not path.exists():
            note = f"skipped: {path.relative_to(ROOT)} does not exist"
            log(f"{key} bench {note}")
            results[key] = {"skipped": note}
            continue
        code = (
            "import django, json, sys; sys.path.insert(0, 'bench'); django.setup()\n"
            f"import importlib; m = importlib.import_module({module!r})\n"
            "fn = getattr(m, 'run_bench', None) or getattr(m, 'run', None) or getattr(m, 'main', None)\n"
            "out = fn() if fn else {'skipped': 'no run_bench()/run()/main() in module'}\n"
            "print('\\nBENCH-JSON ' + json.dumps(out if isinstance(out, dict) else {'result': out}, default=str, ensure_ascii=False))\n"
        )
        log(f"{key} bench: running {path.relative_to(ROOT)}")
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=app_env(url), capture_output=True, text=True)
        seconds = round(time.perf_counter() - started, 1)
        marker = [line for line in out.stdout.splitlines() if line.startswith("BENCH-JSON ")]
        if out.returncode != 0 or not marker:
            results[key] = {"error": (out.stderr or out.stdout)[-1500:], "seconds": seconds}
            log(f"{key} bench failed (see results)")
        else:
            results[key] = {"result": json.loads(marker[-1][len("BENCH-JSON "):]), "seconds": seconds,
                            "stdout": out.stdout[-3000:]}
    return results


def run_experiment(args, large_url: str) -> int:
    """The load test only, against bench.experiments:application with one proposed change applied."""
    previous = RESULTS / "seed-large.json"
    if not previous.exists():
        raise SystemExit("--experiment measures the database of an earlier run: run bench/run.py first")
    seed = json.loads(previous.read_text(encoding="utf-8"))
    haven(large_url, "migrate", "--noinput")
    port = free_port()
    log(f"experiment {args.experiment}: gunicorn {args.workers} × {args.threads}, port {port}")
    server = start_gunicorn(large_url, port, args.workers, args.threads, experiment=args.experiment)
    result = {"experiment": args.experiment, "started": dt.datetime.now(dt.timezone.utc).isoformat(),
              "loadavg_before": loadavg()}
    try:
        base = f"http://127.0.0.1:{port}"
        cookies = [sign_in(base, BENCH_USER, BENCH_PASSWORD) for _ in range(args.clients)]
        result["results"] = run_load(base, cookies, seed["cases"], seed, args.duration, args.warmup, None)
        if args.think:
            think = tuple(float(x) for x in args.think.split(","))
            result["think_results"] = run_load(base, cookies, seed["cases"], seed, args.duration, args.warmup,
                                               think)
        result["loadavg_after"] = loadavg()
    finally:
        stop(server)
    out = RESULTS / f"experiment-{args.experiment}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print()
    for key in ("results", "think_results"):
        for label, s in result.get(key, {}).items():
            print(f"| {args.experiment}: {label}{' (think time)' if key == 'think_results' else ''} | "
                  f"p50 {s['p50_ms']} ms | p95 {s['p95_ms']} ms | {s['throughput_rps']} req/s |")
    return 0


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Haven benchmarks (see BENCHMARKS.md)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=40_000)
    parser.add_argument("--small-persons", type=int, default=250)
    parser.add_argument("--small-cases", type=int, default=100)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--think", default="0.5,1.0",
                        help="think time range 'a,b' (s) for the second, paced pass; '' to skip it")
    # gunicorn's usual 2 × cores + 1 workers, one thread each: two threads of one worker share its GIL, which
    # doubled the time of a page whenever two requests landed in the same worker (BENCHMARKS.md).
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed-method", choices=["auto", "importer", "bulk"], default="auto")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database of the previous run")
    parser.add_argument("--keep", action="store_true", help="keep the small database too")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite BENCHMARKS.md")
    parser.add_argument("--no-others", action="store_true", help="skip the other capabilities' benches")
    parser.add_argument("--experiment", default="",
                        help="serve bench/experiments.py with this patch (needs --reuse); only the load test runs")
    return parser.parse_args(argv)


def large_database(args, large_url: str) -> dict:
    """The large database's seed: reused from the previous run with --reuse, otherwise created and seeded."""
    previous = RESULTS / "seed-large.json"
    if args.reuse and previous.exists():
        large_seed = json.loads(previous.read_text(encoding="utf-8"))
        log(f"reusing {db_parts(large_url)['name']} ({large_seed['persons']} persons), migrating it")
        haven(large_url, "migrate", "--noinput")
        psql(large_url, "VACUUM ANALYZE", database=db_parts(large_url)["name"])
    else:
        large_seed = prepare(large_url, args.persons, args.cases, "large", args.seed_method)
        previous.write_text(json.dumps(large_seed, ensure_ascii=False, indent=1), encoding="utf-8")
    return large_seed


def load_test(args, large_url: str, large_seed: dict) -> dict:
    """gunicorn on the large database, driven by the closed loop (and the paced one, with --think)."""
    port = free_port()
    log(f"gunicorn: {args.workers} workers × {args.threads} threads (gthread), HAVEN_DEBUG=0, port {port}")
    server = start_gunicorn(large_url, port, args.workers, args.threads)
    try:
        base = f"http://127.0.0.1:{port}"
        cookies = [sign_in(base, BENCH_USER, BENCH_PASSWORD) for _ in range(args.clients)]
        think = tuple(float(x) for x in args.think.split(",")) if args.think else None
        result = {"config": {"clients": args.clients, "duration_s": args.duration, "warmup_s": args.warmup,
                             "workers": args.workers, "threads": args.threads, "think": args.think,
                             "page_size": 25, "client": "bench/load.py (threads, keep-alive http.client)"}}
        result["loadavg_before"] = loadavg()
        result["results"] = run_load(base, cookies, large_seed["cases"], large_seed, args.duration, args.warmup,
                                     None)
        result["floor_results"] = drive(base, cookies, FLOOR_SCENARIOS, args.duration, args.warmup, None)
        if think:
            result["think_results"] = run_load(base, cookies, large_seed["cases"], large_seed, args.duration,
                                               args.warmup, think)
        result["loadavg_after"] = loadavg()
    finally:
        stop(server)
    return result


def write_results(report: dict, *, write_md: bool) -> str:
    """bench/results/latest.json, a timestamped copy, summary.md and (unless told not to) BENCHMARKS.md."""
    (RESULTS / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str),
                                         encoding="utf-8")
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M")
    shutil.copy(RESULTS / "latest.json", RESULTS / f"run-{stamp}.json")
    summary = markdown(report)
    (RESULTS / "summary.md").write_text(summary + "\n", encoding="utf-8")
    if write_md:
        write_benchmarks_md(report, summary)
    return summary


def main(argv=None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    large_url = args.database_url
    small_url = with_name(large_url, db_parts(large_url)["name"] + "_small")
    report: dict = {"started": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                    "machine": machine()}
    extra = sys.argv[1:] if argv is None else list(argv)
    report["command"] = (".venv/bin/python bench/run.py " + " ".join(extra)) if extra else "make bench"
    report["postgres"] = psql(large_url, "SHOW server_version").join(("PostgreSQL ", ""))

    if args.experiment:
        return run_experiment(args, large_url)
    small_seed = prepare(small_url, args.small_persons, args.small_cases, "small", args.seed_method)
    report["small"] = {"seed": small_seed, "queries": query_counts(small_url)}
    if not args.keep:
        drop_database(small_url)

    large_seed = large_database(args, large_url)
    report["large"] = {"seed": {k: v for k, v in large_seed.items() if not k.startswith("search_")}}
    log("queries per page and EXPLAIN ANALYZE at the large size")
    report["large"]["queries"] = query_counts(large_url)
    report["load"] = load_test(args, large_url, large_seed)
    report["others"] = {} if args.no_others else other_benches(large_url)
    log(f"database {db_parts(large_url)['name']} is kept: `bench/run.py --reuse` measures again without reseeding")
    summary = write_results(report, write_md=not args.no_write)
    print()
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
