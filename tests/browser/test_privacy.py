"""On /lacak/ the reporter deletes their contact details, or the unrouted report, once confirmed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from geo_klik.dispatch.actions import seeding
from geo_klik.notify import actions as notify_actions
from geo_klik.notify.models import ReporterContact
from geo_klik.reports import actions, credentials
from geo_klik.reports.models import Category, Report
from tests.browser.test_residents import inside_point

pytestmark = [pytest.mark.browser]


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    origin = live_server.url.rstrip("/") + "/"
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(origin)
            else route.abort("internetdisconnected")
        ),
    )
    yield context.new_page()
    context.close()


def reported(**fields: Any) -> Report:
    lat, lon = inside_point()
    report, _ = actions.create_report(
        category=Category.objects.get(code="garbage"),
        lat=lat,
        lon=lon,
        description="Sampah",
        reporter_secret=actions.reporter_secret_for(None),
        reporter_name="Siti",
        reporter_phone="+6281234567890",
        **fields,
    )
    notify_actions.set_contact(report, {"email": "warga@example.id"})
    return report


def open_with_link(page: Page, live_server: LiveServer, report: Report) -> None:
    token = credentials.link_token(report.pk, report.reporter_secret_sha256)
    page.goto(f"{live_server.url}/lacak/{report.tracking_code}/#rahasia={token}")
    page.locator("#privacy-section").wait_for()


def test_the_reporter_deletes_contact_details_then_the_unrouted_report(
    page: Page, live_server: LiveServer, bukittinggi: Any, artifacts_dir: Path
) -> None:
    seeding.seed_reference_data()
    report = reported()
    open_with_link(page, live_server, report)
    page.click("#forget-contact")
    page.get_by_text("Hapus nama, nomor telepon, e-mail").wait_for()
    page.locator("#privacy-section").screenshot(
        path=str(artifacts_dir / "notify_09_delete_ask.png")
    )
    assert ReporterContact.objects.filter(report=report).exists()  # asked, not done yet
    page.click("#forget-contact-confirm")
    page.get_by_text("Data kontak Anda sudah dihapus.").wait_for()
    row = Report.objects.get(pk=report.pk)
    assert (row.reporter_name, row.reporter_phone) == ("", "")
    assert not ReporterContact.objects.filter(report=report).exists()

    page.click("#withdraw-report")
    page.click("#withdraw-report-confirm")
    page.get_by_text("Laporan Anda sudah dihapus.").wait_for()
    page.wait_for_url("**/lapor/")
    assert not Report.objects.filter(pk=report.pk).exists()
    stored = page.evaluate("() => localStorage.getItem('klik.myReports') || ''")
    assert report.tracking_code not in stored


def test_a_routed_report_offers_no_deletion_and_the_api_says_why(
    page: Page, live_server: LiveServer, bukittinggi: Any
) -> None:
    seeding.seed_reference_data()
    report = reported()
    open_with_link(page, live_server, report)
    # Routed while the page was open: the refusal is shown, nothing is deleted.
    Report.objects.filter(pk=report.pk).update(status="routed", routed_at=timezone.now())
    page.click("#withdraw-report")
    page.click("#withdraw-report-confirm")
    page.get_by_text("sudah diteruskan ke petugas").wait_for()
    assert Report.objects.filter(pk=report.pk).exists()
    page.reload()
    page.locator("#privacy-section").wait_for()
    assert page.locator("#withdraw-report").count() == 0
    assert page.locator("#forget-contact").is_visible()
