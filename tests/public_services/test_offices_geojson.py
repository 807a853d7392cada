"""The "offices" layer endpoint: GeoJSON in a box, by kind, with the layer contract."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from geo_klik.lib import geo, layers
from tests.public_services.conftest import TinyOffices

URL = "/api/services/offices/"
# The west half of the tiny city (kecamatan Barat), with a little margin.
BARAT_BOX = "99.999,-0.021,100.009,0.001"


def get(**params: Any) -> Any:
    return APIClient().get(URL, params)


def test_it_answers_the_offices_in_a_box_as_geojson(offices: TinyOffices) -> None:
    answer = get(in_bbox=BARAT_BOX)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/geo+json")
    body = answer.json()
    assert body["type"] == "FeatureCollection" and "truncated" not in body
    titles = {f["properties"]["title"] for f in body["features"]}
    assert titles == {
        "Kantor Lurah Barat Utara",
        "Kantor Lurah Barat Selatan",
        "Kantor Camat Barat",
        "Puskesmas Barat",
    }
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "Point"
    props = feature["properties"]
    assert props["layer"] == "offices" and props["id"] == feature["id"]
    assert props["url"].startswith("/layanan/kantor/")
    assert isinstance(props["approximate"], bool) and isinstance(props["subtitle"], str)


def test_it_filters_by_kind(offices: TinyOffices) -> None:
    body = get(kind="puskesmas").json()
    assert {f["properties"]["title"] for f in body["features"]} == {
        "Puskesmas Barat",
        "Puskesmas Timur",
    }
    both = get(kind="kantor_camat,puskesmas", in_bbox=BARAT_BOX).json()
    assert {f["properties"]["kind"] for f in both["features"]} == {"kantor_camat", "puskesmas"}


def test_it_marks_a_corrected_position_as_not_approximate(offices: TinyOffices) -> None:
    office = offices.puskesmas_barat
    office.location_approximate = False
    office.save()
    body = get(kind="puskesmas").json()
    approximate = {
        f["properties"]["slug"]: f["properties"]["approximate"] for f in body["features"]
    }
    assert approximate == {"puskesmas-barat": False, "puskesmas-timur": True}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"kind": "castle"}, "kind"), ({"in_bbox": "1,2,3"}, "in_bbox")],
)
def test_it_rejects_bad_parameters_naming_the_field(
    offices: TinyOffices, params: dict[str, str], field: str
) -> None:
    answer = get(**params)
    assert answer.status_code == 400
    problem = answer.json()["errors"][0]
    assert problem["field"] == field and problem["message"] and problem["message_en"]


def test_it_says_when_the_answer_was_cut(
    offices: TinyOffices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layers, "MAX_FEATURES", 3)
    body = get().json()
    assert len(body["features"]) == 3 and body["truncated"] is True


def test_it_keeps_an_office_on_the_edge_of_the_box(offices: TinyOffices) -> None:
    # The offices layer tests the box with ``intersects``: a point on its edge is in.
    lat, lon = geo.lat_lon(offices.puskesmas_barat.location)
    box = f"{lon},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    titles = {
        f["properties"]["title"] for f in get(in_bbox=box, kind="puskesmas").json()["features"]
    }
    assert titles == {"Puskesmas Barat"}
