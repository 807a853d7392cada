"""Signal receivers of the notify app: a public report event becomes a message to its reporter."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.db.models.signals import post_save
from django.dispatch import receiver

from geo_klik.notify import actions
from geo_klik.notify.channels import base
from geo_klik.reports import contact as contact_rules
from geo_klik.reports.models import Report, ReportEvent

EVENT_RECEIVER = "notify-report-event"


@receiver(post_save, sender=ReportEvent, dispatch_uid=EVENT_RECEIVER)
def event_saved(*, instance: ReportEvent, created: bool, **kwargs: Any) -> None:
    # In the event's own transaction: the event and its place in a message commit together;
    # only the queueing waits for the commit (and the sweep covers a broker that is down).
    if created and (message := actions.attach_events(instance.report_id, [instance])):
        actions.queue_seal(message)


@receiver(setting_changed)
def _reset_channels(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("NOTIFY_"):
        base.reset_registry()


@receiver(contact_rules.contact_given, dispatch_uid="notify-contact-given")
def _contact_given(*, report: Report, contact: dict[str, Any], **kwargs: Any) -> None:
    # Channels the server cannot use are dropped rather than refused: the report is accepted.
    try:
        actions.set_contact(report, contact, with_report=True)
    except actions.ChannelUnusable as exc:
        chosen = [n for n in contact.get("channels") or [] if n not in exc.names]
        actions.set_contact(report, {**contact, "channels": chosen}, with_report=True)
