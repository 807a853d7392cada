"""The live console: database load per open console, and accepted-to-on-the-console latency.

The system runs as in `make run` (gunicorn and a Celery worker). A console client logs in as an
operator, listens to `/api/staff/events/` (server-sent events) and, on each change, re-reads
the queue `/api/staff/reports/`, as the console page does (one re-read at a time, another after
it if changes came meanwhile).

1. Database transactions per second (pg_stat_database: xact_commit + xact_rollback of the bench
   database) while 0 (the raw floor, same run), 1, 10 and 50 consoles are connected and nothing
   happens: it should stay flat in the number of consoles.
2. With 50 consoles connected, 200 reports sent at 20 per second: the latency of a report on a
   console is from the 201 of its `POST /api/reports/` to the moment its tracking code is first
   in that console's queue; every console's every report is a sample.
"""

from __future__ import annotations

import http.client
import json
import math
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
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

import stack.base
from bench import common
from bench.intake_http import (
    LAT0,
    LAT1,
    LON0,
    LON1,
    start_server,
    start_worker,
    stop_process_group,
)
from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.reports.models import Report

N = 200
RATE_PER_S = 20
CONSOLE_COUNTS = (1, 10, 50)
IDLE_WINDOW_S = 10.0
USERNAME = "bench-console-operator"


def operator_session() -> str:
    get_user_model().objects.filter(username=USERNAME).delete()
    user = account_actions.create_staff_user(
        USERNAME, role=roles.OPERATOR, password=uuid.uuid4().hex
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)  # type: ignore[arg-type]  # the stubs want auth.User
    return str(client.cookies["sessionid"].value)


class Console(threading.Thread):
    """Listens to the event stream and records when each tracking code first shows."""

    def __init__(self, port: int, session: str) -> None:
        super().__init__(daemon=True)
        self.port, self.headers = port, {"Cookie": f"sessionid={session}"}
        self.seen: dict[str, float] = {}
        self.ready = threading.Event()
        self.changed = threading.Event()
        self.failed_reads = 0
        self.refused_streams = 0
        self.events: list[float] = []  # when each change event arrived
        self.reading = False

    def read_queue(self, conn: http.client.HTTPConnection) -> None:
        self.reading = True
        try:
            self._read_queue(conn)
        finally:
            self.reading = False

    def _read_queue(self, conn: http.client.HTTPConnection) -> None:
        conn.request("GET", "/api/staff/reports/", headers=self.headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:  # e.g. 503 while PostgreSQL refuses connections
            self.failed_reads += 1
            self.changed.set()  # read again
            return
        rows = json.loads(body)["results"]
        now = time.monotonic()
        for row in rows:
            self.seen.setdefault(row["tracking_code"], now)

    def refresher(self) -> None:
        queue = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while True:
            self.changed.wait()
            self.changed.clear()
            try:
                self.read_queue(queue)
            except (OSError, http.client.HTTPException, ValueError):
                queue.close()
                queue = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def open_stream(self) -> http.client.HTTPResponse:
        for _ in range(10):
            stream = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            stream.request("GET", "/api/staff/events/", headers=self.headers)
            response = stream.getresponse()
            if response.status == 200:
                return response
            self.refused_streams += 1  # counted, and tried again as a browser would
            stream.close()
            time.sleep(1)
        raise RuntimeError(f"the event stream answered {response.status} ten times")

    def run(self) -> None:
        response = self.open_stream()
        queue = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.read_queue(queue)
        queue.close()
        threading.Thread(target=self.refresher, daemon=True).start()
        event = b""
        while True:
            line = response.fp.readline()
            if not line:
                break
            if line.startswith(b"event:"):
                event = line[6:].strip()
                if event == b"ready":
                    self.ready.set()
            elif line.startswith(b"data:") and event == b"change":
                self.events.append(time.monotonic())
                self.changed.set()

    def idle(self) -> bool:
        return not self.changed.is_set() and not self.reading


def transactions() -> int:
    """Transactions committed or rolled back in this database so far (PostgreSQL's counter)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


# PostgreSQL 15 backends report their transaction counts late: at most once a second, and a
# backend that reported less than a second ago holds its next counts for up to 10 s
# (PGSTAT_IDLE_INTERVAL) when it goes idle. So the consoles' opening reads (a session lookup and a
# queue read each) still arrived in a window that started 2 s later: 50 consoles looked like
# 39 transactions/s while nothing happened. The window starts once those are surely counted.
STATS_SETTLE_S = 12.0


def transactions_per_s(window_s: float) -> float:
    time.sleep(STATS_SETTLE_S)
    before = transactions()
    time.sleep(window_s)
    # Our own two readings are transactions too; they are not the consoles'.
    return round((transactions() - before - 1) / window_s, 2)


def open_consoles(consoles: list[Console], n: int, port: int, session: str) -> None:
    while len(consoles) < n:
        console = Console(port, session)
        console.start()
        consoles.append(console)
    for console in consoles:
        if not console.ready.wait(30):
            raise RuntimeError("a console did not connect within 30 s")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(c.idle() for c in consoles):
        time.sleep(0.1)  # every console has read its queue: the window sees only idle ones


def post_paced(port: int, tag: str) -> dict[str, float]:
    accepted: dict[str, float] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(5)
    start = time.monotonic() + 0.2
    for i in range(N):
        time.sleep(max(0.0, start + i / RATE_PER_S - time.monotonic()))
        body = json.dumps(
            {
                "category": rng.choice(["road_damage", "garbage", "flooding", "fire"]),
                "lat": rng.uniform(LAT0, LAT1),
                "lon": rng.uniform(LON0, LON1),
                "description": f"{tag} {i}",
            }
        )
        headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
        conn.request("POST", "/api/reports/", body, headers)
        response = conn.getresponse()
        data = json.loads(response.read())
        if response.status == 201:
            accepted[data["tracking_code"]] = time.monotonic()
    conn.close()
    return accepted


def run() -> dict[str, Any]:
    # Earlier benchmarks' unrouted reports would be routed by this run's worker, and each batch
    # would tell every console: the idle windows would not be idle.
    common.route_leftovers()
    # The bench database only: earlier benchmarks' open reports would fill the queue (500 rows
    # by priority then age) ahead of the new ones.
    Report.objects.filter(status__in=Report.OPEN_STATUSES).update(status=Report.Status.CLOSED)
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    session = operator_session()
    port = stack.base.pick_port(Path(tempfile.gettempdir()) / "geo_klik-bench-port", 58000)
    env = {**os.environ, "REPORTS_RATE_LIMIT": "off", "REPORTS_RATE_LIMIT_PER_ADDRESS": "off"}
    server = start_server(port, env)
    worker = start_worker(env, "bench-console")
    consoles: list[Console] = []
    figures: dict[str, Any] = {
        "load_average_1_5_15_min_at_start": common.machine()["load_average_1_5_15_min"],
        "idle_window_s": IDLE_WINDOW_S,
    }
    try:
        time.sleep(3)
        figures["db_transactions_per_s_0_consoles"] = transactions_per_s(IDLE_WINDOW_S)
        for n in CONSOLE_COUNTS:
            open_consoles(consoles, n, port, session)
            told_before = sum(len(c.events) for c in consoles)
            figures[f"db_transactions_per_s_{n}_consoles"] = transactions_per_s(IDLE_WINDOW_S)
            # Change events the consoles got in the window (each makes a console re-read).
            told = sum(len(c.events) for c in consoles) - told_before
            figures[f"change_events_in_window_{n}_consoles"] = told
        accepted = post_paced(port, f"bench-console-{uuid.uuid4().hex[:6]}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(
            set(accepted) <= set(c.seen) for c in consoles
        ):
            time.sleep(0.1)
    finally:
        for process in (server, worker):
            stop_process_group(process)
    latencies = [
        console.seen[code] - at
        for console in consoles
        for code, at in accepted.items()
        if code in console.seen
    ]
    figures.update(
        consoles=len(consoles),
        sent=N,
        rate_per_s=RATE_PER_S,
        accepted=len(accepted),
        samples_expected=len(accepted) * len(consoles),
        samples_seen=len(latencies),
    )
    if latencies:
        figures.update(common.summary_ms(latencies))
    # Where the time goes: from the 201 to the next change event on the stream (the push),
    # the rest is the console's re-read of its queue.
    pushes = [
        next((e for e in console.events if e >= at), math.inf) - at
        for console in consoles
        for at in accepted.values()
    ]
    pushes = [p for p in pushes if p != math.inf]
    if pushes:
        figures["next_change_event_p50_ms"] = round(common.percentile(pushes, 50) * 1000, 1)
        figures["next_change_event_p95_ms"] = round(common.percentile(pushes, 95) * 1000, 1)
    figures["failed_queue_reads"] = sum(c.failed_reads for c in consoles)
    figures["refused_stream_opens"] = sum(c.refused_streams for c in consoles)
    common.write_result(
        "console_latency",
        figures,
        targets={"p95_ms": 1000, "db_transactions_per_s": "flat from 1 to 50 consoles"},
    )
    return figures
