"""Writes of the field officers' app: steps sent exactly once, push subscriptions, alerts."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import celery
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from geo_klik.dispatch.actions import workflow
from geo_klik.dispatch.models import Shift, UnitAssignment
from geo_klik.field import push
from geo_klik.field.models import DispatchAlert, FieldAction, OfficerPushSubscription
from geo_klik.lib import push_subscriptions

logger = logging.getLogger(__name__)

SEND_ALERT_TASK = "geo_klik.field.tasks.send_alert"
# An alert still pending this long after it was made was lost by the broker: the sweep sends it.
ALERT_SWEEP_AFTER = timedelta(seconds=20)
ALERT_MAX_ATTEMPTS = 10
MAX_SUBSCRIPTIONS_PER_OFFICER = 5


class KeyReused(workflow.WorkflowError):
    """The Idempotency-Key was used before for another step or another body."""

    status_code = 422
    code = "idempotency_key_reused"


def body_digest(kind: str, report_id: int, values: dict[str, Any], photo_sha: str) -> str:
    """What makes two sends "the same step": its kind, report, text values and photo."""
    text = {k: v for k, v in sorted(values.items()) if isinstance(v, str | int | float | bool)}
    raw = json.dumps([kind, report_id, text, photo_sha], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def take_once(
    *,
    user: Any,
    key: uuid.UUID,
    kind: str,
    report_id: int,
    digest: str,
    step: Callable[[], workflow.Step],
    answer: Callable[[workflow.Step], dict[str, Any]],
) -> tuple[dict[str, Any], bool]:
    """Take ``step`` unless this key was taken before: (the answer, whether it was taken now).

    The key's row is inserted first, in the step's transaction: a second send of the same key
    waits on the unique index until the first commits, then reads its stored answer. A step
    that fails leaves no row, so its retry is judged afresh.
    """
    earlier = _earlier(user, key, kind, report_id, digest)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            row = FieldAction.objects.create(
                officer=user, key=key, kind=kind, report_id=report_id, body_sha256=digest
            )
            done = step()
            row.response = answer(done)
            row.save(update_fields=["response"])
    except IntegrityError:
        earlier = _earlier(user, key, kind, report_id, digest)
        if earlier is None:
            raise
        return earlier, False
    return row.response, True


def _earlier(
    user: Any, key: uuid.UUID, kind: str, report_id: int, digest: str
) -> dict[str, Any] | None:
    row = FieldAction.objects.filter(officer=user, key=key).first()
    if row is None:
        return None
    if (row.kind, row.report_id, row.body_sha256) != (kind, report_id, digest):
        raise KeyReused(
            "Idempotency-Key ini sudah dipakai untuk langkah lain.",
            "This Idempotency-Key was already used for another step.",
            field="Idempotency-Key",
        )
    return dict(row.response)


def subscribe_push(user: Any, raw: object) -> OfficerPushSubscription:
    """Remember a browser of this officer for dispatch alerts (checked like the residents')."""
    clean = push_subscriptions.check("subscription", raw)
    with transaction.atomic():
        row, _ = OfficerPushSubscription.objects.update_or_create(
            endpoint=clean["endpoint"], defaults={"officer": user, "subscription": clean}
        )
        extra = OfficerPushSubscription.objects.filter(officer=user).order_by("-created_at")[
            MAX_SUBSCRIPTIONS_PER_OFFICER:
        ]
        OfficerPushSubscription.objects.filter(pk__in=[r.pk for r in extra]).delete()
    return row


def unsubscribe_push(user: Any, endpoint: str) -> bool:
    return bool(OfficerPushSubscription.objects.filter(officer=user, endpoint=endpoint).delete()[0])


def create_alerts(assignments: list[UnitAssignment]) -> list[DispatchAlert]:
    """One alert per new assignment, for the officer crewing the unit (in the dispatch's
    transaction); each is queued once the dispatch commits."""
    crews = dict(
        Shift.objects.filter(
            unit_id__in=[a.unit_id for a in assignments], ended_at=None
        ).values_list("unit_id", "officer_id")
    )
    alerts = [
        DispatchAlert(
            assignment=a,
            officer_id=crews.get(a.unit_id),
            state=DispatchAlert.State.PENDING if a.unit_id in crews else DispatchAlert.State.NOBODY,
        )
        for a in assignments
    ]
    made = DispatchAlert.objects.bulk_create(alerts)
    pending = [a.pk for a in made if a.state == DispatchAlert.State.PENDING]
    if pending:
        transaction.on_commit(lambda: _enqueue_all(pending))
    return made


def _enqueue_all(alert_ids: list[int]) -> None:
    for pk in alert_ids:
        enqueue_alert(pk)


def enqueue_alert(alert_id: int) -> bool:
    """Queue the push; a broker outage leaves the alert pending for ``sweep_alerts``."""
    try:
        celery.signature(SEND_ALERT_TASK, args=(alert_id,)).apply_async(retry=False)
    except Exception:
        logger.warning("dispatch alert %s not queued (broker unreachable)", alert_id)
        return False
    return True


def send_alert(alert_id: int) -> str:
    """Push the alert to every browser of its officer; its state afterwards."""
    with transaction.atomic():
        alert = (
            DispatchAlert.objects.select_for_update(skip_locked=True)
            .select_related("assignment__unit", "assignment__report__category")
            .filter(pk=alert_id, state=DispatchAlert.State.PENDING)
            .first()
        )
        if alert is None:
            return "taken"  # sent already, or another worker has it
        DispatchAlert.objects.filter(pk=alert.pk).update(attempts=F("attempts") + 1)
        report = alert.assignment.report
        data = push.payload(
            title=f"Tugas baru / New dispatch: {report.category.name_id}",
            body=f"{alert.assignment.unit.call_sign} · {report.tracking_code} · {report.address}",
            url=reverse("field-app") + f"#insiden/{report.pk}",
            tag=f"klik-dispatch-{alert.assignment_id}",
        )
        errors: list[str] = []
        temporary = False
        for row in OfficerPushSubscription.objects.filter(officer_id=alert.officer_id):
            try:
                push.send(row.subscription, data)
            except push.Gone as exc:
                row.delete()
                errors.append(str(exc))
            except push.TryLater as exc:
                errors.append(str(exc))
                temporary = True
        if temporary and alert.attempts + 1 < ALERT_MAX_ATTEMPTS:
            DispatchAlert.objects.filter(pk=alert.pk).update(last_error="; ".join(errors)[:300])
            return "pending"
        DispatchAlert.objects.filter(pk=alert.pk).update(
            state=DispatchAlert.State.SENT,
            sent_at=timezone.now(),
            last_error="; ".join(errors)[:300],
        )
        return "sent"


def sweep_alerts(*, now: Any = None) -> int:
    """Queue again the alerts left pending (the broker was down, a worker died)."""
    cutoff = (now or timezone.now()) - ALERT_SWEEP_AFTER
    ids = list(
        DispatchAlert.objects.filter(
            state=DispatchAlert.State.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        enqueue_alert(pk)
    return len(ids)
