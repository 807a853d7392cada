"""The home map in headless chromium, with nothing reachable but the live server."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.live_server_helper import LiveServer

from geo_klik.boundaries.models import Kelurahan
from geo_klik.maps import assets
from tests.browser.fixtures import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("bukittinggi")]

POLYGONS = ".leaflet-overlay-pane svg path.leaflet-interactive"
TILE_PREFIX = assets.OSM_TILES_URL.split("{", 1)[0]


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (360, 740)])
def test_it_draws_all_24_kelurahan_offline(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path, width: int, height: int
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": height})

    page.goto(live_server.url + "/")
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 24", arg=POLYGONS)

    assert page.locator(POLYGONS).count() == 24
    assert page.locator(".geo-klik-legend").inner_text().count("(") == 3
    box = page.locator(".folium-map").bounding_box()
    assert box is not None
    assert box["width"] == width
    assert box["height"] > height * 0.6  # the map fills the viewport below the header
    page.screenshot(path=str(artifacts_dir / f"home_{width}x{height}.png"))
    # Only the optional OpenStreetMap tiles were wanted from outside, and nothing broke.
    assert all(url.startswith(TILE_PREFIX) for url in offline_page.blocked_urls)
    assert offline_page.unexpected_console_errors() == []
    assert offline_page.page_errors == []


def test_it_names_the_kelurahan_under_the_pointer_and_gives_codes_on_click(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/")
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 24", arg=POLYGONS)

    # Hover the middle of Tarok Dipo's label point (which lies inside its polygon).
    label = page.locator(".geo-klik-label", has_text="Tarok Dipo")
    box = label.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    page.mouse.move(box["x"], box["y"])

    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "Tarok Dipo" in tooltip.inner_text()
    assert "Guguak Panjang" in tooltip.inner_text()
    page.screenshot(path=str(artifacts_dir / "home_hover_1280x800.png"))

    page.mouse.click(box["x"], box["y"])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "13.75.01.1001" in popup.inner_text()  # Kemendagri code
    assert "1375010002" in popup.inner_text()  # BPS code
    # Its area as loaded (1,39 km² in the RTRW layer), in Indonesian number format.
    area_km2 = Kelurahan.objects.get(code_kemendagri="13.75.01.1001").area_m2 / 1e6
    assert f"{area_km2:.2f} km²".replace(".", ",") in popup.inner_text()
    assert offline_page.unexpected_console_errors() == []
    assert offline_page.page_errors == []
