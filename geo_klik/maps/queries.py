"""Reads for the map pages: light kelurahan outlines for phones, the public reports' clusters."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import FloatField, Func

from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo, spatial
from geo_klik.reports import queries as report_queries
from geo_klik.reports.models import Category, Report, ReportEvent, ReportPhoto

# Outlines a few metres coarser than the source and 5 decimals (about 1 m): a fraction of the
# full layer's bytes, which is what a phone on mobile data downloads and keeps offline.
OUTLINE_TOLERANCE_M = 3.0
OUTLINE_DECIMALS = 5


def kelurahan_outlines(
    *, tolerance_m: float = OUTLINE_TOLERANCE_M, decimals: int = OUTLINE_DECIMALS
) -> dict[str, Any]:
    """Every kelurahan as a light GeoJSON FeatureCollection: name, kecamatan, label point."""
    degrees = tolerance_m / geo.METRES_PER_DEGREE
    rows = (
        Kelurahan.objects.order_by("code_kemendagri")
        .annotate(
            outline=AsGeoJSON(
                spatial.SimplifyPreserveTopology("boundary", degrees), precision=decimals
            )
        )
        .values("name", "code_kemendagri", "label_point", "outline", "kecamatan__name")
    )
    features = []
    for row in rows:
        label = row["label_point"]
        features.append(
            {
                "type": "Feature",
                "id": row["code_kemendagri"],
                "geometry": json.loads(row["outline"]),
                "properties": {
                    "name": row["name"],
                    "code": row["code_kemendagri"],
                    "kecamatan": row["kecamatan__name"],
                    "label": [round(v, decimals) for v in geo.lat_lon(label)] if label else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def map_report_count(
    wanted: report_queries.MapFilter, *, now: datetime | None = None, cap: int
) -> int:
    """How many reports the map would show for `wanted`, counting no further than `cap`."""
    # A LIMIT inside the count: a viewport of 100,000 reports stops counting at `cap`.
    return report_queries.map_queryset(wanted, now=now).order_by().values("pk")[:cap].count()


# Raw SQL around the ORM's query of the map's reports, which gives each report's public
# position (``public_location``) as plain x and y: the clusters never see a true point.
_PUBLIC_ROWS_SQL = """
SELECT p.id, p.x, p.y, extract(epoch FROM p.created_at)::float8, p.category_id,
       coalesce(p.kelurahan_id, -1), p.status = ANY(%s)
FROM ({reports}) AS p
"""


PUBLIC_COLUMNS = ("report_id", "lon", "lat", "created_s", "category_id", "kelurahan_id", "open")
PUBLIC_ROW = np.dtype(
    list(
        zip(
            PUBLIC_COLUMNS,
            (np.int64, np.float64, np.float64, np.float64, np.int64, np.int64, bool),
            strict=True,
        )
    )
)
ROW_CHUNK = 20_000


class _X(Func):
    function = "ST_X"
    output_field = FloatField()


class _Y(Func):
    function = "ST_Y"
    output_field = FloatField()


@dataclass(frozen=True)
class PublicRows:
    """The reports the public map may show, as columns: what server-side clusters are made of."""

    report_id: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    created_s: np.ndarray  # Unix time
    category_id: np.ndarray
    kelurahan_id: np.ndarray  # -1 when none
    open: np.ndarray
    category_ids: dict[str, int]  # by code
    kelurahan_ids: dict[str, int]  # by Kemendagri code


def map_public_rows(
    *,
    days: int,
    now: datetime | None = None,
    id_range: tuple[int, int] | None = None,
    ids: Sequence[int] | None = None,
) -> PublicRows:
    """The reports the map shows from the last `days` days, at their public position.

    All of them, or those with ``id_range[0] < id <= id_range[1]``, or those in ``ids``.
    """
    reports = report_queries.map_queryset(report_queries.MapFilter(days=days), now=now)
    if id_range is not None:
        reports = reports.filter(pk__gt=id_range[0], pk__lte=id_range[1])
    if ids is not None:
        reports = reports.filter(pk__in=list(ids))
    columns_wanted = (
        reports.annotate(x=_X("public_position"), y=_Y("public_position"))
        .order_by()
        .values("id", "x", "y", "created_at", "category_id", "kelurahan_id", "status")
    )
    chunks = [np.zeros(0, dtype=PUBLIC_ROW)]
    try:
        sql, params = columns_wanted.query.sql_with_params()
    except EmptyResultSet:  # nothing can match (no ids asked for): no query at all
        sql = ""
    if sql:
        open_statuses = [str(s) for s in Report.OPEN_STATUSES]
        with connection.cursor() as cursor:
            cursor.execute(_PUBLIC_ROWS_SQL.format(reports=sql), [open_statuses, *params])
            # In chunks straight into numpy: a million Python tuples at once would be ~200 MB.
            while rows := cursor.fetchmany(ROW_CHUNK):
                chunks.append(np.array(rows, dtype=PUBLIC_ROW))
    table = np.concatenate(chunks)
    return PublicRows(
        **{name: table[name] for name in PUBLIC_COLUMNS},
        category_ids=dict(Category.objects.values_list("code", "pk")),
        kelurahan_ids=dict(Kelurahan.objects.values_list("code_kemendagri", "pk")),
    )


def reports_with_events_in(event_range: tuple[int, int]) -> list[int]:
    """Reports that got an event (a status change, a note) with ``lo < event id <= hi``."""
    low, high = event_range
    events = ReportEvent.objects.filter(pk__gt=low, pk__lte=high)
    return list(events.order_by().values_list("report_id", flat=True).distinct())


@dataclass(frozen=True)
class DataVersion:
    """What the public map feed shows has not changed while these stay the same."""

    report_id: int
    event_id: int
    photo_id: int
    categories: str

    def __str__(self) -> str:
        return f"{self.report_id}:{self.event_id}:{self.photo_id}:{self.categories}"


def map_data_version() -> DataVersion:
    """A cheap validator of everything the public map feed shows; it changes with the data.

    The newest report, event (every status change writes one) and photo ids, read from their
    primary key indexes, and a digest of the few category rows (names, icons, sensitivity).
    A write that adds no row (a re-routing's status update) is not seen here: the feed's cache
    also keys on the minute, so such a change shows within a minute.
    """
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        report_id, event_id, photo_id, categories = cursor.fetchone()
    return DataVersion(report_id or 0, event_id or 0, photo_id or 0, categories or "")


_VERSION_SQL = f"""
SELECT (SELECT max(id) FROM {Report._meta.db_table}),
       (SELECT max(id) FROM {ReportEvent._meta.db_table}),
       (SELECT max(id) FROM {ReportPhoto._meta.db_table}),
       (SELECT md5(string_agg(concat_ws('|', id, code, name_id, name_en, icon, sensitive, active),
                              ',' ORDER BY id))
        FROM {Category._meta.db_table})
"""  # noqa: S608 (table names from the models, no input)


def city_extent() -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the loaded kelurahan, or None when none are loaded."""
    extent = Kelurahan.objects.aggregate(extent=Extent("boundary"))["extent"]
    return tuple(extent) if extent else None
