"""The shapes the field officers' API answers: plain dicts, one function per noun."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from geo_klik.dispatch.models import Shift, Unit, UnitAssignment
from geo_klik.lib import geo
from geo_klik.reports.models import Report


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def unit(row: Unit) -> dict[str, Any]:
    return {
        "id": row.pk,
        "call_sign": row.call_sign,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "status": row.status,
        "status_label": row.get_status_display(),
    }


def shift(row: Shift | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"unit": unit(row.unit), "started_at": _iso(row.started_at)}


def _events(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "at": _iso(e.created_at),
            "kind": e.kind,
            "actor": e.actor,
            "status_to": e.status_to,
            "note": e.note,
            "photos": [p.image.url for p in e.photos.all()],
        }
        for e in report.events.all()
    ]


def incident(
    report: Report, job: UnitAssignment | None, *, now: datetime | None = None
) -> dict[str, Any]:
    """An incident as the officer sees it: exact place, photos, notes, SLA, the unit's job."""
    now = now or timezone.now()
    category = report.category
    lat, lon = geo.lat_lon(report.location)
    events = _events(report)
    return {
        "id": report.pk,
        "tracking_code": report.tracking_code,
        "status": report.status,
        "status_label": report.get_status_display(),
        "category": {
            "code": category.code,
            "name_id": category.name_id,
            "name_en": category.name_en,
            "priority": category.priority,
        },
        "description": report.description,
        "address": report.address,
        "kelurahan": report.kelurahan.name if report.kelurahan_id and report.kelurahan else None,
        "lat": lat,
        "lon": lon,
        "accepted_at": _iso(report.created_at),
        "age_s": int((now - report.created_at).total_seconds()),
        "resolve_due_at": _iso(report.created_at + category.resolve_target),
        "resolve_overdue": now > report.created_at + category.resolve_target,
        "photos": [p.image.url for p in report.photos.all()],
        # The reporter's own words after the report: public comments on the timeline.
        "reporter_notes": [e["note"] for e in events if e["kind"] == "comment" and e["note"]],
        "events": events,
        "job": None
        if job is None
        else {
            "unit": job.unit.call_sign,
            "unit_status": job.unit.status,
            "assigned_at": _iso(job.assigned_at),
            "arrived_at": _iso(job.arrived_at),
            "released_at": _iso(job.released_at),
            "support_requested_at": _iso(job.support_requested_at),
            "open": job.released_at is None,
        },
        "geo_uri": f"geo:{lat:.6f},{lon:.6f}?q={lat:.6f},{lon:.6f}({report.tracking_code})",
        # Opens the phone's map app (Google Maps on most Android phones) with directions.
        "web_map_url": f"https://www.google.com/maps/dir/?api=1&destination={lat:.6f},{lon:.6f}",
    }
