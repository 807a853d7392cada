"""Planner endpoints over 1,000,000 demo reports: server time and payload of the heatmap,
choropleth and SKPD-performance JSON for a 30-day and a 1-year window.

The reports are written by seed_demo (two years of synthetic history, so a year holds about
half of them, more in the recent half as the history grows; the seconds it took, with the
refresh of the fact view and the SKPD rollups, are in seed_demo_s), then the requests go through
Django's test client as a logged-in planner: the time is the server's (routing, auth, the
queries, JSON), without a network. Payloads are measured as sent without and with gzip (the
site's GZipMiddleware compresses JSON for clients that accept it).
"""

from __future__ import annotations

import gzip
import os
import secrets
import time
from typing import Any

from django.conf import settings
from django.test import Client, override_settings

from bench import common
from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.analytics import actions, demo

N = int(os.environ.get("BENCH_PLANNER_N", "1000000"))
KEEP = os.environ.get("BENCH_PLANNER_KEEP", "") == "1"  # keep the demo reports afterwards
RUNS = 5
ENDPOINTS = {
    "heatmap": "/planner/api/heatmap.json",
    "choropleth": "/planner/api/choropleth.json",
    "skpd": "/planner/api/skpd.json",
    # Not in the targets: the whole pages (map with every layer, tables, charts' data).
    "planner_page": "/planner/",
    "transparansi_page": "/transparansi/",
}
WINDOWS = {"30d": 30, "1y": 365}
USERNAME = "bench-planner"
DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"


def ensure_reports(n: int) -> float | None:
    """Seed demo reports up to n; the seconds it took, or None if they were already there."""
    missing = n - demo.demo_count()
    if missing <= 0:
        return None
    started = time.perf_counter()
    demo.seed(demo.SeedPlan(reports=missing, seed=missing))
    return time.perf_counter() - started


def planner_client() -> Client:
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username=USERNAME).delete()
    user = account_actions.create_staff_user(
        USERNAME, role=roles.PLANNER, password=secrets.token_urlsafe(24)
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)  # type: ignore[arg-type]  # the stubs want auth.User
    return client


def measure(client: Client, url: str) -> dict[str, Any]:
    """Cold: computed by the database (no cache); warm: the same filter again before the
    fact view's next refresh (answered from the shared per-refresh cache in Redis)."""
    client.get(url)  # connection, plans, the OS page cache
    cold, warm, body = [], [], b""
    # Cold: no cache at all, every figure computed by the database.
    uncached = {**settings.CACHES, "analytics": {"BACKEND": DUMMY_CACHE}}
    with override_settings(CACHES=uncached):
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(url)
            cold.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            body = response.content
    client.get(url)  # computed once more, now into the shared cache
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - started)
    return {
        "cold_p50_ms": common.summary_ms(cold)["p50_ms"],
        "cold_max_ms": common.summary_ms(cold)["max_ms"],
        "warm_p50_ms": common.summary_ms(warm)["p50_ms"],
        "bytes": len(body),
        "gzip_bytes": len(gzip.compress(body)),
    }


def run() -> dict[str, Any]:
    # Other work on the same two cores shows here and in the result's machine load average.
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    seed_s = ensure_reports(N)
    started = time.perf_counter()
    actions.refresh_facts()
    refresh_s = time.perf_counter() - started
    client = planner_client()
    figures: dict[str, Any] = {
        "demo_reports": demo.demo_count(),
        "load_average_1_5_15_min_at_start": load_at_start,
    }
    if seed_s is not None:
        figures["seed_demo_s"] = round(seed_s, 1)
    figures["refresh_facts_s"] = round(refresh_s, 1)
    try:
        for window, days in WINDOWS.items():
            start = f"?dari={_days_ago(days)}"
            for name, url in ENDPOINTS.items():
                result = measure(client, url + start)
                for key, value in result.items():
                    figures[f"{name}_{window}_{key}"] = value
        # What a planner meets in use: the beat task has pre-computed the default views after
        # the refresh; a period not asked before (90 days) is computed on its first visit,
        # sharing the 90 days' hotspots with every period ending today.
        actions.warm_default_figures()
        started = time.perf_counter()
        response = client.get(ENDPOINTS["planner_page"] + f"?dari={_days_ago(90)}")
        assert response.status_code == 200
        figures["planner_page_90d_first_visit_after_warm_ms"] = round(
            (time.perf_counter() - started) * 1000, 1
        )
    finally:
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username=USERNAME).delete()
        if not KEEP:
            demo.remove()
    common.write_result(
        "planner_endpoints",
        figures,
        targets={"heatmap_choropleth_skpd_server_ms_each": 1000, "payload_bytes_each": 1_000_000},
    )
    return figures


def _days_ago(days: int) -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() - timedelta(days=days - 1)).isoformat()
