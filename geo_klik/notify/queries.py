"""Reads of the notify app: what a reporter was sent (for staff, without contact details), and
whose contact details are due for deletion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from geo_klik.notify.models import Delivery, Message
from geo_klik.reports.models import Report, ReportEvent


@dataclass(frozen=True)
class SentDelivery:
    """One channel's outcome for one message (no address, number or subscription)."""

    channel: str
    status: str
    attempts: int
    last_error: str
    sent_at: datetime | None
    next_attempt_at: datetime | None


@dataclass(frozen=True)
class SentMessage:
    """One message to the reporter: when, what it covered, and each channel's outcome."""

    id: int
    created_at: datetime
    not_before: datetime
    sealed_at: datetime | None
    language: str
    event_ids: list[int]
    deliveries: list[SentDelivery]

    @property
    def failed(self) -> bool:
        return any(
            d.status in (Delivery.Status.FAILED, Delivery.Status.GAVE_UP) for d in self.deliveries
        )


def messages_to_reporter(report_id: int) -> list[SentMessage]:
    """Every message of one report, oldest first, with its deliveries (three queries)."""
    messages = list(
        Message.objects.filter(report_id=report_id)
        .order_by("created_at", "id")
        .prefetch_related("deliveries")
    )
    covered: dict[int, list[int]] = {}
    through = Message.events.through.objects.filter(message__report_id=report_id)
    for message_id, event_id in through.values_list("message_id", "reportevent_id"):
        covered.setdefault(message_id, []).append(event_id)
    return [
        SentMessage(
            id=m.pk,
            created_at=m.created_at,
            not_before=m.not_before,
            sealed_at=m.sealed_at,
            language=m.language,
            event_ids=sorted(covered.get(m.pk, [])),
            deliveries=[
                SentDelivery(
                    channel=d.channel,
                    status=d.status,
                    attempts=d.attempts,
                    last_error=d.last_error,
                    sent_at=d.sent_at,
                    next_attempt_at=d.next_attempt_at if d.status in ("queued", "failed") else None,
                )
                for d in sorted(m.deliveries.all(), key=lambda d: d.channel)
            ],
        )
        for m in messages
    ]


# A report is *closed* for the retention of its contact details in any of these final states.
FINAL_STATES = (Report.Status.CLOSED, Report.Status.REJECTED, Report.Status.DUPLICATE)


def _has_details() -> Q:
    return (
        Q(contact__isnull=False)
        | ~Q(reporter_name="")
        | ~Q(reporter_phone="")
        | ~Q(reporter_email="")
    )


def contacts_expired(*, now: datetime, retention_days: int, limit: int = 1000) -> list[int]:
    """Reports closed more than ``retention_days`` ago that still hold contact details.

    Closed at: the last status change into a final state (the report's last update for one
    that has no such event, from before timelines).
    """
    closed_at = Subquery(
        ReportEvent.objects.filter(
            report=OuterRef("pk"), kind=ReportEvent.Kind.STATUS, status_to__in=FINAL_STATES
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    cutoff = now - timedelta(days=retention_days)
    return list(
        Report.objects.filter(status__in=FINAL_STATES)
        .filter(_has_details())
        .annotate(closed_at=Coalesce(closed_at, "updated_at"))
        .filter(closed_at__lte=cutoff)
        .order_by("closed_at")
        .values_list("pk", flat=True)[:limit]
    )


def has_contact_details(report_id: int) -> bool:
    return Report.objects.filter(_has_details(), pk=report_id).exists()
