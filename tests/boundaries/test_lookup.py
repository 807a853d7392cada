"""Point -> kelurahan (queries and GET /api/boundaries/lookup) and the kelurahan GeoJSON feed."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from geo_klik.boundaries import queries
from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo
from tests.conftest import TinyCity

LOOKUP = "/api/boundaries/lookup"
GEOJSON = "/api/boundaries/kelurahan.geojson"
JAM_GADANG = (-0.3051, 100.3693)


def test_it_finds_jam_gadang_in_benteng_pasar_atas(bukittinggi: object) -> None:
    kelurahan = queries.kelurahan_for_point(*JAM_GADANG)

    assert kelurahan is not None
    assert kelurahan.name == "Benteng Pasar Atas"
    assert kelurahan.kecamatan.name == "Guguak Panjang"


def test_it_answers_the_lookup_api_for_jam_gadang(client: Client, bukittinggi: object) -> None:
    response = client.get(LOOKUP, {"lat": "-0.3051", "lon": "100.3693"})

    assert response.status_code == 200
    assert response.json() == {
        "kelurahan": {
            "name": "Benteng Pasar Atas",
            "code_kemendagri": "13.75.01.1005",
            "code_bps": "1375010005",
        },
        "kecamatan": {"name": "Guguak Panjang", "code_kemendagri": "13.75.01"},
        "kota": {"name": "Kota Bukittinggi"},
    }


def test_it_uses_one_query_for_a_lookup(
    bukittinggi: object, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        kelurahan = queries.kelurahan_for_point(*JAM_GADANG)
        assert kelurahan is not None
        assert kelurahan.kecamatan.kota.name == "Kota Bukittinggi"


def test_it_returns_404_outside_the_city(client: Client, bukittinggi: object) -> None:
    response = client.get(LOOKUP, {"lat": "-0.2500", "lon": "100.2000"})  # near Padang Panjang road

    assert response.status_code == 404
    (error,) = response.json()["errors"]
    assert "luar" in error["message"] and "outside" in error["message_en"]


def test_it_finds_the_kelurahan_inside_a_square(tiny_city: TinyCity) -> None:
    kelurahan = queries.kelurahan_for_point(-0.015, 100.015)

    assert kelurahan == tiny_city.kelurahan["Timur Selatan"]


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (-0.005, 100.01, "Barat Utara"),  # edge between Barat Utara and Timur Utara
        (-0.01, 100.015, "Timur Utara"),  # edge between Timur Utara and Timur Selatan
        (-0.01, 100.01, "Barat Utara"),  # the corner all four share
        (0.0, 100.0, "Barat Utara"),  # the city's own outer corner
        (-0.02, 100.02, "Timur Selatan"),
    ],
)
def test_it_matches_a_boundary_point_to_the_lowest_code_every_time(
    client: Client, tiny_city: TinyCity, lat: float, lon: float, expected: str
) -> None:
    for _ in range(3):
        response = client.get(LOOKUP, {"lat": repr(lat), "lon": repr(lon)})
        assert response.status_code == 200
        assert response.json()["kelurahan"]["name"] == expected
    covering = [k for k in tiny_city.kelurahan.values() if k.boundary.covers(geo.point(lat, lon))]
    assert min(covering, key=lambda k: k.code_kemendagri).name == expected


def test_it_returns_404_just_outside_the_tiny_city(client: Client, tiny_city: TinyCity) -> None:
    assert client.get(LOOKUP, {"lat": "0.0001", "lon": "100.005"}).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "lat"),
        ({"lon": "100.37"}, "lat"),
        ({"lat": "-0.3"}, "lon"),
        ({"lat": "", "lon": "100.37"}, "lat"),
        ({"lat": "abc", "lon": "100.37"}, "lat"),
        ({"lat": "-0.3", "lon": "seratus"}, "lon"),
        ({"lat": "NaN", "lon": "100.37"}, "lat"),
        ({"lat": "-0.3", "lon": "nan"}, "lon"),
        ({"lat": "inf", "lon": "100.37"}, "lat"),
        ({"lat": "1e309", "lon": "100.37"}, "lat"),
        ({"lat": "90.0001", "lon": "100.37"}, "lat"),
        ({"lat": "-91", "lon": "100.37"}, "lat"),
        ({"lat": "-0.3", "lon": "180.5"}, "lon"),
        ({"lat": "-0.3", "lon": "-1000"}, "lon"),
        ({"lat": "true", "lon": "100.37"}, "lat"),
        ({"lat": "-0,3051", "lon": "100.37"}, "lat"),  # Indonesian decimal comma
    ],
)
def test_it_rejects_bad_coordinates_with_400_naming_the_field(
    client: Client, db: None, params: dict[str, str], field: str
) -> None:
    response = client.get(LOOKUP, params)

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == field
    assert list(error) == ["field", "code", "message", "message_en"]  # Indonesian first
    assert field in error["message"] and field in error["message_en"]


@pytest.mark.parametrize(
    "query",
    [
        "lat=%00&lon=%00",
        "lat=" + "9" * 5000 + "&lon=100",
        "lat=-0.3&lat=abc&lon=100.37",
        "lat=%F0%9F%98%80&lon=100.37",
        "lat=-0.3051&lon=100.3693&format=xml",
        "lat[]=1&lon[]=2",
        "lat=0x10&lon=100",
        "lat=%20-0.3051%20&lon=100.3693",
    ],
)
def test_it_never_answers_a_strange_query_with_a_server_error(
    client: Client, bukittinggi: object, query: str
) -> None:
    response = client.get(f"{LOOKUP}?{query}")

    assert response.status_code in {200, 400, 404}
    assert response["Content-Type"].startswith("application/json")


def test_it_does_not_redirect_lookup_to_a_trailing_slash(client: Client, db: None) -> None:
    response = client.get(LOOKUP, {"lat": "-0.3", "lon": "100.3"})

    assert response.status_code == 404  # no kelurahan loaded: a JSON 404, not a 301
    assert "errors" in response.json()


def test_it_rejects_writes_on_the_lookup(client: Client, db: None) -> None:
    assert client.post(LOOKUP, {"lat": "-0.3", "lon": "100.3"}).status_code == 405


def test_it_serves_the_24_kelurahan_as_geojson(client: Client, bukittinggi: object) -> None:
    response = client.get(GEOJSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 24
    first = collection["features"][0]
    assert first["geometry"]["type"] == "MultiPolygon"
    tarok = Kelurahan.objects.get(code_kemendagri="13.75.01.1001")  # as the loaded layer has it
    assert tarok.label_point is not None
    label_lat, label_lon = geo.lat_lon(tarok.label_point)
    assert first["properties"] == {
        "name": "Tarok Dipo",
        "code_kemendagri": "13.75.01.1001",
        "code_bps": "1375010002",
        "kecamatan": "Guguak Panjang",
        "kecamatan_code_kemendagri": "13.75.01",
        "area_m2": pytest.approx(tarok.area_m2, abs=1),
        "label_lat": pytest.approx(label_lat, abs=1e-6),
        "label_lon": pytest.approx(label_lon, abs=1e-6),
    }
    assert 1.2e6 < first["properties"]["area_m2"] < 1.5e6  # about 130-140 ha in every layer


def test_it_serves_plain_json_to_a_client_that_asks_for_it(
    client: Client, tiny_city: TinyCity
) -> None:
    response = client.get(GEOJSON, headers={"accept": "application/json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert len(response.json()["features"]) == 4


def test_it_builds_the_feature_collection_in_one_query(
    tiny_city: TinyCity, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        collection = queries.kelurahan_feature_collection()

    names = [f["properties"]["name"] for f in collection["features"]]
    assert names == ["Barat Utara", "Barat Selatan", "Timur Utara", "Timur Selatan"]
    assert collection["features"][0]["properties"]["label_lat"] == pytest.approx(-0.005)
    assert collection["features"][0]["properties"]["kecamatan"] == "Barat"


def test_it_serves_an_empty_collection_before_any_import(client: Client, db: None) -> None:
    assert client.get(GEOJSON).json() == {"type": "FeatureCollection", "features": []}


def test_it_answers_kelurahan_at_with_the_covering_kelurahan_whatever_the_tolerance(
    tiny_city: TinyCity,
) -> None:
    for tolerance_m in (0.0, 100.0):
        kelurahan = queries.kelurahan_at(-0.015, 100.015, tolerance_m=tolerance_m)
        assert kelurahan == tiny_city.kelurahan["Timur Selatan"]


def test_it_answers_kelurahan_at_just_outside_only_within_the_tolerance(
    tiny_city: TinyCity,
) -> None:
    # 0.0005° (about 55 m) north of Barat Utara's northern edge, outside the city.
    lat, lon = 0.0005, 100.005

    assert queries.kelurahan_at(lat, lon) is None
    assert queries.kelurahan_at(lat, lon, tolerance_m=30.0) is None
    assert queries.kelurahan_at(lat, lon, tolerance_m=100.0) == tiny_city.kelurahan["Barat Utara"]
    assert queries.kelurahan_at(0.05, 100.005, tolerance_m=100.0) is None  # about 5.5 km out
