"""bench/cpu_split.py reads processes' CPU time from /proc: the figures in BENCHMARKS.md depend on it."""
from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

BURN = """
import sys, time
started = time.process_time()
while time.process_time() - started < 0.4:
    sum(range(1000))  # CPU work for the parent to measure
print("burnt", flush=True)
time.sleep(60)
"""


@pytest.fixture
def cpu_split(bench_module):
    return bench_module("cpu_split")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_cpu_seconds_counts_the_matching_processes_only(cpu_split):
    marker = f"cpu-split-test-{uuid.uuid4().hex}"  # in the child's command line only
    assert cpu_split.cpu_seconds(marker) == 0
    child = subprocess.Popen([sys.executable, "-c", BURN, marker], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "burnt"
        assert 0.3 <= cpu_split.cpu_seconds(marker) < 30  # the child's 0.4 s, counted in clock ticks
    finally:
        child.kill()
        child.wait()
    assert cpu_split.cpu_seconds(marker) == 0  # gone with the process
