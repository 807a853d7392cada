"""Read-only admin of area alerts' news and deliveries: never an address or push endpoint."""

from __future__ import annotations

from django.contrib import admin

from geo_klik.alerts.models import AlertDelivery, AlertTrigger
from geo_klik.notify.admin import ReadOnly


@admin.register(AlertTrigger)
class AlertTriggerAdmin(ReadOnly):
    list_display = ("id", "report_code", "kind", "occurred_at", "fanned_out_at")
    list_filter = ("kind",)
    search_fields = ("report__tracking_code",)
    fields = ("report", "kind", "occurred_at", "fanned_out_at", "created_at")
    readonly_fields = fields
    list_select_related = ("report",)

    @admin.display(description="report", ordering="report__tracking_code")
    def report_code(self, obj: AlertTrigger) -> str:
        return obj.report.tracking_code


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(ReadOnly):
    # The subscription by id and channel only: its address is the subscriber's alone.
    list_display = (
        "id",
        "kind",
        "subscription_id",
        "channel",
        "trigger_id",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    )
    list_filter = ("kind", "status", "subscription__channel")
    fields = (
        "kind",
        "subscription_id",
        "trigger",
        "digest_day",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    readonly_fields = fields
    list_select_related = ("subscription",)

    @admin.display(description="channel", ordering="subscription__channel")
    def channel(self, obj: AlertDelivery) -> str:
        return obj.subscription.channel
