"""JSON shapes of the staff API: queue rows, report details, units, notifications.

Plain functions from rows to dicts: the staff API only reads through them (writes go through
``workflow`` and ``units``). Personal data (reporter name and contact) appears only in a
report's detail, which only staff who may see the report can read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from geo_klik.dispatch.models import Assignment, Handling, Notification, Unit
from geo_klik.dispatch.queries import UnitSuggestion
from geo_klik.lib import geo
from geo_klik.reports.models import Report


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _handling(report: Report) -> Handling | None:
    try:
        return report.handling
    except Handling.DoesNotExist:
        return None


def _primary(report: Report) -> Assignment | None:
    rows: list[Assignment] | None = getattr(report, "active_assignments", None)
    if rows is None:
        rows = list(report.assignments.filter(active=True).select_related("agency"))
    return next((a for a in rows if a.role == Assignment.Role.PRIMARY), None)


def queue_row(report: Report, *, now: datetime | None = None) -> dict[str, Any]:
    """One row of the queue, with its SLA deadlines and flags."""
    now = now or timezone.now()
    category = report.category
    handling = _handling(report)
    primary = _primary(report)
    lat, lon = geo.lat_lon(report.location)
    ack_due = report.created_at + category.ack_target
    resolve_due = report.created_at + category.resolve_target
    acknowledged = report.status not in (
        Report.Status.RECEIVED,
        Report.Status.ROUTED,
        Report.Status.TRIAGE,
        Report.Status.TRANSFERRED,
    )
    return {
        "id": report.pk,
        "tracking_code": report.tracking_code,
        "status": report.status,
        "status_label": report.get_status_display(),
        "category": {
            "code": category.code,
            "name_id": category.name_id,
            "name_en": category.name_en,
            "icon": category.icon,
            "priority": category.priority,
        },
        "lat": lat,
        "lon": lon,
        "address": report.address,
        "kelurahan": report.kelurahan.name if report.kelurahan_id and report.kelurahan else None,
        "created_at": _iso(report.created_at),
        "ack_due_at": None if acknowledged else _iso(ack_due),
        "resolve_due_at": _iso(resolve_due),
        "ack_overdue": not acknowledged and now > ack_due,
        "resolve_overdue": now > resolve_due,
        "escalation_level": handling.escalation_level if handling else 0,
        "claimed_by": handling.claimed_by.get_username()
        if handling and handling.claimed_by
        else None,
        "primary_agency": primary.agency.code if primary else None,
    }


def report_detail(report: Report) -> dict[str, Any]:
    """A report as its staff see it: the queue row, description, contact, timeline, units."""
    handling = _handling(report)
    data = queue_row(report)
    data.update(
        {
            "description": report.description,
            "reporter": None
            if report.anonymous
            else {
                "name": report.reporter_name,
                "phone": report.reporter_phone,
                "email": report.reporter_email,
            },
            "duplicate_of": handling.duplicate_of_id if handling else None,
            "assignments": [
                {"agency": a.agency.code, "role": a.role}
                for a in report.assignments.filter(active=True).select_related("agency")
            ],
            "units": [
                {
                    "id": ua.unit_id,
                    "call_sign": ua.unit.call_sign,
                    "assigned_at": _iso(ua.assigned_at),
                }
                for ua in report.unit_assignments.filter(released_at__isnull=True).select_related(
                    "unit"
                )
            ],
            "events": [
                {
                    "kind": e.kind,
                    "actor": e.actor,
                    "status_from": e.status_from,
                    "status_to": e.status_to,
                    "note": e.note,
                    "public": e.public,
                    "agency": e.agency.code if e.agency else None,
                    "created_at": _iso(e.created_at),
                }
                for e in report.events.select_related("agency")
            ],
        }
    )
    return data


def unit(row: Unit) -> dict[str, Any]:
    lat, lon = geo.lat_lon(row.location) if row.location else (None, None)
    return {
        "id": row.pk,
        "call_sign": row.call_sign,
        "kind": row.kind,
        "status": row.status,
        "status_label": row.get_status_display(),
        "agency": row.agency.code,
        "lat": lat,
        "lon": lon,
        "location_at": _iso(row.location_at),
    }


def suggestion(item: UnitSuggestion) -> dict[str, Any]:
    return {**unit(item.unit), "distance_m": item.distance_m}


def notification(row: Notification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "channel": row.channel,
        "state": row.state,
        "agency": row.agency.code if row.agency else None,
        "report": row.report_id,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "created_at": _iso(row.created_at),
        "last_attempt_at": _iso(row.last_attempt_at),
    }
