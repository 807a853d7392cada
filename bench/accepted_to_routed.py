"""Routing under a surge: accepted-to-routed latency at a steady 100 reports/s, and throughput.

1. Raw baseline, in this process with one persistent connection: how fast `route_report` (one
   report per transaction) and `route_waiting_reports` (a batch per transaction) route a backlog.
2. Worker throughput: a backlog of unrouted reports, one routing task queued per report (as
   intake and the sweep queue them), drained by a Celery worker of 1 process, then of 2.
3. The surge: gunicorn and a Celery worker run as in `make run`; a paced client posts 100 reports
   a second for 30 s; the latency is each report's `routed_at - created_at` (server clocks).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import redis
from django.conf import settings

import stack.base
from bench import common
from bench.intake_http import LAT0, LAT1, LON0, LON1, start_server
from geo_klik.celery import app
from geo_klik.dispatch.actions import routes
from geo_klik.lib import geo
from geo_klik.reports.models import Category, Report

RATE_PER_S = 100
DURATION_S = 30
# Enough connections that a slow intake (100 ms a request under load) can still be offered 100/s.
CLIENTS = 16
CATEGORIES = ["road_damage", "garbage", "flooding", "traffic_accident", "fire", "other"]
BACKLOG = 3000  # reports per throughput measurement
BACKLOG_PREFIX = "BENCHBL"


def start_worker(env: dict[str, str], name: str, *, processes: int) -> subprocess.Popen[bytes]:
    """A Celery worker as `make run` starts it, with this many pool processes; once it answers."""
    hostname = f"{name}-{os.getpid()}@bench"
    command = [sys.executable, "-m", "celery", "-A", "geo_klik", "worker"]
    command += ["--loglevel", "WARNING", "--concurrency", str(processes), "--hostname", hostname]
    worker = subprocess.Popen(
        command,
        env=env,
        cwd=stack.base.ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(destination=[hostname], timeout=0.5):
            return worker
    worker.kill()
    raise RuntimeError("the Celery worker did not answer within 60 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def make_backlog(n: int, *, seed: int) -> list[int]:
    """n unrouted reports at random points of the city, no routing task queued."""
    categories = list(Category.objects.filter(code__in=CATEGORIES))
    rng = random.Random(seed)
    rows = Report.objects.bulk_create(
        (
            Report(
                tracking_code=f"{BACKLOG_PREFIX}{seed:02d}{i:07d}",
                category=rng.choice(categories),
                location=geo.point(lat, lon),
                description="benchmark backlog",
            )
            for i, (lat, lon) in enumerate(common.random_points_in_city(n, seed=seed))
        ),
        batch_size=1000,
    )
    return [row.pk for row in rows]


def remove_backlogs() -> None:
    Report.objects.filter(tracking_code__startswith=BACKLOG_PREFIX).delete()


def raw_in_process() -> dict[str, float]:
    """Reports/s routed in this process: one per transaction, then in batches."""
    figures: dict[str, float] = {}
    ids = make_backlog(BACKLOG // 3, seed=1)
    started = time.perf_counter()
    for report_id in ids:
        routes.route_report(report_id)
    figures["raw_one_per_transaction_reports_per_s"] = round(
        len(ids) / (time.perf_counter() - started), 1
    )
    ids = make_backlog(BACKLOG, seed=2)
    started = time.perf_counter()
    while routes.route_waiting_reports():
        pass
    figures["raw_batched_reports_per_s"] = round(len(ids) / (time.perf_counter() - started), 1)
    remove_backlogs()
    return figures


def worker_throughput(env: dict[str, str], processes: int) -> float:
    """Reports/s a worker of `processes` processes routes from a backlog with a task each."""
    worker = start_worker(env, f"bench-drain{processes}", processes=processes)
    try:
        ids = make_backlog(BACKLOG, seed=10 + processes)
        started = time.perf_counter()
        routes.enqueue_routing(ids)
        waiting = Report.objects.filter(pk__in=ids, routed_at__isnull=True)
        deadline = time.monotonic() + 300
        while waiting.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        # Every task is consumed before the next measurement (its no-op tasks included).
        while (
            redis.Redis.from_url(settings.REDIS_URL).llen("celery") and time.monotonic() < deadline
        ):
            time.sleep(0.1)
    finally:
        stop(worker)
        remove_backlogs()
    return round(len(ids) / elapsed, 1)


def post_paced(port: int, tag: str) -> tuple[int, int]:
    """Post RATE_PER_S reports a second from CLIENTS keep-alive connections; (#sent, #failed)."""
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

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total, failed[0]


def run() -> dict[str, object]:
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # no backlog from earlier benchmarks
    remove_backlogs()
    common.route_leftovers()
    figures: dict[str, Any] = {
        "load_average_1_5_15_min_at_start": common.machine()["load_average_1_5_15_min"]
    }
    figures.update(raw_in_process())
    # Throughput is measured from one address: the per-address intake limits would cap it.
    env = {**os.environ, "REPORTS_RATE_LIMIT": "off", "REPORTS_RATE_LIMIT_PER_ADDRESS": "off"}
    one = worker_throughput(env, 1)
    two = worker_throughput(env, 2)
    figures.update(
        worker_1_process_reports_per_s=one,
        worker_2_processes_reports_per_s=two,
        second_process_adds_reports_per_s=round(two - one, 1),
    )
    figures.update(surge(env))
    common.write_result("accepted_to_routed", figures, targets={"p95_ms": 1000})
    return figures


def surge(env: dict[str, str]) -> dict[str, Any]:
    """Accepted-to-routed at a steady RATE_PER_S, intake and a 2-process worker on this machine."""
    port = stack.base.pick_port(Path(tempfile.gettempdir()) / "geo_klik-bench-port", 58000)
    server = start_server(port, env)
    worker = start_worker(env, "bench", processes=2)
    tag = f"bench-a2r-{uuid.uuid4().hex[:8]}"
    try:
        started = time.monotonic()
        sent, failed = post_paced(port, tag)
        sending_s = time.monotonic() - started
        deadline = time.monotonic() + 60
        reports = Report.objects.filter(description__startswith=tag)
        while reports.filter(routed_at__isnull=True).exists() and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        stop(server)
        stop(worker)
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
        "achieved_rate_per_s": round((sent - failed) / sending_s, 1),
        "routed": len(latencies),
        "unrouted": reports.filter(routed_at__isnull=True).count(),
    }
    if latencies:
        figures.update(common.summary_ms(latencies))
    return figures
