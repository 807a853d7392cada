"""Every write of area alerts: subscribing, confirming, unsubscribing, fan-out, sending, digests.

How a report reaches its area's subscribers:

1. A report is routed for the first time ("new") or resolved for the first time: the
   receiver records an ``AlertTrigger`` in the status change's own transaction (one per report
   and kind) and, after commit, queues ``fan_out``. Routing in bulk writes no signal; the sweep
   records triggers from the status events themselves, so nothing depends on the broker.
2. ``fan_out`` claims the trigger (``SKIP LOCKED``), finds the matching subscriptions in SQL
   (``queries.matching``) and makes one ``AlertDelivery`` each, unique per subscription and
   trigger, in the transaction that marks the trigger done: a retried or crashed fan-out makes
   nothing twice. Daily subscriptions' rows are *held* for the digest.
3. ``send_due`` claims one due delivery at a time (``SKIP LOCKED``), sends it and records the
   outcome in that transaction (as notify does: sent; failed with a back-off; gave up), reusing
   one SMTP connection and one push session for the whole batch. A worker killed mid-send
   leaves the row due, unlocked and unsent in the database; it is sent by the next claim.
4. ``collect_digests`` (beat) gathers each daily subscription's held rows into one digest.
5. ``sweep`` (beat) does in process what the broker lost.

At-least-once edge, as in notify: PostgreSQL failing between a channel's acceptance and the
commit that records it sends that one message again later.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import requests
from celery import current_app
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from geo_klik.alerts import credentials, messages, queries, texts
from geo_klik.alerts.models import AlertDelivery, AlertSubscription, AlertTrigger, Subscriber
from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo
from geo_klik.notify import actions as notify_actions
from geo_klik.notify import outbound
from geo_klik.notify.channels import Refused, Rendered, Retry
from geo_klik.reports.models import Category, Report, ReportEvent

logger = logging.getLogger(__name__)

FAN_OUT_TASK = "geo_klik.alerts.tasks.fan_out"
SEND_TASK = "geo_klik.alerts.tasks.send_due"
DUE = (AlertDelivery.Status.QUEUED, AlertDelivery.Status.FAILED)
NEW_STATUSES = (Report.Status.ROUTED, Report.Status.TRIAGE)
TRIGGER_KINDS: dict[str, str] = {
    Report.Status.ROUTED: AlertTrigger.Kind.NEW,
    Report.Status.TRIAGE: AlertTrigger.Kind.NEW,
    Report.Status.RESOLVED: AlertTrigger.Kind.RESOLVED,
}


class TooMany(Exception):
    """A limit on subscriptions (per subscriber, or unconfirmed per address) was reached."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


# --- subscribing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """Where a subscription looks: a kelurahan, or a point and a radius in metres."""

    kelurahan: Kelurahan | None = None
    lat: float | None = None
    lon: float | None = None
    radius_m: int | None = None


def subscribe(
    subscriber: Subscriber | None,
    *,
    channel: str,
    email: str,
    push_subscription: dict[str, Any] | None,
    language: str,
    area: Area,
    categories: list[Category],
    new_reports: bool,
    resolutions: bool,
    frequency: str,
    now: datetime | None = None,
) -> tuple[AlertSubscription, str]:
    """Make a subscription (input checked by ``inputs.SubscribeInput``); with it the new
    management key when ``subscriber`` is None (a new subscriber), else "".

    Web Push is confirmed at once (the browser asked the resident's permission); e-mail gets a
    confirmation message and sends nothing else until it is confirmed.
    """
    now = now or timezone.now()
    key = ""
    with transaction.atomic():
        if subscriber is None:
            key = credentials.new_key()
            subscriber = Subscriber.objects.create(key_sha256=credentials.key_hash(key))
        else:
            subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
            if subscriber.subscriptions.count() >= settings.ALERTS_MAX_SUBSCRIPTIONS:
                raise TooMany("subscriber")
        if (
            channel == AlertSubscription.Channel.EMAIL
            and queries.pending_emails(email, since=now - timedelta(days=1))
            >= settings.ALERTS_MAX_PENDING_PER_EMAIL
        ):
            raise TooMany("email")
        is_push = channel == AlertSubscription.Channel.WEBPUSH
        subscription = AlertSubscription.objects.create(
            subscriber=subscriber,
            channel=channel,
            email="" if is_push else email,
            push_subscription=push_subscription if is_push else None,
            language=language,
            kelurahan=area.kelurahan,
            center=(
                geo.point(area.lat, area.lon)
                if area.lat is not None and area.lon is not None
                else None
            ),
            radius_m=area.radius_m,
            new_reports=new_reports,
            resolutions=resolutions,
            frequency=frequency,
            confirmed_at=now if is_push else None,
        )
        subscription.categories.set(categories)
        if not is_push:
            AlertDelivery.objects.create(
                subscription=subscription, kind=AlertDelivery.Kind.CONFIRM, next_attempt_at=now
            )
            transaction.on_commit(queue_send)
    return subscription, key


def confirm(subscription_id: int, *, now: datetime | None = None) -> AlertSubscription | None:
    """Confirm an e-mail subscription (idempotent); None if it no longer exists."""
    subscription = AlertSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return None
    AlertSubscription.objects.filter(pk=subscription_id, confirmed_at__isnull=True).update(
        confirmed_at=now or timezone.now()
    )
    subscription.refresh_from_db(fields=["confirmed_at"])
    return subscription


def unsubscribe(subscription_id: int) -> bool:
    """Delete a subscription and its contact details (and its unsent messages); whether it was."""
    deleted, _ = AlertSubscription.objects.filter(pk=subscription_id).delete()
    return deleted > 0


def delete_subscription(subscriber: Subscriber, subscription_id: int) -> bool:
    """Delete one of ``subscriber``'s own subscriptions; False for anyone else's."""
    deleted, _ = AlertSubscription.objects.filter(
        pk=subscription_id, subscriber=subscriber
    ).delete()
    return deleted > 0


# --- triggers and fan-out -----------------------------------------------------------------


def trigger_kind(event: ReportEvent) -> str | None:
    """The alert a public status event makes news of, if any."""
    if event.kind != ReportEvent.Kind.STATUS or not event.public:
        return None
    return TRIGGER_KINDS.get(event.status_to)


def record_trigger(event: ReportEvent) -> None:
    """In the event's own transaction: remember the news, and queue its fan-out after commit."""
    kind = trigger_kind(event)
    if kind is None:
        return
    AlertTrigger.objects.bulk_create(
        [AlertTrigger(report_id=event.report_id, kind=kind, occurred_at=event.created_at)],
        ignore_conflicts=True,  # one per report and kind: only the first routing/resolution
    )
    report_id = event.report_id
    transaction.on_commit(lambda: queue_fan_out(report_id, kind))


def record_missed_triggers(*, now: datetime, limit: int = 1000) -> int:
    """Triggers for status events no receiver saw (bulk routing) within the look-back."""
    since = now - timedelta(seconds=settings.ALERTS_LOOKBACK_S)
    made = 0
    for kind, statuses in (
        (AlertTrigger.Kind.NEW, NEW_STATUSES),
        (AlertTrigger.Kind.RESOLVED, (Report.Status.RESOLVED,)),
    ):
        has_trigger = AlertTrigger.objects.filter(report_id=OuterRef("report_id"), kind=kind)
        rows = (
            ReportEvent.objects.filter(
                kind=ReportEvent.Kind.STATUS,
                public=True,
                status_to__in=statuses,
                created_at__gte=since,
                created_at__lte=now,
            )
            .filter(~Exists(has_trigger))
            .order_by("report_id", "created_at")
            .values_list("report_id", "created_at")[:limit]
        )
        first: dict[int, datetime] = {}
        for report_id, at in rows:
            first.setdefault(report_id, at)
        AlertTrigger.objects.bulk_create(
            [AlertTrigger(report_id=r, kind=kind, occurred_at=at) for r, at in first.items()],
            ignore_conflicts=True,
        )
        made += len(first)
    return made


def fan_out(report_id: int, kind: str, *, now: datetime | None = None) -> int:
    """One delivery per matching subscription; how many are due now (not held for a digest)."""
    now = now or timezone.now()
    with transaction.atomic():
        trigger = (
            AlertTrigger.objects.select_for_update(skip_locked=True)
            .filter(report_id=report_id, kind=kind, fanned_out_at__isnull=True)
            .first()
        )
        if trigger is None:
            return 0  # done already, or another worker holds it
        report = queries.report_for_matching(report_id)
        rows: list[tuple[int, str]] = []
        if report is not None:  # a report deleted since: nobody hears of it
            rows = list(queries.matching(trigger, report).values_list("pk", "frequency"))
        daily = AlertSubscription.Frequency.DAILY
        AlertDelivery.objects.bulk_create(
            [
                AlertDelivery(
                    subscription_id=pk,
                    kind=AlertDelivery.Kind.ALERT,
                    trigger=trigger,
                    status=AlertDelivery.Status.HELD
                    if frequency == daily
                    else AlertDelivery.Status.QUEUED,
                    next_attempt_at=now,
                )
                for pk, frequency in rows
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
        trigger.fanned_out_at = now
        trigger.save(update_fields=["fanned_out_at"])
        due = sum(frequency != daily for _, frequency in rows)
        tasks = min(math.ceil(due / settings.ALERTS_SEND_BATCH), settings.ALERTS_SEND_TASKS)
        transaction.on_commit(lambda: queue_senders(tasks))
    return due


def queue_fan_out(report_id: int, kind: str) -> None:
    try:
        current_app.send_task(FAN_OUT_TASK, (report_id, kind), retry=False)
    except Exception:
        logger.warning("alert fan-out of report %s (%s) not queued (broker down)", report_id, kind)


def queue_senders(count: int) -> None:
    """``count`` sending tasks, which share the due rows (SKIP LOCKED) on the worker's processes."""
    for _ in range(count):
        queue_send()


def queue_send(countdown_s: float = 0) -> None:
    try:
        current_app.send_task(SEND_TASK, (), countdown=countdown_s, retry=False)
    except Exception:
        logger.warning("alert sending not queued (broker unreachable)")


# --- sending -------------------------------------------------------------------------------


@dataclass
class Sender:
    """One SMTP connection and one push session, opened on first use, for a batch of sends."""

    mail: BaseEmailBackend | None = None
    http: requests.Session | None = None
    sent: int = 0
    failed: list[float] = field(default_factory=list)  # seconds until each retry
    # Read once per batch: a fan-out sends the same report's news to thousands.
    news: dict[int, texts.News | None] = field(default_factory=dict)  # by trigger id
    places: dict[int, str] = field(default_factory=dict)

    def email(self, to: str, message: messages.Outgoing) -> None:
        if self.mail is None:
            self.mail = outbound.email_connection()
        outbound.send_email(
            to,
            message.rendered,
            headers=message.headers,
            footer=message.footer,
            connection=self.mail,
        )

    def push(self, subscription: dict[str, Any], rendered: Rendered, **kwargs: Any) -> None:
        if self.http is None:
            self.http = outbound.push_session()
        outbound.send_push(subscription, rendered, session=self.http, **kwargs)

    def close(self) -> None:
        if self.mail is not None:
            self.mail.close()
        if self.http is not None:
            self.http.close()


def send_due(*, limit: int | None = None, budget_s: float | None = None) -> int:
    """Send due deliveries, one claimed row per transaction, until none is left, ``limit`` are
    tried or ``budget_s`` passed (then another task is queued); how many were tried."""
    limit = limit or settings.ALERTS_SEND_BATCH
    deadline = time.monotonic() + (budget_s or settings.ALERTS_SEND_BUDGET_S)
    sender, tried = Sender(), 0
    try:
        while tried < limit and time.monotonic() < deadline:
            if not send_one(sender):
                break
            tried += 1
        else:
            transaction.on_commit(queue_send)  # more may be due: a fresh task takes over
    finally:
        sender.close()
    if sender.failed:
        wait = min(sender.failed)
        transaction.on_commit(lambda: queue_send(countdown_s=wait))
    return tried


def send_one(sender: Sender, *, now: datetime | None = None) -> bool:
    """Claim, send and record one due delivery; False when none is due (or all are taken)."""
    now = now or timezone.now()
    with transaction.atomic():
        # Ordered by its partial index's column alone: with a second sort key PostgreSQL
        # sorted every due row (and hash-joined their subscriptions) for each claim, 28 ms at
        # 10,000 due; so ordered, it walks the index and joins one row (0.07 ms). Only the
        # delivery's row is locked.
        delivery = (
            AlertDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=DUE, next_attempt_at__lte=now)
            .select_related("subscription__subscriber")
            .defer("subscription__center")
            .order_by("next_attempt_at")
            .first()
        )
        if delivery is None:
            return False
        # The row stays locked while the channel answers: another worker skips it, and the
        # outcome commits with the claim.
        attempt(delivery, sender, now=now)
    return True


def attempt(delivery: AlertDelivery, sender: Sender, *, now: datetime) -> None:
    """Send ``delivery`` once and record its outcome (the caller holds its row lock)."""
    delivery.attempts += 1
    subscription = delivery.subscription
    try:
        message = messages.render(delivery, news=sender.news, places=sender.places)
        if subscription.channel == AlertSubscription.Channel.WEBPUSH:
            sender.push(
                subscription.push_subscription or {},
                message.rendered,
                tag=message.tag,
                extra={"unsubscribe": message.unsubscribe_url},
            )
        else:
            sender.email(subscription.email, message)
    except outbound.Gone:
        # The browser dropped the subscription: forget it (and this row with it).
        logger.info("alert subscription %s: push subscription gone; deleted", subscription.pk)
        AlertSubscription.objects.filter(pk=subscription.pk).delete()
        return
    except Retry as exc:
        delivery.last_error = f"retry: {exc}"[:200]
        if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            delivery.status = AlertDelivery.Status.GAVE_UP
        else:
            wait = notify_actions.backoff_s(delivery.attempts)
            delivery.status = AlertDelivery.Status.FAILED
            delivery.next_attempt_at = now + timedelta(seconds=wait)
            sender.failed.append(wait)
    except Refused as exc:
        delivery.last_error = f"refused: {exc}"[:200]
        delivery.status = AlertDelivery.Status.GAVE_UP
    else:
        delivery.status, delivery.sent_at, delivery.last_error = (
            AlertDelivery.Status.SENT,
            now,
            "",
        )
        sender.sent += 1
    if delivery.status != AlertDelivery.Status.SENT:
        logger.warning(
            "alert delivery %s (%s) attempt %s: %s",
            delivery.pk,
            subscription.channel,
            delivery.attempts,
            delivery.last_error,
        )
    delivery.save(update_fields=["attempts", "status", "next_attempt_at", "last_error", "sent_at"])


# --- digests and the sweep ------------------------------------------------------------------


def digest_cutoff(now: datetime) -> tuple[date, datetime]:
    """The latest digest time at or before ``now`` (ALERTS_DIGEST_HOUR, local) and its day."""
    local = timezone.localtime(now)
    cutoff = local.replace(hour=settings.ALERTS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if cutoff > local:
        cutoff -= timedelta(days=1)
    return cutoff.date(), cutoff


def collect_digests(*, now: datetime | None = None) -> int:
    """One digest per daily subscription holding alerts from before the latest digest time.

    Idempotent (one digest per subscription and day): run by beat more often than daily, so a
    run missed while Redis or the worker was down is made up by the next.
    """
    now = now or timezone.now()
    day, cutoff = digest_cutoff(now)
    held = AlertDelivery.objects.filter(status=AlertDelivery.Status.HELD, created_at__lt=cutoff)
    with transaction.atomic():
        subscriptions = list(held.values_list("subscription_id", flat=True).distinct())
        AlertDelivery.objects.bulk_create(
            [
                AlertDelivery(
                    subscription_id=pk,
                    kind=AlertDelivery.Kind.DIGEST,
                    digest_day=day,
                    next_attempt_at=now,
                )
                for pk in subscriptions
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
        # Only into a digest not tried yet (and locked by this transaction's insert or not
        # sent): what missed today's is carried by tomorrow's.
        open_digest = AlertDelivery.objects.filter(
            subscription_id=OuterRef("subscription_id"),
            kind=AlertDelivery.Kind.DIGEST,
            digest_day=day,
            attempts=0,
            status=AlertDelivery.Status.QUEUED,
        )
        attached = held.filter(Exists(open_digest)).update(
            digest_id=Subquery(open_digest.values("pk")[:1]),
            status=AlertDelivery.Status.IN_DIGEST,
        )
        if attached:
            transaction.on_commit(queue_send)
    return attached


def forget_unconfirmed(*, now: datetime) -> int:
    """Delete e-mail subscriptions never confirmed while their link was valid (their address
    was given by someone, perhaps not its owner: kept no longer than the link lives)."""
    expired = now - credentials.CONFIRM_MAX_AGE
    deleted, _ = AlertSubscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=expired
    ).delete()
    return deleted


def sweep(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Every 30 s (beat): triggers no receiver saw, fan-outs and sends the broker lost, and
    e-mail addresses that were never confirmed."""
    now = now or timezone.now()
    forget_unconfirmed(now=now)
    recorded = record_missed_triggers(now=now)
    pending = AlertTrigger.objects.filter(fanned_out_at__isnull=True).order_by("created_at")
    fanned = 0
    for report_id, kind in pending.values_list("report_id", "kind")[:limit]:
        fan_out(report_id, kind)
        fanned += 1
    return {"recorded": recorded, "fanned_out": fanned, "tried": send_due(limit=limit)}
