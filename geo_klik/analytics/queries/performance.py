"""How each SKPD performs: times to acknowledge and resolve, SLA, backlog, reopening, stars.

Read from the daily rollups of the fact view (``migrations/_facts.py``), refreshed with it:
``analytics_skpd_daily`` holds exact counts per day, SKPD, category and status, and
``analytics_skpd_durations`` histograms of the times, so a year is summed from a few hundred
thousand small rows instead of sorting half a million durations (1.4 s on a million
reports). Counts, SLA compliance, backlog, reopen rate, satisfaction, the trend and the
distribution chart are exact; medians and 90th percentiles are within ``DURATION_ERROR``
(2.2 %) of percentile_cont over the reports (see ``percentile_s``). SLA "due" is judged at the
refresh, when the statuses and times of the fact view were read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from geo_klik.agencies.models import Agency
from geo_klik.analytics.filters import ReportFilter
from geo_klik.analytics.queries.facts import (
    MIN_REPORTS_PER_SKPD,
    OPEN_STATUSES,
    RESOLVE_BUCKETS_H,
    cached_per_refresh,
    fetch,
    rollup_where_sql,
)
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


# What the daily rollup (analytics_skpd_daily) sums to, per SKPD and category of the period.
COUNTS_SQL = """
SELECT d.agency_id, d.category_id, sum(d.reports) AS n,
       sum(d.ack_ok) AS ack_ok, sum(d.ack_due) AS ack_due,
       sum(d.resolve_ok) AS resolve_ok, sum(d.resolve_due) AS resolve_due,
       COALESCE(sum(d.reports) FILTER (WHERE d.status = ANY(%s)), 0) AS backlog,
       sum(d.reopened) AS reopened, sum(d.resolved) AS resolved,
       sum(d.stars) AS stars, sum(d.ratings) AS ratings
FROM analytics_skpd_daily d
WHERE {condition}
GROUP BY 1, 2
"""
# The duration histograms of the period, per SKPD and category: its whole calendar months
# from analytics_skpd_durations_monthly, its other days from analytics_skpd_durations.
HISTOGRAM_SQL = """
SELECT x.agency_id, x.category_id, x.bucket, sum(x.ack) AS ack, sum(x.resolve) AS resolve
FROM (
    SELECT m.agency_id, m.category_id, m.bucket, m.ack, m.resolve
    FROM analytics_skpd_durations_monthly m
    WHERE m.month >= %s AND m.month < %s AND {monthly}
    UNION ALL
    SELECT h.agency_id, h.category_id, h.bucket, h.ack, h.resolve
    FROM analytics_skpd_durations h
    WHERE (h.day < %s OR h.day >= %s) AND {daily}
) x
GROUP BY 1, 2, 3
"""
COUNTED = (
    "n", "ack_ok", "ack_due", "resolve_ok", "resolve_due", "backlog", "reopened", "resolved",
    "stars", "ratings",
)  # fmt: skip


@dataclass
class _Tally:
    """The sums of one SKPD (and category) over the period, and its two duration histograms."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))
    ack: dict[int, int] = field(default_factory=dict)
    resolve: dict[int, int] = field(default_factory=dict)

    def add(self, other: _Tally) -> None:
        for name, value in other.counts.items():
            self.counts[name] += value
        for mine, theirs in ((self.ack, other.ack), (self.resolve, other.resolve)):
            for bucket, n in theirs.items():
                mine[bucket] = mine.get(bucket, 0) + n


@cached_per_refresh
def skpd_performance(
    where: ReportFilter, *, min_reports: int = MIN_REPORTS_PER_SKPD
) -> list[Performance]:
    """Per SKPD (primary assignment) and per category of it: times, SLA, backlog, reopen, stars.

    Only SKPD with at least ``min_reports`` reports in the period are shown, and within them
    only categories with that many: a median of three reports would rank agencies on luck.
    Times are hours from acceptance to the first acknowledgement and to the final resolution;
    their medians and 90th percentiles are within ``DURATION_ERROR`` of the exact ones.
    """
    parts = _tallies(where)
    whole: dict[int, _Tally] = {}
    for (agency_id, _), tally in parts.items():
        whole.setdefault(agency_id, _Tally()).add(tally)
    shown = {a for a, tally in whole.items() if tally.counts["n"] >= min_reports}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=shown)}
    categories = {c.pk: c for c in Category.objects.all()}
    # The rollups are as of the last refresh: an agency or category deleted since is left out
    # until the next one, rather than failing the page.
    shown &= agencies.keys()
    result = {a: _performance(whole[a], agencies[a], None) for a in shown}
    for (agency_id, category_id), tally in parts.items():
        if agency_id in shown and category_id in categories and tally.counts["n"] >= min_reports:
            item = _performance(tally, agencies[agency_id], categories[category_id])
            result[agency_id].categories.append(item)
    for item in result.values():
        item.categories.sort(key=lambda c: (-c.reports, c.category or ""))
    return sorted(result.values(), key=lambda p: (-p.reports, p.agency))


def _tallies(where: ReportFilter) -> dict[tuple[int, int], _Tally]:
    tallies: dict[tuple[int, int], _Tally] = {}
    condition, params = rollup_where_sql(where, "d")
    for r in fetch(COUNTS_SQL.format(condition=condition), [list(OPEN_STATUSES), *params]):
        tally = tallies.setdefault((r["agency_id"], r["category_id"]), _Tally())
        tally.counts = {name: int(r[name] or 0) for name in COUNTED}
    first, after = whole_months(where)
    monthly, monthly_params = rollup_where_sql(where, "m", by_month=True)
    daily, daily_params = rollup_where_sql(where, "h")
    sql = HISTOGRAM_SQL.format(monthly=monthly, daily=daily)
    for r in fetch(sql, [first, after, *monthly_params, first, after, *daily_params]):
        tally = tallies.setdefault((r["agency_id"], r["category_id"]), _Tally())
        if r["ack"]:
            tally.ack[int(r["bucket"])] = int(r["ack"])
        if r["resolve"]:
            tally.resolve[int(r["bucket"])] = int(r["resolve"])
    return tallies


def whole_months(where: ReportFilter) -> tuple[date, date]:
    """The first day of the period's first whole month and of the month after its last one
    (the same day twice when the period holds no whole month)."""
    first = where.start if where.start.day == 1 else _next_month(where.start)
    after = where.end + timedelta(days=1)
    if after.day != 1:
        after = after.replace(day=1)
    return (first, after) if first < after else (first, first)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _performance(tally: _Tally, agency: Agency, category: Category | None) -> Performance:
    c = tally.counts
    return Performance(
        agency=agency.code,
        agency_name=str(agency),
        category=None if category is None else category.code,
        category_name=None if category is None else category.name_id,
        reports=c["n"],
        ack_p50_h=_hours(percentile_s(tally.ack, 0.5)),
        ack_p90_h=_hours(percentile_s(tally.ack, 0.9)),
        resolve_p50_h=_hours(percentile_s(tally.resolve, 0.5)),
        resolve_p90_h=_hours(percentile_s(tally.resolve, 0.9)),
        ack_sla_pct=_pct(c["ack_ok"], c["ack_due"]),
        resolve_sla_pct=_pct(c["resolve_ok"], c["resolve_due"]),
        backlog=c["backlog"],
        reopen_pct=_pct(c["reopened"], c["resolved"]),
        satisfaction=_round(c["stars"] / c["ratings"], 2) if c["ratings"] else None,
        ratings=c["ratings"],
    )


# The duration histograms: bucket 0 holds times under FIRST_BUCKET_S, bucket b >= 1 the
# times in [FIRST_BUCKET_S x 2^((b-1)/16), FIRST_BUCKET_S x 2^(b/16)) (the SQL function
# analytics_duration_bucket, migrations/_facts.py). A percentile is read as percentile_cont
# reads it, interpolating between the two order statistics around its rank, each taken as the
# geometric middle of its bucket: a bucket is 4.4 % wide, so each is within 2.2 % of its true
# value, and so is their interpolation; under a minute, within 30 s.
BUCKETS_PER_DOUBLING = 16
FIRST_BUCKET_S = 60.0
DURATION_ERROR = 2 ** (1 / (2 * BUCKETS_PER_DOUBLING)) - 1  # relative: 0.0219
DURATION_ERROR_UNDER_FIRST_BUCKET_S = FIRST_BUCKET_S / 2


def bucket_middle_s(bucket: int) -> float:
    """The time a duration bucket stands for: the geometric middle of its bounds."""
    if bucket <= 0:
        return FIRST_BUCKET_S / 2
    return FIRST_BUCKET_S * 2 ** ((bucket - 0.5) / BUCKETS_PER_DOUBLING)


def percentile_s(histogram: dict[int, int], fraction: float) -> float | None:
    """The ``fraction`` percentile (0..1) of the durations a bucket histogram counts."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = fraction * (total - 1)
    low = _order_statistic_s(histogram, math.floor(rank))
    high = _order_statistic_s(histogram, math.ceil(rank))
    return low + (rank - math.floor(rank)) * (high - low)


def _order_statistic_s(histogram: dict[int, int], index: int) -> float:
    """The ``index``-th smallest duration (from 0), as its bucket's middle."""
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if index < seen:
            return bucket_middle_s(bucket)
    raise IndexError(index)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else _round(seconds / 3600)


def _round(value: Any, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


QUALIFYING_SQL = """
    SELECT d.agency_id FROM analytics_skpd_daily d WHERE {condition}
    GROUP BY d.agency_id HAVING sum(d.reports) >= %s
"""


@dataclass(frozen=True)
class TrendPoint:
    agency: str
    week: date
    reports: int
    resolved_in_target_pct: float | None  # of the week's reports resolved so far


@cached_per_refresh
def skpd_trend(where: ReportFilter, *, min_reports: int = MIN_REPORTS_PER_SKPD) -> list[TrendPoint]:
    """Weekly reports of each qualifying SKPD, and the share resolved within target."""
    condition, params = rollup_where_sql(where, "d")
    rows = fetch(
        f"""
        SELECT a.code AS agency, t.week, t.n, t.in_target, t.resolved
        FROM (
            SELECT d.agency_id, date_trunc('week', d.day::timestamp)::date AS week,
                   sum(d.reports) AS n, sum(d.resolve_ok) AS in_target,
                   sum(d.resolved) AS resolved
            FROM analytics_skpd_daily d
            WHERE {condition} AND d.agency_id IN ({QUALIFYING_SQL.format(condition=condition)})
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
    condition, params = rollup_where_sql(where, "d")
    sums = ", ".join(
        f"sum(d.resolve_spread[{i}]) AS b{i}" for i in range(1, len(RESOLVE_BUCKETS_H) + 1)
    )
    rows = fetch(
        f"""
        SELECT a.code AS agency, t.*
        FROM (
            SELECT d.agency_id, {sums}
            FROM analytics_skpd_daily d
            WHERE {condition} AND d.agency_id IN ({QUALIFYING_SQL.format(condition=condition)})
            GROUP BY 1
        ) t JOIN dispatch_agency a ON a.id = t.agency_id
        """,  # noqa: S608
        [*params, *params, min_reports],
    )
    result: dict[str, list[int]] = {}
    for r in rows:
        counts = [int(r[f"b{i}"] or 0) for i in range(1, len(RESOLVE_BUCKETS_H) + 1)]
        if any(counts):  # SKPD without a resolved report have no distribution
            result[r["agency"]] = counts
    return result
