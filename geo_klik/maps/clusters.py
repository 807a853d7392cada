"""Server-side clusters of the public map, counted in memory from a snapshot of public positions.

Counting 100,000 reports per cell in PostgreSQL takes 100-300 ms on a busy 2-core machine, and
the time grows with the reports. Each web process instead keeps the columns the clusters need
(public position, creation time, category, kelurahan, open or not) for the last year's map
reports, about 40 bytes a report, and counts a viewport with numpy in a few milliseconds for any
filter the feed takes. The snapshot is read again when the data version changes, at most every
``MIN_REFRESH_INTERVAL_S``: in a background thread while the old one keeps answering (so
clusters may lag the data by that interval plus a read, about 0.3 s per 100,000 reports), or
at once when it is older than ``MAX_STALE_S``. Viewports with few reports never use it: they
are read live from the database.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import connection
from django.utils import timezone

from geo_klik.maps import queries
from geo_klik.reports import queries as report_queries

log = logging.getLogger(__name__)

SNAPSHOT_DAYS = 365  # the longest window the feed's ``days`` allows
# A snapshot older than this (with the data changed since) is replaced before answering.
MAX_STALE_S = 60.0
# During a surge the data changes many times a second; a process reads its snapshot at most
# this often (a read costs about 3 ms per 1,000 reports of the last year), so clusters lag
# the data by up to this plus one read.
MIN_REFRESH_INTERVAL_S = 10.0
# Read a changed snapshot in a background thread (web processes); False: in the request.
REFRESH_IN_BACKGROUND = True


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


@dataclass(frozen=True)
class Snapshot:
    """The map's reports of the last year as numpy columns, with the data version read."""

    version: str
    read_at: float  # time.monotonic()
    now_s: float  # Unix time of the read
    lon: np.ndarray
    lat: np.ndarray
    created_s: np.ndarray
    category_id: np.ndarray
    kelurahan_id: np.ndarray
    open: np.ndarray
    category_ids: dict[str, int]
    kelurahan_ids: dict[str, int]

    @classmethod
    def read(cls, version: str) -> Snapshot:
        now = timezone.now()
        rows = queries.map_public_rows(days=SNAPSHOT_DAYS, now=now)
        return cls(
            version=version,
            read_at=time.monotonic(),
            now_s=now.timestamp(),
            lon=np.asarray(rows.lon, dtype=np.float64),
            lat=np.asarray(rows.lat, dtype=np.float64),
            created_s=np.asarray(rows.created_s, dtype=np.float64),
            category_id=np.asarray(rows.category_id, dtype=np.int64),
            kelurahan_id=np.asarray(rows.kelurahan_id, dtype=np.int64),
            open=np.asarray(rows.open, dtype=bool),
            category_ids=rows.category_ids,
            kelurahan_ids=rows.kelurahan_ids,
        )

    def chosen(self, wanted: report_queries.MapFilter, *, now: datetime) -> np.ndarray:
        """The mask of the reports `wanted` selects (the same rules as ``map_queryset``)."""
        mask = self.created_s >= now.timestamp() - wanted.days * 86400
        if wanted.status_group == "open":
            mask &= self.open
        elif wanted.status_group == "resolved":
            mask &= ~self.open
        if wanted.category:
            mask &= self.category_id == self.category_ids.get(wanted.category, -2)
        if wanted.kelurahan_code:
            mask &= self.kelurahan_id == self.kelurahan_ids.get(wanted.kelurahan_code, -2)
        if wanted.bbox is not None:
            west, south, east, north = wanted.bbox
            mask &= (self.lon >= west) & (self.lon <= east)
            mask &= (self.lat >= south) & (self.lat <= north)
        return mask

    def clusters(
        self, wanted: report_queries.MapFilter, *, cell_deg: float, now: datetime
    ) -> list[Cluster]:
        """The chosen reports counted per square cell; cell k covers [k·size, (k+1)·size)."""
        mask = self.chosen(wanted, now=now)
        lon, lat, is_open = self.lon[mask], self.lat[mask], self.open[mask]
        if lon.size == 0:
            return []
        column = np.floor(lon / cell_deg).astype(np.int64)
        row = np.floor(lat / cell_deg).astype(np.int64)
        key = (column - column.min()) * (row.max() - row.min() + 1) + (row - row.min())
        order = np.argsort(key, kind="stable")
        key, lon, lat, is_open = key[order], lon[order], lat[order], is_open[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        counts = np.diff(np.r_[starts, key.size])
        opened = np.add.reduceat(is_open.astype(np.int64), starts)
        parts = (
            np.add.reduceat(lat, starts) / counts,
            np.add.reduceat(lon, starts) / counts,
            np.minimum.reduceat(lon, starts),
            np.minimum.reduceat(lat, starts),
            np.maximum.reduceat(lon, starts),
            np.maximum.reduceat(lat, starts),
        )
        return [
            Cluster(int(n), int(o), *(float(p[i]) for p in parts))
            for i, (n, o) in enumerate(zip(counts, opened, strict=True))
        ]


class Snapshots:
    """This process's snapshot: read once, replaced when the data version moves on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Snapshot | None = None
        self._reading = False

    def get(self, version: str) -> Snapshot:
        current = self._current
        if current is not None and current.version == version:
            return current
        age = time.monotonic() - current.read_at if current is not None else math.inf
        if current is None or age > MAX_STALE_S or not REFRESH_IN_BACKGROUND:
            fresh = Snapshot.read(version)
            self._current = fresh
            return fresh
        if age < MIN_REFRESH_INTERVAL_S:
            return current
        with self._lock:
            start, self._reading = not self._reading, True
        if start:
            threading.Thread(target=self._read_in_background, args=(version,), daemon=True).start()
        return current

    def version(self) -> str:
        """The data version of the snapshot in use ("" before the first read)."""
        current = self._current
        return current.version if current else ""

    def forget(self) -> None:
        self._current = None

    def _read_in_background(self, version: str) -> None:
        try:
            self._current = Snapshot.read(version)
        except Exception:  # the old snapshot keeps answering; the next request tries again
            log.exception("map cluster snapshot: reading failed")
        finally:
            connection.close()  # this thread's own connection
            with self._lock:
                self._reading = False


snapshots = Snapshots()
