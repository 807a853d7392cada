"""The residents' pages in headless chromium, offline except for the live server."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from geo_klik.boundaries.models import Kelurahan
from geo_klik.dispatch.actions import routes, seeding
from geo_klik.lib import geo
from geo_klik.maps import assets
from geo_klik.reports import actions
from geo_klik.reports.models import Category, Report, ReportSupport
from tests.browser.fixtures import OfflinePage

pytestmark = [pytest.mark.browser]

TILE_PREFIX = assets.OSM_TILES_URL.split("{", 1)[0]
# Under 500 KB before tiles, per the issue; measured from the browser's own byte counts.
FIRST_LOAD_BUDGET_BYTES = 500 * 1024


@pytest.fixture
def seeded(bukittinggi: Any) -> dict[str, int]:
    """The real kelurahan with the seeded categories, agencies and jurisdictions."""
    return seeding.seed_reference_data()


@pytest.fixture
def no_routing_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Routing runs in Celery after commit; these tests route by hand when they need it."""
    monkeypatch.setattr(routes, "enqueue_routing", lambda ids: 0)


def inside_point(name: str = "Tarok Dipo") -> tuple[float, float]:
    """The label point of a kelurahan: inside its polygon."""
    label = Kelurahan.objects.get(name=name).label_point
    assert label is not None
    return geo.lat_lon(label)


def open_report_page(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/lapor/")
    # The kelurahan outlines are drawn (from the feed the service worker keeps offline).
    page.wait_for_function("() => document.querySelectorAll('.kelurahan-label').length === 24")


def drop_pin(page: Page, lat: float, lon: float) -> None:
    """Tap the map at (lat, lon), wherever the map currently shows it."""
    page.evaluate(
        "(at) => new Promise((done) => { const map = KLIK.theMap();"
        " map.once('moveend', () => done(true)); map.setView(at, 16); })",
        [lat, lon],
    )
    point = page.evaluate(
        "([lat, lon]) => { const p = KLIK.theMap().latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator(".folium-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def fill_report(page: Page, *, category: str = "Sampah", text: str = "Sampah menumpuk") -> None:
    page.locator("label.category", has_text=category).click()
    page.get_by_label("Jelaskan").fill(text)


def wait_until(page: Page, condition: Callable[[], bool], *, timeout_s: float = 15.0) -> None:
    """Poll `condition`, waiting in Playwright (routed requests are served only meanwhile)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        page.wait_for_timeout(200)


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[tuple[BrowserContext, Page]]:
    """A 360x740 phone context that can reach only the live server (and so may go offline)."""
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
    page = context.new_page()
    yield context, page
    context.close()


@pytest.mark.usefixtures("seeded", "no_routing_queue")
def test_it_sends_a_report_and_lands_on_its_tracking_page(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    open_report_page(page, live_server)
    page.screenshot(path=str(artifacts_dir / "lapor_360x740.png"))
    lat, lon = inside_point()

    drop_pin(page, lat, lon)
    assert "Tarok Dipo" in page.locator("#pin-status").inner_text()
    fill_report(page)
    with page.expect_request(lambda r: r.method == "POST" and "/api/reports/" in r.url) as sent:
        page.get_by_role("button", name="Kirim laporan").click()
    # The rate limits count this phone, not its carrier's shared address.
    assert re.fullmatch(r"[0-9a-f-]{36}", sent.value.headers.get("x-device-id", ""))

    page.wait_for_url("**/lacak/*/?baru=1")
    code = page.locator("#tracking-code").inner_text()
    report = Report.objects.get()
    assert report.tracking_code == code
    assert report.category.code == "garbage"
    assert report.kelurahan is not None and report.kelurahan.name == "Tarok Dipo"
    assert "Laporan Anda sudah diterima" in page.locator(".confirmation").inner_text()
    page.screenshot(path=str(artifacts_dir / "lacak_new_360x740.png"))
    # The phone that sent it keeps the reporter secret: it may comment, rate and reopen.
    page.locator("#reporter-actions").wait_for(state="visible")
    assert page.locator("#reporter-only").is_hidden()
    page.locator("#comment-text").fill("Sudah seminggu tidak diangkut")
    page.locator("#comment-form button[type=submit]").click()
    wait_until(page, lambda: report.events.filter(kind="comment").exists())
    page.locator(".timeline").filter(has_text="Sudah seminggu").wait_for()
    assert all(url.startswith(TILE_PREFIX) for url in offline_page.blocked_urls)
    assert offline_page.unexpected_console_errors() == []
    assert offline_page.page_errors == []


@pytest.mark.usefixtures("seeded")
def test_it_refuses_a_pin_outside_the_city_on_the_spot(
    offline_page: OfflinePage, live_server: LiveServer
) -> None:
    page = offline_page.page
    open_report_page(page, live_server)
    drop_pin(page, -0.25, 100.30)  # farmland west of the city

    assert "di luar Kota Bukittinggi" in page.locator("#pin-status").inner_text()
    fill_report(page)
    page.get_by_role("button", name="Kirim laporan").click()
    assert "di luar Kota Bukittinggi" in page.locator("#form-errors").inner_text()
    assert not Report.objects.exists()


@pytest.mark.usefixtures("seeded", "no_routing_queue")
def test_it_queues_a_report_offline_and_sends_it_exactly_once_when_back_online(
    phone: tuple[BrowserContext, Page], live_server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = phone
    open_report_page(page, live_server)
    # The service worker has stored the app shell once it is ready.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    lat, lon = inside_point("Birugo")

    context.set_offline(True)
    drop_pin(page, lat, lon)
    fill_report(page, text="Sampah tidak diangkut, dikirim tanpa sinyal")
    page.get_by_role("button", name="Kirim laporan").click()
    page.locator("#outbox .outbox-count").filter(has_text="1 laporan menunggu").wait_for()
    page.locator("#notice").filter(has_text="Tidak ada sinyal").wait_for()
    assert not Report.objects.exists()

    # Closing the page (the browser, the phone) keeps the queue; the page itself loads offline.
    page.close()
    page = context.new_page()
    page.goto(live_server.url + "/lapor/")
    page.locator("#outbox .outbox-count").filter(has_text="1 laporan menunggu").wait_for()
    page.screenshot(path=str(artifacts_dir / "lapor_offline_queue_360x740.png"))

    context.set_offline(False)
    wait_until(page, lambda: Report.objects.exists())
    page.locator("#outbox").wait_for(state="hidden")
    page.locator("#notice").filter(has_text="Kode pelacakan").wait_for()
    # More chances to send twice: another flush, another page load.
    page.evaluate("KLIKOutbox.flush()")
    page.reload()
    page.wait_for_timeout(1000)
    report = Report.objects.get()
    assert report.description == "Sampah tidak diangkut, dikirim tanpa sinyal"
    assert report.idempotency_key is not None
    # Sent by the queue, still the reporter's: the tracking page offers the follow-ups.
    page.goto(live_server.url + f"/lacak/{report.tracking_code}/")
    page.locator("#reporter-actions").wait_for(state="visible")


@pytest.mark.usefixtures("seeded", "no_routing_queue")
def test_only_the_reporter_gets_the_follow_up_forms_and_the_private_link_gives_them(
    phone: tuple[BrowserContext, Page], live_server: LiveServer
) -> None:
    _, page = phone
    lat, lon = inside_point()
    secret = actions.reporter_secret_for(None)
    report, _ = actions.create_report(
        category=Category.objects.get(code="garbage"),
        lat=lat,
        lon=lon,
        description="Sampah",
        reporter_secret=secret,
    )
    url = live_server.url + f"/lacak/{report.tracking_code}/"
    page.goto(url)  # a stranger with the public code
    page.locator("#reporter-only").wait_for(state="visible")
    assert page.locator("#reporter-actions").is_hidden()

    page.goto(url + "?dari=sms#rahasia=" + secret)  # the reporter's private link
    page.locator("#reporter-actions").wait_for(state="visible")
    assert "rahasia" not in page.url and secret not in page.url
    page.reload()  # kept on this phone
    page.locator("#reporter-actions").wait_for(state="visible")
    page.locator("#comment-text").fill("Masih ada")
    page.locator("#comment-form button[type=submit]").click()
    wait_until(page, lambda: report.events.filter(kind="comment").exists())


@pytest.mark.usefixtures("seeded", "no_routing_queue")
def test_it_suggests_the_open_report_next_to_the_pin_and_supports_it(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    lat, lon = inside_point("Pakan Kurai")
    first, _ = actions.create_report(
        category=Category.objects.get(code="garbage"), lat=lat, lon=lon, description="Sampah"
    )
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_report_page(page, live_server)
    page.screenshot(path=str(artifacts_dir / "lapor_1280x800.png"))

    drop_pin(page, lat + 0.0005, lon)  # about 55 m north
    fill_report(page)
    suggestion = page.locator("#nearby")
    suggestion.get_by_text("Apakah ini masalah yang sama?").wait_for()
    metres = re.search(r"(\d+) m dari sini", suggestion.inner_text())
    assert metres is not None and 40 <= int(metres.group(1)) <= 70, suggestion.inner_text()
    page.screenshot(path=str(artifacts_dir / "lapor_duplicate_1280x800.png"))
    suggestion.get_by_role("button", name="Ya, sama: dukung laporan ini").click()

    page.wait_for_url(f"**/lacak/{first.tracking_code}/?dukung=1")
    assert "1 warga mendukung" in page.locator(".facts").inner_text()
    assert Report.objects.count() == 1
    assert ReportSupport.objects.filter(report=first).count() == 1
    assert offline_page.unexpected_console_errors() == []


@pytest.mark.usefixtures("seeded", "no_routing_queue")
def test_it_loads_the_report_page_under_500_kb_before_tiles(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else route.abort("internetdisconnected")
        ),
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    transferred: dict[str, int] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: transferred.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    open_report_page(page, live_server)
    page.wait_for_load_state("networkidle")
    total = sum(
        n for rid, n in transferred.items() if not urls.get(rid, "").startswith(TILE_PREFIX)
    )
    print(f"/lapor/ first load: {total} bytes in {len(transferred)} responses")
    context.close()
    assert total < FIRST_LOAD_BUDGET_BYTES


@pytest.mark.usefixtures("seeded", "no_routing_queue")
def test_it_shows_reports_on_the_public_map_without_personal_data(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    garbage = Category.objects.get(code="garbage")
    crime = Category.objects.get(code="crime")
    for name in ("Tarok Dipo", "Birugo", "Pakan Kurai", "Aur Kuning", "Campago Ipuh"):
        lat, lon = inside_point(name)
        actions.create_report(
            category=garbage,
            lat=lat,
            lon=lon,
            description="Sampah",
            reporter_name="Siti Rahmawati",
            reporter_phone="+62 812 3456 7890",
        )
    lat, lon = inside_point("Benteng Pasar Atas")
    secret, _ = actions.create_report(
        category=crime, lat=lat + 0.00012, lon=lon + 0.00012, description="Copet"
    )
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    feed: list[Any] = []
    page.on(
        "response",
        lambda r: feed.append(r.json()) if "/api/map/reports.geojson" in r.url else None,
    )
    page.goto(live_server.url + "/peta/")
    page.get_by_text("6 laporan ditampilkan").wait_for()
    page.wait_for_function("() => document.querySelectorAll('.kelurahan-label').length === 24")
    page.screenshot(path=str(artifacts_dir / "peta_1280x800.png"))

    text = str(feed[-1])
    # The phone number in every form it could take (a bare "812" also occurs in coordinates).
    for private in ("Siti", "Rahmawati", "812 3456", "81234567890", "Copet"):
        assert private not in text, private
    rounded = next(f for f in feed[-1]["features"] if f["id"] == secret.tracking_code)
    assert rounded["properties"]["rounded"] is True
    assert all(len(str(c).split(".")[1]) <= 3 for c in rounded["geometry"]["coordinates"])

    page.get_by_label("Kategori").select_option("crime")
    page.get_by_text("1 laporan ditampilkan").wait_for()
    assert offline_page.unexpected_console_errors() == []
    assert offline_page.page_errors == []
