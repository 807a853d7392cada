"""Signal receivers of area alerts: a report's first routing or resolution becomes news."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from geo_klik.alerts import actions
from geo_klik.reports.models import ReportEvent

EVENT_RECEIVER = "alerts-report-event"


@receiver(post_save, sender=ReportEvent, dispatch_uid=EVENT_RECEIVER)
def event_saved(*, instance: ReportEvent, created: bool, **kwargs: Any) -> None:
    # In the status change's own transaction: the trigger commits with it, and only the
    # queueing waits for the commit (the sweep covers a broker that is down).
    if created:
        actions.record_trigger(instance)
