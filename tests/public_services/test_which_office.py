"""Which office serves my address: by point, kelurahan code or name, edge, outside, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from geo_klik.public_services import queries
from tests.public_services.conftest import TinyOffices

URL = "/api/services/which-office/"


def ask(**params: Any) -> Any:
    return APIClient().get(URL, params)


def test_it_finds_the_offices_of_a_point(offices: TinyOffices) -> None:
    answer = ask(lat=-0.015, lon=100.005)  # Barat Selatan
    assert answer.status_code == 200
    body = answer.json()
    assert body["kelurahan"] == {"name": "Barat Selatan", "code_kemendagri": "99.01.01.1002"}
    assert body["kecamatan"]["name"] == "Barat"
    assert body["kantor_lurah"]["name"] == "Kantor Lurah Barat Selatan"
    assert body["kantor_lurah"]["location_approximate"] is True
    assert body["kantor_camat"]["name"] == "Kantor Camat Barat"
    assert {o["kind"] for o in body["city_wide"]} == {"mpp", "dukcapil"}
    assert body["puskesmas"]["name"] == "Puskesmas Barat"
    assert body["puskesmas_is_nearest"] is False
    lurah_services = {s["url"] for s in body["kantor_lurah"]["services"]}
    assert "/layanan/surat-keterangan-domisili/" in lurah_services
    assert "/layanan/ktp-el-baru/" not in lurah_services


def test_it_finds_the_offices_by_kemendagri_code_and_by_name(offices: TinyOffices) -> None:
    by_code = ask(kelurahan="99.01.02.1001").json()
    by_name = ask(kelurahan="  timur   UTARA ").json()
    assert by_code == by_name
    assert by_code["kantor_lurah"]["name"] == "Kantor Lurah Timur Utara"
    assert by_code["kantor_camat"]["name"] == "Kantor Camat Timur"


def test_it_sends_a_kelurahan_outside_every_working_area_to_the_nearest_puskesmas(
    offices: TinyOffices,
) -> None:
    # Timur Utara is listed by no puskesmas; from its south-east corner Puskesmas Timur (in
    # Timur Selatan, 1.0 km) is nearer than Puskesmas Barat (2.0 km).
    body = ask(lat=-0.009, lon=100.019).json()
    assert body["kelurahan"]["name"] == "Timur Utara"
    assert body["puskesmas"]["name"] == "Puskesmas Timur"
    assert body["puskesmas_is_nearest"] is True
    # From its north-west corner the nearest is Puskesmas Barat.
    assert ask(lat=-0.001, lon=100.011).json()["puskesmas"]["name"] == "Puskesmas Barat"


def test_it_answers_the_same_kelurahan_for_a_point_on_a_shared_boundary(
    offices: TinyOffices,
) -> None:
    # lon 100.01 is the edge between Barat Utara and Timur Utara: the lower code wins, always.
    for _ in range(3):
        body = ask(lat=-0.005, lon=100.01).json()
        assert body["kelurahan"]["code_kemendagri"] == "99.01.01.1001"
        assert body["kantor_lurah"]["name"] == "Kantor Lurah Barat Utara"


def test_it_names_the_nearest_kelurahan_for_a_point_just_outside(offices: TinyOffices) -> None:
    answer = ask(lat=-0.005, lon=99.995)  # about 560 m west of Barat Utara
    assert answer.status_code == 404
    body = answer.json()
    problem = body["errors"][0]
    assert problem["code"] == "outside_city"
    assert "Barat Utara" in problem["message"] and "Barat Utara" in problem["message_en"]
    assert "di luar Kota Contoh" in problem["message"]
    assert body["nearest_kelurahan"]["name"] == "Barat Utara"
    assert 500 < body["nearest_kelurahan"]["distance_m"] < 600


def test_it_says_plainly_when_a_point_is_far_outside(offices: TinyOffices) -> None:
    answer = ask(lat=0.5, lon=100.5)
    assert answer.status_code == 404
    body = answer.json()
    assert "nearest_kelurahan" not in body
    assert body["errors"][0]["code"] == "outside_city"
    assert "outside Kota Contoh" in body["errors"][0]["message_en"]


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({}, "lat", "required"),
        ({"lat": "-0.005"}, "lon", "invalid"),
        ({"lat": "abc", "lon": "100.005"}, "lat", "invalid"),
        ({"lat": "-0.005", "lon": "200"}, "lon", "invalid"),
        ({"kelurahan": "Atlantis"}, "kelurahan", "unknown_kelurahan"),
        ({"kelurahan": "13.75.99.9999"}, "kelurahan", "unknown_kelurahan"),
    ],
)
def test_it_names_the_field_of_bad_input_in_both_languages(
    offices: TinyOffices, params: dict[str, str], field: str, code: str
) -> None:
    answer = ask(**params)
    assert answer.status_code == 400
    problem = answer.json()["errors"][0]
    assert (problem["field"], problem["code"]) == (field, code)
    assert (
        problem["message"] and problem["message_en"] and problem["message"] != problem["message_en"]
    )


def test_it_reads_the_offices_of_a_kelurahan_directly(offices: TinyOffices) -> None:
    kelurahan = offices.city.kelurahan["Barat Utara"]
    at = queries.offices_for_kelurahan(kelurahan)
    assert at.kantor_lurah == offices.lurah("Barat Utara")
    assert at.kantor_camat == offices.camat("Barat")
    assert at.puskesmas == offices.puskesmas_barat
    assert [o.kind for o in at.offices()][:3] == ["kantor_lurah", "kantor_camat", "puskesmas"]
    assert queries.offices_for_point(0.5, 100.5) is None


def test_it_leaves_out_an_inactive_office(offices: TinyOffices) -> None:
    lurah = offices.lurah("Barat Utara")
    lurah.active = False
    lurah.save()
    assert ask(kelurahan="Barat Utara").json()["kantor_lurah"] is None
