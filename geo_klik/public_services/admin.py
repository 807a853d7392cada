"""Admin of offices (positions on an offline map) and services with their documents and steps.

A seeded office is marked "approximate position": drag its pin to the real entrance on the map
and untick *location approximate*; the list filter finds the offices still to be checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.db import models

from geo_klik.lib.admin import ValidInitialMixin
from geo_klik.lib.widgets import OfflineOSMWidget
from geo_klik.public_services.models import Office, Requirement, Service, Step

if TYPE_CHECKING:
    ServiceAdminBase = admin.ModelAdmin[Service]
    RequirementInlineBase = admin.TabularInline[Requirement, Service]
    StepInlineBase = admin.TabularInline[Step, Service]
else:  # ModelAdmin and inlines are only subscriptable for the type checker
    ServiceAdminBase = admin.ModelAdmin
    RequirementInlineBase = StepInlineBase = admin.TabularInline


@admin.register(Office)
class OfficeAdmin(ValidInitialMixin, GISModelAdmin):
    gis_widget = OfflineOSMWidget  # type: ignore[assignment]  # stubs type it as an instance
    gis_widget_kwargs = {
        "attrs": {"default_lat": -0.305, "default_lon": 100.37, "default_zoom": 13}
    }
    # A URL typed without a scheme means https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "kelurahan", "kecamatan", "location_approximate", "active"]
    list_filter = ["kind", "location_approximate", "active"]
    list_select_related = ["kelurahan", "kecamatan"]
    search_fields = ["name", "slug", "address", "kelurahan__name", "kecamatan__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["kelurahan", "kecamatan"]
    filter_horizontal = ["service_area"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "active"]}),
        ("Wilayah / area", {"fields": ["kelurahan", "kecamatan", "service_area"]}),
        ("Posisi / position", {"fields": ["location", "location_approximate", "address"]}),
        (
            "Kontak dan jam / contact and hours",
            {"fields": ["phone", "email", "website", "opening_hours"]},
        ),
        ("Catatan / notes", {"fields": ["notes_id", "notes_en", "updated_at"]}),
    ]


class RequirementInline(RequirementInlineBase):
    model = Requirement
    extra = 1
    fields = [
        "order",
        "name_id",
        "name_en",
        "copy_kind",
        "count",
        "condition_id",
        "condition_en",
        "note_id",
        "note_en",
    ]


class StepInline(StepInlineBase):
    model = Step
    extra = 1
    fields = ["order", "text_id", "text_en"]


@admin.register(Service)
class ServiceAdmin(ServiceAdminBase):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name_id", "topic", "fee_rp", "days_min", "days_max", "last_verified", "active"]
    list_filter = ["topic", "active", ("last_verified", admin.EmptyFieldListFilter)]
    search_fields = ["name_id", "name_en", "slug", "summary_id", "summary_en"]
    prepopulated_fields = {"slug": ["name_id"]}
    filter_horizontal = ["apply_at_offices"]
    readonly_fields = ["updated_at"]
    inlines = [RequirementInline, StepInline]
    fieldsets = [
        (None, {"fields": ["name_id", "name_en", "slug", "topic", "order", "active"]}),
        ("Isi / content", {"fields": ["summary_id", "summary_en", "audience_id", "audience_en"]}),
        (
            "Biaya dan waktu / fee and time",
            {
                "fields": [
                    "fee_rp",
                    "fee_note_id",
                    "fee_note_en",
                    "days_min",
                    "days_max",
                    "time_note_id",
                    "time_note_en",
                ]
            },
        ),
        (
            "Hasil dan dasar hukum / output and legal basis",
            {"fields": ["output_id", "output_en", "legal_basis"]},
        ),
        (
            "Tempat dan daring / where and online",
            {
                "fields": [
                    "apply_at_kinds",
                    "apply_at_offices",
                    "online_url",
                    "online_note_id",
                    "online_note_en",
                ]
            },
        ),
        (
            "Verifikasi / verification",
            {"fields": ["last_verified", "verify_note_id", "verify_note_en", "updated_at"]},
        ),
    ]
