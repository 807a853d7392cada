"""The field officer's phone (360x740, emulated geolocation) and the console, together.

The issue's story: an officer goes on duty, receives a dispatch made on the console, moves
(three positions) while the console shows the unit moving within 2 s, arrives, loses the
connection, resolves with a photo while offline, reconnects, and the report is resolved exactly
once with the photo on the resident's tracking page. Screenshots of /petugas/ (inbox, incident,
offline queue) go to tests/artifacts/.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Route
from pytest_django.live_server_helper import LiveServer

from geo_klik.control import events
from geo_klik.dispatch.models import Unit, UnitAssignment, UnitPosition
from geo_klik.field.models import FieldAction
from geo_klik.lib import geo
from geo_klik.reports.models import Report, ReportEvent, ReportPhoto
from tests.browser.test_csp import RECORD_VIOLATIONS, violations
from tests.dispatch.conftest import (  # noqa: F401  (the fixtures the personas build on)
    categories,
    command_center,
    make_agency,
    make_jurisdiction,
    make_report,
    zones,
)
from tests.personas import BARAT, PASSWORD, Personas

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("categories"),
]

# The bound: a position sent by the phone, shown on the open console.
LIVE_BOUND_S = 2.0
PHONE = {"width": 360, "height": 740}
# Three positions on the way to the report (each about 150 m from the last, over the 50 m rule).
ROUTE = [(-0.0080, 100.0020), (-0.0070, 100.0030), (-0.0060, 100.0040)]


@pytest.fixture
def contexts(browser: Browser, live_server: LiveServer) -> Iterator[Callable[..., BrowserContext]]:
    """Browser contexts that reach only the live server (no tiles, no CDN), closed after the
    test, which then waits for the server to end their event streams (they read the database)."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        made.append(context_for(browser, live_server, **options))
        return made[-1]

    yield make
    for context in made:
        context.close()
    deadline = time.monotonic() + 5
    while events.open_streams and time.monotonic() < deadline:
        time.sleep(0.1)


def context_for(browser: Browser, live_server: LiveServer, **options: Any) -> BrowserContext:
    """A context that reaches only the live server (no tiles, no CDN)."""
    context = browser.new_context(locale="id-ID", **options)
    origin = live_server.url.rstrip("/") + "/"

    def only_live_server(route: Route) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    context.route("**/*", only_live_server)
    return context


def log_in(page: Page, live_server: LiveServer, username: str, target: str) -> None:
    page.goto(f"{live_server.url}/akun/masuk/?next={target}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url(live_server.url + target)


# True when the console's unit layer has PUPR-1 at [lat, lon].
SEES_PUPR_1 = """([lat, lon]) => {
    const u = (window.KLIKUnits ? KLIKUnits.rows() : []).find(r => r.call_sign === "PUPR-1");
    return !!u && Math.abs(u.lat - lat) < 1e-6 && Math.abs(u.lon - lon) < 1e-6;
}"""


def wait_until(page: Page, condition: Callable[[], bool], *, timeout_s: float = 10.0) -> None:
    """Poll ``condition`` while Playwright keeps serving the page: the contexts' routes run in
    this thread, so a plain ``time.sleep`` would hold every request of the page meanwhile."""
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        page.wait_for_timeout(100)


def console_sees(page: Page, lat: float, lon: float) -> bool:
    return bool(
        page.evaluate(
            SEES_PUPR_1,
            [lat, lon],
        )
    )


def test_an_officer_works_a_dispatch_from_the_phone_offline_included(
    contexts: Callable[..., BrowserContext],
    live_server: LiveServer,
    personas: Personas,
    routed_report: Any,
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    report = routed_report(BARAT, "road_damage")
    Unit.objects.create(
        agency=personas.pupr_agency,
        call_sign="PUPR-1",
        kind=Unit.Kind.MOTORBIKE,
        location=geo.point(-0.009, 100.001),
    )
    photo = tmp_path / "after.jpg"
    Image.new("RGB", (64, 48), (30, 160, 60)).save(photo, "JPEG")
    errors: list[str] = []

    # The officer's phone: 360x740, location allowed, standing at the first point.
    phone_context = contexts(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        permissions=["geolocation"],
        geolocation={"latitude": ROUTE[0][0] - 0.002, "longitude": ROUTE[0][1], "accuracy": 10},
    )
    phone_context.add_init_script(RECORD_VIOLATIONS)
    phone = phone_context.new_page()
    phone.on("pageerror", lambda e: errors.append(f"phone: {e}"))
    log_in(phone, live_server, personas.pupr.get_username(), "/petugas/")
    phone.wait_for_selector("#unit option", state="attached")
    phone.click("#on-duty-button")
    phone.wait_for_selector("#on-duty >> text=PUPR-1")
    # The first fix is sent as soon as the officer is on duty.
    wait_until(phone, lambda: UnitPosition.objects.exists())
    assert UnitPosition.objects.count() == 1

    # The console, where the operator dispatches the unit.
    desk_context = contexts(viewport={"width": 1600, "height": 900})
    desk = desk_context.new_page()
    desk.on("pageerror", lambda e: errors.append(f"console: {e}"))
    log_in(desk, live_server, personas.operator.get_username(), "/control/")
    desk.wait_for_function("() => window.KLIK_CONTROL && KLIK_CONTROL.isLive()", timeout=10_000)
    row = f"#rows tr[data-code='{report.tracking_code}']"
    desk.click(row)
    desk.click("#detail button[data-step=acknowledge]")
    desk.wait_for_selector("#detail[data-status=acknowledged]")
    desk.click("#detail button[data-step=dispatch]")
    desk.wait_for_selector("#detail form >> text=PUPR-1")
    desk.click("#detail form button[type=submit]")
    desk.wait_for_selector("#detail[data-status=dispatched]")

    # The phone is told at once (the staff change stream), without a reload.
    job = f"#jobs li[data-code='{report.tracking_code}']"
    phone.wait_for_selector(job, timeout=5_000)
    phone.wait_for_selector("#alert:not([hidden])")
    phone.screenshot(path=str(artifacts_dir / "field_inbox_360x740.png"))

    # Three positions: the console shows each within the bound.
    desk.wait_for_selector("#unit-rows tr[data-unit='PUPR-1']")
    for lat, lon in ROUTE:
        moved = time.monotonic()
        phone_context.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 8})
        desk.wait_for_function(
            SEES_PUPR_1,
            arg=[lat, lon],
            timeout=5_000,
        )
        latency_s = time.monotonic() - moved
        print(f"position-to-console latency: {latency_s * 1000:.0f} ms")
        assert latency_s < LIVE_BOUND_S
    assert console_sees(desk, *ROUTE[-1])
    desk.screenshot(path=str(artifacts_dir / "control_field_units_1600x900.png"))
    track = desk.evaluate("() => KLIKUnits.tracks[Object.keys(KLIKUnits.tracks)[0]].length")
    assert track >= 4  # the first fix and the three moves: its last hour
    assert UnitPosition.objects.count() == 4

    # The incident: map with the kelurahan, directions, steps.
    phone.click(f"{job} a")
    phone.wait_for_selector("#incident:not([hidden]) #geo-link")
    assert (phone.get_attribute("#geo-link", "href") or "").startswith("geo:")
    phone.wait_for_selector("#incident-map .incident-marker", state="attached")
    phone.wait_for_selector("#incident-map .kelurahan-label span", state="attached")
    phone.click("#steps button[data-step=en-route]")
    # Sent at once: the step leaves the queue and the page offers the next ones.
    phone.wait_for_selector("#steps button[data-step=en-route]", state="detached")
    phone.wait_for_selector("#steps button[data-step=on-scene]")
    phone.wait_for_selector("#queued li.meta")  # "nothing waiting to be sent"
    assert Unit.objects.get(call_sign="PUPR-1").status == Unit.Status.EN_ROUTE
    phone.click("#steps button[data-step=on-scene]")
    wait_until(phone, lambda: Report.objects.get(pk=report.pk).status == "on_scene")
    assert Report.objects.get(pk=report.pk).status == Report.Status.ON_SCENE
    # The page shows it too (and the service worker keeps that copy for offline).
    phone.wait_for_selector("#steps button[data-step=on-scene]", state="detached")
    phone.wait_for_selector("#steps button[data-step=resolve]")
    phone.evaluate("() => document.getElementById('field').scrollTo(0, 0)")
    phone.screenshot(path=str(artifacts_dir / "field_incident_360x740.png"), full_page=True)

    # The connection drops; the officer resolves with a photo anyway.
    phone_context.set_offline(True)
    phone.click("#steps button[data-step=resolve]")
    phone.fill("#form-resolve textarea[name=note]", "Lubang ditambal, jalan aman.")
    phone.set_input_files("#form-resolve input[name=photo]", str(photo))
    phone.click("#form-resolve button[type=submit]")
    phone.wait_for_selector("#queued li[data-key]")
    phone.wait_for_selector("#pending-step")
    phone.evaluate("() => document.getElementById('queue').scrollIntoView()")
    phone.screenshot(path=str(artifacts_dir / "field_offline_queue_360x740.png"), full_page=True)
    phone.wait_for_timeout(1000)
    assert Report.objects.get(pk=report.pk).status == Report.Status.ON_SCENE  # nothing got out
    # Still readable offline: the inbox from the service worker's copy.
    phone.evaluate("() => KLIK_FIELD.loadInbox()")
    phone.wait_for_selector("#net.offline")

    # Back online: the queue sends the step, once.
    phone_context.set_offline(False)
    phone.wait_for_selector("#queued li.meta", timeout=10_000)  # "nothing waiting"
    phone.evaluate("() => KLIK_FIELD.flush()")  # a second flush finds nothing to send
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    resolved = ReportEvent.objects.filter(report=report, status_to=Report.Status.RESOLVED)
    assert resolved.count() == 1
    [after] = ReportPhoto.objects.filter(report=report, event=resolved.get())
    assert FieldAction.objects.filter(kind="resolve").count() == 1
    assert UnitAssignment.objects.get(report=report).released_at is not None

    # The resident's tracking page shows the resolution and its photo.
    resident = desk_context.new_page()
    resident.goto(f"{live_server.url}/lacak/{report.tracking_code}/")
    resident.wait_for_selector(f"img[src='{after.image.url}']", state="attached")

    assert errors == []
    assert violations(phone) == []  # the Content-Security-Policy refused nothing
