"""The Web Push channel against a local push service that decrypts what it receives."""

from __future__ import annotations

import socket
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

import http_ece
import pytest
from pytest_django.fixtures import Settings

from geo_klik.notify import vapid
from geo_klik.notify.channels import Refused, Rendered, Retry, base
from geo_klik.notify.channels.webpush import WebPushChannel
from geo_klik.notify.models import ReporterContact
from geo_klik.reports import actions
from geo_klik.reports.models import Category
from tests.conftest import TinyCity, closed_port
from tests.notify.push_receiver import Browser, PushService, push_service, unb64url, verify_vapid

RENDERED = Rendered(
    subject="Laporan KLIK-AB12 sudah ditangani",
    text="Dinas PUPR: lubang jalan sudah ditambal. Apakah sudah benar-benar beres?",
    url="http://localhost:8000/lacak/KLIK-AB12/?t=token",
    lang="id",
)


@pytest.fixture(autouse=True)
def loopback_push(settings: Settings, tmp_path: Path) -> None:
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = True
    settings.NOTIFY_VAPID_DIR = tmp_path / "vapid"
    settings.NOTIFY_PUSH_TIMEOUT_S = 2.0


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as running:
        yield running


def contact_for(subscription: dict[str, Any] | None, report_id: int = 7) -> ReporterContact:
    return ReporterContact(report_id=report_id, push_subscription=subscription)


def test_it_is_registered_and_available() -> None:
    channel = base.get_channel("webpush")
    assert isinstance(channel, WebPushChannel)
    assert channel.reaches(contact_for({"endpoint": "https://x.example/"}))
    assert not channel.reaches(contact_for(None))


def test_it_encrypts_a_payload_the_browser_decrypts(service: PushService) -> None:
    browser = Browser()
    WebPushChannel().send(contact_for(service.subscription(browser)), RENDERED)

    [received] = service.received
    assert received.path == "/push/abc"
    assert received.headers["content-encoding"] == "aes128gcm"
    assert int(received.headers["ttl"]) > 0
    # Only the subscription's private key opens it.
    assert browser.decrypt(received.body) == {
        "title": RENDERED.subject,
        "body": RENDERED.text,
        "url": RENDERED.url,
        "lang": "id",
        "tag": "klik-report-7",
    }
    with pytest.raises(http_ece.ECEException, match="Decryption"):
        Browser().decrypt(received.body)
    # Signed with the server's VAPID key, for this push service's origin.
    key = verify_vapid(received.headers["authorization"], audience=service.url)
    assert key == vapid.public_key()


def test_it_cuts_a_long_text_to_fit_a_push_message(service: PushService) -> None:
    browser = Browser()
    long = Rendered(subject="S" * 500, text="ü" * 5000, url=RENDERED.url, lang="en")
    WebPushChannel().send(contact_for(service.subscription(browser)), long)
    [received] = service.received
    assert len(received.body) <= 4096
    shown = browser.decrypt(received.body)
    assert len(shown["title"]) == 120
    assert len(shown["body"]) == 300
    assert shown["body"].endswith("…")


@pytest.mark.parametrize("status", [429, 500, 503])
def test_it_retries_when_the_push_service_is_busy(service: PushService, status: int) -> None:
    service.status = status
    with pytest.raises(Retry, match=str(status)):
        WebPushChannel().send(contact_for(service.subscription(Browser())), RENDERED)


@pytest.mark.parametrize("status", [400, 403, 413])
def test_it_refuses_what_the_push_service_refuses(service: PushService, status: int) -> None:
    service.status = status
    with pytest.raises(Refused, match=str(status)):
        WebPushChannel().send(contact_for(service.subscription(Browser())), RENDERED)


def test_it_never_follows_a_redirect(service: PushService) -> None:
    service.status = 307
    service.extra_headers = {"Location": service.url + "/elsewhere"}
    with pytest.raises(Refused, match="307"):
        WebPushChannel().send(contact_for(service.subscription(Browser())), RENDERED)
    assert [r.path for r in service.received] == ["/push/abc"]


def test_it_retries_when_the_push_service_is_down() -> None:
    subscription = {
        "endpoint": f"http://127.0.0.1:{closed_port()}/push/x",
        "keys": Browser().keys(),
    }
    with pytest.raises(Retry, match="unreachable"):
        WebPushChannel().send(contact_for(subscription), RENDERED)


@pytest.mark.parametrize("status", [404, 410])
def test_it_forgets_a_subscription_that_is_gone(
    service: PushService, status: int, tiny_city: TinyCity
) -> None:
    category = Category.objects.create(
        code="garbage",
        name_id="Sampah",
        name_en="Garbage",
        ack_target=timedelta(hours=4),
        resolve_target=timedelta(days=2),
    )
    report, _ = actions.create_report(
        category=category, lat=-0.005, lon=100.005, description="Sampah menumpuk di pasar."
    )
    contact = ReporterContact.objects.create(
        report=report,
        push_subscription=service.subscription(Browser()),
        channels=["webpush"],
        notify_from=report.created_at,
    )
    service.status = status
    with pytest.raises(Refused, match="gone"):
        WebPushChannel().send(contact, RENDERED)
    contact.refresh_from_db()
    assert contact.push_subscription is None
    assert not WebPushChannel().reaches(contact)


def test_it_refuses_a_loopback_endpoint_when_loopback_is_not_allowed(
    service: PushService, settings: Settings
) -> None:
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = False
    with pytest.raises(Refused, match="non-public"):
        WebPushChannel().send(contact_for(service.subscription(Browser())), RENDERED)
    assert service.received == []


def test_it_refuses_a_host_that_resolves_to_loopback(settings: Settings) -> None:
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = False
    subscription = {"endpoint": "https://localhost.:9/push", "keys": Browser().keys()}
    with pytest.raises(Refused, match="non-public"):
        WebPushChannel().send(contact_for(subscription), RENDERED)


def test_it_tries_again_later_when_the_host_cannot_be_resolved_now(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Power cuts and unstable networks: DNS down is temporary, never a reason to give up."""
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = False

    def no_dns(*args: object, **kwargs: object) -> NoReturn:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    subscription = {"endpoint": "https://push.example.com/send/abc", "keys": Browser().keys()}
    with pytest.raises(Retry, match="cannot resolve"):
        WebPushChannel().send(contact_for(subscription), RENDERED)


def test_it_keeps_one_key_pair_created_private(tmp_path: Path) -> None:
    directory = tmp_path / "keys"
    first = vapid.key_pair(directory=directory)
    path = directory / vapid.PRIVATE_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in directory.iterdir()] == [vapid.PRIVATE_KEY_FILE]
    vapid._loaded.clear()  # a new process
    assert vapid.key_pair(directory=directory) == first
    assert len(unb64url(first.public_key)) == 65


def test_it_refuses_a_key_file_others_can_read(tmp_path: Path) -> None:
    vapid.key_pair(directory=tmp_path)
    vapid._loaded.clear()
    (tmp_path / vapid.PRIVATE_KEY_FILE).chmod(0o644)
    with pytest.raises(vapid.InsecureKeyFile):
        vapid.key_pair(directory=tmp_path)


def test_it_keeps_the_first_key_when_two_processes_create_at_once(tmp_path: Path) -> None:
    path = tmp_path / vapid.PRIVATE_KEY_FILE
    vapid._create(path)
    first = path.read_bytes()
    vapid._create(path)  # the loser of the race: link fails, the existing key stays
    assert path.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == [vapid.PRIVATE_KEY_FILE]
