"""Admin pages: KLIK categories are edited here; reports are read here and worked elsewhere.

Report rows are read-only in the admin: every change of a report's status goes through
``actions.change_status`` (the operators' console and API), so its timeline stays whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from geo_klik.reports.models import Category, Report, ReportEvent, ReportPhoto

if TYPE_CHECKING:
    CategoryAdminBase = admin.ModelAdmin[Category]
    ReportAdminBase = admin.ModelAdmin[Report]
    EventInlineBase = admin.TabularInline[ReportEvent, Report]
    PhotoInlineBase = admin.TabularInline[ReportPhoto, Report]
else:  # ModelAdmin and inlines are only subscriptable for the type checker
    CategoryAdminBase = ReportAdminBase = admin.ModelAdmin
    EventInlineBase = PhotoInlineBase = admin.TabularInline


@admin.register(Category)
class CategoryAdmin(CategoryAdminBase):
    list_display = [
        "code",
        "icon",
        "name_id",
        "name_en",
        "priority",
        "ack_target",
        "resolve_target",
        "sensitive",
        "active",
        "sort_order",
    ]
    list_editable = ["active", "sort_order"]
    list_filter = ["priority", "sensitive", "active"]
    search_fields = ["code", "name_id", "name_en"]

    def get_readonly_fields(self, request: HttpRequest, obj: Category | None = None) -> Any:
        # The code is what jurisdictions, Open311 services and clients refer to: fixed once made.
        return ["code"] if obj is not None else []


class ReadOnlyInline:
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(ReadOnlyInline, EventInlineBase):
    model = ReportEvent
    fields = readonly_fields = (
        "created_at",
        "kind",
        "actor",
        "status_from",
        "status_to",
        "agency",
        "note",
        "public",
    )


class PhotoInline(ReadOnlyInline, PhotoInlineBase):
    model = ReportPhoto
    fields = readonly_fields = ("image", "content_type", "width", "height", "sha256")


@admin.register(Report)
class ReportAdmin(ReportAdminBase):
    list_display = ["tracking_code", "category", "status", "kelurahan", "source", "created_at"]
    list_filter = ["status", "category", "source", "kelurahan__kecamatan"]
    list_select_related = ["category", "kelurahan"]
    search_fields = ["tracking_code"]
    date_hierarchy = "created_at"
    inlines = [EventInline, PhotoInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
