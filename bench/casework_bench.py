"""Measures of issue 13's "my work" and digest, on PostgreSQL:

1. "My work" for a caseworker of an organization with N households (one case each) and T tasks assigned to
   them (due dates spread over a year, a fifth done), plus appointments and other users' work: the page's SQL
   query count (Django test client, CaptureQueriesContext), then p50/p95 under load: gunicorn (gthread,
   HAVEN_DEBUG=0) on this database, C clients (bench/load.py's closed loop, one keep-alive connection each)
   pausing 0.5-1 s between pages, each signed in as the caseworker.
2. The daily digest (`haven casework digest`'s send_digests) for U users, each with tasks and appointments this
   week: wall time and SQL query count, mails to Django's in-memory backend.

    python bench/casework_bench.py                 # 300 households, 10,000 tasks, 1,000 users, 10 clients, 30 s
    python bench/casework_bench.py --small         # 30 households, 1,000 tasks, 100 users, 10 s: a quick check

The database (--database-url, default haven_casework_bench on the local PostgreSQL) is dropped and recreated.
Prints a JSON report and the Markdown lines for BENCHMARKS.md (written there with --write)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haven_casework_bench"

import load  # noqa: E402  (bench/load.py)


def env(url: str, **extra) -> dict:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "haven.settings", "PYTHONPATH": str(ROOT),
            "HAVEN_ENV": "development", "HAVEN_DEBUG": "0", "HAVEN_LOG_LEVEL": "ERROR",
            **{key: str(value) for key, value in extra.items()}}


def recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "-m", "haven", "migrate", "--noinput"], cwd=ROOT, env=env(url), check=True,
                   capture_output=True)


def seed(households: int, tasks: int, users: int, rng: random.Random) -> dict:
    """Bulk rows (not the services: this measures reading them). Returns the caseworker's id."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from haven.accounts.models import Membership, Organization, Role, Team
    from haven.cases.models import Case, CaseAssignment
    from haven.casework.models import Appointment, Task
    from haven.people.models import Household

    User = get_user_model()
    today = dt.date.today()
    org = Organization.objects.create(name="Bench SAH", slug="bench", kind=Organization.Kind.SPONSORSHIP)
    groups = [Team.objects.create(organization=org, name=f"Group {n}", kind=Team.Kind.SPONSOR_GROUP)
              for n in range(20)]
    worker = User.objects.create(username="bench-caseworker", email="worker@bench.test")
    Membership.objects.create(user=worker, organization=org, role=Role.CASEWORKER)
    others = User.objects.bulk_create([User(username=f"bench-{n}", email=f"bench-{n}@bench.test",
                                            preferred_language=rng.choice(["", "fr", "ko"])) for n in range(users)])
    Membership.objects.bulk_create([Membership(user=user, organization=org, role=Role.VOLUNTEER,
                                               team=groups[n % len(groups)]) if n % 2 else
                                    Membership(user=user, organization=org, role=Role.CASEWORKER)
                                    for n, user in enumerate(others)])
    homes = Household.objects.bulk_create([Household(organization=org, reference=f"HH-{n:05d}", name=f"Family {n}")
                                           for n in range(households)])
    kinds = [Case.Kind.SPONSORSHIP, Case.Kind.SETTLEMENT, Case.Kind.PROTECTION_CLAIM]
    cases = Case.objects.bulk_create([Case(organization=org, household=home, reference=f"BENCH-{n:05d}",
                                           kind=kinds[n % 3], sponsor_group=groups[n % len(groups)],
                                           opened_on=today - dt.timedelta(days=400)) for n, home in enumerate(homes)])
    CaseAssignment.objects.bulk_create([CaseAssignment(case=case, user=worker) for case in cases])

    def task(n: int, assignee) -> Task:
        done = rng.random() < 0.2
        return Task(case=cases[n % len(cases)], title=f"Task {n}", assignee=assignee, created_by=worker,
                    due_on=today + dt.timedelta(days=rng.randint(-180, 180)),
                    status=Task.Status.DONE if done else Task.Status.OPEN)
    Task.objects.bulk_create([task(n, worker) for n in range(tasks)], batch_size=2000)
    # Every other user: five tasks and two appointments, this week, so that each has a digest to receive.
    Task.objects.bulk_create([Task(case=cases[n % len(cases)], title=f"Their task {n}", assignee=user,
                                   created_by=worker, due_on=today + dt.timedelta(days=rng.randint(-3, 6)))
                              for user in others for n in range(5)], batch_size=2000)
    now = dt.datetime.now(dt.timezone.utc)
    appointments = Appointment.objects.bulk_create([
        Appointment(case=cases[n % len(cases)], title=f"Meeting {n}", place="Office", created_by=worker,
                    starts_at=now + dt.timedelta(hours=n % 150 + 1), ends_at=now + dt.timedelta(hours=n % 150 + 2),
                    interpreter_language="kor" if n % 3 == 0 else "") for n in range(2 * users + 200)])
    through = Appointment.attendees.through
    rows = [through(appointment_id=appointments[n].pk, user_id=others[n % users].pk) for n in range(2 * users)]
    rows += [through(appointment_id=appointment.pk, user_id=worker.pk) for appointment in appointments[2 * users:]]
    through.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after a load this size
    return {"worker": worker.pk}


def session_cookie(user) -> str:
    from django.test import Client

    from haven.accounts.middleware import SESSION_DEVICE_KEY, IdleSessionRefreshMiddleware

    client = Client()
    client.force_login(user)
    session = client.session
    IdleSessionRefreshMiddleware.stamp(session)
    session[SESSION_DEVICE_KEY] = False
    session.save()
    return f"sessionid={session.session_key}"


def query_count(user) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    result = {}
    for label, path in (("my work", "/work/"), ("my work, anyone's", "/work/?assignee=all"),
                        ("calendar", "/work/calendar/"), ("dashboard", "/")):
        client.get(path)  # warm caches (translations, compiled queries), as a running server has them
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        count = len(queries)  # now: the next request's request_started signal empties the log it reads
        # Wall time and this process's CPU time (Django's share, without PostgreSQL's) per page, over 20 pages:
        # on a machine shared with other jobs the CPU time moves much less than the wall time.
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(20):
            client.get(path)
        result[label] = {"status": response.status_code, "queries": count,
                         "ms": round((time.perf_counter() - started) * 1000 / 20, 1),
                         "cpu_ms": round((time.process_time() - cpu) * 1000 / 20, 1)}
    return result


def start_gunicorn(url: str, port: int, workers: int) -> subprocess.Popen:
    import http.client

    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "haven.wsgi", "--bind", f"127.0.0.1:{port}",
                                "--workers", str(workers), "--worker-class", "gthread", "--threads", "1",
                                "--keep-alive", "30", "--log-level", "warning"], cwd=ROOT,
                               env=env(url, HAVEN_DB_CONN_MAX_AGE=600), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def load_test(url: str, user, *, clients: int, duration: float, workers: int, port: int) -> dict:
    cookies = [session_cookie(user) for _ in range(clients)]
    server = start_gunicorn(url, port, workers)
    try:
        samples = load.run(base_url=f"http://127.0.0.1:{port}", cookies=cookies, next_path=lambda rng: "/work/",
                           duration=duration, warmup=3.0, think=(0.5, 1.0))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    return samples.summary()


def digest(users: int) -> dict:
    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haven.casework.digest import send_digests

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        sent = send_digests()
        seconds = time.perf_counter() - started
    return {"users": users, "sent": sent, "seconds": round(seconds, 2), "queries": len(queries)}


def markdown(report: dict) -> str:
    cfg, q, ld, dg = report["config"], report["queries"], report["load"], report["digest"]
    return "\n".join([
        "", f"## Casework: my work and the daily digest (bench/casework_bench.py, {report['date']})", "",
        f"PostgreSQL, a caseworker of {cfg['households']} households (one case each) with {cfg['tasks']:,} tasks; "
        f"{cfg['users']:,} other users with tasks and appointments this week. Load: gunicorn {cfg['workers']} "
        f"workers (gthread), {cfg['clients']} clients pausing 0.5-1 s between pages, {cfg['duration']:.0f} s.", "",
        "| measure | value |", "|---|---|",
        *[f"| {label}: SQL queries (test client) | {row['queries']} (HTTP {row['status']}, {row['ms']} ms, "
          f"Django CPU {row['cpu_ms']} ms, 20 pages averaged) |" for label, row in q.items()],
        f"| my work under load: p50 / p95 / max | {ld['p50_ms']} / {ld['p95_ms']} / {ld['max_ms']} ms "
        f"({ld['requests']} requests, statuses {ld['statuses']}; load average {ld['loadavg'][0]} before, "
        f"{ld['loadavg'][1]} after) |",
        f"| digest for {dg['users']:,} users | {dg['seconds']} s, {dg['sent']} mails, {dg['queries']} SQL queries |",
    ]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CASEWORK_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--small", action="store_true", help="30 households, 1,000 tasks, 100 users, 10 s")
    parser.add_argument("--write", action="store_true", help="append the Markdown to BENCHMARKS.md")
    args = parser.parse_args()
    if args.small:
        args.households, args.tasks, args.users, args.duration = 30, 1_000, 100, 10.0
    print(f"recreating {args.database_url} and migrating", file=sys.stderr)
    recreate(args.database_url)
    os.environ.update(env(args.database_url))
    import django

    django.setup()
    from haven.accounts.models import User

    started = time.perf_counter()
    ids = seed(args.households, args.tasks, args.users, random.Random(2026))
    print(f"seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    worker = User.objects.get(pk=ids["worker"])
    report = {"date": dt.date.today().isoformat(), "config": {key: getattr(args, key) for key in (
        "households", "tasks", "users", "clients", "duration", "workers")}}
    report["queries"] = query_count(worker)
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    report["load"] = load_test(args.database_url, worker, clients=args.clients, duration=args.duration,
                               workers=args.workers, port=args.port)
    report["load"]["loadavg"] = [load_before, " ".join(Path("/proc/loadavg").read_text().split()[:3])]
    report["digest"] = digest(args.users)
    print(json.dumps(report, indent=2))
    text = markdown(report)
    print(text)
    if args.write:
        with (ROOT / "BENCHMARKS.md").open("a", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
