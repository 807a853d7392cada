"""Writes of jurisdictions: a new version of an area of responsibility, cut for lookups."""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.db import connection, transaction
from django.utils import timezone

from geo_klik.dispatch.models import Jurisdiction, JurisdictionVersion

# Vertices per piece when cutting coverage for lookups: small pieces make covers() cheap.
SUBDIVIDE_MAX_VERTICES = 64


def as_multipolygon(geometry: GEOSGeometry) -> MultiPolygon:
    if isinstance(geometry, MultiPolygon):
        return geometry
    if isinstance(geometry, Polygon):
        return MultiPolygon(geometry, srid=geometry.srid)
    polygons = [g for g in geometry if isinstance(g, Polygon)]  # type: ignore[attr-defined]
    return MultiPolygon(*polygons, srid=geometry.srid)


def save_jurisdiction_version(
    jurisdiction: Jurisdiction,
    *,
    coverage: GEOSGeometry,
    primary_categories: list[str],
    supporting_categories: list[str],
    priority: int,
    built_from: str = "drawn",
    note: str = "",
) -> JurisdictionVersion:
    """Make this the current version of the jurisdiction, unless it already is.

    The previous version is retired, never changed, so earlier routing decisions keep their
    explanation.
    """
    coverage = as_multipolygon(coverage)
    coverage.srid = coverage.srid or 4326
    with transaction.atomic():
        Jurisdiction.objects.select_for_update().get(pk=jurisdiction.pk)
        current = jurisdiction.versions.filter(is_current=True).first()
        if current is not None and (
            current.coverage.equals_exact(coverage, tolerance=1e-9)
            and sorted(current.primary_categories) == sorted(primary_categories)
            and sorted(current.supporting_categories) == sorted(supporting_categories)
            and current.priority == priority
        ):
            return current
        number = 1
        if current is not None:
            number = current.version + 1
            current.is_current = False
            current.valid_to = timezone.now()
            current.save(update_fields=["is_current", "valid_to"])
            current.pieces.all().delete()
        version = JurisdictionVersion.objects.create(
            jurisdiction=jurisdiction,
            version=number,
            coverage=coverage,
            primary_categories=sorted(primary_categories),
            supporting_categories=sorted(supporting_categories),
            priority=priority,
            built_from=built_from,
            note=note,
        )
        cut_into_pieces(version)
    return version


def cut_into_pieces(version: JurisdictionVersion) -> None:
    """Store the version's area (m²) and its coverage cut with ST_Subdivide for lookups."""
    # Set-based SQL: GeoDjango has no ST_Subdivide, and the pieces never leave the database.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO dispatch_jurisdictionpiece (version_id, piece)
            SELECT v.id, (ST_Dump(ST_Subdivide(v.coverage, %s))).geom
            FROM dispatch_jurisdictionversion v WHERE v.id = %s
            """,
            [SUBDIVIDE_MAX_VERTICES, version.pk],
        )
        cursor.execute(
            """
            UPDATE dispatch_jurisdictionversion SET area_m2 = ST_Area(coverage::geography)
            WHERE id = %s RETURNING area_m2
            """,
            [version.pk],
        )
        row = cursor.fetchone()
    version.area_m2 = float(row[0]) if row else 0.0
