"""Timing the people import on generated data, for the bench scripts:
`run_people_import_benchmark(people=100_000)` imports into a fresh organization of the configured database
and returns wall-clock and CPU seconds per phase (the `*_cpu` figures are this process only, not the
database server's)."""
from __future__ import annotations

import csv
import os
import tempfile
import time
from pathlib import Path

from django.db import connection

from haven.accounts.models import Organization
from haven.demo.generator import generate_people_rows
from haven.transfer.readers import read_table
from haven.transfer.services import PEOPLE_COLUMNS, import_people

PEOPLE_PER_HOUSEHOLD = 2.5


def database_backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs on this machine
    (read from /proc); None otherwise."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def people_rows(*, people: int, seed: int, prefix: str) -> list[dict[str, str]]:
    """About `people` generated rows, cut at a household boundary, with references unique to `prefix`."""
    households = int(people / PEOPLE_PER_HOUSEHOLD) + 10
    rows = generate_people_rows(seed=seed, households=households, key_prefix=f"{prefix}-H",
                                reference_prefix=f"{prefix}-C")
    end = people
    while end < len(rows) and rows[end]["household_name"] == "":
        end += 1
    return rows[:end]


def run_people_import_benchmark(*, people: int = 100_000, seed: int = 2026, via_csv: bool = True,
                                progress: bool = False) -> dict[str, float | int]:
    """Generate ~`people` rows, write them to a CSV, import it into a fresh organization; return timings (s)."""
    started = time.perf_counter()
    stamp = time.strftime("%Y%m%d%H%M%S")
    organization = Organization.objects.create(name=f"Benchmark {stamp}", slug=f"bench-{stamp}",
                                               kind=Organization.Kind.SPONSORSHIP)
    rows = people_rows(people=people, seed=seed, prefix=f"B{stamp}")
    generated = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "people.csv"
        if via_csv:
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=PEOPLE_COLUMNS)
                writer.writeheader()
                writer.writerows(rows)
        written = time.perf_counter()
        if via_csv:
            table = read_table(path)
            source_rows, columns = table.rows, table.columns
        else:
            source_rows, columns = rows, list(PEOPLE_COLUMNS)
        read, read_cpu, db_before = time.perf_counter(), time.process_time(), database_backend_cpu()
        result = import_people(actor=None, organization=organization, rows=source_rows, columns=columns,
                               progress=progress, source=path.name)
        done, done_cpu, db_after = time.perf_counter(), time.process_time(), database_backend_cpu()
    return {
        "people": result.persons, "households": result.households, "audit_events": result.audit_events,
        "organization": organization.slug,
        "generate_seconds": round(generated - started, 2), "read_csv_seconds": round(read - written, 2),
        "import_seconds": round(done - read, 2), "file_to_database_seconds": round(done - written, 2),
        "import_cpu_seconds": round(done_cpu - read_cpu, 2),
        "database_backend_cpu_seconds": round(db_after - db_before, 2) if db_before is not None
        and db_after is not None else None,
        "phases": result.timings,
    }
