"""Issue 14's load test: locust, headless, against gunicorn and PostgreSQL on loopback, USERS caseworkers doing
mixed work (bench/locustfile.py) for DURATION; p50/p95 and the error count go to BENCHMARKS.md.

    python bench/load_test.py --write                       # 50 users, 5 minutes (what `make bench` runs)
    python bench/load_test.py --users 10 --duration 30s     # a quick run (`make bench-load LOAD_DURATION=30s`)
    python bench/load_test.py --reuse                       # the database seeded last time, as it is now

Seeding (dropped and recreated: --database-url, default haven_load_bench on the local PostgreSQL, or
LOAD_BENCH_DATABASE_URL): the same `haven import people` of haven.demo's generated rows as bench/run.py
(--persons in --cases households, one case each, one organization with 20 sponsor groups), then one caseworker
account per simulated user, each assigned --cases-per-user cases with --tasks-per-user open tasks (due from 60 days
ago to 60 days ahead) and a few appointments this week."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import run as bench  # noqa: E402  (bench/run.py: seeding through the importer, gunicorn, the machine)
from bench_report import loadavg, machine  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haven_load_bench"
DATA_FILE = bench.RESULTS / "load-data.json"
PASSWORD = "load test caseworker password 2026"
BEGIN, END = "<!-- load:begin (written by bench/load_test.py) -->", "<!-- load:end -->"

SEED_WORK = r"""
import django, json, random, sys, datetime as dt; django.setup()
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from haven.accounts.models import Membership, Organization, Role, User
from haven.cases.models import Case, CaseAssignment
from haven.casework.models import Appointment, Task
from haven.people.models import Household, Person

users, per_user, tasks_per_user, password = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(2026)
org = Organization.objects.get(slug="bench")
hashed = make_password(password)  # once: the same password for every account, hashed as a sign-in checks it
accounts = User.objects.bulk_create([User(username=f"load-{n:03d}@bench.test", email=f"load-{n:03d}@bench.test",
                                          password=hashed) for n in range(users)])
Membership.objects.bulk_create([Membership(user=user, organization=org, role=Role.CASEWORKER) for user in accounts])
case_ids = list(Case.objects.filter(organization=org).values_list("pk", flat=True))
today, now = timezone.localdate(), timezone.now()
assignments, tasks, appointments = [], [], []
for user in accounts:
    mine = rng.sample(case_ids, per_user)
    assignments += [CaseAssignment(case_id=pk, user=user) for pk in mine]
    tasks += [Task(case_id=rng.choice(mine), title=f"Follow-up {n}", assignee=user, created_by=user,
                   due_on=today + dt.timedelta(days=rng.randint(-60, 60))) for n in range(tasks_per_user)]
    appointments += [(user, Appointment(case_id=rng.choice(mine), title=f"Visit {n}", place="Office", created_by=user,
                                        starts_at=now + dt.timedelta(hours=rng.randint(1, 150)),
                                        ends_at=now + dt.timedelta(hours=151))) for n in range(5)]
CaseAssignment.objects.bulk_create(assignments, batch_size=2000)
Task.objects.bulk_create(tasks, batch_size=2000)
made = Appointment.objects.bulk_create([appointment for _, appointment in appointments], batch_size=2000)
Appointment.attendees.through.objects.bulk_create(
    [Appointment.attendees.through(appointment_id=a.pk, user_id=user.pk) for (user, _), a in zip(appointments, made)])
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
persons = list(Person.objects.filter(household__organization=org).values_list("pk", flat=True))
households = list(Household.objects.filter(organization=org).values_list("pk", flat=True))
sample = lambda ids: rng.sample(ids, min(len(ids), 1000))
print(json.dumps({"usernames": [user.username for user in accounts], "case_ids": sample(case_ids),
                  "person_ids": sample(persons), "household_ids": sample(households),
                  "cases": len(case_ids), "persons": len(persons), "tasks": len(tasks)}))
"""


def seed(url: str, args) -> dict:
    seeded = bench.prepare(url, args.persons, args.cases, "load", "importer")
    bench.log(f"load: {args.users} caseworkers, {args.cases_per_user} cases and {args.tasks_per_user} tasks each")
    out = subprocess.run([sys.executable, "-c", SEED_WORK, str(args.users), str(args.cases_per_user),
                          str(args.tasks_per_user), PASSWORD], cwd=ROOT, env=bench.app_env(url),
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"seeding the load accounts failed:\n{out.stderr[-3000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data.update(password=PASSWORD, names=seeded["search_hangul"][:200] + seeded["search_latin"][:200],
                case_pages=-(-data["cases"] // 25), api_case_pages=-(-data["cases"] // 50),
                seeded_at=seeded["seeded_at"], import_seconds=seeded["import_seconds"])
    DATA_FILE.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def warm_up(base: str, requests: int) -> None:
    """A few pages before the measure, so that every gunicorn worker has loaded its templates, URL resolvers and
    translations, as a server that has been up for a while has: the first page of a fresh worker takes seconds."""
    import urllib.request

    for _ in range(2 * requests):
        for path in ("/accounts/login/", "/healthz"):
            with urllib.request.urlopen(base + path, timeout=30) as page:
                page.read()


def run_locust(base: str, args) -> dict:
    prefix = bench.RESULTS / "locust"
    command = [str(bench.VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.duration,
               "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, load_before = time.perf_counter(), loadavg()
    finished = subprocess.run(command, cwd=ROOT, env={**os.environ, "LOAD_BENCH_DATA": str(DATA_FILE),
                                                      "LOAD_WAIT": args.wait}, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = time.perf_counter() - started
    rows = list(csv.DictReader((prefix.parent / "locust_stats.csv").open(encoding="utf-8")))
    failures = list(csv.DictReader((prefix.parent / "locust_failures.csv").open(encoding="utf-8")))
    if finished.returncode not in (0, 1):  # 1: the run ended with failures, reported below
        raise SystemExit(f"locust failed ({finished.returncode}):\n{finished.stderr[-3000:]}")
    return {"seconds": round(seconds, 1), "load_before": load_before, "load_after": loadavg(),
            "locust_cpu_seconds": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
            "rows": rows, "failures": failures}


def summary(report: dict) -> dict:
    total = next(row for row in report["rows"] if row["Name"] == "Aggregated")
    return {"requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "p50": total["50%"], "p95": total["95%"], "p99": total["99%"], "rps": round(float(total["Requests/s"]), 1)}


def markdown(report: dict, data: dict, args) -> str:
    box, figures, locust = report["machine"], summary(report["locust"]), report["locust"]
    lines = [BEGIN, "",
             f"Command: `{report['command']}` · run {report['date']} · {box['nproc']} CPU ({box['cpu']}), "
             f"{box['ram_gib']} GiB RAM, Python {box['python']}, PostgreSQL on loopback", "",
             f"{args.users} caseworkers (locust users, spawned {args.spawn_rate}/s), each signed in through the login "
             f"form with an account of their own, pausing {args.wait.replace(',', '–')} s between actions, for "
             f"{args.duration}; gunicorn {args.workers} workers × {args.threads} threads (gthread), HAVEN_DEBUG=0. "
             f"Data: {data['persons']:,} persons in {data['cases']:,} cases (`haven import people`), "
             f"{data['tasks']:,} tasks of the load accounts.", "",
             f"**All requests: p50 {figures['p50']} ms, p95 {figures['p95']} ms, p99 {figures['p99']} ms; "
             f"{figures['requests']:,} requests ({figures['rps']}/s), {figures['failures']} errors.** "
             f"Load average {locust['load_before']} before, {locust['load_after']} after; locust itself used "
             f"{locust['locust_cpu_seconds']} s of CPU over {locust['seconds']} s; gunicorn (with its warm-up) "
             f"{report['gunicorn_cpu_seconds']} s, that is "
             f"{round(report['gunicorn_cpu_seconds'] * 1000 / max(figures['requests'], 1), 1)} ms per request.", "",
             "| request | count | errors | p50 ms | p95 ms | p99 ms | max ms |", "|---|---|---|---|---|---|---|"]
    for row in locust["rows"]:
        if row["Name"] != "Aggregated":
            lines.append(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | "
                         f"{row['95%']} | {row['99%']} | {round(float(row['Max Response Time']))} |")
    for failure in locust["failures"][:10]:
        lines.append(f"\nError: {failure['Method']} {failure['Name']}: {failure['Error']} ×{failure['Occurrences']}")
    lines += ["", "Locust reports percentiles rounded to two significant digits above 100 ms.", "", END]
    return "\n".join(lines)


def write_benchmarks(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text(encoding="utf-8")
    if BEGIN in current:
        head, rest = current.split(BEGIN, 1)
        current = head + text + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n## Load test: 50 caseworkers' mixed work (issue 14, locust)\n\n" + text + "\n"
    path.write_text(current, encoding="utf-8")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", default="5m", help="locust's --run-time: 300s, 5m, ...")
    parser.add_argument("--wait", default="1,3", help="pause between a user's actions, min,max seconds")
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=8_000)
    parser.add_argument("--cases-per-user", type=int, default=40)
    parser.add_argument("--tasks-per-user", type=int, default=200)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="the database and accounts seeded last time")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    data = json.loads(DATA_FILE.read_text(encoding="utf-8")) if args.reuse else seed(args.database_url, args)
    port = bench.free_port()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = bench.start_gunicorn(args.database_url, port, args.workers, args.threads)
    try:
        warm_up(f"http://127.0.0.1:{port}", args.workers * args.threads)
        bench.log(f"locust: {args.users} users for {args.duration} on port {port}")
        report = {"locust": run_locust(f"http://127.0.0.1:{port}", args), "machine": machine(),
                  "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                  "command": " ".join(["python bench/load_test.py", *(argv if argv is not None else sys.argv[1:])])}
    finally:
        bench.stop(server)
    # gunicorn's master and workers, once waited for, count in this process's children's CPU time; locust's
    # share is taken out. Divided by the requests: the server's CPU per request, whatever the machine's load.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    report["gunicorn_cpu_seconds"] = round(spent - report["locust"]["locust_cpu_seconds"], 1)
    text = markdown(report, data, args)
    print(text)
    (bench.RESULTS / "load-latest.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    if args.write:
        write_benchmarks(text)
    return 1 if summary(report["locust"])["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
