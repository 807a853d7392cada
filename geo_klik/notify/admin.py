"""Read-only admin of reporter messages and deliveries: no contact details are shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from geo_klik.notify.models import Delivery, Message


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Delivery
    fields = ("channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ("id", "report", "language", "not_before", "sealed_at", "created_at")
    list_filter = ("language", "deliveries__status", "deliveries__channel")
    search_fields = ("report__tracking_code",)
    fields = ("report", "language", "not_before", "sealed_at", "created_at", "events")
    readonly_fields = fields
    list_select_related = ("report",)
    inlines = (DeliveryInline,)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ("id", "report_code", "channel", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "channel")
    search_fields = ("message__report__tracking_code",)
    fields = (
        "message",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    readonly_fields = fields
    list_select_related = ("message__report",)

    @admin.display(description="report", ordering="message__report__tracking_code")
    def report_code(self, obj: Delivery) -> str:
        return obj.message.report.tracking_code
