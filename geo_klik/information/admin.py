"""Admin pages of places and announcements, with the offline map widget for their points."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from geo_klik.information import actions
from geo_klik.information.models import Announcement, Place
from geo_klik.lib.admin import ValidInitialMixin
from geo_klik.lib.widgets import OfflineOSMWidget


class MapAdmin(GISModelAdmin):
    """Points on a map drawn with OpenLayers served locally (Django's default uses a CDN)."""

    gis_widget = OfflineOSMWidget  # type: ignore[assignment]  # stubs type it as an instance
    gis_widget_kwargs = {
        "attrs": {"default_lat": -0.305, "default_lon": 100.37, "default_zoom": 14}
    }


@admin.register(Place)
class PlaceAdmin(MapAdmin):
    # A website typed without a scheme means https (Django 6's default; says so already).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name",
        "category",
        "kelurahan",
        "location_approximate",
        "hours_confirmed",
        "is_demo",
        "updated_at",
    ]
    list_filter = ["category", "location_approximate", "hours_confirmed", "is_demo", "kelurahan"]
    list_select_related = ["kelurahan"]
    search_fields = ["name", "name_en", "slug", "description_id", "description_en", "address"]
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ["kelurahan_name", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "slug", "category", "is_demo"]}),
        ("Deskripsi / Description", {"fields": ["description_id", "description_en"]}),
        (
            "Lokasi / Location",
            {"fields": ["location", "location_approximate", "address", "kelurahan_name"]},
        ),
        (
            "Jam buka dan harga / Hours and price",
            {"fields": ["opening_hours", "hours_confirmed", "price_note_id", "price_note_en"]},
        ),
        ("Kontak / Contact", {"fields": ["phone", "website", "updated_at"]}),
    ]

    @admin.display(description="kelurahan (from the point)")
    def kelurahan_name(self, place: Place) -> str:
        if place._state.adding:
            return "—"
        return place.kelurahan.name if place.kelurahan else "di luar kota / outside the city"

    def save_model(self, request: HttpRequest, obj: Place, form: Any, change: bool) -> None:
        actions.save_place(obj)


class AnnouncementState(admin.SimpleListFilter):
    """Current, scheduled or expired, at the time of the request."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("current", "berlaku / current"),
            ("scheduled", "terjadwal / scheduled"),
            ("expired", "berakhir / expired"),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Announcement]
    ) -> QuerySet[Announcement]:
        now = timezone.now()
        if self.value() == "current":
            return queryset.filter(
                Q(expires_at__isnull=True) | Q(expires_at__gt=now), published_at__lte=now
            )
        if self.value() == "scheduled":
            return queryset.filter(published_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(expires_at__lte=now)
        return queryset


STATE_LABELS = {
    "current": "berlaku / current",
    "scheduled": "terjadwal / scheduled",
    "expired": "berakhir / expired",
}


@admin.register(Announcement)
class AnnouncementAdmin(ValidInitialMixin, MapAdmin):
    list_display = [
        "title_id",
        "state",
        "is_important",
        "scope",
        "kelurahan",
        "published_at",
        "expires_at",
        "is_demo",
    ]
    list_filter = [AnnouncementState, "is_important", "scope", "is_demo"]
    list_select_related = ["kelurahan", "agency"]
    search_fields = ["title_id", "title_en", "body_id", "body_en", "issuer"]
    raw_id_fields = ["kelurahan"]
    autocomplete_fields = ["agency"]
    date_hierarchy = "published_at"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title_id", "title_en", "body_id", "body_en", "is_important"]}),
        ("Waktu / When", {"fields": ["published_at", "expires_at"]}),
        (
            "Cakupan dan lokasi / Scope and location",
            {"fields": ["scope", "kelurahan", "location", "location_approximate"]},
        ),
        (
            "Penerbit / Issuer",
            {"fields": ["agency", "issuer", "is_demo", "code", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description="status")
    def state(self, announcement: Announcement) -> str:
        return STATE_LABELS[announcement.state()]

    def save_model(self, request: HttpRequest, obj: Announcement, form: Any, change: bool) -> None:
        actions.save_announcement(obj)
