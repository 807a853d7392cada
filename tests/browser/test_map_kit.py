"""maps/map_kit.js, the one element, pin and outline helper of every map page (chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.browser.fixtures import OfflinePage

pytestmark = [pytest.mark.browser]
HOSTILE = '<img src=x onerror="window.pwned=1">"&\''


@pytest.mark.usefixtures("bukittinggi")
def test_it_keeps_hostile_text_as_text_in_pins_and_elements(
    offline_page: OfflinePage, live_server: LiveServer
) -> None:
    page = offline_page.page
    page.goto(live_server.url + "/peta/")
    page.wait_for_function("() => window.GeoKlikMap && document.querySelector('.kelurahan-label')")
    found: dict[str, Any] = page.evaluate(
        """(text) => {
            const options = { size: 18, popupAnchor: [0, -9] };
            const icon = GeoKlikMap.pin('report-pin ' + text, text, options);
            const holder = document.createElement('div');
            holder.innerHTML = icon.options.html;
            document.body.appendChild(holder);
            const span = holder.firstChild;
            const link = GeoKlikMap.el('a', { href: '#', text: text }, [null]);
            return {
                spans: holder.children.length, images: holder.querySelectorAll('img').length,
                text: span.textContent, hidden: span.getAttribute('aria-hidden'),
                size: icon.options.iconSize, popupAnchor: icon.options.popupAnchor,
                linkText: link.textContent, linkImages: link.querySelectorAll('img').length,
            };
        }""",
        HOSTILE,
    )
    assert found["spans"] == 1 and found["images"] == 0 and found["linkImages"] == 0
    assert found["text"] == HOSTILE and found["linkText"] == HOSTILE
    assert found["hidden"] == "true"
    assert found["size"] == [18, 18] and found["popupAnchor"] == [0, -9]
    assert page.evaluate("() => window.pwned") is None
    assert offline_page.page_errors == []


@pytest.mark.usefixtures("bukittinggi")
def test_it_draws_the_kelurahan_outlines_without_tiles(
    offline_page: OfflinePage, live_server: LiveServer
) -> None:
    # Tiles are blocked (the page reaches only the live server): the outlines and names still show.
    page = offline_page.page
    page.goto(live_server.url + "/peta/")
    page.wait_for_function("() => document.querySelectorAll('.kelurahan-label').length > 0")
    assert page.locator(".leaflet-overlay-pane path").count() > 0
    names = page.locator(".kelurahan-label span").all_text_contents()
    assert len(names) == len(set(names)) and all(names)
