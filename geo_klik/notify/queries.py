"""Reads of the notify app: what a reporter was sent, for staff, without contact details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from geo_klik.notify.models import Delivery, Message


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
