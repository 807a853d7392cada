"""Shared helpers of the benchmarks: percentiles, results files, synthetic points."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import connection

from geo_klik.dispatch.actions import routes

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary_ms(samples_s: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "max_ms": round(max(ms), 3),
    }


def machine() -> dict[str, Any]:
    # The load average says whether anything else ran beside the benchmark (2 cores here).
    return {
        "cpus": os.cpu_count(),
        "load_average_1_5_15_min": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def write_result(name: str, figures: dict[str, Any], *, targets: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "figures": figures,
        "targets": targets,
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"[bench] {name}: {json.dumps(figures)}", flush=True)
    return path


def random_points_in_city(n: int, *, seed: int = 42) -> list[tuple[float, float]]:
    """n (lat, lon) points spread uniformly inside the city (PostGIS ST_GeneratePoints)."""
    # Raw SQL: GeoDjango has no ST_GeneratePoints; the benchmark only reads.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_Y(p.geom), ST_X(p.geom)
            FROM boundaries_kota k,
                 LATERAL ST_Dump(ST_GeneratePoints(k.boundary, %s, %s)) AS p
            """,
            [n, seed],
        )
        return [(float(lat), float(lon)) for lat, lon in cursor.fetchall()]


def route_leftovers() -> int:
    """Route, here and now, every report an earlier benchmark left unrouted; how many.

    intake_http posts thousands of reports with no worker running, and a routing benchmark
    that starts over them measures their backlog (the first routing task, or the sweep after
    Redis restarts empty, takes them all), not its own reports.
    """
    routed = 0
    while batch := routes.route_waiting_reports(limit=1000):
        routed += len(batch)
    return routed
