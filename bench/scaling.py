"""How cost grows with the data: intake, routing, the console's queue and the map feed at
10^4, 10^5 (and with --full 10^6) stored reports.

Runs in a copy of the benchmark database (``<name>_scaling``, made from it as a template, its
reports emptied, dropped at the end), so the other benchmarks' reports neither count nor change.
The reports are seed_demo's two-year synthetic history, topped up between the steps. At each
step, in process (Django's test client or the action itself, so the times are the server's
without a network): 200 intakes through POST /api/reports/, routing of those 200 reports, the
console's queue as an operator, the read of the map's cluster snapshot, and the public map feed
for the whole city and for one neighbourhood viewport, each cold (the feed's cache emptied
first). The raw baseline of the
same step: a plain SQL count of the stored reports, the floor of anything that reads them all.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2
import psycopg2.errors
from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client, override_settings

from bench import common, report
from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.analytics import demo
from geo_klik.dispatch.actions import routes
from geo_klik.maps import clusters, report_feed
from geo_klik.reports.models import Category, Report

QUICK = (10_000, 100_000)
FULL = (10_000, 100_000, 1_000_000)
INTAKES = 200
RUNS = 15
MAP_RUNS = 40
# Around Jam Gadang: a neighbourhood at zoom 16 on a 1280x800 screen.
NEIGHBOURHOOD = "100.36250,-0.31100,100.37950,-0.30000"
LAT0, LAT1, LON0, LON1 = -0.309, -0.295, 100.366, 100.385
OPERATOR = "bench-scaling-operator"


def label(n: int) -> str:
    return f"10^{len(str(n)) - 1}"


@contextmanager
def database_copy() -> Iterator[str]:
    """Point Django at a fresh copy of the benchmark database without reports; drop it after."""
    db = connection.settings_dict
    original = str(db["NAME"])
    copy = f"{original}_scaling"
    connections.close_all()  # a template must have no other session
    admin(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    for attempt in range(10):  # a session that is closing may still count
        close_other_sessions(original)
        try:
            admin(f'CREATE DATABASE "{copy}" TEMPLATE "{original}"')
            break
        except psycopg2.errors.ObjectInUse:
            if attempt == 9:
                print(f"[bench] still connected to {original}: {admin_rows(original)}")
                raise
            time.sleep(1)
    db["NAME"] = copy
    try:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE reports_report CASCADE")
        yield copy
    finally:
        connection.close()
        db["NAME"] = original
        admin(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def maintenance_connection() -> Any:
    """A session on the server's maintenance database: PostgreSQL itself, past any pooler."""
    db = settings.DATABASE_DIRECT or connection.settings_dict
    return psycopg2.connect(
        dbname="postgres",
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
    )


def admin_rows(database: str) -> list[tuple[object, ...]]:
    """Who else is connected to `database` (for the error when the copy cannot be made)."""
    conn = maintenance_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT pid, client_addr, client_port, state, left(query, 120) "
                "FROM pg_stat_activity WHERE datname = %s",
                [database],
            )
            rows: list[tuple[object, ...]] = cursor.fetchall()
            return rows
    finally:
        conn.close()


def admin(*statements: str) -> None:
    """Statements outside any transaction, from the maintenance database."""
    conn = maintenance_connection()
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def close_other_sessions(database: str) -> None:
    """End the sessions left on the benchmark database (PgBouncer keeps idle ones for a while):
    a template must have none."""
    conn = maintenance_connection()
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )
    finally:
        conn.close()


def timings(action: Callable[[], object], runs: int = RUNS) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    summary = common.summary_ms(samples)
    return {"p50_ms": summary["p50_ms"], "p95_ms": summary["p95_ms"]}


def intake(client: Client, category_codes: list[str]) -> tuple[dict[str, float], list[int]]:
    """INTAKES reports through the API in process; their times and the new report ids."""
    samples, ids = [], []
    for i in range(INTAKES):
        body = {
            "category": category_codes[i % len(category_codes)],
            "lat": LAT0 + (LAT1 - LAT0) * ((i * 37) % 100) / 100,
            "lon": LON0 + (LON1 - LON0) * ((i * 61) % 100) / 100,
            "description": "bench: lubang jalan",
        }
        started = time.perf_counter()
        response = client.post(
            "/api/reports/",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        samples.append(time.perf_counter() - started)
        assert response.status_code == 201, response.content[:300]
        ids.append(Report.objects.get(tracking_code=response.json()["tracking_code"]).pk)
    summary = common.summary_ms(samples)
    return {"p50_ms": summary["p50_ms"], "p95_ms": summary["p95_ms"]}, ids


def routing(ids: list[int]) -> dict[str, float]:
    samples = []
    for report_id in ids:
        started = time.perf_counter()
        routes.route_report(report_id)
        samples.append(time.perf_counter() - started)
    summary = common.summary_ms(samples)
    return {"p50_ms": summary["p50_ms"], "p95_ms": summary["p95_ms"]}


def operator_client() -> Client:
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username=OPERATOR).delete()
    user = account_actions.create_staff_user(
        OPERATOR, role=roles.OPERATOR, password=secrets.token_urlsafe(24)
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)  # type: ignore[arg-type]  # the stubs want auth.User
    return client


def cold_feed(client: Client, params: dict[str, str]) -> tuple[dict[str, float], int]:
    size = 0

    def one() -> None:
        nonlocal size
        caches[report_feed.CACHE_ALIAS].clear()
        response = client.get("/api/map/reports.geojson", params)
        assert response.status_code == 200
        size = len(response.content)

    return timings(one, runs=MAP_RUNS), size


def raw_count() -> dict[str, float]:
    def one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM reports_report")
            cursor.fetchone()

    return timings(one)


def measure_step(codes: list[str]) -> dict[str, Any]:
    public = Client(HTTP_HOST="127.0.0.1")
    intake_figures, ids = intake(public, codes)
    step: dict[str, Any] = {"intake": intake_figures, "routing": routing(ids)}
    operator = operator_client()
    step["console_queue"] = timings(lambda: operator.get("/api/staff/reports/"))
    # The process's cluster snapshot, read again for this data (web processes do it in the
    # background when the data changes), then the feed answers from it.
    step["map_snapshot_read"] = timings(
        lambda: clusters.Snapshot.read(report_feed.data_version.get()), runs=3
    )
    report_feed.data_version.forget()
    clusters.snapshots.forget()
    clusters.snapshots.get(report_feed.data_version.get())
    step["map_city"], step["map_city_bytes"] = cold_feed(public, {})
    step["map_neighbourhood"], step["map_neighbourhood_bytes"] = cold_feed(
        public, {"in_bbox": NEIGHBOURHOOD}
    )
    step["raw_sql_count_all"] = raw_count()
    return step


def table(steps: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows per figure, columns per size: what grows with the data and what stays flat."""
    rows: dict[str, dict[str, Any]] = {}
    for size, step in steps.items():
        for name, value in step.items():
            if isinstance(value, dict):
                for stat, number in value.items():
                    rows.setdefault(f"{name} {stat}", {})[size] = number
            else:
                rows.setdefault(name, {})[size] = value
    return rows


def run(*, full: bool = False) -> dict[str, Any]:
    sizes = FULL if full else QUICK
    figures: dict[str, Any] = {
        "load_average_1_5_15_min_at_start": common.machine()["load_average_1_5_15_min"],
        "sizes": [label(n) for n in sizes],
    }
    steps: dict[str, dict[str, Any]] = {}
    seed_s: dict[str, float] = {}
    original_enqueue = routes.enqueue_routing
    # Routing is timed by itself below; intake's after-commit enqueue goes nowhere meanwhile.
    routes.enqueue_routing = lambda ids: 0  # type: ignore[assignment]
    try:
        with database_copy(), override_settings(**no_rate_limits()):
            codes = list(Category.objects.filter(active=True).values_list("code", flat=True))
            for n in sizes:
                missing = n - Report.objects.count()
                started = time.perf_counter()
                if missing > 0:
                    demo.seed(demo.SeedPlan(reports=missing, seed=n))
                seed_s[label(n)] = round(time.perf_counter() - started, 1)
                steps[label(n)] = measure_step(codes)
                print(f"[bench] scaling {label(n)}: {steps[label(n)]}", flush=True)
    finally:
        routes.enqueue_routing = original_enqueue
    figures["seed_s"] = seed_s
    figures["growth"] = table(steps)
    path = common.write_result(
        "scaling",
        figures,
        targets={"intake_routing_console_map_p95": "flat from 10^4 to 10^6"},
    )
    report.add_notes(path, NOTES)
    return figures


NOTES = """
Each step tops a copy of the benchmark database up to that many reports (seed_demo's two-year
history: about half of them fall in the map's last year, a few percent in its default 30 days)
and measures in process, so the times are the server's without a network. What should stay
flat: intake and routing (one report, indexed lookups), the map feed per viewport (points
capped at 200, clusters counted from the in-memory snapshot). What grows on purpose: the
snapshot read (map_snapshot_read, linear in the last year's reports, once per web process and
then every 60 s in a background thread) and the raw count. The console's queue orders every open
report the operator may see before taking the first page; it grows with the open reports.
"""


def no_rate_limits() -> dict[str, str]:
    return {
        name: ""
        for name in (
            "REPORTS_RATE_LIMIT",
            "REPORTS_RATE_LIMIT_PER_DEVICE",
            "REPORTS_RATE_LIMIT_PER_ADDRESS",
        )
        if hasattr(settings, name)
    }
