"""The resident pages of public services, in Indonesian and English, with and without JS."""

from __future__ import annotations

from django.test import Client

from tests.public_services.conftest import TinyOffices


def english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/layanan/"})
    return client


def test_it_shows_the_catalogue_by_topic_with_fee_and_time(
    offices: TinyOffices, client: Client
) -> None:
    page = client.get("/layanan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pelayanan publik" in html and "Kependudukan dan pencatatan sipil" in html
    assert 'href="/layanan/ktp-el-baru/"' in html and "Gratis" in html and "1 hari kerja" in html
    assert 'href="/layanan/kantor-saya/"' in html
    assert "cdn" not in html.lower()
    english_html = english(client).get("/layanan/").content.decode()
    assert "Public services" in english_html and "Population and civil registration" in english_html
    assert "New electronic ID card" in english_html and "Free" in english_html


def test_it_searches_the_catalogue_without_javascript(offices: TinyOffices, client: Client) -> None:
    html = client.get("/layanan/", {"q": "domisili"}).content.decode()
    assert 'href="/layanan/surat-keterangan-domisili/"' in html
    assert 'href="/layanan/ktp-el-baru/"' not in html
    assert 'value="domisili"' in html
    none = client.get("/layanan/", {"q": "zzzz"}).content.decode()
    assert "Tidak ada layanan yang cocok" in none


def test_it_shows_a_service_as_a_printable_checklist(offices: TinyOffices, client: Client) -> None:
    page = client.get("/layanan/akta-kelahiran/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="checkbox"') >= 5
    assert "Surat keterangan kelahiran" in html and "Dokumen yang dibawa" in html
    assert "UU 23/2006" in html
    assert "Data awal, belum diverifikasi" in html
    assert "services.css" in html
    english_html = english(client).get("/layanan/akta-kelahiran/").content.decode()
    assert (
        "Documents to bring" in english_html and "Birth statement from the hospital" in english_html
    )
    assert client.get("/layanan/no-such-service/").status_code == 404


def test_it_tells_where_to_go_for_the_chosen_kelurahan(
    offices: TinyOffices, client: Client
) -> None:
    html = client.get(
        "/layanan/surat-keterangan-ahli-waris/", {"kelurahan": "99.01.02.1002"}
    ).content.decode()
    assert "Kantor Lurah Timur Selatan" in html and "Kantor Camat Timur" in html
    assert '<option value="99.01.02.1002" selected>' in html
    assert "Posisi perkiraan" in html
    outside = client.get("/layanan/ktp-el-baru/", {"lat": "0.5", "lon": "100.5"}).content.decode()
    assert "di luar Kota Bukittinggi" in outside


def test_it_answers_which_office_from_the_kelurahan_form_without_javascript(
    offices: TinyOffices, client: Client
) -> None:
    empty = client.get("/layanan/kantor-saya/").content.decode()
    assert '<form method="get"' in empty and 'name="kelurahan"' in empty
    assert '<option value="99.01.01.1001">' in empty
    html = client.get("/layanan/kantor-saya/", {"kelurahan": "99.01.01.1002"}).content.decode()
    for name in (
        "Kantor Lurah Barat Selatan",
        "Kantor Camat Barat",
        "Mal Pelayanan Publik Kota Bukittinggi",
        "Disdukcapil",
        "Puskesmas Barat",
    ):
        assert name in html, name
    assert "Senin–Kamis 07:30–16:00" in html
    assert "Surat keterangan domisili" in html  # a service of the kantor lurah
    english_html = (
        english(client)
        .get("/layanan/kantor-saya/", {"kelurahan": "Barat Selatan"})
        .content.decode()
    )
    assert "Which office serves my address?" in english_html
    assert "Approximate position" in english_html and "Monday–Thursday" in english_html


def test_it_answers_which_office_for_a_dropped_pin_and_keeps_the_bad_input(
    offices: TinyOffices, client: Client
) -> None:
    html = client.get("/layanan/kantor-saya/", {"lat": "-0.015", "lon": "100.015"}).content.decode()
    assert "Kantor Lurah Timur Selatan" in html
    assert "puskesmas terdekat" in html  # Timur Selatan is in no recorded working area
    bad = client.get("/layanan/kantor-saya/", {"kelurahan": "Atlantis"}).content.decode()
    assert "tidak dikenal" in bad and "Atlantis" in bad


def test_it_shows_an_office_with_its_services(offices: TinyOffices, client: Client) -> None:
    page = client.get("/layanan/kantor/kantor-camat-barat/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kantor Camat Barat" in html and "Surat keterangan ahli waris" in html
    assert "Surat keterangan domisili" not in html
    puskesmas = client.get("/layanan/kantor/puskesmas-barat/").content.decode()
    assert "Barat Selatan" in puskesmas and "Imunisasi dasar anak" in puskesmas
    assert client.get("/layanan/kantor/nope/").status_code == 404
