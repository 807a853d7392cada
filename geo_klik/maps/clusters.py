"""Server-side clusters of the public map, counted in memory from a snapshot of public positions.

Counting 100,000 reports per cell in PostgreSQL takes 100-300 ms on a busy 2-core machine, and
the time grows with the reports. Each web process instead keeps the columns the clusters need
(public position, creation time, category, kelurahan, open or not) for the last year's map
reports, about 50 bytes a report, and counts a viewport with numpy in a few milliseconds for any
filter the feed takes. When the data version moves on, the snapshot reads only what changed
(new reports, reports with a new event), at most every ``MIN_REFRESH_INTERVAL_S``; it is read
whole again every ``FULL_READ_S`` in a background thread (about 0.3 s per 100,000 reports),
for the few changes that leave no row behind. Viewports with few reports never use it: they
are read live from the database.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone

from geo_klik.maps import queries
from geo_klik.reports import queries as report_queries

log = logging.getLogger(__name__)

SNAPSHOT_DAYS = 365  # the longest window the feed's ``days`` allows
# How often a changed snapshot is read whole again (in the background), for the changes that
# add no row; in between it is brought up to date with what changed since (in the request).
FULL_READ_S = 60.0
# During a surge the data changes many times a second: a process updates its snapshot at most
# this often, so clusters lag the data by up to this.
MIN_REFRESH_INTERVAL_S = 2.0
COLUMNS = queries.PUBLIC_COLUMNS
# Read a snapshot whole in a background thread (web processes); False: in the request.
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

    version: queries.DataVersion
    read_at: float  # time.monotonic() of the last full read
    report_id: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    created_s: np.ndarray
    category_id: np.ndarray
    kelurahan_id: np.ndarray
    open: np.ndarray
    category_ids: dict[str, int]
    kelurahan_ids: dict[str, int]

    @classmethod
    def read(cls, version: queries.DataVersion) -> Snapshot:
        """Every report of the last year (seconds per million)."""
        rows = queries.map_public_rows(days=SNAPSHOT_DAYS, now=timezone.now())
        return cls(version=version, read_at=time.monotonic(), **_columns(rows))

    def updated(self, version: queries.DataVersion) -> Snapshot:
        """This snapshot brought up to `version` by reading only what changed since.

        New reports by id, and the reports that got an event (every status change writes
        one). What changes without a new row (a category's sensitivity, a re-routing's status
        update) needs a full read: after a category change at once, otherwise within
        ``FULL_READ_S``.
        """
        old = self.version
        if version.categories != old.categories:
            return Snapshot.read(version)
        # Reports newer than the snapshot come whole in `new`, whatever their events.
        changed = [
            report_id
            for report_id in queries.reports_with_events_in((old.event_id, version.event_id))
            if report_id <= old.report_id
        ]
        now = timezone.now()
        new = queries.map_public_rows(
            days=SNAPSHOT_DAYS, now=now, id_range=(old.report_id, version.report_id)
        )
        again = queries.map_public_rows(days=SNAPSHOT_DAYS, now=now, ids=changed)
        gone = np.concatenate([np.asarray(changed, dtype=np.int64), new.report_id])
        keep = ~np.isin(self.report_id, gone)
        added = [_columns(new), _columns(again)]
        merged = {
            name: np.concatenate([getattr(self, name)[keep], *(a[name] for a in added)])
            for name in COLUMNS
        }
        return Snapshot(
            version=version,
            read_at=self.read_at,
            category_ids=new.category_ids,
            kelurahan_ids=new.kelurahan_ids,
            **merged,
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
    """This process's snapshot: read once, then kept up to date with the data version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Snapshot | None = None
        self._updated_at = -math.inf
        self._reading = False

    def get(self, version: queries.DataVersion) -> Snapshot:
        current = self._current
        if current is not None and current.version == version:
            return current
        if current is None:
            return self._replace(Snapshot.read(version))
        if time.monotonic() - current.read_at > FULL_READ_S:
            if not REFRESH_IN_BACKGROUND:
                return self._replace(Snapshot.read(version))
            self._read_in_background(version)
        if time.monotonic() - self._updated_at < MIN_REFRESH_INTERVAL_S:
            return current
        return self._replace(current.updated(version))

    def version(self) -> str:
        """The data version of the snapshot in use ("" before the first read)."""
        current = self._current
        return str(current.version) if current else ""

    def forget(self) -> None:
        self._current = None

    def _replace(self, snapshot: Snapshot) -> Snapshot:
        self._current, self._updated_at = snapshot, time.monotonic()
        return snapshot

    def _read_in_background(self, version: queries.DataVersion) -> None:
        with self._lock:
            if self._reading:
                return
            self._reading = True
        threading.Thread(target=self._read, args=(version,), daemon=True).start()

    def _read(self, version: queries.DataVersion) -> None:
        try:
            self._replace(Snapshot.read(version))
        except Exception:  # the old snapshot keeps answering; the next request tries again
            log.exception("map cluster snapshot: reading failed")
        finally:
            connection.close()  # this thread's own connection
            with self._lock:
                self._reading = False


def _columns(rows: queries.PublicRows) -> dict[str, Any]:
    # Copies: a column of the read's record array would keep the whole array alive.
    return {name: np.ascontiguousarray(getattr(rows, name)) for name in COLUMNS} | {
        "category_ids": rows.category_ids,
        "kelurahan_ids": rows.kelurahan_ids,
    }


snapshots = Snapshots()
