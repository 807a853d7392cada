"""The residents' pages as HTML: languages, the service worker, the tracking page."""

from __future__ import annotations

import pytest
from django.test import Client

from geo_klik.reports import actions
from geo_klik.reports.models import Category, Report, ReportEvent
from tests.reports.conftest import TINY_LAT, TINY_LON


@pytest.fixture
def report(categories: dict[str, Category]) -> Report:
    made, _ = actions.create_report(
        category=categories["garbage"],
        lat=TINY_LAT,
        lon=TINY_LON,
        description="Sampah",
        reporter_name="Siti Rahmawati",
        reporter_secret=SECRET,
    )
    return made


SECRET = actions.reporter_secret_for(None)


@pytest.mark.usefixtures("categories")
def test_it_serves_the_report_page_in_indonesian_then_english(client: Client) -> None:
    page = client.get("/lapor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Laporkan masalah" in html and "Sampah" in html
    assert 'accept="image/*"' in html and "capture=" in html
    assert "cdn" not in html.lower()
    client.post("/i18n/setlang/", {"language": "en", "next": "/lapor/"})
    english = client.get("/lapor/").content.decode()
    assert "Report a problem" in english and "Garbage" in english


def test_it_serves_the_service_worker_at_the_root(client: Client) -> None:
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    body = answer.content.decode()
    for url in ("/lapor/", "/maps/kelurahan-outlines.geojson", "/static/vendor/leaflet/leaflet.js"):
        assert f'"{url}"' in body


def test_it_shows_the_tracking_page_without_personal_data(client: Client, report: Report) -> None:
    actions.change_status(
        report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF, note="Sudah diangkut"
    )
    page = client.get(f"/lacak/{report.tracking_code}/?baru=1")
    assert page.status_code == 200
    html = page.content.decode()
    assert report.tracking_code in html
    assert "Laporan Anda sudah diterima" in html
    assert "Sudah diangkut" in html
    # "Is it fixed?": Ya closes it, Belum opens the reopening form (issue 15).
    assert "Sudah beres?" in html and "Kirim: belum beres" in html and "Kirim penilaian" in html
    assert "Siti" not in html
    # The forms are the reporter's: hidden until the page finds this report's secret.
    assert '<div id="reporter-actions" hidden>' in html
    assert "Hanya pengirim laporan ini yang bisa berkomentar" in html
    assert SECRET not in html


def test_it_says_why_a_report_made_before_secrets_has_no_follow_up_forms(
    client: Client, categories: dict[str, Category]
) -> None:
    old, _ = actions.create_report(
        category=categories["garbage"], lat=TINY_LAT, lon=TINY_LON, description="Sampah"
    )
    actions.change_status(old, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    html = client.get(f"/lacak/{old.tracking_code}/").content.decode()
    assert "sebelum ada kunci pribadi pelapor" in html
    assert "Kirim penilaian" not in html and "reporter-actions" not in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/lacak/{old.tracking_code}/").content.decode()
    assert "before private reporter keys existed" in english


def test_it_redirects_a_hand_typed_code_and_404s_an_unknown_one(
    client: Client, report: Report
) -> None:
    typed = report.tracking_code.lower()
    answer = client.get(f"/lacak/?kode={typed}")
    assert answer.status_code == 302
    assert answer["Location"] == f"/lacak/{report.tracking_code}/"
    assert client.get("/lacak/ZZZZZZZZZZ/").status_code == 404


@pytest.mark.usefixtures("tiny_city")
def test_it_serves_light_kelurahan_outlines(client: Client) -> None:
    answer = client.get("/maps/kelurahan-outlines.geojson")
    assert answer.status_code == 200
    features = answer.json()["features"]
    assert {f["properties"]["name"] for f in features} == {
        "Barat Utara",
        "Barat Selatan",
        "Timur Utara",
        "Timur Selatan",
    }


def test_the_nav_offers_login_logout_and_moderation_by_role(client: Client, db: None) -> None:
    from django.contrib.auth.models import User

    from geo_klik.accounts import actions as account_actions
    from geo_klik.accounts import roles

    html = client.get("/cari/").content.decode()
    assert 'href="/akun/masuk/?next=/cari/"' in html
    client.force_login(User.objects.create_user("warga1", password="a long password 1"))
    html = client.get("/cari/").content.decode()
    assert "Keluar (warga1)" in html
    assert "/komunitas/moderasi/" not in html
    moderator = account_actions.create_staff_user(
        "mod1", role=roles.MODERATOR, password="a long password 1"
    )
    client.force_login(moderator)  # type: ignore[arg-type]
    html = client.get("/cari/").content.decode()
    assert 'href="/komunitas/moderasi/"' in html
    assert 'href="/usaha/moderasi/"' in html
