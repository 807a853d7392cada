"""Every read of the planner figures, one module per noun; the names are re-exported here.

- ``facts``: the fact view, filter conditions, the per-refresh cache;
- ``areas``: heat bins, kelurahan counts, hotspots;
- ``performance``: SKPD figures, trend, distribution of times.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery

from geo_klik.agencies.models import Agency
from geo_klik.analytics.filters import ReportFilter
from geo_klik.analytics.queries.areas import (
    Hotspot,
    KelurahanCount,
    WeekBins,
    heat_bins,
    hotspots,
    kelurahan_counts,
    weekly_heat_bins,
)
from geo_klik.analytics.queries.facts import (
    MIN_REPORTS_PER_SKPD,
    RESOLVE_BUCKETS_H,
    cached_per_refresh,
)
from geo_klik.analytics.queries.field_times import UnitTimes, unit_response_times
from geo_klik.analytics.queries.performance import (
    DURATION_ERROR,
    Performance,
    TrendPoint,
    resolve_distribution,
    skpd_performance,
    skpd_trend,
)
from geo_klik.boundaries import queries as boundary_queries
from geo_klik.dispatch.models import Assignment
from geo_klik.reports.models import Category, Report

__all__ = [
    "DURATION_ERROR",
    "MIN_REPORTS_PER_SKPD",
    "RESOLVE_BUCKETS_H",
    "Dashboard",
    "Hotspot",
    "KelurahanCount",
    "Performance",
    "TrendPoint",
    "UnitTimes",
    "WeekBins",
    "cached_per_refresh",
    "choice_lists",
    "dashboard",
    "export_rows",
    "filtered_reports",
    "heat_bins",
    "hotspots",
    "kelurahan_counts",
    "resolve_distribution",
    "skpd_performance",
    "skpd_trend",
    "unit_response_times",
    "weekly_heat_bins",
]


def filtered_reports(where: ReportFilter) -> QuerySet[Report]:
    """The live reports a filter selects (for exports), in acceptance order."""
    reports = Report.objects.filter(created_at__gte=where.start_at, created_at__lt=where.end_before)
    if where.categories:
        reports = reports.filter(category__code__in=where.categories)
    if where.statuses:
        reports = reports.filter(status__in=where.statuses)
    if where.agencies:
        primary = Assignment.objects.filter(
            active=True, role=Assignment.Role.PRIMARY, agency__code__in=where.agencies
        )
        reports = reports.filter(pk__in=primary.values("report_id"))
    return reports.order_by("created_at", "id")


def export_rows(where: ReportFilter, *, chunk_size: int) -> Iterator[dict[str, Any]]:
    """The rows of the open-data exports, ``chunk_size`` at a time from a server-side cursor:
    the filtered reports' fields with their category, kelurahan and primary SKPD names
    (``exports`` decides what each may show)."""
    primary = Assignment.objects.filter(
        report=OuterRef("pk"), active=True, role=Assignment.Role.PRIMARY
    )
    values = filtered_reports(where).values(
        "tracking_code",
        "status",
        "description",
        "address",
        "created_at",
        "updated_at",
        "location",
        category_code=F("category__code"),
        category_name=F("category__name_id"),
        sensitive=F("category__sensitive"),
        resolve_target=F("category__resolve_target"),
        kelurahan_name=F("kelurahan__name"),
        agency_name=Subquery(primary.values("agency__name_id")[:1]),
    )
    for row in values.iterator(chunk_size=chunk_size):
        yield dict(row)


def choice_lists() -> dict[str, list[tuple[str, str]]]:
    """The filter form's options: categories, statuses, SKPD (code, label)."""
    return {
        "categories": list(
            Category.objects.order_by("sort_order", "code").values_list("code", "name_id")
        ),
        "statuses": [(str(v), str(label)) for v, label in Report.Status.choices],
        "agencies": [(a.code, str(a)) for a in Agency.objects.filter(active=True).order_by("code")],
    }


@dataclass(frozen=True)
class Dashboard:
    """Every figure of a planner or transparency page for one filter."""

    where: ReportFilter
    kelurahan: dict[str, Any]
    counts: list[KelurahanCount]
    heat: list[tuple[float, float, int]]
    weekly: list[WeekBins]
    hotspots: list[Hotspot]
    performance: list[Performance]
    trend: list[TrendPoint]
    distribution: dict[str, list[int]]
    # Field units: dispatch to arrival, arrival to resolution (issue 16).
    unit_times: list[UnitTimes] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.reports for c in self.counts)

    @property
    def hotspot_reports(self) -> int:
        return sum(h.reports for h in self.hotspots)


def dashboard(where: ReportFilter, *, hotspot_limit: int = 50) -> Dashboard:
    """All figures of the planner dashboard (the transparency page shows the same)."""
    return Dashboard(
        where=where,
        # Simplified by 3 m, as the phones' outlines: the choropleth only colours them.
        kelurahan=boundary_queries.kelurahan_feature_collection(precision=5, simplify_m=3.0),
        counts=kelurahan_counts(where),
        heat=heat_bins(where),
        weekly=weekly_heat_bins(where),
        hotspots=hotspots(where, limit=hotspot_limit),
        performance=skpd_performance(where),
        trend=skpd_trend(where),
        distribution=resolve_distribution(where),
        unit_times=unit_response_times(where),
    )
