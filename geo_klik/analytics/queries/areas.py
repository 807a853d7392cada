"""Where reports are: grid heat bins (all and per week), counts per kelurahan, hotspots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from geo_klik.analytics.filters import ReportFilter
from geo_klik.analytics.queries.facts import (
    METRIC_SRID,
    cached_per_refresh,
    cell_deg,
    fetch,
    where_sql,
)


@cached_per_refresh
def heat_bins(where: ReportFilter, *, cell_m: float = 100.0) -> list[tuple[float, float, int]]:
    """(lat, lon, reports) at the centre of each square grid cell with reports."""
    condition, params = where_sql(where)
    cell = cell_deg(cell_m)
    rows = fetch(
        f"""
        SELECT (floor(f.lat / %s) + 0.5) * %s AS lat, (floor(f.lon / %s) + 0.5) * %s AS lon,
               count(*) AS n
        FROM analytics_report_facts f WHERE {condition}
        GROUP BY floor(f.lat / %s), floor(f.lon / %s)
        """,  # noqa: S608 (condition is built from constants; values are parameters)
        [cell, cell, cell, cell, *params, cell, cell],
    )
    # 5 decimals (about 1 m) is plenty for 100 m cells, and a sixth of the page's bytes less.
    return [(round(r["lat"], 5), round(r["lon"], 5), int(r["n"])) for r in rows]


@dataclass(frozen=True)
class WeekBins:
    """The heat bins of one week (Monday start, local time)."""

    week: date
    bins: list[tuple[float, float, int]]


@cached_per_refresh
def weekly_heat_bins(where: ReportFilter, *, cell_m: float = 250.0) -> list[WeekBins]:
    """Heat bins per week of the period, for the time slider (coarser cells than ``heat_bins``)."""
    condition, params = where_sql(where)
    cell = cell_deg(cell_m)
    rows = fetch(
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
            # 4 decimals (about 11 m) for 250 m cells: a year's slider is half a megabyte less.
            (round(r["lat"], 4), round(r["lon"], 4), int(r["n"]))
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
    condition, params = where_sql(where)
    rows = fetch(
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

    Clusters never mix categories, so without a status or SKPD filter the clusters of some
    categories are those of all categories, filtered: every period ending on the same day
    shares one computation (the default views' is made after each refresh).
    """
    shared = not where.statuses and not where.agencies
    hot_where = ReportFilter(
        start=where.end - timedelta(days=days - 1),
        end=where.end,
        categories=() if shared else where.categories,
        statuses=where.statuses,
        agencies=where.agencies,
    )
    found = _clusters(hot_where, eps_m=eps_m, min_reports=min_reports)
    if shared and where.categories:
        found = [h for h in found if h.category in where.categories]
    return found[:limit] if limit is not None else found


@cached_per_refresh
def _clusters(hot_where: ReportFilter, *, eps_m: float, min_reports: int) -> list[Hotspot]:
    """Every cluster of ``hot_where``'s reports, largest first."""
    condition, params = where_sql(hot_where)
    rows = fetch(
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
        """,  # noqa: S608
        [eps_m, min_reports, *params],
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
