"""Where the CPU of one page goes under closed-loop load: gunicorn workers, PostgreSQL backends, load generator.

Usage (after a `bench/run.py` run has seeded the database and written bench/results/seed-large.json):

    .venv/bin/python bench/cpu_split.py [--workers 5] [--scenario list|hangul|healthz|notfound] [--duration 15]

`healthz` (no session) and `notfound` (a signed-in 404 page) give the floor every page pays.

Serves haven.wsgi with gunicorn as bench/run.py does, signs 10 clients in, runs a closed loop with bench/load.py,
and divides the user + system CPU time (from /proc/<pid>/stat) of the gunicorn processes and of the `postgres:`
processes, and this process's own CPU time, by the number of requests served.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
import run as bench  # noqa: E402


def cpu_seconds(pattern: str) -> float:
    """User + system CPU time of every process whose command line contains `pattern`."""
    ticks = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="ignore")
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if pattern in command:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", bench.DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--scenario", choices=("list", "hangul", "healthz", "notfound"), default="list")
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--worker-class", choices=("gthread", "sync"), default="gthread",
                        help="sync: one request per connection, so each request goes to the next free worker")
    args = parser.parse_args()
    seed = json.loads((bench.RESULTS / "seed-large.json").read_text(encoding="utf-8"))
    pages = max(1, -(-seed["cases"] // 25))
    names = seed["search_hangul"]
    if args.scenario in ("healthz", "notfound"):
        def next_path(rng):
            return "/healthz" if args.scenario == "healthz" else "/no-such-page/"
    elif args.scenario == "list":
        def next_path(rng):
            return f"/cases/?page={rng.randint(1, pages)}"
    else:
        def next_path(rng):
            return f"/cases/?q={urllib.parse.quote(rng.choice(names))}"
    port = bench.free_port()
    server = bench.start_gunicorn(args.database_url, port, args.workers, 1, worker_class=args.worker_class)
    try:
        base = f"http://127.0.0.1:{port}"
        cookies = [bench.sign_in(base, bench.BENCH_USER, bench.BENCH_PASSWORD) for _ in range(10)]
        load.run(base_url=base, cookies=cookies, next_path=next_path, duration=3, warmup=1, think=None)  # warm-up
        before = cpu_seconds("gunicorn"), cpu_seconds("postgres:"), time.process_time()
        summary = load.run(base_url=base, cookies=cookies, next_path=next_path, duration=args.duration, warmup=0,
                           think=None).summary()
        after = cpu_seconds("gunicorn"), cpu_seconds("postgres:"), time.process_time()
    finally:
        bench.stop(server)
    served = summary["requests"]
    gunicorn, postgres, generator = (1000 * (a - b) / served for a, b in zip(after, before))
    print(f"{args.scenario}, {args.workers} {args.worker_class} workers: {served} requests, {summary['throughput_rps']} req/s, "
          f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms; CPU per request: gunicorn {gunicorn:.2f} ms, "
          f"PostgreSQL {postgres:.2f} ms, load generator {generator:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
