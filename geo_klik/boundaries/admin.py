"""Admin pages for kota, kecamatan and kelurahan; their boundaries come from load_boundaries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from geo_klik.boundaries.models import (
    BoundaryImport,
    Kecamatan,
    Kelurahan,
    Kota,
    NeighbourDesa,
    NeighbourRegion,
)
from geo_klik.lib.widgets import OfflineOSMWidget

if TYPE_CHECKING:
    ImportAdminBase = admin.ModelAdmin[BoundaryImport]
else:  # ModelAdmin is only subscriptable for the type checker
    ImportAdminBase = admin.ModelAdmin

# ``name_variants`` is an array; Django searches it as text (name_variants::text ILIKE ...), so
# "Guguk" finds Kecamatan Guguak Panjang through its BPS spelling.
NAME_SEARCH = ["name", "name_variants", "code_kemendagri", "code_bps"]


class BoundaryAdmin(GISModelAdmin):
    """Boundaries on a map drawn with OpenLayers served locally (Django's default uses a CDN)."""

    gis_widget = OfflineOSMWidget  # type: ignore[assignment]  # stubs type it as an instance
    gis_widget_kwargs = {
        "attrs": {"default_lat": -0.305, "default_lon": 100.37, "default_zoom": 13}
    }


@admin.register(Kota)
class KotaAdmin(BoundaryAdmin):
    list_display = ["name", "province", "code_kemendagri", "code_bps", "boundary_derived"]
    search_fields = ["name", "code_kemendagri", "code_bps"]
    readonly_fields = ["updated_at"]


@admin.register(Kecamatan)
class KecamatanAdmin(BoundaryAdmin):
    list_display = ["name", "code_kemendagri", "code_bps", "kota", "variants", "boundary_derived"]
    list_filter = ["kota"]
    list_select_related = ["kota"]
    search_fields = NAME_SEARCH
    readonly_fields = ["updated_at"]

    @admin.display(description="name variants")
    def variants(self, kecamatan: Kecamatan) -> str:
        return ", ".join(kecamatan.name_variants)


@admin.register(Kelurahan)
class KelurahanAdmin(BoundaryAdmin):
    list_display = ["name", "code_kemendagri", "code_bps", "kecamatan", "area_ha", "variants"]
    list_filter = ["kecamatan"]
    list_select_related = ["kecamatan"]
    search_fields = [*NAME_SEARCH, "kecamatan__name"]
    readonly_fields = ["area_m2", "updated_at"]

    @admin.display(description="area (ha)", ordering="area_m2")
    def area_ha(self, kelurahan: Kelurahan) -> str:
        return f"{kelurahan.area_m2 / 10_000:.2f}"

    @admin.display(description="name variants")
    def variants(self, kelurahan: Kelurahan) -> str:
        return ", ".join(kelurahan.name_variants)


@admin.register(BoundaryImport)
class BoundaryImportAdmin(ImportAdminBase):
    list_display = ["imported_at", "source", "layer_name", "kelurahan_count", "repaired"]
    readonly_fields = [f.name for f in BoundaryImport._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(NeighbourRegion)
class NeighbourRegionAdmin(BoundaryAdmin):
    """Neighbouring kab/kota: the contact residents are told about is edited here (a reload of
    the boundaries never overwrites it); the polygon comes from the provincial layer."""

    list_display = ["name", "code_kemendagri", "contact_name", "contact_phone", "contact_email"]
    search_fields = ["name", "code_kemendagri", "contact_name"]
    readonly_fields = ["code_kemendagri", "name", "province", "source", "updated_at"]
    fields = [
        "code_kemendagri",
        "name",
        "province",
        "contact_name",
        "contact_phone",
        "contact_email",
        "contact_url",
        "source",
        "updated_at",
    ]


@admin.register(NeighbourDesa)
class NeighbourDesaAdmin(BoundaryAdmin):
    list_display = ["name", "code_kemendagri", "kecamatan_name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "code_kemendagri", "kecamatan_name"]
    readonly_fields = ["updated_at"]
