"""The API and pages of /peringatan/: subscribe, confirm by e-mail link, list and stop one's own,
unsubscribe; the management key (never the e-mail address) is what manages."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from geo_klik.alerts import actions, credentials
from geo_klik.alerts.models import AlertDelivery, AlertSubscription
from geo_klik.reports.models import Category
from tests.alerts.conftest import CENTRE, EMAIL, at_distance, make_report, route
from tests.conftest import TinyCity
from tests.notify.conftest import Queued, RecordingSMTP
from tests.notify.push_receiver import Browser, PushService


def post(client: Client, body: dict[str, Any], key: str = "") -> Any:
    headers = {"X-Alerts-Key": key} if key else {}
    return client.post(
        "/api/alerts/subscriptions/", body, content_type="application/json", headers=headers
    )


def by_email(**changes: Any) -> dict[str, Any]:
    return {
        "channel": "email",
        "email": EMAIL,
        "lat": CENTRE[0],
        "lon": CENTRE[1],
        "radius_m": 800,
        "categories": ["garbage"],
        "new_reports": True,
        "resolutions": True,
        "frequency": "immediate",
        **changes,
    }


@pytest.fixture
def client() -> Client:
    return Client()


def test_it_offers_categories_kelurahan_and_limits(
    client: Client, garbage: Category, tiny_city: TinyCity
) -> None:
    body = client.get("/api/alerts/").json()
    assert [c["code"] for c in body["categories"]] == ["garbage"]
    assert {k["name"] for k in body["kelurahan"]} == set(tiny_city.kelurahan)
    assert (body["min_radius_m"], body["max_radius_m"]) == (100, 2000)
    assert body["vapid_public_key"]


def test_an_email_subscription_sends_nothing_before_its_confirmation_link(
    client: Client, garbage: Category, smtp: RecordingSMTP, queued: Queued, tiny_city: TinyCity
) -> None:
    answer = post(client, by_email())
    assert answer.status_code == 201, answer.json()
    key = answer.json()["manage_key"]
    assert answer.json()["subscription"]["confirmed"] is False
    assert answer.json()["subscription"]["email"] == "t***@example.id"
    # A new report nearby: an unconfirmed address hears nothing of it.
    report = make_report(garbage, *at_distance(*CENTRE, metres=200), tiny_city)
    route(report)
    actions.fan_out(report.pk, "new")
    assert actions.send_due() == 1  # the confirmation only
    [envelope] = smtp.messages
    message = email.message_from_bytes(
        envelope.original_content or b"", policy=email.policy.default
    )
    body = message.get_content()
    assert message["Subject"] == "[KLIK] Konfirmasi langganan peringatan wilayah"
    assert body.index("Konfirmasi (berlaku 7 hari):") < body.index("/peringatan/konfirmasi/")
    assert body.index("/peringatan/konfirmasi/") < body.index("Berhenti berlangganan")
    link = re.search(r"https://klik\.example\.id(/peringatan/konfirmasi/[^/\s]+/)", body)
    manage = re.search(r"https://klik\.example\.id/peringatan/#kunci=(\S+)", body)
    assert link and manage
    assert AlertDelivery.objects.filter(kind="alert").count() == 0

    # Opening the link (a mail scanner does) confirms nothing; the button does.
    assert client.get(link.group(1)).status_code == 200
    assert AlertSubscription.objects.get().confirmed_at is None
    assert client.post(link.group(1)).status_code == 200
    assert AlertSubscription.objects.get().confirmed_at is not None
    # The e-mail's manage link token lists the subscription, like the device's key.
    for credential in (key, manage.group(1)):
        listed = client.get("/api/alerts/subscriptions/", HTTP_X_ALERTS_KEY=credential)
        assert [s["confirmed"] for s in listed.json()["subscriptions"]] == [True]


def test_a_push_subscription_is_confirmed_by_the_browser_permission(
    client: Client, garbage: Category, service: PushService, tiny_city: TinyCity
) -> None:
    answer = post(
        client,
        by_email(channel="webpush", email="", push_subscription=service.subscription(Browser())),
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["subscription"]["confirmed"] is True
    assert AlertDelivery.objects.count() == 0  # no confirmation message


def test_a_subscriber_adds_lists_and_stops_only_its_own(
    client: Client, garbage: Category, tiny_city: TinyCity, queued: Queued
) -> None:
    mine = post(client, by_email()).json()
    key = mine["manage_key"]
    second = post(
        client, by_email(kelurahan="99.01.02.1001", lat=None, lon=None, radius_m=None), key
    )
    assert second.status_code == 201 and "manage_key" not in second.json()
    theirs = post(client, by_email(email="lain@example.id")).json()
    listed = client.get("/api/alerts/subscriptions/", HTTP_X_ALERTS_KEY=key).json()
    assert [s["id"] for s in listed["subscriptions"]] == [
        mine["subscription"]["id"],
        second.json()["subscription"]["id"],
    ]
    assert listed["subscriptions"][1]["area"] == {
        "kelurahan": {"code": "99.01.02.1001", "name": "Timur Utara"}
    }
    # Someone else's id with my key: 404, as if it did not exist; it is still there.
    other = theirs["subscription"]["id"]
    answer = client.delete(f"/api/alerts/subscriptions/{other}/", HTTP_X_ALERTS_KEY=key)
    assert answer.status_code == 404
    assert AlertSubscription.objects.filter(pk=other).exists()
    mine_id = mine["subscription"]["id"]
    answer = client.delete(f"/api/alerts/subscriptions/{mine_id}/", HTTP_X_ALERTS_KEY=key)
    assert answer.status_code == 204
    assert not AlertSubscription.objects.filter(pk=mine_id).exists()


@pytest.mark.parametrize(
    "credential", ["", "x" * 32, "\x00" * 8, "1." + "A" * 43, "a" * 5000, "99999999999999999999.x"]
)
def test_a_wrong_key_is_refused(
    client: Client, garbage: Category, tiny_city: TinyCity, queued: Queued, credential: str
) -> None:
    post(client, by_email())
    listed = client.get("/api/alerts/subscriptions/", HTTP_X_ALERTS_KEY=credential)
    assert listed.status_code in (400, 403)
    assert client.delete(
        "/api/alerts/subscriptions/1/", HTTP_X_ALERTS_KEY=credential
    ).status_code in (400, 403)
    # Nobody manages by e-mail address alone.
    assert client.get("/api/alerts/subscriptions/", HTTP_X_ALERTS_KEY=EMAIL).status_code == 403
    answer = post(client, by_email(), key=credential) if credential else None
    if answer is not None:
        assert answer.status_code in (400, 403)


def test_a_link_token_of_another_subscriber_is_refused(
    client: Client, garbage: Category, tiny_city: TinyCity, queued: Queued
) -> None:
    first = post(client, by_email()).json()
    post(client, by_email(email="lain@example.id"))
    subscription = AlertSubscription.objects.get(pk=first["subscription"]["id"])
    token = credentials.link_token(subscription.subscriber_id, subscription.subscriber.key_sha256)
    forged = f"{subscription.subscriber_id + 1}.{token.split('.')[1]}"
    assert client.get("/api/alerts/subscriptions/", HTTP_X_ALERTS_KEY=forged).status_code == 403


def test_unsubscribe_and_confirm_tokens_are_checked(
    client: Client, garbage: Category, tiny_city: TinyCity, queued: Queued
) -> None:
    made = post(client, by_email()).json()["subscription"]["id"]
    stop = credentials.unsubscribe_token(made)
    forged = f"{made + 1}:{stop.split(':', 1)[1]}"
    assert client.post(f"/peringatan/berhenti/{forged}/").status_code == 404
    assert client.post(f"/peringatan/konfirmasi/{stop}/").status_code == 404  # wrong salt
    answer = client.post("/api/alerts/confirm/", {"token": stop}, content_type="application/json")
    assert answer.status_code == 404
    assert AlertSubscription.objects.get(pk=made).confirmed_at is None
    # GET shows a button; only POST stops.
    assert client.get(f"/peringatan/berhenti/{stop}/").status_code == 200
    assert AlertSubscription.objects.filter(pk=made).exists()
    answer = client.post(
        "/api/alerts/unsubscribe/", {"token": stop}, content_type="application/json"
    )
    assert answer.status_code == 204
    answer = client.post(
        "/api/alerts/unsubscribe/", {"token": stop}, content_type="application/json"
    )
    assert answer.status_code == 404  # once
    assert client.post(f"/peringatan/berhenti/{stop}/").status_code == 200  # "already"


def test_the_page_renders_in_indonesian_then_english(client: Client, tiny_city: TinyCity) -> None:
    page = client.get("/peringatan/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Peringatan wilayah" in text
    assert "vendor/leaflet/leaflet.js" in text and "cdn" not in text.lower()
    client.cookies["django_language"] = "en"
    assert "Area alerts" in client.get("/peringatan/").content.decode()


def test_an_address_never_confirmed_is_forgotten_when_its_link_expires(
    client: Client, garbage: Category, tiny_city: TinyCity, queued: Queued
) -> None:
    made = post(client, by_email()).json()["subscription"]["id"]
    created = AlertSubscription.objects.get(pk=made).created_at
    actions.sweep(now=created + credentials.CONFIRM_MAX_AGE - timedelta(minutes=1))
    assert AlertSubscription.objects.filter(pk=made).exists()
    actions.sweep(now=created + credentials.CONFIRM_MAX_AGE + timedelta(minutes=1))
    assert not AlertSubscription.objects.filter(pk=made).exists()
    assert AlertDelivery.objects.count() == 0
