"""Reads about field units: the supervisors' board, tracks, and response times.

Response times follow NFPA 1225's split of a call: *dispatch to arrival* is measured per unit
(``UnitAssignment.arrived_at - assigned_at``), *arrival to resolution* per report (its first
unit's arrival to the first "resolved" after it). Exact percentiles (``percentile_cont``) over
the assignments of the period: a city's units make a few thousand a month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from geo_klik.accounts import roles
from geo_klik.dispatch.models import Shift, Unit, UnitAssignment, UnitPosition
from geo_klik.lib import geo

# A unit whose last position is older than this is shown as stale on the console.
STALE_AFTER = timedelta(minutes=5)
TRACK_WINDOW = timedelta(hours=1)
# At most this many points of a unit's track are drawn (one every 15 s for an hour is 240).
TRACK_MAX_POINTS = 400


def board_units(user: Any) -> QuerySet[Unit]:
    """The units a console user sees, with their open shift and open job prefetched."""
    units = Unit.objects.select_related("agency").prefetch_related(
        Prefetch(
            "shifts",
            queryset=Shift.objects.filter(ended_at=None).select_related("officer"),
            to_attr="open_shifts",
        ),
        Prefetch(
            "assignments",
            queryset=UnitAssignment.objects.filter(released_at=None).select_related("report"),
            to_attr="open_jobs",
        ),
    )
    if roles.is_city_wide(user):
        return units
    agency_id = roles.agency_id_of(user)
    if agency_id is None or not roles.has_any(user, (roles.SKPD_STAFF,)):
        return units.none()
    return units.filter(agency_id=agency_id)


def board_row(unit: Unit, *, now: datetime | None = None) -> dict[str, Any]:
    """One unit as the console's unit layer and supervisors' table show it."""
    now = now or timezone.now()
    lat, lon = geo.lat_lon(unit.location) if unit.location else (None, None)
    shifts = getattr(unit, "open_shifts", [])
    jobs = getattr(unit, "open_jobs", [])
    job = jobs[0] if jobs else None
    return {
        "id": unit.pk,
        "call_sign": unit.call_sign,
        "agency": unit.agency.code,
        "status": unit.status,
        "status_label": unit.get_status_display(),
        "officer": shifts[0].officer.get_username() if shifts else None,
        "lat": lat,
        "lon": lon,
        "location_at": unit.location_at.isoformat() if unit.location_at else None,
        "stale": unit.location_at is None or now - unit.location_at > STALE_AFTER,
        "job": None
        if job is None
        else {
            "report_id": job.report_id,
            "tracking_code": job.report.tracking_code,
            "dispatched_at": job.assigned_at.isoformat(),
            "arrived_at": job.arrived_at.isoformat() if job.arrived_at else None,
            "dispatch_to_arrival_s": _seconds(job.arrived_at - job.assigned_at)
            if job.arrived_at
            else None,
            "on_scene_s": _seconds(now - job.arrived_at) if job.arrived_at else None,
            "support_requested": job.support_requested_at is not None,
        },
    }


def _seconds(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds()))


def tracks(unit_ids: list[int], *, now: datetime | None = None) -> dict[int, list[list[Any]]]:
    """Each unit's positions of the last hour, oldest first: [[lat, lon, iso time], ...]."""
    since = (now or timezone.now()) - TRACK_WINDOW
    rows = (
        UnitPosition.objects.filter(unit_id__in=unit_ids, recorded_at__gte=since)
        .order_by("unit_id", "recorded_at")
        .values_list("unit_id", "location", "recorded_at")
    )
    found: dict[int, list[list[Any]]] = defaultdict(list)
    for unit_id, location, at in rows:
        found[unit_id].append([round(location.y, 6), round(location.x, 6), at.isoformat()])
    return {k: v[-TRACK_MAX_POINTS:] for k, v in found.items()}


@dataclass(frozen=True)
class ResponseTimes:
    """One agency's dispatch-to-arrival and arrival-to-resolution times (seconds)."""

    agency_id: int
    arrivals: int = 0
    arrival_p50_s: float | None = None
    arrival_p90_s: float | None = None
    resolutions: int = 0
    resolution_p50_s: float | None = None
    resolution_p90_s: float | None = None


# Raw SQL: percentile_cont (exact median and p90) has no ORM aggregate.
RESPONSE_TIMES_SQL = """
WITH a AS (
    SELECT u.agency_id, ua.report_id, ua.assigned_at, ua.arrived_at
    FROM dispatch_unitassignment ua JOIN dispatch_unit u ON u.id = ua.unit_id
    WHERE ua.assigned_at >= %(start)s AND ua.assigned_at < %(end)s
      AND (%(all)s OR u.agency_id = ANY(%(agencies)s))
), first_arrival AS (
    SELECT agency_id, report_id, min(arrived_at) AS arrived_at
    FROM a WHERE arrived_at IS NOT NULL GROUP BY agency_id, report_id
), resolution AS (
    SELECT f.agency_id, extract(epoch FROM r.resolved_at - f.arrived_at) AS s
    FROM first_arrival f
    CROSS JOIN LATERAL (
        SELECT min(e.created_at) AS resolved_at FROM reports_reportevent e
        WHERE e.report_id = f.report_id AND e.kind = 'status' AND e.status_to = 'resolved'
          AND e.created_at >= f.arrived_at
    ) r
    WHERE r.resolved_at IS NOT NULL
)
SELECT agency_id, 'arrival', count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY s)
FROM (SELECT agency_id, extract(epoch FROM arrived_at - assigned_at) AS s
      FROM a WHERE arrived_at IS NOT NULL) x
GROUP BY agency_id
UNION ALL
SELECT agency_id, 'resolution', count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY s)
FROM resolution GROUP BY agency_id
"""


def response_times(
    *, start: datetime, end: datetime, agency_ids: list[int] | None = None
) -> dict[int, ResponseTimes]:
    """Per agency, the times of the units dispatched from ``start`` to before ``end``."""
    params: dict[str, Any] = {
        "start": start,
        "end": end,
        "all": agency_ids is None,
        "agencies": agency_ids or [],
    }
    found: dict[int, dict[str, Any]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(RESPONSE_TIMES_SQL, params)
        for agency_id, kind, n, p50, p90 in cursor.fetchall():
            if kind == "arrival":
                found[agency_id].update(arrivals=n, arrival_p50_s=p50, arrival_p90_s=p90)
            else:
                found[agency_id].update(resolutions=n, resolution_p50_s=p50, resolution_p90_s=p90)
    return {k: ResponseTimes(agency_id=k, **v) for k, v in found.items()}
