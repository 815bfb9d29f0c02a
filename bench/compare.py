"""Side by side: today's code against an earlier checkout, on the same machine, in one run.

    git worktree add /tmp/haven-base <commit>
    .venv/bin/python bench/compare.py --base /tmp/haven-base [--rounds 3] [--people 100000] [--claims 100000]

Each measure is a whole `haven` command, the same on both sides, run in turn (base, head, base, head, ...) so
that a machine that slows down or speeds up during the run weighs on both alike; the report gives each side's
median and the head/base ratio of the medians. The measures are the ones a refactoring must not slow down:

- `import people`: a CSV of generated people (haven.demo.generator) into an empty migrated database;
- `import claims`: a CSV of generated protection claims with outcomes (bench/stats_bench.py's file);
- `deadlines recompute`: every imported claim's deadlines;
- `stats claims`: the outcome table by year over those claims;
- `dedup`: Korean-aware record linkage of a generated CSV (no database).

CPU seconds are the command's own process (user + system), without the database server's: on a shared machine
they vary far less than wall time, so their ratio is the steadier figure of the two.

Each side runs with its own code (`PYTHONPATH` set to its tree) against its own PostgreSQL database, created
for each round from a template that side migrated once. Input files are generated once, by the head's code,
and given to both sides.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAD = Path(__file__).resolve().parent.parent
RESULTS = HEAD / "bench" / "results"
PG = ["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "test", "-v", "ON_ERROR_STOP=1", "-q"]
# A fixed key, so both sides encrypt alike and neither writes one under var/.
KEY = "ZmFrZS1rZXktZm9yLWJlbmNoLW9ubHktMDEyMzQ1Njc="
SETUP = """
import django; django.setup()
from haven.accounts.models import Membership, Organization, User
user = User.objects.create(username="bench-runner")
for slug, name, kind in [("bench", "Bench Sponsorship Society", "sponsorship"),
                         ("benchclaims", "Bench Legal Clinic", "legal_clinic")]:
    organization = Organization.objects.create(slug=slug, name=name, kind=kind)
    Membership.objects.create(user=user, organization=organization, role="caseworker")
"""


def psql(*sql: str) -> None:
    subprocess.run([*PG, *[arg for statement in sql for arg in ("-c", statement)]], check=True,
                   capture_output=True)


def env_for(tree: Path, database: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(tree), "DJANGO_SETTINGS_MODULE": "haven.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}", "HAVEN_ENV": "development",
            "HAVEN_DEBUG": "0", "HAVEN_LOG_LEVEL": "ERROR", "HAVEN_ENCRYPTION_KEYS": KEY}


def run(tree: Path, database: str, args: list[str]) -> dict:
    """Run `manage.py ARGS` in `tree`; wall and CPU seconds of the whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, str(tree / "manage.py"), *args], cwd=tree, env=env_for(tree, database),
                         capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{tree}: manage.py {' '.join(args)} failed:\n{out.stdout[-1500:]}\n{out.stderr[-3000:]}")
    return {"wall": wall, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)}


def make_template(tag: str, tree: Path) -> str:
    template = f"haven_cmp_{tag}_tmpl"
    psql(f"DROP DATABASE IF EXISTS {template}", f"CREATE DATABASE {template}")
    run(tree, template, ["migrate", "--noinput"])
    subprocess.run([sys.executable, "-c", SETUP], cwd=tree, env=env_for(tree, template), check=True)
    return template


def write_inputs(folder: Path, *, people: int, claims: int, dedup: int) -> dict[str, Path]:
    """The three input files, by the head's generators."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"people": folder / "people.csv", "claims": folder / "claims.csv", "dedup": folder / "dedup.csv"}
    code = f"""
import csv, sys
sys.path.insert(0, {str(HEAD / 'bench')!r})
from haven.demo.generator import generate_people_rows
from haven.matching import synth
from stats_bench import write_claims_file
from pathlib import Path
rows = generate_people_rows(seed=2026, households={max(1, people * 2 // 5)})[:{people}]
columns = []
for row in rows:
    columns += [key for key in row if key not in columns]
with open({str(paths['people'])!r}, "w", newline="", encoding="utf-8") as handle:
    writer = csv.DictWriter(handle, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
write_claims_file(Path({str(paths['claims'])!r}), {claims}, prefix="CMP")
synth.write_csv(synth.generate({dedup}, seed=synth.EVAL_SEED + 1), {str(paths['dedup'])!r})
"""
    subprocess.run([sys.executable, "-c", code], cwd=HEAD, env=env_for(HEAD, "test"), check=True)
    return paths


def one_round(tag: str, tree: Path, template: str, inputs: dict[str, Path], out: Path) -> dict[str, dict]:
    database = f"haven_cmp_{tag}"
    psql(f"DROP DATABASE IF EXISTS {database}", f"CREATE DATABASE {database} TEMPLATE {template}")
    steps = {
        "import people": ["import", "people", str(inputs["people"]), "--organization", "bench",
                          "--actor", "bench-runner", "--no-progress"],
        "import claims": ["import", "claims", str(inputs["claims"]), "--organization", "benchclaims",
                          "--actor", "bench-runner", "--no-progress"],
        "deadlines recompute": ["deadlines", "recompute"],
        "stats claims": ["stats", "claims", "--by", "year", "--format", "csv"],
        "dedup": ["dedup", str(inputs["dedup"]), "--out", str(out / f"clusters-{tag}.csv"), "--quiet"],
    }
    figures = {name: run(tree, database, args) for name, args in steps.items()}
    psql(f"DROP DATABASE IF EXISTS {database}")
    return figures


def summarize(samples: dict[str, dict[str, list[dict]]]) -> list[dict]:
    rows = []
    for step in samples["base"]:
        base = statistics.median(s["wall"] for s in samples["base"][step])
        head = statistics.median(s["wall"] for s in samples["head"][step])
        base_cpu = statistics.median(s["cpu"] for s in samples["base"][step])
        head_cpu = statistics.median(s["cpu"] for s in samples["head"][step])
        rows.append({"measure": step, "base_s": round(base, 2), "head_s": round(head, 2),
                     "ratio": round(head / base, 3) if base else None,
                     "base_cpu_s": round(base_cpu, 2), "head_cpu_s": round(head_cpu, 2),
                     "cpu_ratio": round(head_cpu / base_cpu, 3) if base_cpu else None})
    return rows


def markdown(rows: list[dict], args, base_label: str, head_label: str) -> str:
    lines = [f"Base `{base_label}`, head `{head_label}`; {args.rounds} rounds in turn; {args.people:,} people, "
             f"{args.claims:,} claims, {args.dedup:,} linkage records; whole commands, median wall seconds.", "",
             "| measure | base (s) | head (s) | head / base | base CPU (s) | head CPU (s) | CPU head / base |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['measure']} | {r['base_s']} | {r['head_s']} | {r['ratio']} | {r['base_cpu_s']} | "
              f"{r['head_cpu_s']} | {r['cpu_ratio']} |" for r in rows]
    return "\n".join(lines)


def label(tree: Path) -> str:
    out = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or str(tree)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="a checkout of the earlier code")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--dedup", type=int, default=20_000)
    args = parser.parse_args(argv)
    trees = {"base": args.base.resolve(), "head": HEAD}
    out = RESULTS / "compare"
    inputs = write_inputs(out, people=args.people, claims=args.claims, dedup=args.dedup)
    templates = {tag: make_template(tag, tree) for tag, tree in trees.items()}
    samples: dict[str, dict[str, list[dict]]] = {"base": {}, "head": {}}
    for number in range(1, args.rounds + 1):
        for tag, tree in trees.items():
            for step, figure in one_round(tag, tree, templates[tag], inputs, out).items():
                samples[tag].setdefault(step, []).append(figure)
                print(f"round {number} {tag:4} {step:20} {figure['wall']:7.2f} s", flush=True)
    rows = summarize(samples)
    report = markdown(rows, args, label(trees["base"]), label(HEAD))
    (out / "latest.json").write_text(json.dumps({"rows": rows, "samples": samples}, indent=1))
    (out / "latest.md").write_text(report + "\n")
    print(report)
    for template in templates.values():
        psql(f"DROP DATABASE IF EXISTS {template}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
