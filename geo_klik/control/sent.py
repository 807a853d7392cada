"""The console's "sent to the reporter" panel: GET /api/staff/reports/<id>/sent-to-reporter/.

Each message to the reporter (``notify.queries.messages_to_reporter``): when it was made and sent,
which timeline events it covered, and per channel its status, attempts and last error. Never the
reporter's e-mail, number or push subscription: operators see that a channel was used, not where
it leads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from geo_klik.control import api
from geo_klik.notify import queries as notify_queries
from geo_klik.notify.models import Delivery
from geo_klik.reports.models import Report, ReportEvent

STATUS_LABELS = dict(Delivery.Status.choices)
REPORT_STATUS_LABELS = dict(Report.Status.choices)
KIND_LABELS = dict(ReportEvent.Kind.choices)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def event_json(event: ReportEvent) -> dict[str, Any]:
    if event.kind == ReportEvent.Kind.STATUS:
        label = REPORT_STATUS_LABELS.get(event.status_to, event.status_to)
    else:
        label = KIND_LABELS.get(event.kind, event.kind)
    return {
        "id": event.pk,
        "kind": event.kind,
        "status_from": event.status_from,
        "status_to": event.status_to,
        "label": label,
        "at": _iso(event.created_at),
    }


def sent_json(report_id: int) -> dict[str, Any]:
    """What the panel shows; contact details are not read at all (only Message and Delivery)."""
    messages = notify_queries.messages_to_reporter(report_id)
    wanted = {pk for m in messages for pk in m.event_ids}
    events = {e.pk: e for e in ReportEvent.objects.filter(pk__in=wanted, report_id=report_id)}
    return {
        "messages": [
            {
                "id": m.id,
                "created_at": _iso(m.created_at),
                "send_from": _iso(m.not_before),
                "sealed_at": _iso(m.sealed_at),
                "language": m.language,
                "failed": m.failed,
                "events": [event_json(events[pk]) for pk in m.event_ids if pk in events],
                "deliveries": [
                    {
                        "channel": d.channel,
                        "status": d.status,
                        "status_label": STATUS_LABELS.get(d.status, d.status),
                        "attempts": d.attempts,
                        "last_error": d.last_error,
                        "sent_at": _iso(d.sent_at),
                        "next_attempt_at": _iso(d.next_attempt_at),
                    }
                    for d in m.deliveries
                ],
            }
            for m in messages
        ]
    }


class SentToReporterView(api.StaffView):
    """GET: what was sent to the reporter of a report the user may see (404 otherwise)."""

    @extend_schema(operation_id="staff_report_sent_to_reporter", responses={200: dict})
    def get(self, request: Request, report_id: int) -> Response:
        report = api.visible_report(request, report_id)
        return Response(sent_json(report.pk))
