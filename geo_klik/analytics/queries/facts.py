"""The fact view behind every planner figure: filter conditions, fetching, per-refresh cache.

The figures read the materialized view ``analytics_report_facts`` (see ``models.ReportFact``)
and aggregate in PostgreSQL, so what leaves the database grows with the number of grid cells,
kelurahan and SKPD, never with the number of reports. Raw SQL, because the ORM has no grid
binning or window clustering (ST_ClusterDBSCAN). The SKPD figures read daily rollups of the
view instead (see ``performance``).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import QuerySet

from geo_klik.agencies.models import Agency
from geo_klik.analytics.filters import ReportFilter
from geo_klik.analytics.models import FactsRefresh
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


logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
CACHE_TIMEOUT_S = 6 * 3600
CACHE_ALIAS = "analytics"


def cached_per_refresh(function: F) -> F:
    """Cache a figure per filter until the fact view is rebuilt (its generation changes).

    The figures only change when ``actions.refresh_facts`` rebuilds the view, so the same
    filter asked twice between refreshes (the default 30 days, the public page) is computed
    once, for every web worker (the "analytics" cache is Redis). A cache that cannot be
    reached only costs the computation.
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
        store = caches[CACHE_ALIAS]
        try:
            value = store.get(key)
        except Exception:  # Redis down or slow: compute, as if nothing were cached
            logger.warning("analytics cache unavailable, computing %s", function.__name__)
            return function(where, **kwargs)
        if value is None:
            value = function(where, **kwargs)
            try:
                store.set(key, value, CACHE_TIMEOUT_S)
            except Exception:
                logger.warning("analytics cache unavailable, %s not kept", function.__name__)
        return value

    return cast(F, wrapped)


def where_sql(where: ReportFilter, alias: str = "f") -> tuple[str, list[Any]]:
    """The SQL condition and parameters of a filter over the fact view."""
    return _with_attributes(
        where,
        alias,
        [f"{alias}.created_at >= %s", f"{alias}.created_at < %s"],
        [where.start_at, where.end_before],
    )


def rollup_where_sql(
    where: ReportFilter, alias: str, *, by_month: bool = False
) -> tuple[str, list[Any]]:
    """The SQL condition and parameters of a filter over a daily SKPD rollup.

    Its ``day`` is the local date of acceptance, so the period is the same as over the facts.
    A monthly rollup gets no period here: the caller picks its whole months.
    """
    if by_month:
        return _with_attributes(where, alias, ["true"], [])
    return _with_attributes(
        where, alias, [f"{alias}.day >= %s", f"{alias}.day <= %s"], [where.start, where.end]
    )


def _with_attributes(
    where: ReportFilter, alias: str, sql: list[str], params: list[Any]
) -> tuple[str, list[Any]]:
    if where.categories:
        sql.append(f"{alias}.category_id = ANY(%s)")
        params.append(ids_of(Category.objects.filter(code__in=where.categories)))
    if where.statuses:
        sql.append(f"{alias}.status = ANY(%s)")
        params.append(list(where.statuses))
    if where.agencies:
        sql.append(f"{alias}.agency_id = ANY(%s)")
        params.append(ids_of(Agency.objects.filter(code__in=where.agencies)))
    return " AND ".join(sql), params


def ids_of(queryset: QuerySet[Any]) -> list[int]:
    return list(queryset.values_list("id", flat=True))


def fetch(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with transaction.atomic(), connection.cursor() as cursor:
        # A year of reports is grouped by grid cell or sorted for clustering: in memory, not
        # in temporary files (the default 4 MB spills). JIT compiles longer than these
        # queries run.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def cell_deg(cell_m: float) -> float:
    return cell_m / METRES_PER_DEGREE
