"""On a 360 px phone in headless chromium (offline): pin a post on the map, publish, see it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from geo_klik.community.models import Post
from tests.browser.fixtures import OfflinePage
from tests.community.conftest import People

pytestmark = [pytest.mark.browser]


TOO_WIDE = """Array.from(document.querySelectorAll("body *"))
  .filter((e) => e.getBoundingClientRect().right > 361)
  .slice(0, 8)
  .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def too_wide(page) -> list[str]:
    """What sticks out of a 360 px screen (for the failure message)."""
    found: list[str] = page.evaluate(TOO_WIDE)
    return found


def log_in(offline: OfflinePage, live_server: LiveServer, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    offline.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_a_resident_pins_a_post_and_finds_it_on_the_board(
    offline_page: OfflinePage,
    live_server: LiveServer,
    people: People,
    tiny_city,
    artifacts_dir: Path,
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(offline_page, live_server, people.alice)
    page.goto(live_server.url + "/komunitas/pos/baru/")
    status = page.locator("#pin-status")
    page.wait_for_function("() => document.getElementById('pin-status').textContent.length > 0")
    assert "Belum ditandai" in status.inner_text()
    assert page.locator("#event-fields").is_hidden()
    page.locator(".form-map").click()  # the middle of the city
    page.wait_for_function(
        "() => document.getElementById('pin-status').textContent.includes('Kelurahan')"
    )
    assert page.locator("#id_lat").input_value() != ""
    page.fill("#id_title", "Pohon tumbang di jalan")
    page.fill("#id_body", "Hati-hati lewat sini")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, too_wide(page)
    page.locator("button[type=submit].primary").click()
    page.wait_for_url("**/komunitas/pos/*/")
    post = Post.objects.get()
    assert post.location is not None and post.kelurahan is not None
    assert "Pohon tumbang di jalan" in page.inner_text("h2")
    page.screenshot(path=str(artifacts_dir / "community-post-360.png"), full_page=True)

    page.goto(live_server.url + "/komunitas/")
    page.wait_for_selector(".community-pin")
    assert "1 pos dan acara di peta" in page.inner_text("#map-count")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, too_wide(page)
    page.screenshot(path=str(artifacts_dir / "community-board-360.png"), full_page=True)
    assert not offline_page.page_errors
    assert not offline_page.unexpected_console_errors()
