"""The catalogue API: list, search in both languages, detail, and where to go for an address."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from geo_klik.public_services.models import Service
from tests.public_services.conftest import TinyOffices


def get(url: str, **params: Any) -> Any:
    return APIClient().get(url, params)


def test_it_lists_the_catalogue_with_fee_and_time(offices: TinyOffices) -> None:
    body = get("/api/services/").json()
    assert body["count"] == Service.objects.filter(active=True).count() >= 15
    ktp = next(s for s in body["services"] if s["slug"] == "ktp-el-baru")
    assert ktp["fee_rp"] == 0 and ktp["fee_text"] == "Gratis"
    assert ktp["time_text"] == "1 hari kerja"
    assert ktp["url"] == "/layanan/ktp-el-baru/"
    pbg = next(s for s in body["services"] if s["slug"] == "persetujuan-bangunan-gedung")
    assert pbg["fee_rp"] is None and "Perda" in pbg["fee_text"]


def test_it_searches_in_indonesian_and_in_english(offices: TinyOffices) -> None:
    indonesian = {s["slug"] for s in get("/api/services/", q="akta").json()["services"]}
    assert {"akta-kelahiran", "akta-kematian"} <= indonesian
    english = {s["slug"] for s in get("/api/services/", q="birth certificate").json()["services"]}
    assert "akta-kelahiran" in english and "akta-kematian" not in english
    # A document named in a requirement finds its services too.
    by_document = {s["slug"] for s in get("/api/services/", q="meterai").json()["services"]}
    assert "surat-keterangan-ahli-waris" in by_document
    assert get("/api/services/", q="zzzz-nothing").json() == {"count": 0, "services": []}


def test_it_answers_in_english_on_request(offices: TinyOffices) -> None:
    answer = APIClient().get("/api/services/", {"q": "KIA"}, HTTP_ACCEPT_LANGUAGE="en")
    kia = next(s for s in answer.json()["services"] if s["slug"] == "kartu-identitas-anak")
    assert kia["name"] == "Child identity card (KIA)" and kia["fee_text"] == "Free"


def test_it_filters_by_topic_and_rejects_an_unknown_one(offices: TinyOffices) -> None:
    health = get("/api/services/", topic="kesehatan").json()["services"]
    assert health and {s["topic"] for s in health} == {"kesehatan"}
    answer = get("/api/services/", topic="magic")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "topic"


def test_it_gives_a_service_with_its_documents_in_order(offices: TinyOffices) -> None:
    body = get("/api/services/akta-kelahiran/").json()
    names = [r["name"] for r in body["requirements"]]
    assert names[0].startswith("Surat keterangan kelahiran")
    conditional = [r for r in body["requirements"] if r["condition"]]
    assert conditional and all(r["copy_label"] for r in body["requirements"])
    assert any("UU 24/2013" in line for line in body["legal_basis"])
    assert body["last_verified"] is None and "dikonfirmasi" in body["verify_note"]
    assert body["steps"]
    assert [a["kind"] for a in body["apply_at"]] == ["dukcapil", "mpp"]
    assert "go_to" not in body


def test_it_answers_404_in_both_languages_for_an_unknown_service(offices: TinyOffices) -> None:
    answer = get("/api/services/no-such-thing/")
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["message_en"] == "No such service."


def test_it_says_which_kantor_lurah_to_go_to_for_an_address(offices: TinyOffices) -> None:
    body = get("/api/services/surat-keterangan-domisili/", lat=-0.015, lon=100.015).json()
    assert body["address"]["kelurahan"]["name"] == "Timur Selatan"
    assert [d["office"]["name"] for d in body["go_to"]] == ["Kantor Lurah Timur Selatan"]
    assert body["go_to"][0]["for_address"] is True


def test_it_sends_an_heir_certificate_to_the_lurah_then_the_camat(offices: TinyOffices) -> None:
    body = get("/api/services/surat-keterangan-ahli-waris/", kelurahan="99.01.01.1002").json()
    assert [d["office"]["name"] for d in body["go_to"]] == [
        "Kantor Lurah Barat Selatan",
        "Kantor Camat Barat",
    ]


def test_it_sends_a_ktp_to_the_city_wide_offices_whatever_the_address(
    offices: TinyOffices,
) -> None:
    body = get("/api/services/ktp-el-baru/", kelurahan="Barat Utara").json()
    kinds = [d["office"]["kind"] for d in body["go_to"]]
    assert kinds[0] == "dukcapil" and set(kinds) == {"dukcapil", "mpp"}
    assert all(d["for_address"] is False for d in body["go_to"])


def test_it_sends_immunisation_to_the_puskesmas_of_the_working_area(offices: TinyOffices) -> None:
    body = get("/api/services/imunisasi-anak/", kelurahan="Barat Selatan").json()
    assert [d["office"]["name"] for d in body["go_to"]] == ["Puskesmas Barat"]


def test_it_adds_a_specifically_named_office(offices: TinyOffices) -> None:
    service = Service.objects.get(slug="surat-keterangan-domisili")
    service.apply_at_offices.add(offices.puskesmas_timur)
    body = get("/api/services/surat-keterangan-domisili/", kelurahan="Barat Utara").json()
    assert [d["office"]["name"] for d in body["go_to"]] == [
        "Kantor Lurah Barat Utara",
        "Puskesmas Timur",
    ]
    assert body["specific_offices"][0]["slug"] == "puskesmas-timur"


def test_it_reports_a_bad_address_for_a_service(offices: TinyOffices) -> None:
    outside = get("/api/services/ktp-el-baru/", lat=-0.005, lon=99.995)
    assert outside.status_code == 404
    assert outside.json()["nearest_kelurahan"]["name"] == "Barat Utara"
    bad = get("/api/services/ktp-el-baru/", lat="x", lon="100")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "lat"
