"""A point just outside Bukittinggi: answered with its Agam nagari and whom to contact."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from geo_klik.boundaries import cities, neighbours, queries
from geo_klik.boundaries.models import NeighbourDesa
from geo_klik.reports.models import Category, Report

pytestmark = pytest.mark.django_db

# Inside Nagari Koto Gadang (13.06.05.2008), Kecamatan IV Koto, Kabupaten Agam: about 2 km
# west of Bukittinggi's edge, across the Ngarai Sianok.
KOTO_GADANG = (-0.3222, 100.3445)
AT_SEA = (-1.0, 99.5)  # the Indian Ocean, west of Padang: in no kab/kota
LABEL = "Nagari Koto Gadang, Kecamatan IV Koto, Kabupaten Agam"


@pytest.fixture
def with_neighbours(bukittinggi: object) -> neighbours.LoadReport:
    return neighbours.load(cities.find("13.75"))


def test_it_loads_the_neighbours_in_their_own_table(
    with_neighbours: neighbours.LoadReport,
) -> None:
    assert with_neighbours.regions == 18
    assert not NeighbourDesa.objects.filter(code_kemendagri__startswith="13.75.").exists()
    assert "1 polygon(s) repaired, 0 refused" in with_neighbours.lines()[0]


def test_it_names_the_nagari_and_the_kabupaten_of_a_point_outside(
    with_neighbours: neighbours.LoadReport,
) -> None:
    assert queries.kelurahan_at(*KOTO_GADANG, tolerance_m=100) is None  # routing never sees it
    place = queries.neighbour_at(*KOTO_GADANG)
    assert place is not None and place.label == LABEL
    assert place.contact_name == "Pemerintah Kabupaten Agam"
    assert queries.neighbour_at(*AT_SEA) is None


def outside_problem(body: dict[str, Any]) -> dict[str, Any]:
    (problem,) = body["errors"]
    assert problem["code"] == "outside_city"
    return dict(problem)


def test_the_lookup_api_answers_where_the_point_is(
    with_neighbours: neighbours.LoadReport, client: Client
) -> None:
    lat, lon = KOTO_GADANG
    response = client.get("/api/boundaries/lookup", {"lat": str(lat), "lon": str(lon)})
    assert response.status_code == 404
    problem = outside_problem(response.json())
    assert problem["place"]["label"] == LABEL
    assert problem["place"]["kelurahan"] == {
        "name": "Koto Gadang",
        "kind": "Nagari",
        "code_kemendagri": "13.06.05.2008",
    }
    assert problem["place"]["kabupaten_kota"]["code_kemendagri"] == "13.06"
    assert problem["place"]["contact"]["name"] == "Pemerintah Kabupaten Agam"
    assert LABEL in problem["message"] and "di luar Kota Bukittinggi" in problem["message"]
    assert LABEL in problem["message_en"] and "outside Kota Bukittinggi" in problem["message_en"]
    at_sea = outside_problem(
        client.get("/api/boundaries/lookup", {"lat": "-1.0", "lon": "99.5"}).json()
    )
    assert at_sea["place"] is None and "outside Kota Bukittinggi" in at_sea["message_en"]


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "-0.3222\x00", "lon": "100.3445"},
        {"lat": "1e308", "lon": "100.3445"},
        {"lat": "nan", "lon": "100.3445"},
        {"lat": "-0.3222"},
    ],
)
def test_the_lookup_api_still_refuses_hostile_points(
    with_neighbours: neighbours.LoadReport, client: Client, params: dict[str, str]
) -> None:
    response = client.get("/api/boundaries/lookup", params)
    assert response.status_code == 400
    assert "place" not in response.json()["errors"][0]


def test_intake_refuses_with_the_nagari_keeping_its_code_and_shape(
    with_neighbours: neighbours.LoadReport, client: Client
) -> None:
    from geo_klik.dispatch.actions import seeding

    seeding.seed_categories()
    lat, lon = KOTO_GADANG
    body = {"category": "garbage", "lat": lat, "lon": lon, "description": "Sampah di tepi jalan."}
    response = client.post("/api/reports/", body, content_type="application/json")
    assert response.status_code == 400
    problem = outside_problem(response.json())
    assert set(problem) == {"field", "code", "message", "message_en", "place"}
    assert problem["field"] == "location"
    assert problem["place"]["label"] == LABEL
    assert "more than 100 m from the city boundary" in problem["message_en"]
    assert not Report.objects.exists()
    assert Category.objects.filter(code="garbage").exists()


def test_an_administrator_s_contact_is_what_residents_are_told(
    with_neighbours: neighbours.LoadReport, client: Client
) -> None:
    from geo_klik.boundaries.models import NeighbourRegion

    NeighbourRegion.objects.filter(code_kemendagri="13.06").update(
        contact_name="Command Center Kabupaten Agam", contact_phone="112"
    )
    neighbours.load(cities.find("13.75"))  # a reload keeps it
    lat, lon = KOTO_GADANG
    problem = outside_problem(
        client.get("/api/boundaries/lookup", {"lat": str(lat), "lon": str(lon)}).json()
    )
    assert problem["place"]["contact"]["name"] == "Command Center Kabupaten Agam"
    assert "Report it to Command Center Kabupaten Agam" in problem["message_en"]


def test_the_admin_lists_and_opens_a_neighbour_for_its_contact(
    with_neighbours: neighbours.LoadReport, admin_client: Client
) -> None:
    from geo_klik.boundaries.models import NeighbourRegion

    agam = NeighbourRegion.objects.get(code_kemendagri="13.06")
    assert admin_client.get("/admin/boundaries/neighbourregion/").status_code == 200
    page = admin_client.get(f"/admin/boundaries/neighbourregion/{agam.pk}/change/")
    assert page.status_code == 200 and "contact_phone" in page.content.decode()


def test_open311_refuses_a_request_outside_with_the_nagari(
    with_neighbours: neighbours.LoadReport, client: Client
) -> None:
    import json

    from geo_klik.dispatch.actions import seeding
    from geo_klik.open311 import actions

    seeding.seed_categories()
    _, api_key = actions.create_api_key(name="Aplikasi uji")
    lat, lon = KOTO_GADANG
    fields = {"api_key": api_key, "service_code": "garbage", "description": "Sampah"}
    answer = client.post("/open311/v2/requests.json", {**fields, "lat": str(lat), "long": str(lon)})
    assert answer.status_code == 400
    [error] = json.loads(answer.content)
    assert error["code"] == 400 and LABEL in error["description"]
    assert "Pemerintah Kabupaten Agam" in error["description"]
    assert not Report.objects.exists()
