"""Measuring kelurahan polygons in metres: their areas, overlaps between them, gaps inside the city.

Everything is measured in the UTM zone of the layer (e.g. EPSG:32747, UTM 47S), never
in degrees. Within one zone the area error is under 0.1 %; PROVENANCE.md cross-checked the shared
data against an equal-area projection to 0.02 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import shapely
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
    parts: Sequence[tuple[str, str, GEOSGeometry]], *, sliver_m2: float = SLIVER_M2
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


# Two kelurahan drawn to meet but a hair apart (a corner on a straight edge, reprojected) leave a
# crack; a gap behind such a crack is no hole of the union. Gaps are therefore sought in the union
# with cracks narrower than twice this closed (buffered out and back, square joins), then measured
# as the land no kelurahan claims around each such hole.
CRACK_M = 0.01
MITRE = 2  # GEOS join style


def closed_holes(city: GEOSGeometry, width: float) -> list[Polygon]:
    """The holes of ``city`` once cracks narrower than 2 x ``width`` are closed."""
    closed = city.buffer_with_style(width, join_style=MITRE).buffer_with_style(
        -width, join_style=MITRE
    )
    return [
        Polygon(part[ring_index], srid=city.srid)
        for part in polygons([closed])
        for ring_index in range(1, len(part))
    ]


def find_gaps(city: MultiPolygon, topology: Topology, *, sliver_m2: float) -> None:
    """Add every gap inside the city union to ``topology``, largest first (in metres)."""
    for hole in closed_holes(city, CRACK_M):
        unclaimed = hole.buffer_with_style(CRACK_M, join_style=MITRE).difference(city)
        area = unclaimed.area
        if area < sliver_m2:
            topology.gap_slivers.append(area)
            continue
        inside = cast(Point, unclaimed.point_on_surface.transform(geo.WGS84, clone=True))
        lat, lon = geo.lat_lon(inside)
        topology.gaps.append(Gap(area_m2=area, lat=lat, lon=lon))
    topology.gaps.sort(key=lambda gap: (-gap.area_m2, gap.lat, gap.lon))


def extents_touch(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> bool:
    """Whether two (xmin, ymin, xmax, ymax) boxes intersect; a cheap filter before GEOS."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


@dataclass(frozen=True)
class Resolution:
    """A piece of land claimed by two or more kelurahan (overlap) or by none (gap), and its owner.

    ``claimants`` are the kelurahan whose published polygons cover the piece (empty for a gap);
    ``border_m`` the length of the border the piece shares with each candidate's polygon, in
    metres, which decided it.
    """

    kind: str  # "overlap" or "gap"
    area_m2: float
    lat: float
    lon: float
    claimants: tuple[str, ...]
    winner: str
    border_m: tuple[tuple[str, float], ...]


@dataclass
class Resolved:
    """Kelurahan polygons after resolving overlaps and gaps, and what was done to get them."""

    boundaries: dict[str, MultiPolygon]
    resolutions: list[Resolution] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for r in self.resolutions if r.kind == kind)

    def area_m2(self, kind: str) -> float:
        return sum(r.area_m2 for r in self.resolutions if r.kind == kind)


# Resolution works on a grid of 1e-9 degree (about 0.1 mm): every overlay result is snapped to
# it, so the pieces and what they are cut from share their vertices exactly and stay valid after
# reprojection (floating overlays otherwise leave sub-micrometre spikes that GEOS later rejects).
GRID_DEG = 1e-9
# A piece's border with a neighbour is sought within this distance (about 1 cm).
EDGE_TOLERANCE_DEG = 1e-7


def resolve(
    parts: Sequence[tuple[str, str, GEOSGeometry]], *, sliver_m2: float = SLIVER_M2
) -> Resolved:
    """Give every overlap and every gap of at least ``sliver_m2`` to exactly one kelurahan.

    The rule, deterministic and independent of feature order: every piece of land that two or
    more kelurahan claim (an overlap), or that none claims although it lies inside the city (a
    gap, a hole of the union), goes to the neighbouring kelurahan with which it shares the
    longest border, ties to the lower Kemendagri code; an overlap goes only to one of its
    claimants. Overlaps are first cut out of every claimant, so their border is measured against
    what each claimant surely holds. Slivers under ``sliver_m2`` are left as they are (rounding).
    A layer without such pieces is returned exactly as it came.
    """
    originals = {code: as_multipolygon(geometry) for code, _, geometry in parts}
    if len(originals) < 2:
        return Resolved(boundaries=originals)
    utm_srid = utm_srid_for(union(originals.values(), srid=geo.WGS84))
    codes = sorted(originals)
    shapes = {code: shapely.set_precision(to_shapely(originals[code]), GRID_DEG) for code in codes}

    def area_m2(shape: shapely.Geometry) -> float:
        return float(from_shapely(shape).transform(utm_srid, clone=True).area)

    tree = shapely.STRtree([shapes[code] for code in codes])
    overlap_parts: list[shapely.Geometry] = []
    for i, j in zip(*tree.query([shapes[c] for c in codes], predicate="intersects"), strict=True):
        if i < j:
            shared = shapely.intersection(shapes[codes[i]], shapes[codes[j]], grid_size=GRID_DEG)
            overlap_parts.extend(p for p in shapely_polygons(shared) if area_m2(p) >= sliver_m2)
    claimed_twice = shapely.union_all(overlap_parts, grid_size=GRID_DEG)
    overlaps = shapely_polygons(claimed_twice)
    city = shapely.union_all(list(shapes.values()), grid_size=GRID_DEG)
    closed = city.buffer(EDGE_TOLERANCE_DEG, join_style="mitre").buffer(
        -EDGE_TOLERANCE_DEG, join_style="mitre"
    )
    gaps = [
        unclaimed
        for part in shapely_polygons(closed)
        for ring in part.interiors
        for unclaimed in shapely_polygons(
            shapely.difference(
                shapely.Polygon(ring).buffer(EDGE_TOLERANCE_DEG, join_style="mitre"),
                city,
                grid_size=GRID_DEG,
            )
        )
        if area_m2(unclaimed) >= sliver_m2
    ]
    if not overlaps and not gaps:
        return Resolved(boundaries=originals)
    cores = {
        code: shapely.difference(shape, claimed_twice, grid_size=GRID_DEG) if overlaps else shape
        for code, shape in shapes.items()
    }
    grown: dict[str, list[shapely.Geometry]] = {code: [] for code in codes}
    resolved = Resolved(boundaries={})
    for kind, piece in [("overlap", p) for p in overlaps] + [("gap", g) for g in gaps]:
        claimants = tuple(
            code
            for code in codes
            if kind == "overlap"
            and shapes[code].intersects(piece)
            and area_m2(shapely.intersection(shapes[code], piece, grid_size=GRID_DEG))
            >= sliver_m2 / 2
        )
        candidates = claimants or tuple(
            codes[i] for i in tree.query(piece.buffer(EDGE_TOLERANCE_DEG), predicate="intersects")
        )
        borders = {code: shared_border_m(piece, cores[code], utm_srid) for code in candidates}
        winner = max(sorted(borders), key=lambda code: round(borders[code], 3))
        grown[winner].append(piece)
        inside = piece.point_on_surface()
        resolved.resolutions.append(
            Resolution(
                kind=kind,
                area_m2=area_m2(piece),
                lat=float(inside.y),
                lon=float(inside.x),
                claimants=claimants,
                winner=winner,
                border_m=tuple(sorted(borders.items(), key=lambda item: (-item[1], item[0]))),
            )
        )
    for code in codes:
        shape = cores[code]
        if grown[code]:
            shape = shapely.union_all([shape, *grown[code]], grid_size=GRID_DEG)
        resolved.boundaries[code] = as_multipolygon(from_shapely(shapely.make_valid(shape)))
    resolved.resolutions.sort(key=lambda r: (r.kind != "overlap", -r.area_m2, r.lat, r.lon))
    return resolved


def shared_border_m(piece: shapely.Geometry, neighbour: shapely.Geometry, utm_srid: int) -> float:
    """How many metres of ``piece``'s outline run along ``neighbour`` (0 when they only touch)."""
    shared = piece.boundary.intersection(neighbour.buffer(EDGE_TOLERANCE_DEG))
    if shared.is_empty:
        return 0.0
    return float(from_shapely(shared).transform(utm_srid, clone=True).length)


def to_shapely(geometry: GEOSGeometry) -> shapely.Geometry:
    return shapely.from_wkb(bytes(geometry.wkb))


def from_shapely(shape: shapely.Geometry) -> GEOSGeometry:
    return GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=geo.WGS84)


def shapely_polygons(shape: shapely.Geometry) -> list[shapely.Polygon]:
    """Every polygon in a shapely geometry, collections flattened, empty ones dropped."""
    if shape.is_empty:
        return []
    if isinstance(shape, shapely.Polygon):
        return [shape]
    if hasattr(shape, "geoms"):
        return [p for part in shape.geoms for p in shapely_polygons(part)]
    return []
