"""Notifications to agencies and supervisors: email, and an optional webhook per agency.

``notify_*`` store one ``Notification`` per channel and recipient (a dedupe key makes a
repeat a no-op) and queue its delivery after commit. ``deliver`` sends one; the Celery task
retries a failure with exponential back-off up to ``NOTIFICATION_MAX_ATTEMPTS`` and then marks
it failed, which the console shows. Every attempt is recorded on the row.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

import celery
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from geo_klik.accounts import roles
from geo_klik.agencies.models import Agency
from geo_klik.dispatch import signals
from geo_klik.dispatch.models import Assignment, Notification
from geo_klik.reports.models import Report

logger = logging.getLogger(__name__)

SUBJECTS = {
    "routed": ("Laporan KLIK baru", "New KLIK report"),
    "transferred": ("Laporan KLIK dialihkan ke SKPD Anda", "KLIK report transferred to you"),
    "escalated": ("Laporan KLIK belum ditangani", "KLIK report not acknowledged"),
    # The reporter's "not fixed" (dispatch.actions.reopening).
    "reopened": ("Laporan KLIK dibuka kembali: belum beres", "KLIK report reopened: not fixed"),
    "not_fixed_again": (
        "Laporan KLIK belum beres untuk kedua kalinya",
        "KLIK report not fixed a second time",
    ),
}


class DeliveryFailed(Exception):
    """One delivery attempt failed (the task retries it)."""


def backoff_s(attempt: int) -> int:
    """Seconds before retry number `attempt` (1-based): 10, 20, 40, ... at most 15 minutes."""
    return int(min(10 * 2 ** (attempt - 1), 900))


def _text(report: Report, kind: str) -> tuple[str, str]:
    subject_id, subject_en = SUBJECTS.get(kind, ("Laporan KLIK", "KLIK report"))
    subject = f"[{report.tracking_code}] {subject_id} / {subject_en}"
    body = (
        f"{subject_id} / {subject_en}\n"
        f"Kode / code: {report.tracking_code}\n"
        f"Kategori / category: {report.category}\n"
        f"Alamat / address: {report.address}\n"
        f"Status: {report.get_status_display()}\n"
        f"Konsol / console: /control/?report={report.pk}\n"
    )
    return subject, body


def _payload(report: Report, kind: str) -> str:
    """The webhook body: no personal data (reporter fields stay out)."""
    return json.dumps(
        {
            "event": kind,
            "report": {
                "id": report.pk,
                "tracking_code": report.tracking_code,
                "category": report.category.code,
                "status": report.status,
                "lat": report.location.y,
                "lon": report.location.x,
                "address": report.address,
                "created_at": report.created_at.isoformat(),
            },
        }
    )


def _store(**fields: Any) -> Notification | None:
    """Insert a notification unless its dedupe key exists; queue it after commit."""
    try:
        with transaction.atomic():
            row = Notification.objects.create(**fields)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: enqueue(row.pk))
    return row


def notify_agency(report: Report, agency: Agency, *, kind: str, key: str = "") -> int:
    """Tell an agency about a report by email and webhook (those it has); rows stored."""
    subject, body = _text(report, kind)
    made = 0
    base = f"{kind}:{report.pk}:{agency.pk}:{key}"
    if agency.email:
        made += (
            _store(
                dedupe_key=f"{base}:email",
                kind=kind,
                channel=Notification.Channel.EMAIL,
                agency=agency,
                report=report,
                recipient=agency.email,
                subject=subject,
                body=body,
            )
            is not None
        )
    if agency.webhook_url:
        made += (
            _store(
                dedupe_key=f"{base}:webhook",
                kind=kind,
                channel=Notification.Channel.WEBHOOK,
                agency=agency,
                report=report,
                recipient=agency.webhook_url,
                subject=subject,
                body=_payload(report, kind),
            )
            is not None
        )
    return made


def notify_supervisors(report: Report, *, kind: str, key: str = "") -> int:
    """Email every active supervisor who has an address."""
    subject, body = _text(report, kind)
    emails = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.SUPERVISOR)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    made = 0
    for email in emails:
        made += (
            _store(
                dedupe_key=f"{kind}:{report.pk}:supervisor:{email}:{key}",
                kind=kind,
                channel=Notification.Channel.EMAIL,
                report=report,
                recipient=email,
                subject=subject,
                body=body,
            )
            is not None
        )
    return made


# Sent by name: tasks.py imports this module to call it, never the other way round.
DELIVER_TASK = "geo_klik.dispatch.tasks.deliver_notification"


def enqueue(notification_id: int) -> bool:
    """Queue the delivery; a broker outage leaves the row pending for ``resend_pending``."""
    try:
        celery.signature(DELIVER_TASK, args=(notification_id,)).apply_async(retry=False)
    except Exception:
        logger.warning("notification %s not queued (broker unreachable)", notification_id)
        return False
    return True


def stale_pending(
    *,
    now: datetime | None = None,
    unqueued_after_s: int = 60,
    margin_s: int = 120,
    limit: int = 500,
) -> list[int]:
    """Pending notifications nobody is delivering: never tried ``unqueued_after_s`` after they
    were made (the broker was down), or silent well past their retry's back-off (a lost retry).
    """
    now = now or timezone.now()
    rows = Notification.objects.filter(
        state=Notification.State.PENDING,
        created_at__lt=now - timedelta(seconds=unqueued_after_s),
    ).order_by("created_at", "id")[:limit]
    return [row.pk for row in rows if _silent(row, now=now, margin_s=margin_s)]


def _silent(row: Notification, *, now: datetime, margin_s: int) -> bool:
    if row.attempts == 0 or row.last_attempt_at is None:
        return True
    return now - row.last_attempt_at > timedelta(seconds=backoff_s(row.attempts) + margin_s)


def resend_pending(*, now: datetime | None = None) -> int:
    """Queue again every stale pending notification; the number queued."""
    return sum(enqueue(pk) for pk in stale_pending(now=now))


def _send(row: Notification) -> None:
    if row.channel == Notification.Channel.EMAIL:
        send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.recipient])
        return
    request = urllib.request.Request(  # noqa: S310 - an http(s) URL an administrator set
        row.recipient,
        data=row.body.encode(),
        headers={"Content-Type": "application/json", "User-Agent": "geo_klik"},
        method="POST",
    )
    with urllib.request.urlopen(  # noqa: S310
        request, timeout=settings.NOTIFICATION_WEBHOOK_TIMEOUT_S
    ) as response:
        if not 200 <= response.status < 300:
            raise DeliveryFailed(f"HTTP {response.status}")


def deliver(notification_id: int) -> Notification | None:
    """One delivery attempt, recorded on the row; raise DeliveryFailed so the task retries.

    After the last allowed attempt the row is marked failed and nothing is raised.
    """
    row = Notification.objects.filter(pk=notification_id).first()
    if row is None or row.state != Notification.State.PENDING:
        return row
    # A conditional update claims this attempt: when the sweep queued a row twice, the second
    # worker finds the attempt taken and sends nothing.
    claimed = Notification.objects.filter(
        pk=row.pk, state=Notification.State.PENDING, attempts=row.attempts
    ).update(attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    if not claimed:
        return row
    row.refresh_from_db()
    try:
        _send(row)
    except (OSError, urllib.error.URLError, DeliveryFailed, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        final = row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        row.last_error = error
        row.state = Notification.State.FAILED if final else Notification.State.PENDING
        row.save(update_fields=["last_error", "state"])
        logger.warning("notification %s attempt %s failed: %s", row.pk, row.attempts, error)
        if not final:
            raise DeliveryFailed(error) from exc
        return row
    row.state, row.sent_at = Notification.State.SENT, timezone.now()
    row.save(update_fields=["state", "sent_at"])
    return row


def notify_routed(decision: Any) -> int:
    """Tell the primary agency of a routing decision about its new report (idempotent)."""
    return notify_routed_many([decision])


def notify_routed_many(decisions: list[Any]) -> int:
    """Tell the primary agency of each routing decision (idempotent), reading them at once."""
    made = 0
    primaries = list(
        Assignment.objects.filter(
            decision__in=decisions, active=True, role=Assignment.Role.PRIMARY
        ).select_related("agency", "report__category")
    )
    elsewhere = signals.agencies_delivering_themselves(primaries)  # e.g. their Open311 server
    for assignment in primaries:
        if assignment.agency_id in elsewhere:
            continue
        if assignment.agency.email or assignment.agency.webhook_url:  # else nothing to render
            made += notify_agency(
                assignment.report,
                assignment.agency,
                kind="routed",
                key=str(assignment.decision_id),
            )
    return made
