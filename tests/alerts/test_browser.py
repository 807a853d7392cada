"""/peringatan/ in headless chromium, offline except for the live server: subscribe by picking a
point on the map (and a kelurahan), see and stop it; a pushed alert carries its unsubscribe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from geo_klik.alerts.models import AlertSubscription
from geo_klik.dispatch.actions import seeding
from geo_klik.lib import geo
from geo_klik.maps import assets
from geo_klik.reports.models import Category
from tests.browser.fixtures import OfflinePage
from tests.browser.test_push import push_context, registered, shown_after_push
from tests.browser.test_residents import inside_point

pytestmark = [pytest.mark.browser]
__all__ = ["push_context"]

TILE_PREFIX = assets.OSM_TILES_URL.split("{", 1)[0]
EMAIL = "tetangga@example.id"


@pytest.fixture
def seeded(bukittinggi: Any) -> dict[str, int]:
    return seeding.seed_reference_data()


def open_alerts_page(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/peringatan/")
    page.wait_for_function("() => document.body.getAttribute('data-alerts-ready') === '1'")
    page.wait_for_function("() => document.querySelectorAll('.kelurahan-label').length === 24")


def tap_map(page: Page, lat: float, lon: float) -> None:
    """Click the map at (lat, lon), wherever the map currently shows it."""
    point = page.evaluate(
        "([lat, lon]) => { const holder = document.getElementById('alerts-script');"
        " const map = window[holder.getAttribute('data-map')];"
        " const p = map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator(".folium-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


@pytest.mark.usefixtures("seeded")
def test_it_subscribes_by_picking_a_point_on_the_map(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_alerts_page(page, live_server)
    lat, lon = inside_point("Tarok Dipo")
    tap_map(page, lat, lon)
    assert "500 m" in page.locator("#alerts-picked").inner_text()
    page.locator("#alerts-radius").fill("1000")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Alamat email").fill(EMAIL)
    page.get_by_label("Ringkasan harian").check()
    page.get_by_role("button", name="Berlangganan").click()
    page.locator("#alerts-status").filter(has_text="Periksa email Anda").wait_for()
    page.locator("#alerts-list li").filter(has_text="menunggu konfirmasi email").wait_for()
    page.screenshot(path=str(artifacts_dir / "peringatan_1280x800.png"))

    subscription = AlertSubscription.objects.get()
    assert subscription.email == EMAIL and subscription.confirmed_at is None
    assert (subscription.radius_m, subscription.frequency) == (1000, "daily")
    assert subscription.center is not None
    s_lat, s_lon = geo.lat_lon(subscription.center)
    assert abs(s_lat - lat) < 0.0002 and abs(s_lon - lon) < 0.0002  # the tapped point
    assert set(subscription.categories.values_list("code", flat=True)) == set(
        Category.objects.filter(active=True).values_list("code", flat=True)
    )
    key = page.evaluate("() => localStorage.getItem('klik.alertsKey')")
    assert key and len(key) == 32

    # A whole kelurahan, picked by tapping it on the map.
    page.get_by_label("Satu kelurahan").check()
    tap_map(page, *inside_point("Benteng Pasar Atas"))
    assert "Benteng Pasar Atas" in page.locator("#alerts-picked").inner_text()
    page.get_by_role("button", name="Berlangganan").click()
    page.locator("#alerts-list li").nth(1).wait_for()
    second = AlertSubscription.objects.order_by("-id").first()
    assert second is not None and second.kelurahan is not None
    assert second.kelurahan.name == "Benteng Pasar Atas"

    # Stopping one from the list deletes it (and its address).
    page.locator(f"#alerts-list li[data-id='{subscription.pk}'] button").click()
    page.locator(f"#alerts-list li[data-id='{subscription.pk}']").wait_for(state="detached")
    assert not AlertSubscription.objects.filter(pk=subscription.pk).exists()
    assert all(url.startswith(TILE_PREFIX) for url in offline_page.blocked_urls)
    assert offline_page.page_errors == []
    assert offline_page.unexpected_console_errors() == []


@pytest.mark.usefixtures("seeded")
def test_it_shows_the_page_on_a_phone_in_english(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    open_alerts_page(page, live_server)
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_role("button", name="Subscribe").click()
    # Nothing chosen on the map: the API's own message, in English.
    page.locator("#alerts-status").filter(has_text="Choose one area").wait_for()
    page.screenshot(path=str(artifacts_dir / "peringatan_en_360x740.png"), full_page=True)
    assert AlertSubscription.objects.count() == 0


def test_a_pushed_alert_offers_a_one_click_unsubscribe(
    push_context: BrowserContext, live_server: LiveServer
) -> None:
    page = push_context.new_page()
    cdp, registration_id = registered(page, live_server)
    message = {
        "title": "[KLIK] Laporan baru: Sampah di Tarok Dipo",
        "body": "Laporan baru: Sampah di Tarok Dipo (KLIK-AB12).",
        "url": "https://klik.example.id/lacak/KLIK-AB12/",
        "lang": "id",
        "tag": "klik-alert-7",
        "unsubscribe": "https://klik.example.id/peringatan/berhenti/7:abc/",
    }
    [shown] = shown_after_push(page, cdp, registration_id, live_server, json.dumps(message))
    assert shown["data"] == {
        "url": live_server.url + "/lacak/KLIK-AB12/",
        "unsubscribe": live_server.url + "/peringatan/berhenti/7:abc/",
    }
    actions = page.evaluate(
        "() => navigator.serviceWorker.ready.then((r) => r.getNotifications({tag: 'klik-alert-7'}))"
        ".then((ns) => ns[0].actions.map((a) => [a.action, a.title]))"
    )
    assert actions == [["unsubscribe", "Berhenti"]]
    # An unsubscribe link elsewhere than the alerts' own path is dropped.
    hostile = {**message, "tag": "t2", "unsubscribe": "https://evil.example/api/staff/x"}
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration_id, "data": json.dumps(hostile)},
    )
    page.wait_for_function(
        "() => navigator.serviceWorker.ready.then((r) => r.getNotifications({tag: 't2'}))"
        ".then((ns) => ns.length === 1 && !('unsubscribe' in ns[0].data)"
        " && ns[0].actions.length === 0)"
    )
