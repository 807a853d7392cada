"""DRF serializers of the public dispatch API: agencies, jurisdictions (GeoJSON), and the public
view of a report with where it went and why."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo_klik.agencies.models import Agency
from geo_klik.dispatch import queries
from geo_klik.dispatch.models import Assignment, JurisdictionVersion, RoutingDecision
from geo_klik.reports import queries as report_queries
from geo_klik.reports import serializers as report_serializers
from geo_klik.reports.models import Report

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


class PublicReportSerializer(report_serializers.PublicReportBaseSerializer):
    """GET /api/reports/<tracking_code>/: what anyone holding the code may see.

    The intake's fields, plus where the report went and why (from ``queries.public_report``).
    """

    agencies = serializers.SerializerMethodField()
    routing = serializers.SerializerMethodField()

    class Meta(report_serializers.PublicReportBaseSerializer.Meta):
        fields = [
            "tracking_code",
            "status",
            "category",
            "kelurahan",
            "address",
            "location",
            "agencies",
            "routing",
            "photos",
            "created_at",
            "updated_at",
            "routed_at",
            "resolved_at",
            "expected_resolution",
            "supporters",
            "rating",
            "reopen_until",
            "timeline",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "primary": {"type": "object", "nullable": True},
                "supporting": {"type": "array", "items": {"type": "object"}},
            },
        }
    )
    def get_agencies(self, report: Report) -> dict[str, Any]:
        assignments: list[Assignment] = getattr(report, "active_assignments", [])
        primary = [agency_json(a) for a in assignments if a.role == Assignment.Role.PRIMARY]
        return {
            "primary": primary[0] if primary else None,
            "supporting": [
                agency_json(a) for a in assignments if a.role == Assignment.Role.SUPPORTING
            ],
        }

    def get_routing(self, report: Report) -> dict[str, Any] | None:
        decisions: list[RoutingDecision] = getattr(report, "current_decisions", [])
        if not decisions:
            return None
        return routing_json(decisions[0], getattr(report, "active_assignments", []), report)

    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        routed = queries.routing_timeline(report)
        return [
            report_serializers.timeline_json(entry)
            for entry in report_queries.timeline(report, routed)
        ]


def agency_json(assignment: Assignment) -> dict[str, Any]:
    agency = assignment.agency
    return {
        "code": agency.code,
        "name_id": agency.name_id,
        "name_en": agency.name_en,
        "short_name": agency.short_name,
        "role": assignment.role,
    }


def routing_json(
    decision: RoutingDecision, assignments: list[Assignment], report: Report
) -> dict[str, Any]:
    """The public part of a routing decision: rule, a sentence, the versions chosen.

    Not the other candidates or their distances: those are for staff.
    """
    rule_id, rule_en = report_serializers.bilingual(RoutingDecision.Rule(decision.rule).label)
    primary = next((a for a in assignments if a.role == Assignment.Role.PRIMARY), None)
    explanation_id, explanation_en = explain(decision, primary)
    return {
        "rule": decision.rule,
        "rule_name_id": rule_id,
        "rule_name_en": rule_en,
        "explanation": explanation_id,
        "explanation_en": explanation_en,
        "jurisdictions": [
            {
                "code": a.jurisdiction_version.jurisdiction.code,
                "version": a.jurisdiction_version.version,
                "agency": a.agency.code,
                "role": a.role,
            }
            for a in assignments
            if a.jurisdiction_version is not None
        ],
        "decided_at": serializers.DateTimeField().to_representation(decision.created_at),
    }


def explain(decision: RoutingDecision, primary: Assignment | None) -> tuple[str, str]:
    """One short sentence per language saying why the report went where it went."""
    name_id = primary.agency.name_id if primary else "Command Center"
    name_en = primary.agency.name_en if primary else "the Command Center"
    rule = decision.rule
    if rule == RoutingDecision.Rule.COVERS:
        return (
            f"Lokasi laporan berada di dalam wilayah tugas {name_id} untuk kategori ini.",
            f"The report's location is inside the area {name_en} covers for this category.",
        )
    if rule == RoutingDecision.Rule.NEAREST:
        tolerance = f"{decision.tolerance_m:g}"
        return (
            f"Lokasi laporan sedikit di luar semua wilayah tugas; laporan diteruskan ke wilayah "
            f"terdekat dalam {tolerance} m, yaitu {name_id}.",
            f"The report's location is just outside every jurisdiction; it went to the nearest "
            f"one within {tolerance} m, {name_en}.",
        )
    if rule == RoutingDecision.Rule.TRIAGE:
        return (
            "Tidak ada wilayah tugas yang mencakup lokasi ini; Command Center menelaah dan "
            "meneruskan laporan.",
            "No jurisdiction covers this location; the Command Center reviews and forwards "
            "the report.",
        )
    return (
        f"Petugas mengalihkan laporan ini ke {name_id}.",
        f"Staff transferred this report to {name_en}.",
    )
