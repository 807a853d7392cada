"""How each SKPD performs: times to acknowledge and resolve, SLA, backlog, reopening, stars."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from geo_klik.analytics.filters import ReportFilter
from geo_klik.analytics.queries.facts import (
    MIN_REPORTS_PER_SKPD,
    NEVER_RESOLVED,
    OPEN_STATUSES,
    RESOLVE_BUCKETS_H,
    cached_per_refresh,
    fetch,
    where_sql,
)
from geo_klik.dispatch.models import Agency
from geo_klik.reports.models import Category


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
    condition, params = where_sql(where)
    rows = fetch(
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
    resolved_in_target_pct: float | None  # of the week's reports resolved so far


@cached_per_refresh
def skpd_trend(where: ReportFilter, *, min_reports: int = MIN_REPORTS_PER_SKPD) -> list[TrendPoint]:
    """Weekly reports of each qualifying SKPD, and the share resolved within target.

    A share, not a weekly median: it hash-aggregates, where a median per SKPD and week would
    sort a year of durations once more (over a second on a million reports).
    """
    condition, params = where_sql(where)
    rows = fetch(
        f"""
        SELECT a.code AS agency, t.week, t.n, t.in_target, t.resolved
        FROM (
            SELECT f.agency_id,
                   date_trunc('week', f.created_at AT TIME ZONE 'Asia/Jakarta')::date AS week,
                   count(*) AS n,
                   count(*) FILTER (WHERE f.resolve_s <= f.resolve_target_s) AS in_target,
                   count(f.resolve_s) AS resolved
            FROM analytics_report_facts f
            WHERE {condition} AND f.agency_id IN ({QUALIFYING_SQL.format(condition=condition)})
            GROUP BY 1, 2
        ) t JOIN dispatch_agency a ON a.id = t.agency_id  -- named after grouping by id
        ORDER BY 1, 2
        """,  # noqa: S608
        [*params, *params, min_reports],
    )
    return [
        TrendPoint(r["agency"], r["week"], int(r["n"]), _pct(r["in_target"], r["resolved"]))
        for r in rows
    ]


@cached_per_refresh
def resolve_distribution(
    where: ReportFilter, *, min_reports: int = MIN_REPORTS_PER_SKPD
) -> dict[str, list[int]]:
    """Resolved reports of each qualifying SKPD per bucket of ``RESOLVE_BUCKETS_H``."""
    condition, params = where_sql(where)
    bounds = [b for b, _ in RESOLVE_BUCKETS_H if b is not None]
    rows = fetch(
        f"""
        SELECT a.code AS agency, t.bucket, t.n
        FROM (
            SELECT f.agency_id, width_bucket(f.resolve_s / 3600, %s::float8[]) AS bucket,
                   count(*) AS n
            FROM analytics_report_facts f
            WHERE {condition} AND f.resolve_s IS NOT NULL
              AND f.agency_id IN ({QUALIFYING_SQL.format(condition=condition)})
            GROUP BY 1, 2
        ) t JOIN dispatch_agency a ON a.id = t.agency_id
        """,  # noqa: S608
        [[0.0, *bounds], *params, *params, min_reports],
    )
    result: dict[str, list[int]] = {}
    for r in rows:
        counts = result.setdefault(r["agency"], [0] * len(RESOLVE_BUCKETS_H))
        counts[max(0, min(len(counts), int(r["bucket"])) - 1)] += int(r["n"])
    return result
