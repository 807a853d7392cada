"""Repairing an invalid administrative polygon, or refusing it, and saying which and how.

The national and provincial layers keep the source's invalid polygons as published (PROVENANCE:
in West Sumatra 1 kab/kota and 4 kecamatan, all in one island regency, all "Nested shells": an
island ring drawn inside another part of the same multipolygon). The repair reads a
multipolygon as land: each part is made valid on its own (GEOS MakeValid) and the parts are
unioned, so a nested island stays land instead of becoming a hole (what MakeValid of the whole
would do). When the two readings (nested rings as land, or as holes) differ by more than
``MAX_AREA_CHANGE`` of the area, which one the source meant is ambiguous, and the polygon is
refused, as is one that MakeValid leaves without any polygon: the feature is not loaded and
the report says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

from geo_klik.boundaries import topology
from geo_klik.lib import geo

VALID_GEOMETRY = "Valid Geometry"
MAX_AREA_CHANGE = 0.01  # 1 % of the area


@dataclass(frozen=True)
class Outcome:
    """What became of one polygon: kept as is, repaired (with how), or refused (with why)."""

    code: str
    name: str
    action: str  # "valid", "repaired", "refused"
    reason: str = ""  # the GEOS reason it is invalid
    detail: str = ""
    geometry: MultiPolygon | None = None

    def line(self) -> str:
        return f"{self.code} {self.name}: {self.action}: {self.reason}; {self.detail}"


def checked(code: str, name: str, geometry: GEOSGeometry) -> Outcome:
    """``geometry`` as a valid MultiPolygon (repaired when needed), or refused."""
    reason = geometry.valid_reason
    if reason == VALID_GEOMETRY:
        return Outcome(code, name, "valid", geometry=topology.as_multipolygon(geometry))
    shape = topology.to_shapely(geometry)
    parts = list(getattr(shape, "geoms", [shape]))
    polygons = topology.shapely_polygons(
        shapely.unary_union([shapely.make_valid(part) for part in parts])
    )
    if not polygons:
        return Outcome(code, name, "refused", reason, "MakeValid left no polygon")
    repaired = shapely.MultiPolygon(polygons)
    # The other reading: GEOS MakeValid of the whole, where a ring inside another is a hole.
    whole_m2 = _area_m2(shapely.MultiPolygon(topology.shapely_polygons(shapely.make_valid(shape))))
    repaired_m2 = _area_m2(repaired)
    change = abs(repaired_m2 - whole_m2) / repaired_m2 if repaired_m2 else 1.0
    detail = (
        f"{len(parts)} part(s) made valid and unioned into {len(polygons)} polygon(s), "
        f"{repaired_m2 / 1e6:.3f} km² (read as holes instead: {whole_m2 / 1e6:.3f} km², "
        f"{change:.4%} apart)"
    )
    if change > MAX_AREA_CHANGE:
        return Outcome(
            code,
            name,
            "refused",
            reason,
            f"{detail}: over {MAX_AREA_CHANGE:.0%} apart, land or hole is ambiguous; not loaded",
        )
    result = topology.from_shapely(repaired)
    result.srid = geo.WGS84
    if result.valid_reason != VALID_GEOMETRY:
        return Outcome(code, name, "refused", reason, f"{detail}; still invalid")
    return Outcome(
        code, name, "repaired", reason, detail, geometry=topology.as_multipolygon(result)
    )


def _area_m2(shape: shapely.Geometry) -> float:
    """Area in square metres, in the UTM zone of the shape (never in degrees)."""
    geometry = topology.from_shapely(shape)
    geometry.srid = geo.WGS84
    if geometry.empty:
        return 0.0
    return float(geometry.transform(topology.utm_srid_for(geometry), clone=True).area)
