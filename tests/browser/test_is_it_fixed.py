"""Issue 15's loop, done when: a resident reports with Web Push on, an officer acknowledges and
resolves from the console, the resident's page receives and shows each notification, answers
"not fixed" (with words and a photo), and the report is back in the agency's queue on the console.

Headless chromium has no push service: as in ``test_push``, the subscription's endpoint is a local
receiver that decrypts what the server sent with the browser's keys, and the plaintext is handed
to the page's service worker through DevTools, as a browser does after decrypting. Screenshots of
what the resident sees at each step go to tests/artifacts/notify_*.png; a notification is shown
by the phone's system, outside the page, so its screenshot draws the notification the service
worker displayed (its title and body, read back with ``getNotifications``) over the page.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.dispatch.actions import notifications, routes, seeding
from geo_klik.dispatch.models import Assignment, Handling
from geo_klik.notify import actions as notify_actions
from geo_klik.notify.models import Delivery, ReporterContact
from geo_klik.reports.models import Report, ReportPhoto
from tests.browser.test_control import close_console, log_in
from tests.browser.test_push import FAKE_PUSH_MANAGER, service_worker_of
from tests.browser.test_residents import drop_pin, fill_report, inside_point, open_report_page
from tests.notify import push_receiver
from tests.notify.push_receiver import Browser as PushKeys
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser]

SHOWN = (
    "() => navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) =>"
    " ns.map((n) => ({title: n.title, body: n.body, tag: n.tag, data: n.data})))"
)
# The notification as the phone would show it, drawn over the page for the screenshot.
DRAW_NOTIFICATION = """
(n) => {
  const card = document.createElement("div");
  card.id = "notification-preview";
  Object.assign(card.style, {position: "fixed", top: "8px", left: "8px", right: "8px",
    zIndex: 100000, background: "#fff", borderRadius: "12px", padding: "10px 12px",
    boxShadow: "0 4px 16px rgba(0,0,0,.35)", font: "14px/1.35 system-ui, sans-serif",
    whiteSpace: "pre-line"});
  const app = document.createElement("div");
  app.textContent = "🔔 KLIK Bukittinggi · " + location.host;
  Object.assign(app.style, {fontSize: "11px", color: "#57606a", marginBottom: "4px"});
  const title = document.createElement("strong");
  title.textContent = n.title;
  const body = document.createElement("div");
  body.textContent = n.body;
  card.append(app, title, body);
  document.body.appendChild(card);
}
"""


def a_photo(path: Path) -> Path:
    Image.new("RGB", (320, 240), (90, 90, 90)).save(path, "JPEG")
    return path


@pytest.fixture
def resident(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    context.grant_permissions(["notifications"], origin=live_server.url)
    origin = live_server.url.rstrip("/") + "/"
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(origin)
            else route.abort("internetdisconnected")
        ),
    )
    yield context
    context.close()


@pytest.fixture
def officer_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 1200})
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


@pytest.fixture
def receiver() -> Iterator[push_receiver.PushService]:
    with push_receiver.push_service() as running:
        yield running


class Phone:
    """The resident's phone: its page, service worker, push keys and what it was pushed."""

    def __init__(self, page: Page, keys: PushKeys, receiver: push_receiver.PushService) -> None:
        self.page, self.keys, self.receiver = page, keys, receiver
        self.cdp: CDPSession | None = None
        self.registration_id = ""
        self.taken = 0

    def deliver_due(self) -> dict[str, Any]:
        """What beat's sweep does once the merge window passed; the one message pushed."""
        notify_actions.sweep(now=timezone.now() + timedelta(seconds=2))
        fresh = self.receiver.received[self.taken :]
        assert len(fresh) == 1, f"{len(fresh)} pushes"
        self.taken += 1
        pushed: dict[str, Any] = self.keys.decrypt(fresh[0].body)
        return pushed

    def show(self, live_server: LiveServer, pushed: dict[str, Any]) -> dict[str, Any]:
        """Hand the decrypted message to the service worker; the notification it shows."""
        if self.cdp is None:
            self.cdp, self.registration_id = service_worker_of(self.page, live_server)
        # A worker that is still starting (the page has just navigated) may miss a message: it
        # is handed over again, as a push service redelivers; the same tag replaces, never adds.
        for _ in range(3):
            self.cdp.send(
                "ServiceWorker.deliverPushMessage",
                {
                    "origin": live_server.url,
                    "registrationId": self.registration_id,
                    "data": json.dumps(pushed),
                },
            )
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline:
                shown = [n for n in self.page.evaluate(SHOWN) if n["body"] == pushed["body"][:300]]
                if shown:
                    return dict(shown[0])
                self.page.wait_for_timeout(100)
        raise AssertionError("the service worker showed no notification")

    def screenshot_notification(self, shown: dict[str, Any], path: Path) -> None:
        self.page.evaluate(DRAW_NOTIFICATION, shown)
        self.page.screenshot(path=str(path))
        self.page.evaluate("() => document.getElementById('notification-preview').remove()")


def test_a_resident_hears_back_answers_not_fixed_and_the_agency_has_it_again(
    resident: BrowserContext,
    officer_page: Page,
    live_server: LiveServer,
    bukittinggi: Any,
    monkeypatch: pytest.MonkeyPatch,
    artifacts_dir: Path,
    settings: Settings,
    tmp_path: Path,
    receiver: push_receiver.PushService,
) -> None:
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = True
    settings.NOTIFY_VAPID_DIR = tmp_path / "vapid"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REPORTS_RATE_LIMIT = settings.REPORTS_RATE_LIMIT_PER_DEVICE = ""
    settings.NOTIFY_MERGE_WINDOW_S = 1  # each staff step its own message, without waiting
    seeding.seed_reference_data()
    # No worker here: the test routes and runs the notification sweep itself, as they would.
    monkeypatch.setattr(routes, "enqueue_routing", lambda ids: 0)
    monkeypatch.setattr(notify_actions, "queue_seal", lambda message: None)
    monkeypatch.setattr(notify_actions, "queue_deliveries", lambda ids: None)
    monkeypatch.setattr(notifications, "enqueue", lambda pk: False)
    keys = PushKeys()
    subscription = receiver.subscription(keys)
    del subscription["expirationTime"]
    resident.add_init_script(FAKE_PUSH_MANAGER.replace("SUBSCRIPTION", json.dumps(subscription)))
    page = resident.new_page()
    phone = Phone(page, keys, receiver)
    shots = artifacts_dir

    # 1. The report form, with "notify me" switched on.
    open_report_page(page, live_server)
    page.get_by_label("Kabari saya lewat notifikasi").check()
    page.get_by_text("Anda akan dikabari setelah laporan terkirim.").wait_for()
    drop_pin(page, *inside_point())
    fill_report(page, text="Sampah menumpuk di depan pasar, sudah tiga hari.")
    page.locator("#notify").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, 0)")  # the form's sheet scrolls, not the page
    page.screenshot(path=str(shots / "notify_01_report_form.png"))
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lacak/*/?baru=1")
    page.get_by_text("Notifikasi aktif").wait_for()
    report = Report.objects.get()
    assert ReporterContact.objects.get(report=report).channels == ["webpush"]

    # 2. Routed (as the Celery task would): the first notification names the agency.
    routes.route_report(report.pk)
    agency = Assignment.objects.get(report=report, active=True, role="primary").agency
    officer = account_actions.create_staff_user(
        "petugas", role=roles.SKPD_STAFF, password=PASSWORD, agency=agency, email="p@example.org"
    )
    routed = phone.show(live_server, phone.deliver_due())
    assert agency.name_id in routed["body"]
    phone.screenshot_notification(routed, shots / "notify_02_routed.png")

    # 3. The officer acknowledges from the console: the resident is told.
    log_in(officer_page, live_server, officer.get_username())
    officer_page.wait_for_function("() => window.KLIK_CONTROL && KLIK_CONTROL.isLive()")
    row = f"#rows tr[data-code='{report.tracking_code}']"
    officer_page.click(row)
    officer_page.click("#detail button[data-step=acknowledge]")
    officer_page.wait_for_selector("#detail[data-status=acknowledged]")
    acknowledged = phone.show(live_server, phone.deliver_due())
    assert "menerima dan menangani" in acknowledged["body"]
    phone.screenshot_notification(acknowledged, shots / "notify_03_acknowledged.png")

    # 4. ... and resolves with a public note: the notification asks "is it fixed?".
    officer_page.click("#detail button[data-step=resolve]")
    officer_page.fill("#detail form [name=note]", "Sampah sudah diangkut truk DLH.")
    officer_page.click("#detail form button[type=submit]")
    officer_page.wait_for_selector("#detail[data-status=resolved]")
    resolved = phone.show(live_server, phone.deliver_due())
    assert "Sampah sudah diangkut truk DLH." in resolved["body"]
    assert "Sudah beres?" in resolved["body"]
    phone.screenshot_notification(resolved, shots / "notify_04_resolved_is_it_fixed.png")

    # 5. The resident opens it: the tracking page asks "Sudah beres?".
    assert resolved["data"]["url"].startswith(f"{live_server.url}/lacak/{report.tracking_code}/#")
    page.goto(resolved["data"]["url"])
    page.locator("#fixed-section").wait_for()
    page.locator("#fixed-section").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "notify_05_tracking_is_it_fixed.png"))

    # 6. "Belum" (not yet), with the resident's words and a photo.
    page.click("#fixed-no")
    page.fill("#reopen-reason", "Belum, sampahnya diangkut separuh saja. Masih menumpuk.")
    page.set_input_files("#reopen-photo", str(a_photo(tmp_path / "masih.jpg")))
    page.get_by_role("button", name="Kirim: belum beres").click()
    page.locator("#status", has_text="Diteruskan").wait_for()
    page.get_by_text("Belum beres: dibuka kembali oleh pelapor").wait_for()
    page.get_by_text("Belum, sampahnya diangkut separuh saja.").first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "notify_06_after_not_fixed.png"))
    report.refresh_from_db()
    assert report.status == Report.Status.ROUTED
    assert ReportPhoto.objects.filter(report=report, event__isnull=False).count() == 1
    assert Handling.objects.get(report=report).claimed_by is None

    # 7. Back in the agency's queue on the console (live), unclaimed, with the panel of what was
    # sent to the reporter: three messages, each pushed, and no subscription anywhere.
    officer_page.wait_for_selector(f"{row} >> text=Diteruskan", timeout=10_000)
    officer_page.click(row)
    officer_page.wait_for_selector("#detail[data-status=routed]")
    officer_page.wait_for_selector("#detail button[data-step=acknowledge]")
    officer_page.wait_for_function(
        "() => document.querySelectorAll('#sent-panel .sent-message').length === 3"
    )
    panel = officer_page.locator("#sent-panel").inner_text()
    assert panel.count("webpush") == 3
    assert Delivery.objects.filter(status="sent").count() == 3
    html = officer_page.content()
    assert subscription["endpoint"] not in html and subscription["keys"]["auth"] not in html
    # The panel is redrawn whenever the console re-reads the report: scroll to whichever is there.
    officer_page.wait_for_function(
        "() => { const p = document.getElementById('sent-panel');"
        " if (p) p.scrollIntoView(); return !!p; }"
    )
    officer_page.screenshot(path=str(shots / "notify_07_console_sent_to_reporter.png"))
    close_console(officer_page)

    # 8. The privacy notice, linked from the page's footer.
    page.click("#footer-privacy")
    page.wait_for_url("**/privasi/")
    page.get_by_text("Pemberitahuan privasi: data Anda di KLIK").wait_for()
    page.screenshot(path=str(shots / "notify_08_privacy.png"), full_page=True)
