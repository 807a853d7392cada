"""Admin pages of the directory: listings on an offline map, claims, revisions, promotions.

The moderation admin actions call ``business.actions`` (so the rules and the audit log are the
same as on /usaha/moderasi/); a refused item is reported, the others go through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from geo_klik.boundaries import cities
from geo_klik.boundaries.queries import kelurahan_for_point
from geo_klik.business.models import Business, Claim, Promotion, Revision
from geo_klik.lib import geo, opening_hours
from geo_klik.lib.widgets import OfflineOSMWidget
from geo_klik.moderation.admin import action

if TYPE_CHECKING:
    ClaimAdminBase = admin.ModelAdmin[Claim]
    RevisionAdminBase = admin.ModelAdmin[Revision]
else:  # ModelAdmin is only subscriptable for the type checker
    ClaimAdminBase = RevisionAdminBase = admin.ModelAdmin

MAP_ATTRS = {"attrs": {"default_lat": -0.305, "default_lon": 100.37, "default_zoom": 14}}
ADMIN_REASON = "Diputuskan lewat admin. / Decided in the admin."


class BusinessForm(forms.ModelForm):  # type: ignore[type-arg]
    # Typed without a scheme means https (Django 6's default; says so already).
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Business
        fields = [
            "slug",
            "name",
            "category",
            "description_id",
            "description_en",
            "address",
            "location",
            "location_approximate",
            "phone",
            "whatsapp",
            "email",
            "website",
            "opening_hours",
            "owner",
            "proposed_by",
            "proposer_is_owner",
            "status",
            "moderation_reason",
            "is_demo",
            "verified",
        ]

    def clean_location(self) -> Any:
        location = self.cleaned_data.get("location")
        if location is not None:
            lat, lon = geo.lat_lon(location)
            if kelurahan_for_point(lat, lon) is None:
                city = cities.served().name
                raise forms.ValidationError(
                    f"Lokasi di luar {city}. / The location is outside {city}."
                )
        return location

    def clean_opening_hours(self) -> Any:
        return opening_hours.validate(self.cleaned_data.get("opening_hours"))


class MapAdmin(GISModelAdmin):
    """Points on a map drawn with OpenLayers served locally (Django's default uses a CDN)."""

    gis_widget = OfflineOSMWidget  # type: ignore[assignment]  # stubs type it as an instance
    gis_widget_kwargs = MAP_ATTRS


class ClaimInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Claim
    extra = 0
    fields = ["user", "status", "contact_phone", "created_at", "reason"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]


@admin.register(Business)
class BusinessAdmin(MapAdmin):
    form = BusinessForm
    list_display = [
        "name",
        "category",
        "status",
        "kelurahan",
        "owner",
        "verified",
        "is_demo",
        "updated_at",
    ]
    list_filter = ["status", "category", "verified", "is_demo", "kelurahan"]
    list_select_related = ["kelurahan", "owner"]
    search_fields = ["name", "slug", "description_id", "description_en", "address"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["owner", "proposed_by"]
    readonly_fields = ["kelurahan", "created_at", "updated_at"]
    inlines = [ClaimInline]
    actions = ["approve", "hide", "unhide", "mark_verified"]

    def save_model(self, request: HttpRequest, obj: Business, form: Any, change: bool) -> None:
        lat, lon = geo.lat_lon(obj.location)
        obj.kelurahan = kelurahan_for_point(lat, lon)
        super().save_model(request, obj, form, change)

    approve = action("approve", "Setujui usulan / Approve proposed listings")
    hide = action("hide", "Sembunyikan / Hide", reason=ADMIN_REASON)
    unhide = action("unhide", "Tampilkan lagi / Unhide")

    @admin.action(description="Tandai terverifikasi / Mark verified")
    def mark_verified(self, request: HttpRequest, rows: QuerySet[Business]) -> None:
        count = rows.update(verified=True)
        self.message_user(request, f"{count} ✔", messages.SUCCESS)


@admin.register(Claim)
class ClaimAdmin(ClaimAdminBase):
    list_display = ["business", "user", "status", "contact_phone", "created_at", "reviewed_by"]
    list_filter = ["status"]
    list_select_related = ["business", "user", "reviewed_by"]
    search_fields = ["business__name", "user__username", "message"]
    raw_id_fields = ["business", "user", "reviewed_by"]
    readonly_fields = ["created_at"]
    actions = ["approve", "reject"]

    approve = action("approve", "Setujui klaim / Approve claims")
    reject = action("reject", "Tolak klaim / Reject claims", reason=ADMIN_REASON)


@admin.register(Revision)
class RevisionAdmin(RevisionAdminBase):
    list_display = ["business", "author", "status", "changed_fields", "stale", "created_at"]
    list_filter = ["status"]
    list_select_related = ["business", "author"]
    search_fields = ["business__name", "author__username"]
    raw_id_fields = ["business", "author", "reviewed_by"]
    readonly_fields = ["created_at", "base"]
    actions = ["approve", "reject"]

    @admin.display(description="fields")
    def changed_fields(self, revision: Revision) -> str:
        return ", ".join(sorted(revision.changes))

    @admin.display(description="stale", boolean=True)
    def stale(self, revision: Revision) -> bool:
        return revision.is_stale

    approve = action("approve", "Setujui (bukan yang usang) / Approve (not stale ones)")
    reject = action("reject", "Tolak / Reject", reason=ADMIN_REASON)


@admin.register(Promotion)
class PromotionAdmin(MapAdmin):
    list_display = ["title_id", "business", "kind", "status", "starts_at", "ends_at", "is_demo"]
    list_filter = ["status", "kind", "is_demo"]
    list_select_related = ["business"]
    search_fields = ["title_id", "title_en", "business__name"]
    raw_id_fields = ["business", "author", "reviewed_by"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["approve", "reject", "hide", "unhide"]

    approve = action("approve", "Setujui / Approve")
    reject = action("reject", "Tolak / Reject", reason=ADMIN_REASON)
    hide = action("hide", "Sembunyikan / Hide", reason=ADMIN_REASON)
    unhide = action("unhide", "Tampilkan lagi / Unhide")
