"""Routing latency of one report, in process: route_report() on reports at random points."""

from __future__ import annotations

import random
import time
from typing import Any

from bench import common
from geo_klik.dispatch.actions import routes
from geo_klik.lib import geo
from geo_klik.reports.models import Category, Report

N = 2000


def run() -> dict[str, Any]:
    categories = list(Category.objects.filter(active=True))
    rng = random.Random(7)
    points = common.random_points_in_city(N, seed=7)
    reports = Report.objects.bulk_create(
        Report(
            tracking_code=f"BENCHRT{i:08d}",
            category=rng.choice(categories),
            location=geo.point(lat, lon),
            description="benchmark",
        )
        for i, (lat, lon) in enumerate(points)
    )
    samples = []
    try:
        for report in reports:
            started = time.perf_counter()
            routes.route_report(report.pk)
            samples.append(time.perf_counter() - started)
    finally:
        Report.objects.filter(tracking_code__startswith="BENCHRT").delete()
    figures = common.summary_ms(samples)
    common.write_result("routing_latency", figures, targets={"accepted_to_routed_p95_ms": 1000})
    return figures
