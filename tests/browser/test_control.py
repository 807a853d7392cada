"""The control-room console in headless chromium: a new report appears live, and is claimed."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from geo_klik.control import events
from geo_klik.dispatch.actions import routes, workflow
from geo_klik.dispatch.models import Handling, Notification, Unit
from geo_klik.lib import geo, layers
from geo_klik.reports.models import Report
from tests.browser.fixtures import OfflinePage
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

# The bound: accepted report to the open console, without a reload.
LIVE_BOUND_S = 2.0
# Without the push channel the console polls every 2 s.
POLL_BOUND_S = 3.0


@pytest.fixture
def no_routing_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Routing runs in Celery after commit; the test routes by hand, inside the measurement."""
    monkeypatch.setattr(routes, "enqueue_routing", lambda ids: 0)


def log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(live_server.url + "/akun/masuk/?next=/control/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url(live_server.url + "/control/")


def send_report(page: Page, live_server: LiveServer) -> tuple[float, str]:
    """POST a report through the public API and route it, as the Celery task would."""
    answer = page.request.post(
        live_server.url + "/api/reports/",
        data={
            "category": "road_damage",
            "lat": BARAT[0],
            "lon": BARAT[1],
            "description": "Jalan berlubang besar di depan sekolah.",
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    accepted = time.monotonic()
    assert answer.status == 201, answer.text()
    code: str = answer.json()["tracking_code"]
    routes.route_report(Report.objects.get(tracking_code=code).pk)
    return accepted, code


def test_it_shows_a_new_report_live_and_claims_it(
    offline_page: OfflinePage,
    live_server: LiveServer,
    personas: Personas,
    no_routing_queue: None,
    artifacts_dir: Path,
) -> None:
    Unit.objects.create(
        agency=personas.pupr_agency,
        call_sign="PUPR-1",
        kind=Unit.Kind.CREW,
        status=Unit.Status.AVAILABLE,
        location=geo.point(BARAT[0] + 0.002, BARAT[1] + 0.001),
        location_at=timezone.now(),
    )
    page = offline_page.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, live_server, personas.operator.get_username())
    # The push channel is open and the kelurahan are drawn with their names.
    page.wait_for_function("() => window.KLIK_CONTROL && KLIK_CONTROL.isLive()", timeout=10_000)
    page.wait_for_selector(".kelurahan-label span", state="attached")
    # Reports, units and kelurahan, then one switch per service-area layer (off at first).
    service_layers = len(layers.all_layers(include_staff=True))
    assert page.locator(".leaflet-control-layers-overlays label").count() == 3 + service_layers

    accepted, code = send_report(page, live_server)
    row = f"#rows tr[data-code='{code}']"
    page.wait_for_selector(row, timeout=LIVE_BOUND_S * 1000)
    page.wait_for_selector(f".report-{code}", state="attached", timeout=LIVE_BOUND_S * 1000)
    latency_s = time.monotonic() - accepted
    print(f"report-to-console latency: {latency_s * 1000:.0f} ms")
    assert latency_s < LIVE_BOUND_S

    page.click(row)
    page.click("#detail button[data-step=acknowledge]")
    page.wait_for_selector("#detail[data-status=acknowledged]")
    handling = Handling.objects.get(report__tracking_code=code)
    assert handling.claimed_by_id == personas.operator.pk
    page.wait_for_selector(f"{row} td:has-text('{personas.operator.get_username()}')")

    # Dispatch the suggested nearest unit; it moves to "dispatched" on the map's units layer.
    page.click("#detail button[data-step=dispatch]")
    page.wait_for_selector("#detail form >> text=PUPR-1")
    page.click("#detail form button[type=submit]")
    page.wait_for_selector("#detail[data-status=dispatched]")
    assert Unit.objects.get(call_sign="PUPR-1").status == Unit.Status.DISPATCHED
    page.wait_for_selector("#detail button[data-step=arrive]")

    page.screenshot(path=str(artifacts_dir / "control_1920x1080.png"))
    assert offline_page.page_errors == []
    assert offline_page.unexpected_console_errors() == []
    close_console(page)


def close_console(page: Page) -> None:
    """Close the page and wait until the server has ended its stream (it reads the database)."""
    page.close()
    deadline = time.monotonic() + 5
    while events.open_streams and time.monotonic() < deadline:
        time.sleep(0.1)
    assert events.open_streams == 0


def test_it_falls_back_to_polling_when_the_push_channel_is_down(
    offline_page: OfflinePage,
    live_server: LiveServer,
    personas: Personas,
    no_routing_queue: None,
) -> None:
    page = offline_page.page
    page.route("**/api/staff/events/", lambda route: route.abort("connectionrefused"))
    log_in(page, live_server, personas.operator.get_username())
    page.wait_for_selector("#status.polling")
    Notification.objects.create(
        dedupe_key="down-hook",
        kind="routed",
        channel=Notification.Channel.WEBHOOK,
        agency=personas.pupr_agency,
        recipient="http://127.0.0.1:9/hook",
        subject="Laporan KLIK baru",
        body="{}",
        state=Notification.State.FAILED,
        attempts=6,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    accepted, code = send_report(page, live_server)
    page.wait_for_selector(f"#rows tr[data-code='{code}']", timeout=POLL_BOUND_S * 1000)
    assert time.monotonic() - accepted < POLL_BOUND_S
    # Undelivered notifications are on the console, with their error.
    page.wait_for_selector("#notifications:not([hidden]) >> text=Connection refused")
    assert offline_page.page_errors == []


def test_an_skpd_officer_works_a_report_to_resolved(
    offline_page: OfflinePage,
    live_server: LiveServer,
    personas: Personas,
    routed_report: Any,
) -> None:
    report = routed_report(BARAT, "road_damage")
    page = offline_page.page
    page.set_viewport_size({"width": 1366, "height": 768})  # an office laptop
    log_in(page, live_server, personas.pupr.get_username())
    row = f"#rows tr[data-code='{report.tracking_code}']"
    page.click(row)
    page.click("#detail button[data-step=acknowledge]")
    page.wait_for_selector("#detail[data-status=acknowledged]")
    page.click("#detail button[data-step=resolve]")
    page.click("#detail form button[type=submit]")  # no note yet: the browser asks for one
    assert page.locator("#detail[data-status=acknowledged]").count() == 1
    page.fill("#detail form textarea[name=note]", "Lubang sudah ditambal.")
    page.click("#detail form button[type=submit]")
    page.wait_for_selector("#detail[data-status=resolved]")
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    page.wait_for_selector(row, state="detached")  # resolved leaves the open queue
    assert offline_page.page_errors == []
    close_console(page)


def test_an_operator_transfers_a_report_to_another_skpd(
    offline_page: OfflinePage,
    live_server: LiveServer,
    personas: Personas,
    routed_report: Any,
) -> None:
    report = routed_report(BARAT, "road_damage")
    page = offline_page.page
    log_in(page, live_server, personas.operator.get_username())
    page.click(f"#rows tr[data-code='{report.tracking_code}']")
    page.click("#detail button[data-step=transfer]")
    page.select_option("#detail form select[name=agency]", personas.polsek_agency.code)
    page.fill("#detail form textarea[name=reason]", "Ini tindak kriminal, bukan jalan rusak.")
    page.click("#detail form button[type=submit]")
    page.wait_for_selector("#detail[data-status=transferred]")
    assert workflow.primary_agency_id(Report.objects.get(pk=report.pk)) == (
        personas.polsek_agency.pk
    )
    assert offline_page.page_errors == []
    close_console(page)
