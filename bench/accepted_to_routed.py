"""Accepted-to-routed latency at a steady 100 reports/s through the whole system.

uvicorn and a Celery worker run as in `make run`; a paced client posts 100 reports a second
for 30 s; the latency is each report's `routed_at - created_at`, both server timestamps.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import redis
from django.conf import settings

from bench import common
from bench.intake_http import LAT0, LAT1, LON0, LON1, start_server, start_worker
from geo_klik.ops import stack
from geo_klik.reports.models import Report

RATE_PER_S = 100
DURATION_S = 30
CATEGORIES = ["road_damage", "garbage", "flooding", "traffic_accident", "fire", "other"]


def post_paced(port: int, tag: str) -> tuple[int, int]:
    """Post RATE_PER_S reports a second from 4 keep-alive connections; (#sent, #failed)."""
    total = RATE_PER_S * DURATION_S
    start = time.monotonic() + 0.5
    counter = iter(range(total))
    lock = threading.Lock()
    failed = [0]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        rng = random.Random()
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            due = start + i / RATE_PER_S
            time.sleep(max(0.0, due - time.monotonic()))
            body = json.dumps(
                {
                    "category": rng.choice(CATEGORIES),
                    "lat": rng.uniform(LAT0, LAT1),
                    "lon": rng.uniform(LON0, LON1),
                    "description": f"{tag} {i}",
                }
            )
            headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
            try:
                conn.request("POST", "/api/reports/", body, headers)
                response = conn.getresponse()
                response.read()
                if response.status != 201:
                    failed[0] += 1
            except OSError:
                failed[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total, failed[0]


def run() -> dict[str, object]:
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # no backlog from earlier benchmarks
    port = stack.pick_port(Path(tempfile.gettempdir()) / "geo_klik-bench-port", 58000)
    # Throughput is measured from one address: the per-address intake limit would cap it.
    env = {**os.environ, "REPORTS_RATE_LIMIT": "off", "REPORTS_RATE_LIMIT_PER_ADDRESS": "off"}
    server = start_server(port, env)
    worker = start_worker(env, "bench")
    tag = f"bench-a2r-{uuid.uuid4().hex[:8]}"
    try:
        time.sleep(3)  # let the worker connect
        sent, failed = post_paced(port, tag)
        deadline = time.monotonic() + 60
        reports = Report.objects.filter(description__startswith=tag)
        while reports.filter(routed_at__isnull=True).exists() and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=30)
    latencies = [
        (routed - created).total_seconds()
        for created, routed in reports.exclude(routed_at__isnull=True).values_list(
            "created_at", "routed_at"
        )
        if routed is not None
    ]
    figures: dict[str, Any] = {
        "rate_per_s": RATE_PER_S,
        "duration_s": DURATION_S,
        "sent": sent,
        "failed": failed,
        "routed": len(latencies),
        "unrouted": reports.filter(routed_at__isnull=True).count(),
    }
    if latencies:
        figures.update(common.summary_ms(latencies))
    common.write_result("accepted_to_routed", figures, targets={"p95_ms": 1000})
    return figures
