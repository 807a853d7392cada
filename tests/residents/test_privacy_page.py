"""/privasi/: what is kept, why, for how long, who sees it, in Indonesian and English."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

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
        reporter_secret=actions.reporter_secret_for(None),
    )
    return made


def test_it_says_what_is_kept_for_how_long_in_indonesian_first(db: None, client: Client) -> None:
    page = client.get("/privasi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pemberitahuan privasi" in html and "UU PDP" in html and "27 Tahun 2022" in html
    assert "dihapus otomatis 90 hari setelah laporan ditutup" in html
    assert "Siapa yang melihat" in html and 'href="?lang=en"' in html


def test_it_has_an_english_version(db: None, client: Client) -> None:
    html = client.get("/privasi/?lang=en").content.decode()
    assert "Privacy notice: your data in KLIK" in html
    assert "deleted automatically 90 days after the report is closed" in html
    assert "Who sees it" in html and 'href="?lang=id"' in html
    # The site's own language switch works too.
    client.post("/i18n/setlang/", {"language": "en", "next": "/privasi/"})
    assert "Who sees it" in client.get("/privasi/").content.decode()


def test_it_states_the_configured_retention(db: None, client: Client, settings: Settings) -> None:
    settings.NOTIFY_CONTACT_RETENTION_DAYS = 30
    assert "30 hari setelah laporan ditutup" in client.get("/privasi/").content.decode()
    assert client.get("/privasi/?lang=xx\x00").status_code in (200, 400)


def test_the_form_the_tracking_page_and_the_footer_link_to_it(
    client: Client, report: Report
) -> None:
    """The form's notification choice and the tracking page's "your data" link to it."""
    form = client.get("/lapor/").content.decode()
    assert 'id="privacy-link" ' in form or 'href="/privasi/" id="privacy-link"' in form
    assert 'id="footer-privacy"' in form
    actions.change_status(report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    track = client.get(f"/lacak/{report.tracking_code}/").content.decode()
    assert track.count('href="/privasi/"') >= 2  # the "your data" section and the footer
    assert "Hapus data kontak saya" in track
