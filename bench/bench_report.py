"""bench/run.py's report: the machine, the Markdown summary of a run and the generated block of BENCHMARKS.md."""
from __future__ import annotations

import json
import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50.0
TARGET_QUERIES = 15
TARGET_IMPORT_S = 60.0
# The cheapest page that goes through the session, the user and the access profile (see run.FLOOR_SCENARIOS).
SIGNED_IN_FLOOR = "signed-in 404 page (session, user, access profile, layout)"

# --------------------------------------------------------------------------- machine and report

def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version()}


def loadavg() -> str:
    """The 1-, 5- and 15-minute load averages: the benchmark shares its cores with whatever else runs."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def fmt(value, unit="") -> str:
    return "–" if value is None else f"{value}{unit}"


def verdict(ok: bool) -> str:
    return "✅" if ok else "❌"


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"Run {report['started']} · {m['nproc']} CPU ({m['cpu']}), {m['ram_gib']} GiB RAM, {report['postgres']}",
        "",
        f"Data: {report['large']['seed']['persons']:,} persons, {report['large']['seed']['households']:,} households, "
        f"{report['large']['seed']['cases']:,} cases ({report['large']['seed']['method']}).",
        "",
    ]
    seed = report["large"]["seed"]
    lines += ["| measure | figure | target | |", "|---|---|---|---|"]
    imp = seed["import_seconds"]
    when = f", {seed['seeded_at']}, load average {seed['loadavg_after_seed']}" if seed.get("seeded_at") else ""
    lines.append(f"| import of {seed['rows']:,} people (`haven import people`, whole command{when}) | {imp} s | < "
                 f"{TARGET_IMPORT_S:.0f} s | {verdict(imp < TARGET_IMPORT_S)} |")
    load_cfg = report["load"]["config"]
    for label, s in report["load"]["results"].items():
        ok = s["p50_ms"] is not None and s["p50_ms"] < TARGET_MS and s["p95_ms"] < TARGET_MS
        lines.append(f"| {label}, {load_cfg['clients']} clients: p50 / p95 | {fmt(s['p50_ms'])} / {fmt(s['p95_ms'])} ms"
                     f" ({s['throughput_rps']} req/s, {s['requests']} requests) | < {TARGET_MS:.0f} ms | {verdict(ok)} |")
    for label, s in report["load"].get("think_results", {}).items():
        ok = s["p50_ms"] is not None and s["p50_ms"] < TARGET_MS and s["p95_ms"] < TARGET_MS
        lines.append(f"| {label}, {load_cfg['clients']} clients with think time {load_cfg['think']} s: p50 / p95 | "
                     f"{fmt(s['p50_ms'])} / {fmt(s['p95_ms'])} ms ({s['throughput_rps']} req/s) | < {TARGET_MS:.0f} ms"
                     f" | {verdict(ok)} |")
    lines += floor_table(report["load"])
    lines += ["", f"Load average during the load test: {report['load'].get('loadavg_before', '?')} (before), "
              f"{report['load'].get('loadavg_after', '?')} (after); gunicorn {load_cfg['workers']} workers × "
              f"{load_cfg['threads']} threads, {load_cfg['duration_s']:.0f} s per scenario."]
    lines += ["", "Queries per page (CaptureQueriesContext through the test client; "
              "\"SQL\" leaves out BEGIN/COMMIT):", "",
              f"| page | small ({report['small']['seed']['persons']:,} persons): all / SQL | "
              f"large ({report['large']['seed']['persons']:,}): all / SQL | target ≤ {TARGET_QUERIES} |",
              "|---|---|---|---|"]
    small, large = report["small"]["queries"]["pages"], report["large"]["queries"]["pages"]

    def cell(row):
        if row is None or row.get("queries") is None:
            return "–"
        return f"{row['queries']} / {row['sql_statements']} ({row['status']})"

    for label, big in large.items():
        small_row = small.get(label)
        ok = big.get("queries") is not None and big["queries"] <= TARGET_QUERIES
        same = small_row is not None and small_row.get("queries") == big.get("queries")
        lines.append(f"| {label} | {cell(small_row)} | {cell(big)} | {verdict(ok)}{'' if same else ' (varies)'} |")
    others = report.get("others", {})
    if others:
        lines += ["", "Other capabilities:", ""]
        for key, value in others.items():
            if "skipped" in value:
                lines.append(f"- {key}: {value['skipped']}")
            elif "error" in value:
                lines.append(f"- {key}: failed: `{value['error'].strip().splitlines()[-1] if value['error'].strip() else '?'}`")
            else:
                lines.append(f"- {key} ({value['seconds']} s): `{json.dumps(value['result'], ensure_ascii=False)[:600]}`")
    return "\n".join(lines)


def floor_table(load_report: dict) -> list[str]:
    """The measured pages beside the cheapest pages of the same closed loop, as a ratio of p50."""
    floor = load_report.get("floor_results")
    if not floor:
        return []
    lines = ["", f"The same closed loop ({load_report['config']['clients']} clients, no think time) on the cheapest "
             "pages, for comparison:", "", "| page | p50 / p95 | req/s |", "|---|---|---|"]
    for label, s in floor.items():
        lines.append(f"| {label} | {fmt(s['p50_ms'])} / {fmt(s['p95_ms'])} ms | {s['throughput_rps']} |")
    signed_in = floor.get(SIGNED_IN_FLOOR, {})
    if signed_in.get("p50_ms"):
        ratios = ", ".join(f"{label} ×{s['p50_ms'] / signed_in['p50_ms']:.1f}"
                           for label, s in load_report["results"].items() if s.get("p50_ms"))
        lines += ["", f"p50 against the signed-in 404 page's: {ratios}."]
    return lines


BEGIN_MARK, END_MARK = "<!-- bench:begin (written by bench/run.py) -->", "<!-- bench:end -->"


def write_benchmarks_md(report: dict, summary: str) -> None:
    """Replace the generated block of BENCHMARKS.md (between the markers); the analysis around it is kept."""
    path = ROOT / "BENCHMARKS.md"
    block = "\n".join([BEGIN_MARK, "", f"Command: `{report['command'].strip()}`", "", summary, "", END_MARK])
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n" + BEGIN_MARK + END_MARK + "\n"
    if BEGIN_MARK in text and END_MARK in text:
        head, rest = text.split(BEGIN_MARK, 1)
        tail = rest.split(END_MARK, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
