"""The "which office" page in headless chromium on a 360 px phone: drop a pin, see the offices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo
from geo_klik.public_services import seed
from tests.browser.fixtures import OfflinePage
from tests.browser.test_residents import drop_pin

pytestmark = [pytest.mark.browser]


@pytest.fixture
def seeded(bukittinggi: Any) -> seed.SeedReport:
    return seed.seed_all()


@pytest.mark.usefixtures("seeded")
def test_it_shows_the_offices_for_a_dropped_pin(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/layanan/kantor-saya/")
    page.wait_for_function("() => document.querySelectorAll('.kelurahan-label').length === 24")
    label = Kelurahan.objects.get(name="Birugo").label_point
    assert label is not None
    lat, lon = geo.lat_lon(label)

    drop_pin(page, lat + 0.0005, lon)

    page.wait_for_url("**/layanan/kantor-saya/?*lat=*")
    page.wait_for_function("() => document.querySelectorAll('.office-pin').length >= 4")
    text = page.locator(".which-sheet").inner_text()
    assert "Kelurahan Birugo, Kecamatan Aur Birugo Tigo Baleh" in text
    assert "Kantor Lurah Birugo" in text and "Kantor Camat Aur Birugo Tigo Baleh" in text
    assert "Puskesmas Tigo Baleh" in text and "Disdukcapil" in text
    assert page.locator("#kelurahan").input_value() == "13.75.03.1002"
    page.screenshot(path=str(artifacts_dir / "layanan_kantor_saya_360x740.png"))
    page.locator(".map-area").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "layanan_kantor_saya_map_360x740.png"))
    assert offline_page.page_errors == []
    assert offline_page.unexpected_console_errors() == []


@pytest.mark.usefixtures("seeded")
def test_it_prints_a_service_checklist_without_the_page_furniture(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/layanan/akta-kelahiran/?kelurahan=Birugo")
    page.screenshot(path=str(artifacts_dir / "layanan_akta_360x740.png"))
    page.locator(".checklist input[type=checkbox]").first.check()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("#address").is_visible()
    assert page.locator(".checklist").is_visible()
    assert page.locator(".checklist input[type=checkbox]").first.is_checked()
    assert offline_page.page_errors == []
