"""Invalid source polygons: repaired (and how) or refused (and why), on the real ones."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon

from geo_klik.boundaries import cities, repair

# PROVENANCE.md: in the shipped West Sumatra layers, 1 kab/kota and 4 kecamatan are invalid.
SHIPPED_INVALID = {"13.09", "13.09.02", "13.09.06", "13.09.09", "13.09.10"}


def invalid_shipped_features() -> list[dict[str, object]]:
    found = []
    for level in ("kab", "kec", "kel"):
        path = cities.layer_file("13", level)
        assert path is not None
        for feature in cities.features(path):
            geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
            if geometry.valid_reason != repair.VALID_GEOMETRY:
                found.append(feature)
    return found


def test_the_shipped_layers_hold_exactly_the_invalid_polygons_provenance_counts() -> None:
    codes = {f["properties"]["kode"] for f in invalid_shipped_features()}  # type: ignore[index]
    assert codes == SHIPPED_INVALID


def test_it_repairs_each_real_invalid_polygon_and_says_how() -> None:
    for feature in invalid_shipped_features():
        props = feature["properties"]
        geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        outcome = repair.checked(props["kode"], props["nama"], geometry)  # type: ignore[index]
        assert outcome.action == "repaired", outcome.line()
        assert outcome.reason.startswith("Nested shells")
        assert "made valid and unioned" in outcome.detail and "km²" in outcome.detail
        assert outcome.geometry is not None and outcome.geometry.valid
        # Land kept: the repaired area is within 1 % of the published parts' area.
        assert outcome.geometry.area == pytest.approx(geometry.area, rel=0.01)


def square(x: float, y: float, size: float) -> Polygon:
    return Polygon(((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)))


def test_it_refuses_a_polygon_whose_nested_ring_may_be_land_or_a_lake() -> None:
    ambiguous = MultiPolygon(square(0, 0, 0.01), square(0.002, 0.002, 0.005), srid=4326)
    assert ambiguous.valid_reason.startswith("Nested shells")
    outcome = repair.checked("99.01", "Ragu", ambiguous)
    assert outcome.action == "refused" and outcome.geometry is None
    assert "ambiguous" in outcome.detail and "not loaded" in outcome.detail


def test_it_refuses_a_ring_that_collapses_to_a_line() -> None:
    flat = Polygon(((0, 0), (0.01, 0), (0.02, 0), (0, 0)), srid=4326)
    outcome = repair.checked("99.02", "Garis", flat)
    assert outcome.action == "refused" and "no polygon" in outcome.detail


def test_it_keeps_a_valid_polygon_as_it_is() -> None:
    outcome = repair.checked("99.03", "Baik", square(0, 0, 0.01))
    assert outcome.action == "valid" and outcome.geometry is not None
