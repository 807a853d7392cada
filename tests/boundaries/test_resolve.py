"""Overlaps and gaps: every piece goes to one kelurahan, by the longest shared border."""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path
from typing import cast

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import connection

from geo_klik.boundaries import catalog, importer, sources, topology
from geo_klik.boundaries.models import Kelurahan, Kota
from geo_klik.lib import geo
from tests.boundaries import layers


def parts(
    boxes: Mapping[str, tuple[float, float, float, float]],
) -> list[tuple[str, str, GEOSGeometry]]:
    return [(code, code, layers.metre_box(*box)) for code, box in boxes.items()]


def measured(resolved: topology.Resolved) -> topology.Topology:
    return topology.measure([(c, c, g) for c, g in resolved.boundaries.items()])


def test_it_gives_an_overlap_to_the_claimant_sharing_the_longer_border() -> None:
    # B pokes 10 m into A along 60 m: the strip touches A's rest on three sides (60 + 10 + 10 m)
    # and B's rest on one (60 m), so A keeps it.
    boxes = {"99.01.01.1002": (0, 0, 100, 100), "99.01.01.1001": (90, 20, 200, 80)}
    resolved = topology.resolve(parts(boxes))
    [piece] = resolved.resolutions
    assert piece.kind == "overlap" and piece.winner == "99.01.01.1002"
    assert piece.claimants == ("99.01.01.1001", "99.01.01.1002")
    assert abs(piece.area_m2 - 600) < 1
    borders = dict(piece.border_m)
    assert abs(borders["99.01.01.1002"] - 80) < 0.5 and abs(borders["99.01.01.1001"] - 60) < 0.5
    after = measured(resolved)
    assert after.overlaps == [] and after.gaps == []
    assert abs(after.areas_m2["99.01.01.1002"] - 10_000) < 1
    assert abs(after.areas_m2["99.01.01.1001"] - 6_000) < 1


def test_it_fills_a_gap_and_breaks_a_tie_by_the_lower_code() -> None:
    # Four boxes around a 50 x 100 m hole: left and right share 100 m with it, top and bottom 50.
    boxes = {
        "99.01.01.1001": (0, 0, 300, 100),
        "99.01.01.1002": (0, 200, 300, 300),
        "99.01.01.1004": (150, 100, 300, 200),
        "99.01.01.1003": (0, 100, 100, 200),
    }
    resolved = topology.resolve(parts(boxes))
    [gap] = resolved.resolutions
    assert gap.kind == "gap" and gap.claimants == ()
    assert gap.winner == "99.01.01.1003"  # 100 m each with 1004: the lower code wins
    assert abs(gap.area_m2 - 5_000) < 1
    after = measured(resolved)
    assert after.gaps == [] and after.overlaps == []
    assert abs(after.areas_m2["99.01.01.1003"] - 15_000) < 1


def test_it_does_not_depend_on_the_order_of_the_features() -> None:
    shipped = sources.read_layer(catalog.shipped_path())
    features = [
        (f.code_kemendagri, f.name, cast(GEOSGeometry, f.geometry)) for f in shipped.features
    ]
    forward = topology.resolve(features)
    shuffled = features[:]
    random.Random(7).shuffle(shuffled)  # noqa: S311 - a fixed order, not a secret
    backward = topology.resolve(shuffled)
    assert forward.resolutions == backward.resolutions
    for code, boundary in forward.boundaries.items():
        assert boundary.equals_exact(backward.boundaries[code], tolerance=0)


def test_it_returns_a_clean_layer_exactly_as_it_came() -> None:
    boxes = {"99.01.01.1001": (0, 0, 100, 100), "99.01.01.1002": (100, 0, 200, 100)}
    given = parts(boxes)
    resolved = topology.resolve(given)
    assert resolved.resolutions == []
    for code, _, geometry in given:
        assert resolved.boundaries[code].equals_exact(MultiPolygon(geometry), tolerance=0)


def test_the_shipped_layer_stores_every_city_point_in_exactly_one_kelurahan(db: None) -> None:
    report = importer.import_layer(catalog.shipped_path(), commit=True)
    assert report.committed
    published = report.published_topology
    assert published is not None and report.topology is not None
    assert len(published.overlaps) == 39 and round(published.overlap_area_m2) == 14_524
    assert len(published.gaps) == 56 and round(published.gap_area_m2) == 10_909
    assert sum(r.kind == "overlap" for r in report.resolutions) == 63
    assert sum(r.kind == "gap" for r in report.resolutions) == 56
    assert report.topology.overlaps == [] and report.topology.gaps == []
    text = report.as_text()
    assert "As published / sesuai sumber:" in text and "Resolved / diselesaikan: 63 overlap" in text
    assert "After resolution (stored)" in text
    # Random points in the city: each is covered by exactly one stored kelurahan.
    kota = Kota.objects.get(code_kemendagri="13.75")
    xmin, ymin, xmax, ymax = kota.boundary.extent
    rng = random.Random(2026)  # noqa: S311 - repeatable sample points
    points: list[tuple[float, float]] = []
    while len(points) < 3000:
        point = Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax), srid=geo.WGS84)
        if kota.boundary.covers(point):
            points.append((point.x, point.y))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(k.id) FROM unnest(%s::float8[], %s::float8[]) AS p(lon, lat)
            LEFT JOIN boundaries_kelurahan k
              ON ST_Covers(k.boundary, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
            GROUP BY p.lon, p.lat
            """,
            [[x for x, _ in points], [y for _, y in points]],
        )
        counts = [row[0] for row in cursor.fetchall()]
    assert len(counts) == 3000 and set(counts) == {1}
    assert Kelurahan.objects.count() == 24


def test_a_reimport_of_the_resolved_layer_changes_nothing(db: None, tmp_path: Path) -> None:
    importer.import_layer(catalog.shipped_path(), commit=True)
    again = importer.import_layer(catalog.shipped_path(), commit=True)
    assert again.kelurahan.updated == [] and len(again.kelurahan.unchanged) == 24
    assert again.kecamatan.updated == [] and again.kota.updated == []
