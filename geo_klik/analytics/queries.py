"""Every read of the planner figures: heat bins, kelurahan counts, hotspots, SKPD performance.

They read the fact view ``analytics_report_facts`` (see ``models.ReportFact``) and aggregate
in PostgreSQL, so what leaves the database grows with the number of grid cells, kelurahan and
SKPD, never with the number of reports. Raw SQL here, because the ORM has no grid binning,
window clustering (ST_ClusterDBSCAN) or ordered-set aggregates (percentile_cont).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet

from geo_klik.analytics.filters import ReportFilter
from geo_klik.analytics.models import FactsRefresh
from geo_klik.dispatch.models import Agency, Assignment
from geo_klik.reports.models import Category, Report

# Bukittinggi lies at 0.3° S: a degree of longitude is as long as one of latitude (cos 0.3° =
# 0.99999), so a square grid in degrees is a square grid in metres.
METRES_PER_DEGREE = 111_320.0
# UTM zone 47S, the metric projection of the boundary importer: DBSCAN's eps is in metres.
METRIC_SRID = 32747
MIN_REPORTS_PER_SKPD = 10
OPEN_STATUSES = tuple(str(s) for s in Report.OPEN_STATUSES)
NEVER_RESOLVED = ("rejected", "duplicate")
# Buckets of the time-to-resolve distribution chart: (upper bound in hours, label).
RESOLVE_BUCKETS_H = (
    (4, "< 4 jam"),
    (24, "4-24 jam"),
    (72, "1-3 hari"),
    (168, "3-7 hari"),
    (336, "7-14 hari"),
    (None, "> 14 hari"),
)


F = TypeVar("F", bound=Callable[..., Any])
CACHE_TIMEOUT_S = 6 * 3600


def cached_per_refresh(function: F) -> F:
    """Cache a figure per filter until the fact view is rebuilt (its generation changes).

    The figures only change when ``actions.refresh_facts`` rebuilds the view, so the same
    filter asked twice between refreshes (the default 30 days, the public page) is computed
    once per process.
    """

    @functools.wraps(function)
    def wrapped(where: ReportFilter, **kwargs: Any) -> Any:
        generation = FactsRefresh.objects.values_list("refreshed_at", flat=True).first()
        if generation is None:
            return function(where, **kwargs)
        key = (
            "analytics:"
            + hashlib.sha256(
                repr(
                    (
                        function.__name__,
                        generation.isoformat(),
                        where.as_query(),
                        sorted(kwargs.items()),
                    )
                ).encode()
            ).hexdigest()
        )
        value = cache.get(key)
        if value is None:
            value = function(where, **kwargs)
            cache.set(key, value, CACHE_TIMEOUT_S)
        return value

    return cast(F, wrapped)


def _where(where: ReportFilter, alias: str = "f") -> tuple[str, list[Any]]:
    """The SQL condition and parameters of a filter over the fact view."""
    sql = [f"{alias}.created_at >= %s", f"{alias}.created_at < %s"]
    params: list[Any] = [where.start_at, where.end_before]
    if where.categories:
        sql.append(f"{alias}.category_id = ANY(%s)")
        params.append(_ids(Category.objects.filter(code__in=where.categories)))
    if where.statuses:
        sql.append(f"{alias}.status = ANY(%s)")
        params.append(list(where.statuses))
    if where.agencies:
        sql.append(f"{alias}.agency_id = ANY(%s)")
        params.append(_ids(Agency.objects.filter(code__in=where.agencies)))
    return " AND ".join(sql), params


def _ids(queryset: QuerySet[Any]) -> list[int]:
    return list(queryset.values_list("id", flat=True))


def _rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with transaction.atomic(), connection.cursor() as cursor:
        # A year of reports is sorted by SKPD and category for the percentiles: in memory,
        # not in temporary files (the default 4 MB spills). JIT compiles longer than these
        # queries run.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _cell_deg(cell_m: float) -> float:
    return cell_m / METRES_PER_DEGREE


@cached_per_refresh
def heat_bins(where: ReportFilter, *, cell_m: float = 100.0) -> list[tuple[float, float, int]]:
    """(lat, lon, reports) at the centre of each square grid cell with reports."""
    condition, params = _where(where)
    cell = _cell_deg(cell_m)
    rows = _rows(
        f"""
        SELECT (floor(f.lat / %s) + 0.5) * %s AS lat, (floor(f.lon / %s) + 0.5) * %s AS lon,
               count(*) AS n
        FROM analytics_report_facts f WHERE {condition}
        GROUP BY floor(f.lat / %s), floor(f.lon / %s)
        """,  # noqa: S608 (condition is built from constants; values are parameters)
        [cell, cell, cell, cell, *params, cell, cell],
    )
    return [(round(r["lat"], 6), round(r["lon"], 6), int(r["n"])) for r in rows]


@dataclass(frozen=True)
class WeekBins:
    """The heat bins of one week (Monday start, local time)."""

    week: date
    bins: list[tuple[float, float, int]]


@cached_per_refresh
def weekly_heat_bins(where: ReportFilter, *, cell_m: float = 250.0) -> list[WeekBins]:
    """Heat bins per week of the period, for the time slider (coarser cells than ``heat_bins``)."""
    condition, params = _where(where)
    cell = _cell_deg(cell_m)
    rows = _rows(
        f"""
        SELECT date_trunc('week', f.created_at AT TIME ZONE 'Asia/Jakarta')::date AS week,
               (floor(f.lat / %s) + 0.5) * %s AS lat, (floor(f.lon / %s) + 0.5) * %s AS lon,
               count(*) AS n
        FROM analytics_report_facts f WHERE {condition}
        GROUP BY 1, floor(f.lat / %s), floor(f.lon / %s) ORDER BY 1
        """,  # noqa: S608
        [cell, cell, cell, cell, *params, cell, cell],
    )
    weeks: dict[date, list[tuple[float, float, int]]] = {}
    for r in rows:
        weeks.setdefault(r["week"], []).append(
            (round(r["lat"], 5), round(r["lon"], 5), int(r["n"]))
        )
    return [WeekBins(week, bins) for week, bins in weeks.items()]


@dataclass(frozen=True)
class KelurahanCount:
    code: str
    name: str
    kecamatan: str
    reports: int
    area_km2: float
    per_km2: float


@cached_per_refresh
def kelurahan_counts(where: ReportFilter) -> list[KelurahanCount]:
    """Reports per kelurahan (every kelurahan, zero included) and per km² of its area."""
    condition, params = _where(where)
    rows = _rows(
        f"""
        SELECT k.code_kemendagri AS code, k.name, kc.name AS kecamatan, k.area_m2,
               COALESCE(c.n, 0) AS n
        FROM boundaries_kelurahan k
        JOIN boundaries_kecamatan kc ON kc.id = k.kecamatan_id
        LEFT JOIN (
            SELECT f.kelurahan_id, count(*) AS n FROM analytics_report_facts f
            WHERE {condition} GROUP BY f.kelurahan_id
        ) c ON c.kelurahan_id = k.id
        ORDER BY k.code_kemendagri
        """,  # noqa: S608
        params,
    )
    return [
        KelurahanCount(
            code=r["code"],
            name=r["name"],
            kecamatan=r["kecamatan"],
            reports=int(r["n"]),
            area_km2=round(r["area_m2"] / 1e6, 3),
            per_km2=round(r["n"] / (r["area_m2"] / 1e6), 1) if r["area_m2"] else 0.0,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Hotspot:
    """A cluster of reports of one category, each within eps of another (DBSCAN)."""

    category: str
    category_name: str
    reports: int
    lat: float
    lon: float
    kelurahan: str
    first_at: Any
    last_at: Any


@cached_per_refresh
def hotspots(
    where: ReportFilter,
    *,
    eps_m: float = 50.0,
    min_reports: int = 5,
    days: int = 90,
    limit: int | None = None,
) -> list[Hotspot]:
    """Clusters of at least ``min_reports`` same-category reports within ``eps_m`` metres.

    Looks at the ``days`` days ending with the filter's end date (not its start): a hotspot is
    about repetition, not about the period chosen. Every report belongs to at most one
    cluster, so the hotspots' ``reports`` add up to the clustered reports.
    """
    hot_where = ReportFilter(
        start=where.end.fromordinal(where.end.toordinal() - days + 1),
        end=where.end,
        categories=where.categories,
        statuses=where.statuses,
        agencies=where.agencies,
    )
    condition, params = _where(hot_where)
    rows = _rows(
        f"""
        WITH clustered AS (
            SELECT f.category_id, f.kelurahan_id, f.location, f.created_at,
                   ST_ClusterDBSCAN(ST_Transform(f.location, {METRIC_SRID}), eps => %s,
                                    minpoints => %s)
                       OVER (PARTITION BY f.category_id) AS cluster
            FROM analytics_report_facts f WHERE {condition}
        ), clusters AS (
            SELECT category_id, cluster, count(*) AS n,
                   ST_Centroid(ST_Collect(location)) AS centre,
                   mode() WITHIN GROUP (ORDER BY kelurahan_id) AS kelurahan_id,
                   min(created_at) AS first_at, max(created_at) AS last_at
            FROM clustered WHERE cluster IS NOT NULL GROUP BY category_id, cluster
        )
        SELECT c.code AS category, c.name_id AS category_name, s.n, ST_Y(s.centre) AS lat,
               ST_X(s.centre) AS lon, COALESCE(k.name, '') AS kelurahan, s.first_at, s.last_at
        FROM clusters s JOIN reports_category c ON c.id = s.category_id
        LEFT JOIN boundaries_kelurahan k ON k.id = s.kelurahan_id
        ORDER BY s.n DESC, c.code, lat
        {"LIMIT %s" if limit else ""}
        """,  # noqa: S608
        [eps_m, min_reports, *params, *([limit] if limit else [])],
    )
    return [
        Hotspot(
            category=r["category"],
            category_name=r["category_name"],
            reports=int(r["n"]),
            lat=round(r["lat"], 6),
            lon=round(r["lon"], 6),
            kelurahan=r["kelurahan"],
            first_at=r["first_at"],
            last_at=r["last_at"],
        )
        for r in rows
    ]


@dataclass
class Performance:
    """One SKPD's figures over the period, whole (category None) or for one category."""

    agency: str
    agency_name: str
    category: str | None
    category_name: str | None
    reports: int
    ack_p50_h: float | None
    ack_p90_h: float | None
    resolve_p50_h: float | None
    resolve_p90_h: float | None
    ack_sla_pct: float | None
    resolve_sla_pct: float | None
    backlog: int
    reopen_pct: float | None
    satisfaction: float | None
    ratings: int
    categories: list[Performance] = field(default_factory=list)


# Every SKPD row needs min_reports (HAVING), and so does every category row; a category row
# that passes implies its SKPD passes, so one grouping-sets pass does both. The percentiles
# are taken as arrays: one sort per duration instead of one per percentile.
PERFORMANCE_SQL = """
SELECT f.agency_id, f.category_id, GROUPING(f.category_id) AS whole, count(*) AS n,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.ack_s) AS ack,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.resolve_s) AS resolve,
       count(*) FILTER (WHERE f.ack_s <= f.ack_target_s) AS ack_ok,
       count(*) FILTER (WHERE f.ack_s IS NOT NULL
                        OR f.created_at + f.ack_target_s * interval '1 second' < now()) AS ack_due,
       count(*) FILTER (WHERE f.resolve_s <= f.resolve_target_s) AS resolve_ok,
       count(*) FILTER (WHERE f.resolve_s IS NOT NULL OR (f.status <> ALL(%s)
                        AND f.created_at + f.resolve_target_s * interval '1 second' < now()))
           AS resolve_due,
       count(*) FILTER (WHERE f.status = ANY(%s)) AS backlog,
       count(*) FILTER (WHERE f.reopened) AS reopened,
       count(*) FILTER (WHERE f.resolve_s IS NOT NULL) AS resolved,
       avg(f.stars) AS satisfaction, count(f.stars) AS ratings
FROM analytics_report_facts f
WHERE {condition} AND f.agency_id IS NOT NULL
GROUP BY GROUPING SETS ((f.agency_id), (f.agency_id, f.category_id))
HAVING count(*) >= %s
"""


@cached_per_refresh
def skpd_performance(
    where: ReportFilter, *, min_reports: int = MIN_REPORTS_PER_SKPD
) -> list[Performance]:
    """Per SKPD (primary assignment) and per category of it: times, SLA, backlog, reopen, stars.

    Only SKPD with at least ``min_reports`` reports in the period are shown, and within them
    only categories with that many: a median of three reports would rank agencies on luck.
    Times are hours from acceptance to the first acknowledgement and to the final resolution.
    """
    condition, params = _where(where)
    rows = _rows(
        PERFORMANCE_SQL.format(condition=condition),
        [list(NEVER_RESOLVED), list(OPEN_STATUSES), *params, min_reports],
    )
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={r["agency_id"] for r in rows})}
    categories = {c.pk: c for c in Category.objects.all()}
    whole: dict[int, Performance] = {}
    parts: list[tuple[int, Performance]] = []
    for r in rows:
        agency = agencies[r["agency_id"]]
        category = None if r["whole"] else categories[r["category_id"]]
        item = _performance(r, agency, category)
        if category is None:
            whole[agency.pk] = item
        else:
            parts.append((agency.pk, item))
    for agency_id, item in sorted(parts, key=lambda p: -p[1].reports):
        whole[agency_id].categories.append(item)
    return sorted(whole.values(), key=lambda p: (-p.reports, p.agency))


def _performance(r: dict[str, Any], agency: Agency, category: Category | None) -> Performance:
    return Performance(
        agency=agency.code,
        agency_name=str(agency),
        category=None if category is None else category.code,
        category_name=None if category is None else category.name_id,
        reports=int(r["n"]),
        ack_p50_h=_hours(r["ack"], 0),
        ack_p90_h=_hours(r["ack"], 1),
        resolve_p50_h=_hours(r["resolve"], 0),
        resolve_p90_h=_hours(r["resolve"], 1),
        ack_sla_pct=_pct(r["ack_ok"], r["ack_due"]),
        resolve_sla_pct=_pct(r["resolve_ok"], r["resolve_due"]),
        backlog=int(r["backlog"]),
        reopen_pct=_pct(r["reopened"], r["resolved"]),
        satisfaction=_round(r["satisfaction"], 2),
        ratings=int(r["ratings"]),
    )


def _hours(seconds: list[float | None] | None, index: int) -> float | None:
    value = seconds[index] if seconds else None
    return None if value is None else _round(value / 3600)


def _round(value: Any, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


QUALIFYING_SQL = """
    SELECT f.agency_id FROM analytics_report_facts f WHERE {condition}
    GROUP BY f.agency_id HAVING count(*) >= %s
"""


@dataclass(frozen=True)
class TrendPoint:
    agency: str
    week: date
    reports: int
    resolve_p50_h: float | None


@cached_per_refresh
def skpd_trend(where: ReportFilter, *, min_reports: int = MIN_REPORTS_PER_SKPD) -> list[TrendPoint]:
    """Weekly reports and median time to resolve of each qualifying SKPD."""
    condition, params = _where(where)
    rows = _rows(
        f"""
        SELECT a.code AS agency,
               date_trunc('week', f.created_at AT TIME ZONE 'Asia/Jakarta')::date AS week,
               count(*) AS n,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY f.resolve_s) / 3600 AS p50
        FROM analytics_report_facts f JOIN dispatch_agency a ON a.id = f.agency_id
        WHERE {condition} AND f.agency_id IN ({QUALIFYING_SQL.format(condition=condition)})
        GROUP BY 1, 2 ORDER BY 1, 2
        """,  # noqa: S608
        [*params, *params, min_reports],
    )
    return [TrendPoint(r["agency"], r["week"], int(r["n"]), _round(r["p50"])) for r in rows]


@cached_per_refresh
def resolve_distribution(
    where: ReportFilter, *, min_reports: int = MIN_REPORTS_PER_SKPD
) -> dict[str, list[int]]:
    """Resolved reports of each qualifying SKPD per bucket of ``RESOLVE_BUCKETS_H``."""
    condition, params = _where(where)
    bounds = [b for b, _ in RESOLVE_BUCKETS_H if b is not None]
    rows = _rows(
        f"""
        SELECT a.code AS agency,
               width_bucket(f.resolve_s / 3600, %s::float8[]) AS bucket, count(*) AS n
        FROM analytics_report_facts f JOIN dispatch_agency a ON a.id = f.agency_id
        WHERE {condition} AND f.resolve_s IS NOT NULL
          AND f.agency_id IN ({QUALIFYING_SQL.format(condition=condition)})
        GROUP BY 1, 2
        """,  # noqa: S608
        [[0.0, *bounds], *params, *params, min_reports],
    )
    result: dict[str, list[int]] = {}
    for r in rows:
        counts = result.setdefault(r["agency"], [0] * len(RESOLVE_BUCKETS_H))
        counts[max(0, min(len(counts), int(r["bucket"])) - 1)] += int(r["n"])
    return result


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

    @property
    def total(self) -> int:
        return sum(c.reports for c in self.counts)

    @property
    def hotspot_reports(self) -> int:
        return sum(h.reports for h in self.hotspots)


def dashboard(where: ReportFilter, *, hotspot_limit: int = 50) -> Dashboard:
    """All figures of the planner dashboard (the transparency page shows the same)."""
    from geo_klik.boundaries import queries as boundary_queries

    return Dashboard(
        where=where,
        kelurahan=boundary_queries.kelurahan_feature_collection(precision=5),
        counts=kelurahan_counts(where),
        heat=heat_bins(where),
        weekly=weekly_heat_bins(where),
        hotspots=hotspots(where, limit=hotspot_limit),
        performance=skpd_performance(where),
        trend=skpd_trend(where),
        distribution=resolve_distribution(where),
    )
