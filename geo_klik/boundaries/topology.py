"""Measuring kelurahan polygons in metres: their areas, overlaps between them, gaps inside the city.

Everything is measured in the UTM zone of the layer (EPSG:32747, UTM 47S, for Bukittinggi), never
in degrees. Within one zone the area error is under 0.1 %; PROVENANCE.md cross-checked the shared
data against an equal-area projection to 0.02 %.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.contrib.gis.geos import GeometryCollection, GEOSGeometry, MultiPolygon, Point, Polygon

from geo_klik.lib import geo

# Overlaps and gaps smaller than this are coordinate-rounding slivers (the primary layer, rounded
# to 1 mm, has three overlaps totalling 0.004 m²). They are counted, not listed.
SLIVER_M2 = 1.0


@dataclass(frozen=True)
class Overlap:
    """Two kelurahan whose polygons share area."""

    code_a: str
    name_a: str
    code_b: str
    name_b: str
    area_m2: float


@dataclass(frozen=True)
class Gap:
    """A hole inside the union of all kelurahan: land that belongs to no kelurahan."""

    area_m2: float
    lat: float
    lon: float


@dataclass
class Topology:
    """Areas, overlaps and gaps of one set of kelurahan polygons."""

    utm_srid: int
    areas_m2: dict[str, float] = field(default_factory=dict)
    city_area_m2: float = 0.0
    overlaps: list[Overlap] = field(default_factory=list)
    overlap_slivers: list[float] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    gap_slivers: list[float] = field(default_factory=list)

    @property
    def overlap_area_m2(self) -> float:
        return sum(overlap.area_m2 for overlap in self.overlaps)

    @property
    def gap_area_m2(self) -> float:
        return sum(gap.area_m2 for gap in self.gaps)


def polygons(geometries: Iterable[GEOSGeometry]) -> list[Polygon]:
    """Every Polygon in ``geometries``; collections (MakeValid's output) are flattened."""
    flat: list[Polygon] = []
    for geometry in geometries:
        if isinstance(geometry, Polygon):
            flat.append(geometry)
        elif isinstance(geometry, GeometryCollection):  # MultiPolygon is one too
            flat.extend(polygons(cast(Iterable[GEOSGeometry], geometry)))
    return flat


def as_multipolygon(geometry: GEOSGeometry) -> MultiPolygon:
    """``geometry``'s polygonal parts as one MultiPolygon with its SRID."""
    return MultiPolygon(polygons([geometry]), srid=geometry.srid)


def union(geometries: Iterable[GEOSGeometry], *, srid: int) -> MultiPolygon:
    """The dissolved union of ``geometries`` as a MultiPolygon."""
    merged = MultiPolygon(polygons(geometries), srid=srid).unary_union
    return as_multipolygon(merged)


def utm_srid_for(geometry: GEOSGeometry) -> int:
    """The EPSG code of the WGS84 UTM zone holding the centre of a WGS84 geometry."""
    centre = geometry.envelope.centroid
    zone = min(int((centre.x + 180) // 6) + 1, 60)
    return (32700 if centre.y < 0 else 32600) + zone


def measure(
    parts: list[tuple[str, str, GEOSGeometry]], *, sliver_m2: float = SLIVER_M2
) -> Topology:
    """Measure (code, name, WGS84 polygon) parts: areas, pairwise overlaps, interior gaps."""
    if not parts:
        return Topology(utm_srid=0)
    utm_srid = utm_srid_for(union((g for _, _, g in parts), srid=geo.WGS84))
    projected = [(code, name, g.transform(utm_srid, clone=True)) for code, name, g in parts]
    topology = Topology(utm_srid=utm_srid)
    topology.areas_m2 = {code: g.area for code, _, g in projected}
    find_overlaps(projected, topology, sliver_m2=sliver_m2)
    city = union((g for _, _, g in projected), srid=utm_srid)
    topology.city_area_m2 = city.area
    find_gaps(city, topology, sliver_m2=sliver_m2)
    return topology


def find_overlaps(
    projected: list[tuple[str, str, GEOSGeometry]], topology: Topology, *, sliver_m2: float
) -> None:
    """Add every pair of parts sharing area to ``topology``, largest first."""
    extents = [g.extent for _, _, g in projected]
    for i, (code_a, name_a, a) in enumerate(projected):
        for j in range(i + 1, len(projected)):
            if not extents_touch(extents[i], extents[j]):
                continue
            code_b, name_b, b = projected[j]
            area = a.intersection(b).area if a.intersects(b) else 0.0
            if area >= sliver_m2:
                topology.overlaps.append(Overlap(code_a, name_a, code_b, name_b, area))
            elif area > 0:
                topology.overlap_slivers.append(area)
    topology.overlaps.sort(key=lambda overlap: (-overlap.area_m2, overlap.code_a, overlap.code_b))


def find_gaps(city: MultiPolygon, topology: Topology, *, sliver_m2: float) -> None:
    """Add every hole of the city union to ``topology``, largest first."""
    for part in polygons([city]):
        for ring_index in range(1, len(part)):
            hole = Polygon(part[ring_index], srid=city.srid)
            area = hole.area
            if area < sliver_m2:
                topology.gap_slivers.append(area)
                continue
            inside = cast(Point, hole.point_on_surface.transform(geo.WGS84, clone=True))
            lat, lon = geo.lat_lon(inside)
            topology.gaps.append(Gap(area_m2=area, lat=lat, lon=lon))
    topology.gaps.sort(key=lambda gap: (-gap.area_m2, gap.lat, gap.lon))


def extents_touch(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> bool:
    """Whether two (xmin, ymin, xmax, ymax) boxes intersect; a cheap filter before GEOS."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
