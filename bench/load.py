"""A lean closed-loop HTTP load generator: N threads, one keep-alive
connection each, no think time unless asked for.

Why not locust: the benchmark machine has 2 cores shared by the server
(gunicorn workers and PostgreSQL) and the load generator. A locust run
(gevent, its web/stats machinery, a master process) takes a noticeable part
of those cores and adds its own scheduling latency to every sample; this
client spends a few microseconds of CPU per request (http.client on a
persistent socket) and times exactly the request: from sending the request
line to reading the last byte of the body.
"""
from __future__ import annotations

import http.client
import math
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Samples:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    bytes_read: int = 0
    wall_seconds: float = 0.0

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms)
        n = len(lat)

        def pct(p: float) -> float | None:
            if not n:
                return None
            # Nearest-rank percentile.
            return round(lat[min(n - 1, max(0, math.ceil(p / 100 * n) - 1))], 2)

        return {
            "requests": n,
            "throughput_rps": round(n / self.wall_seconds, 1) if self.wall_seconds else None,
            "p50_ms": pct(50),
            "p90_ms": pct(90),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "max_ms": round(lat[-1], 2) if n else None,
            "mean_ms": round(statistics.fmean(lat), 2) if n else None,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": self.errors[:5],
            "mean_body_bytes": round(self.bytes_read / n) if n else None,
        }


class Connection:
    def __init__(self, base_url: str, cookie: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookie = cookie
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, int]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request("GET", path, headers={"Cookie": self.cookie, "Accept-Language": "en"})
                response = self.conn.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, len(body)
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")


def run(*, base_url: str, cookies: list[str], next_path: Callable[[random.Random], str], duration: float,
        warmup: float = 2.0, think: tuple[float, float] | None = None, seed: int = 7) -> Samples:
    """Each cookie is one client (thread). Samples taken during the warm-up are discarded."""
    samples = Samples()
    lock = threading.Lock()
    start_at = time.perf_counter() + warmup
    stop_at = start_at + duration

    def client(index: int, cookie: str) -> None:
        rng = random.Random(seed * 1000 + index)
        connection = Connection(base_url, cookie)
        local: list[float] = []
        statuses: dict[int, int] = {}
        errors: list[str] = []
        read = 0
        while True:
            now = time.perf_counter()
            if now >= stop_at:
                break
            path = next_path(rng)
            t0 = time.perf_counter()
            try:
                status, size = connection.get(path)
            except Exception as exc:  # counted, reported in the summary
                errors.append(f"{path}: {exc!r}")
                continue
            elapsed = (time.perf_counter() - t0) * 1000
            if t0 >= start_at:
                local.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                read += size
            if think:
                time.sleep(rng.uniform(*think))
        with lock:
            samples.latencies_ms.extend(local)
            for key, value in statuses.items():
                samples.statuses[key] = samples.statuses.get(key, 0) + value
            samples.errors.extend(errors)
            samples.bytes_read += read

    threads = [threading.Thread(target=client, args=(i, cookie), daemon=True) for i, cookie in enumerate(cookies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples.wall_seconds = duration
    return samples
