"""Reporter notifications in the residents' pages (headless chromium): choose, change, stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from geo_klik.notify import actions as notify_actions
from geo_klik.notify.models import ReporterContact
from geo_klik.reports import actions, credentials
from geo_klik.reports.models import Category, Report
from tests.browser.fixtures import OfflinePage
from tests.browser.test_residents import (  # noqa: F401  (fixtures used by name)
    drop_pin,
    fill_report,
    inside_point,
    no_routing_queue,
    open_report_page,
    phone,
    seeded,
    wait_until,
)

pytestmark = [pytest.mark.browser]


@pytest.mark.usefixtures("seeded", "no_routing_queue")
def test_it_sends_the_updates_email_with_the_report(
    offline_page: OfflinePage, live_server: LiveServer
) -> None:
    page = offline_page.page
    open_report_page(page, live_server)
    lat, lon = inside_point()
    drop_pin(page, lat, lon)
    fill_report(page)
    page.locator("#notify_email").fill("warga@example.id")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lacak/*/?baru=1")
    contact = ReporterContact.objects.get()
    assert (contact.email, contact.language, contact.channels) == (
        "warga@example.id",
        "id",
        ["email"],
    )
    page.locator("#notify-now").filter(has_text="w***@example.id").wait_for()
    assert offline_page.page_errors == []


@pytest.mark.usefixtures("seeded", "no_routing_queue")
def test_the_link_of_a_notification_opens_the_settings_to_change_and_stop(
    phone: tuple[BrowserContext, Page],  # noqa: F811
    live_server: LiveServer,
    artifacts_dir: Path,
) -> None:
    _, page = phone
    lat, lon = inside_point()
    report, _ = actions.create_report(
        category=Category.objects.get(code="garbage"),
        lat=lat,
        lon=lon,
        description="Sampah",
        reporter_secret=actions.reporter_secret_for(None),
    )
    notify_actions.set_contact(report, {"email": "warga@example.id"})
    token = credentials.link_token(report.pk, report.reporter_secret_sha256)
    page.goto(live_server.url + f"/lacak/{report.tracking_code}/#rahasia={token}")
    page.locator("#notify-now").filter(has_text="w***@example.id").wait_for()
    assert token not in page.url
    page.locator("#notify-language").select_option("en")
    page.locator("#notify-form button[type=submit]").click()
    wait_until(page, lambda: ReporterContact.objects.get().language == "en")
    page.screenshot(path=str(artifacts_dir / "lacak_notify_360x740.png"), full_page=True)
    page.locator("#notify-stop").click()
    page.locator("#notify-now").filter(has_text="belum menerima kabar").wait_for()
    assert not ReporterContact.objects.filter(report=report).exists()
    assert Report.objects.get().status == "received"
