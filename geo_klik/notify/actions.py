"""Every write of the notify app: contacts, messages from public events, deliveries, the sweep.

How a change reaches the reporter:

1. A public event is saved (``receivers``): in the same transaction it joins the report's open
   message (``attach_event``), made if needed with ``not_before`` at least one merge window
   after the previous message, so quick changes merge and a report sends at most one message
   per window. After commit the message is queued for ``not_before`` (``seal`` then runs).
2. ``seal`` closes the message to new events and makes one ``Delivery`` per chosen channel.
3. ``deliver`` claims one due delivery (``SELECT ... FOR UPDATE SKIP LOCKED``), sends it and
   records the outcome in that same transaction: sent; failed with a back-off (``Retry``);
   gave_up (``Refused``, or the last allowed attempt). Channels never wait on each other.
4. ``sweep`` (beat) does, in process, whatever the broker lost: events no receiver saw (bulk
   inserts), messages due but never sealed, deliveries due but never tried.

At-least-once edge: a send that succeeded is recorded by the commit that follows it; if
PostgreSQL fails between the channel's answer and that commit, the row is still due and is sent
again later. That window is the length of one commit; every other failure sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from geo_klik.notify import channels, texts
from geo_klik.notify.models import Delivery, Message, ReporterContact
from geo_klik.reports import credentials
from geo_klik.reports.models import Report, ReportEvent, ReportPhoto

logger = logging.getLogger(__name__)

DUE = (Delivery.Status.QUEUED, Delivery.Status.FAILED)
SEAL_TASK = "geo_klik.notify.tasks.seal_message"
DELIVER_TASK = "geo_klik.notify.tasks.deliver"


def is_notifiable(event: ReportEvent) -> bool:
    """Public changes made by staff or the system (the reporter's own acts are not echoed)."""
    if not event.public or event.actor == ReportEvent.Actor.RESIDENT:
        return False
    if event.kind == ReportEvent.Kind.NOTE:
        return bool(event.note)
    if event.kind != ReportEvent.Kind.STATUS:
        return False
    return event.status_to in texts.STATUS_LINES or event.status_from in texts.CLOSED_STATES


def _window() -> timedelta:
    return timedelta(seconds=settings.NOTIFY_MERGE_WINDOW_S)


def _open_message(report_id: int, language: str, *, now: datetime) -> Message:
    """The report's open message, locked; made (after the last one's window) if there is none."""
    for _ in range(3):
        found = Message.objects.select_for_update().filter(
            report_id=report_id, sealed_at__isnull=True
        )
        if (message := found.first()) is not None:
            return message
        last = Message.objects.filter(report_id=report_id).order_by("-not_before").first()
        not_before = max(now, last.not_before + _window()) if last else now
        # ON CONFLICT DO NOTHING: a concurrent transaction made it first (one_open_message).
        Message.objects.bulk_create(
            [Message(report_id=report_id, language=language, not_before=not_before)],
            ignore_conflicts=True,
        )
    raise RuntimeError(f"no open message for report {report_id}")  # pragma: no cover


def attach_events(report_id: int, events: Iterable[ReportEvent]) -> Message | None:
    """Join notifiable ``events`` of one report to its open message, in the caller's transaction.

    None when the reporter gave no contact or nothing is worth telling.
    """
    wanted = [e for e in events if is_notifiable(e)]
    if not wanted:
        return None
    contact = ReporterContact.objects.filter(report_id=report_id).only("language").first()
    if contact is None:
        return None
    with transaction.atomic():
        message = _open_message(report_id, contact.language, now=timezone.now())
        message.events.add(*wanted)
    return message


def queue_seal(message: Message) -> None:
    """After commit, queue sealing at ``not_before``; a broker outage leaves it to the sweep."""

    def send() -> None:
        try:
            current_app.send_task(SEAL_TASK, (message.pk,), eta=message.not_before, retry=False)
        except Exception:
            logger.warning("notify message %s not queued (broker unreachable)", message.pk)

    transaction.on_commit(send)


def queue_delivery(delivery_id: int, *, countdown_s: float = 0) -> None:
    try:
        current_app.send_task(DELIVER_TASK, (delivery_id,), countdown=countdown_s, retry=False)
    except Exception:
        logger.warning("notify delivery %s not queued (broker unreachable)", delivery_id)


def queue_deliveries(ids: list[int]) -> None:
    for pk in ids:
        queue_delivery(pk)


def seal(message_id: int, *, now: datetime | None = None) -> list[int]:
    """Close a due message to new events and make its deliveries; their ids (new ones only)."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sealed_at__isnull=True, not_before__lte=now)
            .first()
        )
        if message is None:
            return []
        message.sealed_at = now
        message.save(update_fields=["sealed_at"])
        contact = ReporterContact.objects.filter(report_id=message.report_id).first()
        names = _channels_for(contact) if contact is not None else []
        made = Delivery.objects.bulk_create(
            [Delivery(message=message, channel=name, next_attempt_at=now) for name in names]
        )
        ids = [d.pk for d in made]
        transaction.on_commit(lambda: queue_deliveries(ids))
    return ids


def _channels_for(contact: ReporterContact) -> list[str]:
    usable = channels.available_channels()
    return [n for n in contact.channels if n in usable and usable[n].reaches(contact)]


def backoff_s(attempts: int) -> int:
    """Seconds before the next try after ``attempts`` failed ones: doubling, at most an hour."""
    return int(min(settings.NOTIFY_BACKOFF_S * 2 ** max(attempts - 1, 0), 3600))


def deliver(delivery_id: int, *, now: datetime | None = None) -> Delivery | None:
    """Try one due delivery once; the row as recorded, or None if it was not due or taken."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status__in=DUE, next_attempt_at__lte=now)
            .select_related("message__report__category")
            .first()
        )
        if delivery is None:
            return None
        # The row stays locked while the channel answers (at most its timeout): a second worker
        # skips it instead of sending it again, and the outcome commits with the claim.
        _attempt(delivery, now=now)
        delivery.save()
    if delivery.status == Delivery.Status.FAILED:
        wait = (delivery.next_attempt_at - now).total_seconds()
        transaction.on_commit(lambda: queue_delivery(delivery.pk, countdown_s=wait))
    return delivery


def _attempt(delivery: Delivery, *, now: datetime) -> None:
    """Send ``delivery`` and set its outcome on the row (the caller saves it)."""
    delivery.attempts += 1
    contact = ReporterContact.objects.filter(report_id=delivery.message.report_id).first()
    channel = channels.get_channel(delivery.channel)
    try:
        if contact is None or channel is None or not channel.reaches(contact):
            raise channels.Refused("contact or channel removed")
        channel.send(contact, render(delivery.message))
    except channels.Retry as exc:
        delivery.last_error = f"retry: {exc}"[:200]
        if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            delivery.status = Delivery.Status.GAVE_UP
        else:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = now + timedelta(seconds=backoff_s(delivery.attempts))
    except channels.Refused as exc:
        delivery.last_error = f"refused: {exc}"[:200]
        delivery.status = Delivery.Status.GAVE_UP
    else:
        delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, now, ""
    if delivery.status != Delivery.Status.SENT:
        # The error's kind only (channels keep addresses and numbers out of it).
        logger.warning(
            "notify delivery %s (%s) attempt %s: %s",
            delivery.pk,
            delivery.channel,
            delivery.attempts,
            delivery.last_error,
        )


def tracking_url(report: Report) -> str:
    """The absolute link to the report's tracking page carrying the reporter's link token."""
    path = reverse("residents-track", args=[report.tracking_code])
    url = f"{settings.NOTIFY_BASE_URL}{path}"
    if report.reporter_secret_sha256:
        token = credentials.link_token(report.pk, report.reporter_secret_sha256)
        url += f"#rahasia={token}"
    return url


def render(message: Message) -> channels.Rendered:
    """The message's subject, text and link, in its language."""
    report = message.report
    events = list(message.events.select_related("agency").order_by("created_at", "id"))
    photos: dict[int, list[str]] = {}
    if not report.category.sensitive:
        for photo in ReportPhoto.objects.filter(event__in=events).order_by("id"):
            url = f"{settings.NOTIFY_BASE_URL}{photo.image.url}"
            photos.setdefault(photo.event_id or 0, []).append(url)
    facts = [
        texts.EventFacts(
            kind=e.kind,
            status_from=e.status_from,
            status_to=e.status_to,
            note=e.note,
            agency_id_name=e.agency.name_id if e.agency else "",
            agency_en_name=e.agency.name_en if e.agency else "",
            photo_urls=photos.get(e.pk, []),
        )
        for e in events
    ]
    subject, text = texts.compose(report.tracking_code, facts, message.language)
    return channels.Rendered(
        subject=subject, text=text, url=tracking_url(report), lang=message.language
    )


def attach_uncovered_events(*, now: datetime, limit: int = 500) -> list[Message]:
    """Public events made after the reporter gave a contact that joined no message.

    Receivers see every ``save()``; this finds the rest (routing writes its events in bulk).
    """
    uncovered = (
        ReportEvent.objects.filter(
            public=True,
            messages__isnull=True,
            created_at__gte=F("report__contact__notify_from"),
            created_at__lte=now,
        )
        .exclude(actor=ReportEvent.Actor.RESIDENT)
        .order_by("report_id", "created_at", "id")[:limit]
    )
    by_report: dict[int, list[ReportEvent]] = {}
    for event in uncovered:
        by_report.setdefault(event.report_id, []).append(event)
    made = []
    for report_id, events in by_report.items():
        with transaction.atomic():
            if (message := attach_events(report_id, events)) is not None:
                made.append(message)
    return made


def sweep(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Do in process what the broker lost: uncovered events, due messages, due deliveries."""
    attached = attach_uncovered_events(now=now or timezone.now(), limit=limit)
    now = now or timezone.now()  # after attaching: what it just made is due
    due_messages = Message.objects.filter(sealed_at__isnull=True, not_before__lte=now)
    pks = list(due_messages.values_list("pk", flat=True)[:limit])
    sealed = sum(bool(seal(pk, now=now)) for pk in pks)
    due = Delivery.objects.filter(status__in=DUE, next_attempt_at__lte=now).order_by(
        "next_attempt_at"
    )
    tried = [deliver(pk, now=now) for pk in due.values_list("pk", flat=True)[:limit]]
    return {
        "attached": len(attached),
        "sealed": sealed,
        "tried": sum(row is not None for row in tried),
    }


class ChannelUnusable(Exception):
    """A chosen channel is not available here, or the contact lacks what it needs."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def set_contact(
    report: Report, changes: dict[str, object], *, with_report: bool = False
) -> ReporterContact:
    """Apply the reporter's ``changes`` (checked by NotifySerializer) to the report's contact.

    ``with_report``: the contact came with the report itself, so every public event of the
    report is told. Without ``channels`` among the changes, every available channel the
    details reach is chosen; with them, each must be available and reach the details.
    """
    with transaction.atomic():
        contact = ReporterContact.objects.select_for_update().filter(report=report).first()
        if contact is None:
            since = report.created_at if with_report else timezone.now()
            contact = ReporterContact(report=report, notify_from=since)
        for name in ("email", "phone", "push_subscription", "language"):
            if name in changes:
                setattr(contact, name, changes[name] if changes[name] is not None else "")
        if contact.push_subscription == "":
            contact.push_subscription = None
        usable = channels.available_channels()
        chosen = changes.get("channels")
        if isinstance(chosen, list):
            wrong = [n for n in chosen if n not in usable or not usable[n].reaches(contact)]
            if wrong:
                raise ChannelUnusable(wrong)
            contact.channels = list(chosen)
        else:
            contact.channels = [n for n, ch in usable.items() if ch.reaches(contact)]
        contact.save()
    return contact


def delete_contact(report: Report) -> bool:
    """Forget the reporter's contact details for this report; whether there were any."""
    deleted, _ = ReporterContact.objects.filter(report=report).delete()
    return deleted > 0
