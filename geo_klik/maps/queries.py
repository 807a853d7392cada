"""Reads for the map pages: light kelurahan outlines for phones, the public reports' clusters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db import connection, transaction
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


@dataclass(frozen=True)
class Cluster:
    """Reports of one grid cell, as the public sees them: how many, where, what extent."""

    count: int
    open: int
    lat: float  # the mean of the members' public positions
    lon: float
    west: float  # the members' public extent, for "click to zoom"
    south: float
    east: float
    north: float


def map_report_count(
    wanted: report_queries.MapFilter, *, now: datetime | None = None, cap: int
) -> int:
    """How many reports the map would show for `wanted`, counting no further than `cap`."""
    # A LIMIT inside the count: a viewport of 100,000 reports stops counting at `cap`.
    return report_queries.map_queryset(wanted, now=now).order_by().values("pk")[:cap].count()


# Raw SQL around the ORM's filtered query, which gives each report's public position as
# plain x and y (``public_location``, so a sensitive report counts in the cell of its public
# position); grouping those numbers is cheaper than grouping geometries.
_CLUSTER_SQL = """
SELECT count(*), count(*) FILTER (WHERE p.status = ANY(%s)),
       avg(p.y), avg(p.x), min(p.x), min(p.y), max(p.x), max(p.y)
FROM ({reports}) AS p
GROUP BY floor(p.x / %s), floor(p.y / %s)
"""


CLUSTER_WORK_MEM = "32MB"


class _X(Func):
    function = "ST_X"
    output_field = FloatField()


class _Y(Func):
    function = "ST_Y"
    output_field = FloatField()


def map_clusters(
    wanted: report_queries.MapFilter, *, cell_deg: float, now: datetime | None = None
) -> list[Cluster]:
    """The map's reports for `wanted`, counted per square cell of `cell_deg` degrees.

    Cells are anchored at 0°/0° (cell k covers [k·size, (k+1)·size)), so a cell holds the
    same reports whatever the viewport, and clusters are built from public positions only.
    """
    reports = (
        report_queries.map_queryset(wanted, now=now)
        .annotate(x=_X("public_position"), y=_Y("public_position"))
        .order_by()
        .values("x", "y", "status")
    )
    sql, params = reports.query.sql_with_params()
    open_statuses = [str(s) for s in Report.OPEN_STATUSES]
    with transaction.atomic(), connection.cursor() as cursor:
        # PostgreSQL cannot estimate how few cells there are, so with the default work_mem it
        # sorts every row to group them; the few hundred groups fit any hash table.
        cursor.execute(f"SET LOCAL work_mem = '{CLUSTER_WORK_MEM}'")
        cursor.execute(
            _CLUSTER_SQL.format(reports=sql), [open_statuses, *params, cell_deg, cell_deg]
        )
        rows = cursor.fetchall()
    return [Cluster(*(int(v) for v in row[:2]), *(float(v) for v in row[2:])) for row in rows]


def map_data_version() -> str:
    """A cheap validator of everything the public map feed shows; it changes with the data.

    The newest report, event (every status change writes one) and photo ids, read from their
    primary key indexes, and a digest of the few category rows (names, icons, sensitivity).
    A write that adds no row (a re-routing's status update) is not seen here: the feed's cache
    also keys on the minute, so such a change shows within a minute.
    """
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return ":".join(str(v) for v in row)


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
