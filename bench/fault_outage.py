"""Fault test: steady intake through a Redis outage, dead worker processes, PostgreSQL restarts.

gunicorn, a Celery worker and Celery beat run under `make run`'s supervisor, on a Redis of their
own (so it can be killed). A client posts REPORTS reports at RATE_PER_S, each retried with the
same Idempotency-Key until accepted (as the offline queue does). Meanwhile: Redis is SIGKILLed for
OUTAGE_S, a worker pool process and then the worker's main process are SIGKILLed, and PostgreSQL
is restarted fast and then immediate. Counted: reports lost (accepted, not stored), duplicated
(stored twice), double-routed (two routing decisions), unrouted; intake p99 with Redis up and
down; how long after Redis came back the reports accepted during the outage were routed; and
whether every process is running at the end.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil  # type: ignore[import-untyped]
from django.db import connection
from django.db.models import Count

import stack.base
import stack.cli
import stack.postgres
import stack.supervisor
from bench import common
from bench.intake_http import LAT0, LAT1, LON0, LON1
from geo_klik.dispatch.models import RoutingDecision
from geo_klik.reports.models import Report

REPORTS = 1200
RATE_PER_S = 15
OUTAGE_S = 30
CATEGORIES = ["road_damage", "garbage", "flooding", "traffic_accident", "fire", "other"]
# Seconds after the load starts at which each fault happens.
# The first WARM_UP_S are left out of the figures; the catch-up after Redis returns is measured
# before the next fault (CATCH_UP_S later).
WARM_UP_S = 5.0
REDIS_KILL_AT_S = 20.0
CATCH_UP_S = 15.0
POOL_KILL_AT_S = REDIS_KILL_AT_S + OUTAGE_S + CATCH_UP_S
WORKER_KILL_AT_S = POOL_KILL_AT_S + 4
PG_FAST_AT_S = WORKER_KILL_AT_S + 5
PG_IMMEDIATE_AT_S = PG_FAST_AT_S + 5


@dataclass
class Attempt:
    started: float  # wall clock
    latency_s: float
    status: int  # 0: no answer


@dataclass
class Load:
    tag: str
    port: int
    attempts: list[Attempt] = field(default_factory=list)
    accepted: dict[str, int] = field(default_factory=dict)  # Idempotency-Key -> report index
    gave_up: int = 0
    started: float = 0.0  # wall clock
    lock: threading.Lock = field(default_factory=threading.Lock)


def post_one(load: Load, conn: http.client.HTTPConnection, i: int) -> http.client.HTTPConnection:
    """Post report i until it is accepted (same key each time), 1 s apart, at most 120 tries."""
    rng = random.Random(i)
    body = json.dumps(
        {
            "category": rng.choice(CATEGORIES),
            "lat": rng.uniform(LAT0, LAT1),
            "lon": rng.uniform(LON0, LON1),
            "description": f"{load.tag} {i}",
        }
    )
    key = str(uuid.uuid4())
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    for _ in range(120):
        started, t0 = time.time(), time.monotonic()
        status = 0
        try:
            conn.request("POST", "/api/reports/", body, headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", load.port, timeout=10)
        with load.lock:
            load.attempts.append(Attempt(started, time.monotonic() - t0, status))
            if status in (200, 201):
                load.accepted[key] = i
        if status in (200, 201):
            return conn
        time.sleep(1)
    with load.lock:
        load.gave_up += 1
    return conn


def post_paced(load: Load) -> None:
    start = time.monotonic() + 0.1
    counter = iter(range(REPORTS))
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", load.port, timeout=10)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            time.sleep(max(0.0, start + i / RATE_PER_S - time.monotonic()))
            conn = post_one(load, conn, i)
        conn.close()

    # Enough clients that a retrying report never holds back the pace of the others.
    threads = [threading.Thread(target=client) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Redis:
    """A Redis of this benchmark's own, on a free loopback port, that can be killed."""

    def __init__(self, workdir: Path) -> None:
        self.port = stack.base.pick_port(workdir / "redis-port", 58300)
        self.dir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        cmd += ["--save", "", "--appendonly", "no", "--dir", str(self.dir)]
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while stack.base.port_is_free(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def supervise(supervisor: stack.supervisor.Supervisor, done: threading.Event) -> None:
    """`make run`'s supervision loop, in a thread (signals stay with the benchmark)."""
    while not done.is_set():
        for name in list(supervisor.children):
            if not supervisor.check_child(name, now=time.monotonic()):
                done.set()
        time.sleep(0.2)


def restart_postgres(mode: str) -> str:
    pg = stack.postgres.PrivatePostgres(stack.base.ROOT / "var")
    # PostgreSQL itself: DATABASE_URL names PgBouncer in front of it.
    port = urlsplit(os.environ.get("DATABASE_DIRECT_URL") or os.environ["DATABASE_URL"]).port
    if pg.running_port() != port:
        return "skipped (not the private cluster)"
    cmd = [pg.bin("pg_ctl"), "-D", str(pg.data), "-m", mode, "-w", "restart"]
    subprocess.run(pg.as_owner(cmd), check=True, stdout=subprocess.DEVNULL)
    return "restarted"


def children_of(pid: int) -> list[int]:
    try:
        return [child.pid for child in psutil.Process(pid).children()]
    except psutil.NoSuchProcess:
        return []


def kill(pid: int) -> str:
    os.kill(pid, signal.SIGKILL)
    return f"SIGKILL {pid}"


def run_faults(
    supervisor: stack.supervisor.Supervisor, redis: Redis, start: float, events: dict[str, Any]
) -> None:
    def at(offset_s: float, what: str, action: Callable[[], object]) -> None:
        time.sleep(max(0.0, start + offset_s - time.monotonic()))
        events[what] = {"at_s": round(time.monotonic() - start, 1), "result": action()}
        events[what]["wall"] = time.time()

    at(REDIS_KILL_AT_S, "redis_killed", redis.kill)
    at(REDIS_KILL_AT_S + OUTAGE_S, "redis_back", redis.start)
    pool = children_of(supervisor.children["worker"].pid)
    at(POOL_KILL_AT_S, "pool_process_killed", lambda: kill(pool[0]) if pool else "no pool")
    worker = supervisor.children["worker"]
    at(WORKER_KILL_AT_S - 0.5, "orphans", lambda: children_of(worker.pid))
    at(WORKER_KILL_AT_S, "worker_main_killed", lambda: kill(worker.pid))
    at(PG_FAST_AT_S, "postgres_fast", lambda: restart_postgres("fast"))
    at(PG_IMMEDIATE_AT_S, "postgres_immediate", lambda: restart_postgres("immediate"))


def spawn_stack(supervisor: stack.supervisor.Supervisor, port: int, workdir: Path) -> None:
    python = sys.executable
    web = stack.cli.web_command(host="127.0.0.1", port=port, workers="2", threads="256")
    supervisor.spawn("web", web)
    celery = [python, "-m", "celery", "-A", "geo_klik"]
    worker = [*celery, "worker", "--loglevel", "WARNING", "--concurrency", "2"]
    supervisor.spawn("worker", [*worker, "--hostname", f"fault-{os.getpid()}@%h"])
    beat = [*celery, "beat", "--loglevel", "INFO", "--pidfile="]
    supervisor.spawn("beat", [*beat, "--schedule", str(workdir / "beat-schedule")])


def count(load: Load, events: dict[str, Any]) -> dict[str, Any]:
    connection.close()  # PostgreSQL was restarted under this process's connection
    reports = Report.objects.filter(description__startswith=load.tag)
    stored_keys = set(reports.values_list("idempotency_key", flat=True))
    per_description = Counter(reports.values_list("description", flat=True))
    double_routed = (
        RoutingDecision.objects.filter(report__in=reports)
        .values("report")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    down_from = events["redis_killed"]["wall"]
    back_at = events["redis_back"]["wall"]
    warm = load.started + WARM_UP_S
    up = [
        a.latency_s
        for a in load.attempts
        if warm <= a.started < down_from and a.status in (200, 201)
    ]
    down = [
        a.latency_s
        for a in load.attempts
        if down_from <= a.started < back_at and a.status in (200, 201)
    ]
    during = reports.filter(
        created_at__gte=datetime.fromtimestamp(down_from, UTC),
        created_at__lt=datetime.fromtimestamp(back_at, UTC),
    )
    routed_at = [r for r in during.values_list("routed_at", flat=True) if r is not None]
    waits = [
        (routed - created).total_seconds()
        for created, routed in reports.values_list("created_at", "routed_at")
        if routed is not None
    ]
    return {
        "reports": REPORTS,
        "rate_per_s": RATE_PER_S,
        "redis_outage_s": OUTAGE_S,
        "accepted": len(load.accepted),
        "gave_up": load.gave_up,
        "lost": len([key for key in load.accepted if uuid.UUID(key) not in stored_keys]),
        "duplicated": sum(n - 1 for n in per_description.values() if n > 1),
        "double_routed": double_routed,
        "unrouted": reports.filter(routed_at__isnull=True).count(),
        "intake_p99_ms_redis_up": round(common.percentile(up, 99) * 1000, 1) if up else None,
        "intake_p99_ms_redis_down": round(common.percentile(down, 99) * 1000, 1) if down else None,
        "accepted_during_outage": during.count(),
        "routed_all_of_them_s_after_redis_back": (
            round(max(r.timestamp() for r in routed_at) - back_at, 1) if routed_at else None
        ),
        "longest_accepted_to_routed_s": round(max(waits), 1) if waits else None,
    }


def run() -> dict[str, object]:
    common.route_leftovers()  # the catch-up measured is of this run's reports only
    workdir = Path(tempfile.mkdtemp(prefix="geo_klik-fault-"))
    redis = Redis(workdir)
    redis.start()
    env = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "REPORTS_RATE_LIMIT": "off",  # one client address posts everything
        "REPORTS_RATE_LIMIT_PER_ADDRESS": "off",
    }
    port = stack.base.pick_port(Path(tempfile.gettempdir()) / "geo_klik-fault-port", 58400)
    supervisor = stack.supervisor.Supervisor(env, backoff_start_s=0.5)
    done = threading.Event()
    events: dict[str, Any] = {}
    load = Load(tag=f"fault-{uuid.uuid4().hex[:8]}", port=port)
    try:
        spawn_stack(supervisor, port, workdir)
        if not stack.supervisor.wait_until_healthy(port, timeout_s=60):
            raise RuntimeError("the web server did not become healthy")
        threading.Thread(target=supervise, args=(supervisor, done), daemon=True).start()
        time.sleep(5)  # the worker and beat connect
        start = time.monotonic()
        load.started = time.time()
        faults = threading.Thread(target=run_faults, args=(supervisor, redis, start, events))
        faults.start()
        post_paced(load)
        faults.join()
        connection.close()
        deadline = time.monotonic() + 120
        pending = Report.objects.filter(description__startswith=load.tag, routed_at__isnull=True)
        while time.monotonic() < deadline and pending.exists():
            time.sleep(1)
        figures = count(load, events)
        figures["processes_running_at_end"] = {
            name: child.poll() is None for name, child in supervisor.children.items()
        }
        figures["redis_running_at_end"] = redis.process is not None and redis.process.poll() is None
        figures["supervisor_crash_loop"] = done.is_set()
        figures["restarts"] = {name: len(times) for name, times in supervisor.crashes.items()}
        figures["faults"] = {k: v for k, v in events.items() if k != "orphans"}
    finally:
        done.set()
        supervisor.stop_children()
        for pid in events.get("orphans", {}).get("result", []):  # the killed worker's pool
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        redis.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    common.write_result(
        "fault_outage",
        figures,
        targets={
            "lost": 0,
            "duplicated": 0,
            "double_routed": 0,
            "unrouted": 0,
            "intake_p99_ms_redis_down": "within 2x of intake_p99_ms_redis_up",
            "routed_all_of_them_s_after_redis_back": 10,
        },
    )
    return figures
