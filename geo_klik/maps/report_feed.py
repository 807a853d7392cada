"""The public map's report feed per viewport: the reports, or grid clusters when there are many.

A viewport (``bbox``) with at most ``POINTS_LIMIT`` reports gets them as before, one Point
feature each (``serializers.map_feature``). A busier one gets one feature per occupied square
cell instead, with ``"cluster": true`` and a count in its properties; the collection says which
it is in ``"clustered"``. Cells are powers of two of a degree, about ``CELLS_ACROSS`` across the
viewport, anchored at 0°/0°: a small pan asks for the same cells, so the answer is cached by
the viewport rounded out to whole cells, the filters and the data version, and an unchanged
viewport answers ``304 Not Modified`` to ``If-None-Match``. Clusters are counted in memory
(``maps.clusters``), from public positions only.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from rest_framework.renderers import JSONRenderer

from geo_klik.maps import clusters, queries
from geo_klik.reports import queries as report_queries
from geo_klik.reports import serializers
from geo_klik.reports.models import Category, Report, ReportEvent, ReportPhoto

# More points than this in a viewport are sent as clusters: a point feature is about 500 bytes
# and about 0.1 ms to read and serialize, so the answer stays near 100 KB and 30 ms (a cluster
# is about 190 bytes, and the clusters of any viewport take a few milliseconds).
POINTS_LIMIT = 200
CELLS_ACROSS = 24
# The smallest cell, about 7 m: the clusters of a crowded spot when zoomed in all the way.
MIN_CELL_DEG = 2.0**-14
CLUSTER_DECIMALS = 5
CACHE_ALIAS = "map_feed"
CACHE_TIMEOUT_S = 120
# How long a process trusts the data version it read before reading it again. Writes made in
# this process (signals below) are seen at once; writes of other processes within this delay.
VERSION_TTL_S = 1.0
# Browsers reuse an answer this long without asking; after that a 304 costs no query.
MAX_AGE_S = 10
GZIP_MIN_BYTES = 1024
# Boundaries change only with a boundary switch (ops.boundary_switch); a few minutes' lag in the
# cell size of a request without a viewport is harmless.
CITY_EXTENT_TTL_S = 300.0

Bbox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Plan:
    """What one answer covers: the filters with the viewport rounded out, and the cell size."""

    wanted: report_queries.MapFilter
    cell_deg: float


def cell_size_deg(bbox: Bbox) -> float:
    """The power of two of a degree that cuts the viewport into about CELLS_ACROSS cells."""
    west, south, east, north = bbox
    span = max(east - west, north - south, MIN_CELL_DEG)
    return max(MIN_CELL_DEG, 2.0 ** math.ceil(math.log2(span / CELLS_ACROSS)))


def round_out(bbox: Bbox, cell_deg: float) -> Bbox:
    """The viewport grown to whole cells, within the world's bounds."""
    west, south, east, north = bbox
    return (
        max(-180.0, math.floor(west / cell_deg) * cell_deg),
        max(-90.0, math.floor(south / cell_deg) * cell_deg),
        min(180.0, math.ceil(east / cell_deg) * cell_deg),
        min(90.0, math.ceil(north / cell_deg) * cell_deg),
    )


class _CityExtent:
    """The city's extent, read again every CITY_EXTENT_TTL_S: it reads the polygons."""

    def __init__(self) -> None:
        self._value: Bbox | None = None
        self._read_at = -math.inf

    def get(self) -> Bbox | None:
        if time.monotonic() - self._read_at > CITY_EXTENT_TTL_S:
            self._value, self._read_at = queries.city_extent(), time.monotonic()
        return self._value

    def forget(self) -> None:
        self._read_at = -math.inf


city_extent = _CityExtent()


def plan_for(wanted: report_queries.MapFilter) -> Plan:
    """Round the viewport out to its cells; no viewport means the whole city."""
    bbox = wanted.bbox or city_extent.get()
    if bbox is None:  # no kelurahan loaded: any cell size does
        return Plan(wanted=wanted, cell_deg=1.0)
    cell = cell_size_deg(bbox)
    rounded = round_out(wanted.bbox, cell) if wanted.bbox is not None else None
    return Plan(wanted=replace(wanted, bbox=rounded), cell_deg=cell)


def payload(plan: Plan, *, now: datetime, version: queries.DataVersion) -> dict[str, Any]:
    """The FeatureCollection for a plan: points when few (read live), clusters otherwise."""
    wanted = plan.wanted
    if queries.map_report_count(wanted, now=now, cap=POINTS_LIMIT + 1) <= POINTS_LIMIT:
        reports = report_queries.map_reports(wanted, now=now, limit=POINTS_LIMIT)
        return {
            "type": "FeatureCollection",
            "clustered": False,
            "features": [serializers.map_feature(r) for r in reports],
        }
    snapshot = clusters.snapshots.get(version)
    found = snapshot.clusters(wanted, cell_deg=plan.cell_deg, now=now)
    return {
        "type": "FeatureCollection",
        "clustered": True,
        "total": sum(c.count for c in found),
        "cell_deg": plan.cell_deg,
        "features": [cluster_feature(c, plan.cell_deg) for c in found],
    }


def cluster_feature(cluster: clusters.Cluster, cell_deg: float) -> dict[str, Any]:
    """A cluster as a Point feature: its count, how many are open, and the extent to zoom to."""

    def r(value: float) -> float:
        return round(value, CLUSTER_DECIMALS)

    column, row = math.floor(cluster.lon / cell_deg), math.floor(cluster.lat / cell_deg)
    return {
        "type": "Feature",
        "id": f"cluster:{cell_deg:g}:{column}:{row}",
        "geometry": {"type": "Point", "coordinates": [r(cluster.lon), r(cluster.lat)]},
        "properties": {
            "cluster": True,
            "count": cluster.count,
            "open": cluster.open,
            "bbox": [r(cluster.west), r(cluster.south), r(cluster.east), r(cluster.north)],
        },
    }


class _Version:
    """The data version, read at most once per VERSION_TTL_S in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value = queries.DataVersion(0, 0, 0, "")
        self._read_at = -math.inf

    def get(self) -> queries.DataVersion:
        if time.monotonic() - self._read_at < VERSION_TTL_S:
            return self._value
        value = queries.map_data_version()
        with self._lock:
            self._value, self._read_at = value, time.monotonic()
        return value

    def forget(self, **_: object) -> None:
        with self._lock:
            self._read_at = -math.inf


data_version = _Version()
for _model in (Report, ReportEvent, ReportPhoto, Category):
    post_save.connect(data_version.forget, sender=_model, weak=False)
    post_delete.connect(data_version.forget, sender=_model, weak=False)


def cache_key(plan: Plan, *, version: queries.DataVersion, minute: datetime) -> str:
    """Everything the answer depends on: filters, rounded viewport, cell, data (and the data of
    the cluster snapshot, which may lag it), minute, language."""
    w = plan.wanted
    parts = (w.category, w.status_group, w.kelurahan_code, w.days, w.bbox, plan.cell_deg)
    text = f"{parts}|{version}|{clusters.snapshots.version()}|{minute.isoformat()}"
    text += f"|{get_language()}"
    return "map-feed:" + hashlib.sha256(text.encode()).hexdigest()[:40]


def respond(request: HttpRequest, wanted: report_queries.MapFilter) -> HttpResponse:
    """The feed's answer for `wanted`: from the cache, 304 when unchanged, else computed."""
    plan = plan_for(wanted)
    # The "created within `days`" window moves with the clock; one minute is one version.
    minute = timezone.now().replace(second=0, microsecond=0)
    version = data_version.get()
    key = cache_key(plan, version=version, minute=minute)
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    etag = f'"{key[9:]}{"-gz" if gzipped else ""}"'
    if etag in _etags_in(request.headers.get("If-None-Match", "")):
        return _with_headers(HttpResponseNotModified(), etag)
    cache = caches[CACHE_ALIAS]
    bodies: tuple[bytes, bytes | None] | None = cache.get(key)
    if bodies is None:
        raw = JSONRenderer().render(payload(plan, now=minute, version=version))
        packed = gzip.compress(raw, compresslevel=6) if len(raw) >= GZIP_MIN_BYTES else None
        bodies = (raw, packed)
        cache.set(key, bodies, CACHE_TIMEOUT_S)
    raw, packed = bodies
    response = HttpResponse(
        packed if gzipped and packed else raw, content_type="application/geo+json"
    )
    if gzipped and packed:
        response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it as it is
    return _with_headers(response, etag)


def _etags_in(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",")} if header else set()


def _with_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_S}"
    patch_vary_headers(response, ["Accept-Encoding", "Accept-Language"])
    return response
