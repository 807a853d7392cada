"""DRF serializers of the public dispatch API: agencies and jurisdictions (GeoJSON)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo_klik.agencies.models import Agency
from geo_klik.dispatch.models import JurisdictionVersion

# 6 decimals of a degree is about 0.1 m: finer than any boundary survey, a third smaller.
COORDINATE_DECIMALS = 6


@extend_schema_field(
    {
        "type": "object",
        "description": "A GeoJSON MultiPolygon (WGS84, [lon, lat]).",
        "properties": {
            "type": {"type": "string", "enum": ["MultiPolygon"]},
            "coordinates": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "array", "items": {}}},
            },
        },
    }
)
class CoverageField(GeometryField):  # type: ignore[misc]
    """A coverage, possibly simplified, as GeoJSON."""


class AgencySerializer(serializers.ModelSerializer[Agency]):
    kind = serializers.SerializerMethodField()
    # DRF pops declared fields from the class, so "parent" does not shadow Field.parent.
    parent: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kecamatan: Any = serializers.SlugRelatedField(slug_field="code_kemendagri", read_only=True)
    kelurahan: Any = serializers.SlugRelatedField(slug_field="code_kemendagri", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "name_id",
            "name_en",
            "short_name",
            "kind",
            "parent",
            "kecamatan",
            "kelurahan",
            "is_triage",
            "email",
            "phone",
        ]

    def get_kind(self, agency: Agency) -> dict[str, str]:
        label = str(Agency.Kind(agency.kind).label)
        name_id, _, name_en = label.partition(" / ")
        return {"code": agency.kind, "name_id": name_id, "name_en": name_en or name_id}


class JurisdictionFeatureSerializer(GeoFeatureModelSerializer):  # type: ignore[misc]
    """A current jurisdiction version as a GeoJSON Feature; ``shape`` may be simplified."""

    coverage = CoverageField(source="shape", precision=COORDINATE_DECIMALS)
    code = serializers.CharField(source="jurisdiction.code")
    name = serializers.CharField(source="jurisdiction.name")
    agency = serializers.CharField(source="jurisdiction.agency.code")
    categories = serializers.SerializerMethodField()

    class Meta:
        model = JurisdictionVersion
        geo_field = "coverage"
        id_field = False
        fields = [
            "code",
            "name",
            "agency",
            "version",
            "categories",
            "priority",
            "area_m2",
            "built_from",
            "valid_from",
        ]

    def get_categories(self, version: JurisdictionVersion) -> dict[str, Any]:
        return {
            "primary": list(version.primary_categories),
            "supporting": list(version.supporting_categories),
        }
