"""The service worker's push handler, end to end in chromium: a push message delivered to the
registration through the DevTools protocol is shown as a notification pointing at /lacak/."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from geo_klik.dispatch.actions import routes, seeding
from geo_klik.notify import actions as notify_actions
from geo_klik.notify import vapid
from geo_klik.notify.models import Delivery, Message, ReporterContact
from geo_klik.reports import actions
from geo_klik.reports.models import Category, Report, ReportEvent
from tests.browser.test_residents import drop_pin, fill_report, inside_point, open_report_page
from tests.conftest import TinyCity
from tests.notify import push_receiver
from tests.notify.push_receiver import Browser as PushKeys

pytestmark = [pytest.mark.browser]

SHOWN = (
    "() => navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) =>"
    " ns.map((n) => ({title: n.title, body: n.body, tag: n.tag, lang: n.lang, data: n.data})))"
)


@pytest.fixture
def push_context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="id-ID")
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
def receiver() -> Iterator[push_receiver.PushService]:
    with push_receiver.push_service() as running:
        yield running


def registered(page: Page, live_server: LiveServer) -> tuple[CDPSession, str]:
    """The page's service worker registration, active, and its DevTools registration id."""
    page.goto(live_server.url + "/lacak/")
    return service_worker_of(page, live_server)


def service_worker_of(page: Page, live_server: LiveServer) -> tuple[CDPSession, str]:
    """The open page's active service worker registration and its DevTools registration id."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    [registration] = [r for r in registrations if not r.get("isDeleted")]
    assert registration["scopeURL"] == live_server.url + "/"
    return cdp, str(registration["registrationId"])


def shown_after_push(
    page: Page, cdp: CDPSession, registration_id: str, live_server: LiveServer, data: str
) -> list[dict[str, Any]]:
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration_id, "data": data},
    )
    deadline = time.monotonic() + 10
    shown: list[dict[str, Any]] = []
    while not shown and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        shown = page.evaluate(SHOWN)
    return shown


def test_it_shows_a_pushed_message_linking_to_the_tracking_page(
    push_context: BrowserContext, live_server: LiveServer
) -> None:
    page = push_context.new_page()
    cdp, registration_id = registered(page, live_server)
    url = live_server.url + "/lacak/KLIK-AB12/?t=signed"
    message = {
        "title": "Laporan KLIK-AB12 sudah ditangani",
        "body": "Dinas PUPR: lubang sudah ditambal.",
        "url": url,
        "lang": "id",
        "tag": "klik-report-7",
    }
    [shown] = shown_after_push(page, cdp, registration_id, live_server, json.dumps(message))
    assert shown == {
        "title": message["title"],
        "body": message["body"],
        "tag": "klik-report-7",
        "lang": "id",
        "data": {"url": url},
    }
    # A newer message about the same report replaces it (same tag) instead of piling up.
    newer = {**message, "body": "Selesai."}
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration_id, "data": json.dumps(newer)},
    )
    page.wait_for_function(
        "() => navigator.serviceWorker.ready.then((r) => r.getNotifications())"
        ".then((ns) => ns.length === 1 && ns[0].body === 'Selesai.')"
    )


def test_it_never_points_a_notification_outside_the_tracking_pages(
    push_context: BrowserContext, live_server: LiveServer
) -> None:
    page = push_context.new_page()
    cdp, registration_id = registered(page, live_server)
    hostile = {
        "title": "<img src=x onerror=alert(1)>",
        "body": "x" * 5000,
        "url": "https://evil.example/login?next=/lacak/",
        "tag": "t1",
    }
    [shown] = shown_after_push(page, cdp, registration_id, live_server, json.dumps(hostile))
    assert shown["title"] == hostile["title"]  # a notification's title is text, never markup
    assert len(shown["body"]) == 300
    assert shown["data"] == {"url": live_server.url + "/lacak/"}
    # A tracking path on another origin opens on this one (the token in the fragment kept).
    elsewhere = {"title": "t", "url": "https://evil.example/lacak/KLIK-1/#rahasia=abc", "tag": "t2"}
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id,
            "data": json.dumps(elsewhere),
        },
    )
    page.wait_for_function(
        "(url) => navigator.serviceWorker.ready.then((r) => r.getNotifications({tag: 't2'}))"
        ".then((ns) => ns.length === 1 && ns[0].data.url === url)",
        arg=live_server.url + "/lacak/KLIK-1/#rahasia=abc",
    )


def test_it_shows_a_message_that_is_not_json(
    push_context: BrowserContext, live_server: LiveServer
) -> None:
    page = push_context.new_page()
    cdp, registration_id = registered(page, live_server)
    [shown] = shown_after_push(page, cdp, registration_id, live_server, "plain text")
    assert shown["title"] == "KLIK Bukittinggi"
    assert shown["body"] == "plain text"
    assert shown["data"] == {"url": live_server.url + "/lacak/"}


SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-abcd"
# Headless chromium has no push service to register with (no network): the page's
# PushManager is replaced by one that answers with a subscription whose keys are real and
# records the applicationServerKey it was asked to use. Everything after it is the real page.
FAKE_PUSH_MANAGER = """
(() => {
  const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  let current = null;
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
  PushManager.prototype.subscribe = function (options) {
    window.__subscribedWith = b64(options.applicationServerKey);
    window.__userVisibleOnly = options.userVisibleOnly;
    const json = SUBSCRIPTION;
    current = { endpoint: json.endpoint, toJSON: () => json };
    return Promise.resolve(current);
  };
})();
"""


@pytest.fixture
def reported(tiny_city: TinyCity) -> Report:
    category = Category.objects.create(code="garbage", name_id="Sampah", name_en="Garbage")
    made, _ = actions.create_report(
        category=category,
        lat=-0.005,
        lon=100.005,
        description="Sampah menumpuk",
        reporter_secret=SECRET,
        reporter_email="warga@example.id",
    )
    return made


def test_it_turns_on_notifications_from_the_tracking_page(
    push_context: BrowserContext,
    live_server: LiveServer,
    reported: Report,
    settings: Settings,
    tmp_path: Any,
) -> None:
    settings.NOTIFY_VAPID_DIR = tmp_path / "vapid"
    ReporterContact.objects.create(
        report=reported,
        email="warga@example.id",
        channels=["email"],
        notify_from=reported.created_at,
    )
    subscription = {
        "endpoint": "https://push.example.com/send/abc",
        "expirationTime": None,
        "keys": PushKeys().keys(),
    }
    push_context.add_init_script(
        FAKE_PUSH_MANAGER.replace("SUBSCRIPTION", json.dumps(subscription))
    )
    page = push_context.new_page()
    page.goto(f"{live_server.url}/lacak/{reported.tracking_code}/#rahasia={SECRET}")
    button = page.get_by_role("button", name="Kabari saya lewat notifikasi")
    button.click()
    page.get_by_text("Notifikasi aktif").wait_for()

    assert page.evaluate("window.__subscribedWith") == vapid.public_key()
    assert page.evaluate("window.__userVisibleOnly") is True
    contact = ReporterContact.objects.get(report=reported)
    assert contact.push_subscription == {
        "endpoint": subscription["endpoint"],
        "keys": subscription["keys"],
    }
    # The channel already chosen is kept; Web Push is added.
    assert contact.channels == ["email", "webpush"]
    assert contact.language == "id"
    # Back on this phone later: it says so without asking again.
    page.reload()
    page.get_by_text("Notifikasi aktif").wait_for()


def test_it_offers_notify_me_only_to_the_reporter(
    push_context: BrowserContext, live_server: LiveServer, reported: Report
) -> None:
    page = push_context.new_page()
    page.goto(f"{live_server.url}/lacak/{reported.tracking_code}/")
    page.wait_for_load_state("load")
    assert page.locator("#notify-section").is_hidden()
    assert not ReporterContact.objects.filter(report=reported).exists()


def test_it_turns_on_notifications_from_the_report_form_and_shows_what_the_agency_does(
    push_context: BrowserContext,
    live_server: LiveServer,
    bukittinggi: Any,
    monkeypatch: pytest.MonkeyPatch,
    artifacts_dir: Path,
    settings: Settings,
    tmp_path: Path,
    receiver: push_receiver.PushService,
) -> None:
    """The whole way: form, subscription stored, the agency resolves, the server encrypts for
    the subscription, and what the push service would carry is shown by the service worker.

    Headless chromium has no push service, so the test stands in for it: the subscription's
    endpoint is a local receiver, which decrypts with the browser's keys (made here) and hands
    the plaintext to the service worker through DevTools, as the browser would after decrypting.
    """
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = True
    settings.NOTIFY_VAPID_DIR = tmp_path / "vapid"
    seeding.seed_reference_data()
    monkeypatch.setattr(routes, "enqueue_routing", lambda ids: 0)
    monkeypatch.setattr(notify_actions, "queue_seal", lambda message: None)
    keys = PushKeys()
    subscription = receiver.subscription(keys)
    del subscription["expirationTime"]
    push_context.add_init_script(
        FAKE_PUSH_MANAGER.replace("SUBSCRIPTION", json.dumps(subscription))
    )
    page = push_context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    open_report_page(page, live_server)
    page.get_by_label("Kabari saya lewat notifikasi").check()
    page.get_by_text("Anda akan dikabari setelah laporan terkirim.").wait_for()
    page.locator("#notify-push-row").screenshot(path=str(artifacts_dir / "lapor_notify_me.png"))
    drop_pin(page, *inside_point())
    fill_report(page)
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lacak/*/?baru=1")
    # Permission was given on the form: the tracking page hands the subscription over itself.
    page.get_by_text("Notifikasi aktif").wait_for()
    page.locator("#notify-section").screenshot(path=str(artifacts_dir / "lacak_notify_on.png"))
    report = Report.objects.get()
    contact = ReporterContact.objects.get(report=report)
    assert contact.push_subscription == subscription
    assert contact.channels == ["webpush"]

    # The agency acknowledges and resolves: one message (merged), pushed once.
    for status in (Report.Status.ACKNOWLEDGED, Report.Status.RESOLVED):
        actions.change_status(
            report, status, actor=ReportEvent.Actor.STAFF, note="Sampah sudah diangkut."
        )
    [delivery_id] = notify_actions.seal(Message.objects.get(report=report).pk)
    delivery = notify_actions.deliver(delivery_id)
    assert delivery is not None and delivery.status == Delivery.Status.SENT
    [received] = receiver.received
    pushed = keys.decrypt(received.body)
    assert pushed["url"].startswith(f"{settings.NOTIFY_BASE_URL}/lacak/{report.tracking_code}/#")
    cdp, registration_id = service_worker_of(page, live_server)
    [shown] = shown_after_push(page, cdp, registration_id, live_server, json.dumps(pushed))
    assert shown["title"] == pushed["title"]
    assert "Sampah sudah diangkut." in shown["body"]
    # Opened on this origin with the reporter's link token.
    fragment = pushed["url"].split("#", 1)[1]
    assert shown["data"]["url"] == (f"{live_server.url}/lacak/{report.tracking_code}/#{fragment}")
