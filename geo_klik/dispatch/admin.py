"""Admin pages of jurisdictions (edited as new versions) and routing decisions.

A jurisdiction's content is never edited in place: the form's coverage, categories and priority
go through ``actions.jurisdictions.save_jurisdiction_version``, which retires the current version
and writes a new one. The coverage is built from whole kota / kecamatan / kelurahan, or pasted as
GeoJSON or WKT in a plain text area, or drawn on a map (OpenLayers served locally: Django's own
widget loads it from a CDN, and geo_klik serves nothing from one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.gis import forms as gis_forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.db import transaction
from django.http import HttpRequest

from geo_klik.boundaries.models import Kecamatan, Kelurahan, Kota
from geo_klik.dispatch import queries
from geo_klik.dispatch.actions import jurisdictions
from geo_klik.dispatch.models import Assignment, Jurisdiction, JurisdictionVersion, RoutingDecision
from geo_klik.lib.admin import ValidInitialMixin
from geo_klik.lib.widgets import OfflineOSMWidget
from geo_klik.reports.models import Category

if TYPE_CHECKING:
    JurisdictionAdminBase = admin.ModelAdmin[Jurisdiction]
    DecisionAdminBase = admin.ModelAdmin[RoutingDecision]
    AssignmentAdminBase = admin.ModelAdmin[Assignment]
    VersionInlineBase = admin.TabularInline[JurisdictionVersion, Jurisdiction]
    AssignmentInlineBase = admin.TabularInline[Assignment, RoutingDecision]
else:  # ModelAdmin and inlines are only subscriptable for the type checker
    JurisdictionAdminBase = DecisionAdminBase = AssignmentAdminBase = admin.ModelAdmin
    VersionInlineBase = AssignmentInlineBase = admin.TabularInline

VERSION_FIELDS: list[str] = [
    "version",
    "is_current",
    "priority",
    "primary_categories",
    "supporting_categories",
    "area_m2",
    "built_from",
    "valid_from",
    "valid_to",
    "note",
]


MAP_WIDGET_ATTRS = {"default_lat": -0.305, "default_lon": 100.37, "default_zoom": 13}


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} — {c}") for c in Category.objects.all()]


class JurisdictionForm(forms.ModelForm):  # type: ignore[type-arg]
    """The jurisdiction's identity, plus the content of the version a save will create."""

    whole_kota = forms.BooleanField(required=False, label="Seluruh kota / whole city")
    kecamatan = forms.MultipleChoiceField(required=False, label="Kecamatan (union)")
    kelurahan = forms.MultipleChoiceField(required=False, label="Kelurahan (union)")
    coverage_map = gis_forms.MultiPolygonField(
        required=False,
        srid=4326,
        label="Gambar di peta / draw on the map",
        widget=OfflineOSMWidget(attrs=MAP_WIDGET_ATTRS),
        help_text="Used when no kota, kecamatan or kelurahan is chosen and the map was changed.",
    )
    coverage_text = forms.CharField(
        required=False,
        label="Coverage (GeoJSON / WKT, WGS84)",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Used when no kota, kecamatan or kelurahan is chosen; empty keeps the current "
        "coverage.",
    )
    primary_categories = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple
    )
    supporting_categories = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple
    )
    priority = forms.IntegerField(initial=10, help_text="Higher wins where several cover a point.")
    note = forms.CharField(required=False, max_length=300, help_text="Why this version.")

    class Meta:
        model = Jurisdiction
        fields = ["code", "agency", "name", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [  # type: ignore[attr-defined]
            (k.code_kemendagri, f"{k.code_kemendagri} {k.name}") for k in Kecamatan.objects.all()
        ]
        self.fields["kelurahan"].choices = [  # type: ignore[attr-defined]
            (k.code_kemendagri, f"{k.code_kemendagri} {k.name}") for k in Kelurahan.objects.all()
        ]
        for name in ("primary_categories", "supporting_categories"):
            self.fields[name].choices = category_choices()  # type: ignore[attr-defined]
        current = self.current_version()
        if current is not None:
            self.initial.update(
                coverage_map=current.coverage,
                primary_categories=current.primary_categories,
                supporting_categories=current.supporting_categories,
                priority=current.priority,
            )
        self.coverage: GEOSGeometry | None = None
        self.built_from = "drawn"

    def current_version(self) -> JurisdictionVersion | None:
        jurisdiction: Jurisdiction = self.instance
        # An unsaved jurisdiction (the add form) has no versions yet.
        return JurisdictionVersion.objects.filter(
            jurisdiction_id=jurisdiction.pk, is_current=True
        ).first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.coverage, self.built_from = self.chosen_coverage(data)
        if self.coverage is None:
            raise forms.ValidationError(
                "Pilih wilayah atau isi coverage. / Choose areas or give a coverage."
            )
        return data

    def chosen_coverage(self, data: dict[str, Any]) -> tuple[GEOSGeometry | None, str]:
        if data.get("whole_kota"):
            kota = Kota.objects.first()
            return (kota.boundary if kota else None), "kota"
        kecamatan, kelurahan = data.get("kecamatan") or [], data.get("kelurahan") or []
        if kecamatan or kelurahan:
            union = queries.union_of_areas(kelurahan_codes=kelurahan, kecamatan_codes=kecamatan)
            parts = [f"kecamatan:{c}" for c in kecamatan] + [f"kelurahan:{c}" for c in kelurahan]
            return union, ",".join(parts)[:200]
        text = (data.get("coverage_text") or "").strip()
        if text:
            return parse_coverage(text), "drawn"
        drawn = data.get("coverage_map")
        if drawn is not None and "coverage_map" in self.changed_data:
            return parse_coverage(drawn.hexewkb.decode()), "drawn"
        current = self.current_version()
        if current is None:
            return None, "drawn"
        return current.coverage, current.built_from


def parse_coverage(text: str) -> MultiPolygon:
    """A valid WGS84 (multi)polygon from GeoJSON or WKT, or a ValidationError naming why."""
    try:
        geometry = GEOSGeometry(text)
    except (GEOSException, ValueError, TypeError) as exc:
        raise forms.ValidationError(
            f"Bukan GeoJSON/WKT yang sah / not valid GeoJSON or WKT: {exc}"
        ) from exc
    if geometry.srid not in (None, 4326):
        raise forms.ValidationError("Coverage must be in WGS84 (EPSG:4326).")
    geometry.srid = 4326
    if not isinstance(geometry, Polygon | MultiPolygon):
        raise forms.ValidationError("Coverage must be a Polygon or MultiPolygon.")
    reason = geometry.valid_reason  # not .valid, which also logs a GEOS notice
    if reason != "Valid Geometry":
        raise forms.ValidationError(f"Invalid polygon: {reason}")
    return jurisdictions.as_multipolygon(geometry)


class VersionInline(VersionInlineBase):
    """Every version of the jurisdiction, read-only: they are history."""

    model = JurisdictionVersion
    fields = tuple(VERSION_FIELDS)
    readonly_fields = tuple(VERSION_FIELDS)
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Jurisdiction)
class JurisdictionAdmin(ValidInitialMixin, JurisdictionAdminBase):
    form = JurisdictionForm
    list_display = ["code", "name", "agency", "active", "current_version", "current_priority"]
    list_filter = ["active", "agency__kind"]
    list_select_related = ["agency"]
    search_fields = ["code", "name", "agency__code", "agency__name_id"]
    autocomplete_fields = ["agency"]
    inlines = [VersionInline]
    fieldsets = [
        (None, {"fields": ["code", "agency", "name", "active"]}),
        (
            "Versi baru / new version (saving writes one if anything below changed)",
            {
                "fields": [
                    "whole_kota",
                    "kecamatan",
                    "kelurahan",
                    "coverage_map",
                    "coverage_text",
                    "primary_categories",
                    "supporting_categories",
                    "priority",
                    "note",
                ]
            },
        ),
    ]

    @admin.display(description="version")
    def current_version(self, jurisdiction: Jurisdiction) -> str:
        current = jurisdiction.versions.filter(is_current=True).first()
        return f"v{current.version}" if current else "-"

    @admin.display(description="priority")
    def current_priority(self, jurisdiction: Jurisdiction) -> str:
        current = jurisdiction.versions.filter(is_current=True).first()
        return str(current.priority) if current else "-"

    def save_model(self, request: HttpRequest, obj: Jurisdiction, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            data = form.cleaned_data
            jurisdictions.save_jurisdiction_version(
                obj,
                coverage=form.coverage,
                primary_categories=list(data["primary_categories"]),
                supporting_categories=list(data["supporting_categories"]),
                priority=data["priority"],
                built_from=form.built_from,
                note=data.get("note") or f"admin: {request.user}",
            )


class ReadOnlyAdminMixin:
    """History is never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AssignmentInline(ReadOnlyAdminMixin, AssignmentInlineBase):
    model = Assignment
    fields = ("agency", "role", "jurisdiction_version", "active", "created_at")
    readonly_fields = ("agency", "role", "jurisdiction_version", "active", "created_at")
    extra = 0


@admin.register(RoutingDecision)
class RoutingDecisionAdmin(ReadOnlyAdminMixin, DecisionAdminBase):
    list_display = ["id", "report", "rule", "is_current", "duration_ms", "note", "created_at"]
    list_filter = ["rule", "is_current", "note"]
    list_select_related = ["report"]
    search_fields = ["report__tracking_code"]
    readonly_fields = [
        "report",
        "rule",
        "candidates",
        "tolerance_m",
        "duration_ms",
        "is_current",
        "created_at",
        "note",
    ]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, AssignmentAdminBase):
    list_display = [
        "id",
        "report",
        "agency",
        "role",
        "active",
        "jurisdiction_version",
        "created_at",
    ]
    list_filter = ["role", "active", "agency"]
    list_select_related = ["report", "agency", "jurisdiction_version__jurisdiction"]
    search_fields = ["report__tracking_code", "agency__code"]
    readonly_fields = [
        "report",
        "agency",
        "role",
        "jurisdiction_version",
        "decision",
        "active",
        "created_at",
    ]
