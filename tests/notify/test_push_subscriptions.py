"""Hostile push subscriptions are refused, each with a clear bilingual problem."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings

from geo_klik.lib import checks
from geo_klik.lib import push_subscriptions as subscriptions
from tests.notify.push_receiver import Browser, b64url

KEYS = Browser().keys()


class Body(checks.CheckedSerializer):
    push_subscription = subscriptions.Subscription()


def problems(raw: Any) -> list[dict[str, str]]:
    body = Body(data={"push_subscription": raw})
    assert not body.is_valid()
    found: list[dict[str, str]] = body.errors["errors"]
    for problem in found:
        assert problem["field"] == "push_subscription"
        assert problem["message"] and problem["message_en"]
        assert problem["message"] != problem["message_en"]
    return found


def code_of(raw: Any) -> str:
    [problem] = problems(raw)
    return problem["code"]


def test_it_accepts_a_browser_subscription_and_keeps_only_what_it_needs() -> None:
    raw = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc:def",
        "expirationTime": None,
        "keys": {**KEYS, "extra": "x"},
        "surprise": {"nested": [1, 2, 3]},
    }
    body = Body(data={"push_subscription": raw})
    assert body.is_valid(), body.errors
    assert body.validated_data["push_subscription"] == {
        "endpoint": raw["endpoint"],
        "keys": KEYS,
    }


def test_it_takes_absent_null_or_blank_as_no_subscription() -> None:
    for data in ({}, {"push_subscription": None}, {"push_subscription": ""}):
        body = Body(data=data)
        assert body.is_valid(), body.errors
        assert body.validated_data["push_subscription"] is None


@pytest.mark.parametrize(
    ("endpoint", "code"),
    [
        ("http://push.example.com/x", "endpoint_not_https"),
        ("ftp://push.example.com/x", "endpoint_not_https"),
        ("javascript:alert(1)", "invalid_endpoint"),
        ("https://", "invalid_endpoint"),
        ("https://user:pw@push.example.com/x", "invalid_endpoint"),
        ("https://push.example.com:notaport/x", "invalid_endpoint"),
        ("https://127.0.0.1/x", "endpoint_not_public"),
        ("https://[::1]/x", "endpoint_not_public"),
        ("https://10.0.0.5/x", "endpoint_not_public"),
        ("https://192.168.1.1/x", "endpoint_not_public"),
        ("https://169.254.169.254/latest/meta-data", "endpoint_not_public"),
        ("https://[fd00::1]/x", "endpoint_not_public"),
        ("https://0.0.0.0/x", "endpoint_not_public"),
        ("https://localhost/x", "endpoint_not_public"),
        ("https://LOCALHOST./x", "endpoint_not_public"),
        ("https://db.internal/x", "endpoint_not_public"),
        ("https://printer.local/x", "endpoint_not_public"),
        ("https://intranet/x", "endpoint_not_public"),
        ("https://push.example.com/" + "a" * 3000, "invalid_endpoint"),
        (12345, "invalid_endpoint"),
        ("https://push.example.com/a\x00b", "invalid_endpoint"),
        ("https://push.example.com/a b", "invalid_endpoint"),
        ("https://push.example.com/\ud800", "invalid_endpoint"),
        ("https://push.example.com\r\nX-Injected: 1/", "invalid_endpoint"),
        (None, "invalid_endpoint"),
    ],
)
def test_it_refuses_an_endpoint_the_server_must_not_post_to(endpoint: Any, code: str) -> None:
    assert code_of({"endpoint": endpoint, "keys": KEYS}) == code


def test_it_allows_loopback_only_when_the_setting_does(settings: Settings) -> None:
    raw = {"endpoint": "http://127.0.0.1:8123/push", "keys": KEYS}
    assert code_of(raw) == "endpoint_not_https"
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = True
    assert Body(data={"push_subscription": raw}).is_valid()
    # Still not the private network, nor another scheme.
    assert code_of({**raw, "endpoint": "https://10.0.0.5/push"}) == "endpoint_not_public"
    assert code_of({**raw, "endpoint": "file://127.0.0.1/etc/passwd"}) == "endpoint_not_https"


@pytest.mark.parametrize(
    "keys",
    [
        None,
        "p256dh",
        {},
        {"auth": KEYS["auth"]},
        {"p256dh": KEYS["p256dh"]},
        {"p256dh": "not base64!!", "auth": KEYS["auth"]},
        {"p256dh": b64url(b"\x04" + b"\x01" * 64), "auth": KEYS["auth"]},  # not on the curve
        {"p256dh": KEYS["p256dh"][:-4], "auth": KEYS["auth"]},
        {"p256dh": KEYS["p256dh"], "auth": b64url(b"short")},
        {"p256dh": KEYS["p256dh"], "auth": 1234},
        {"p256dh": ["a"], "auth": KEYS["auth"]},
    ],
)
def test_it_refuses_bad_keys(keys: Any) -> None:
    assert code_of({"endpoint": "https://push.example.com/x", "keys": keys}) == "invalid_keys"


@pytest.mark.parametrize("raw", ["https://push.example.com/x", [1, 2], 3, True])
def test_it_refuses_what_is_not_an_object(raw: Any) -> None:
    assert code_of(raw) == "invalid"


def test_it_refuses_huge_json() -> None:
    raw = {"endpoint": "https://push.example.com/x", "keys": KEYS, "pad": "x" * 100_000}
    [problem] = problems(raw)
    assert problem["code"] == "too_large"
    assert "4096" in problem["message_en"]


def test_it_says_what_is_wrong_in_both_languages() -> None:
    [problem] = problems({"endpoint": "http://push.example.com/x", "keys": KEYS})
    assert problem["message"] == "Langganan notifikasi endpoint harus https."
    assert problem["message_en"] == "The notification subscription endpoint must be https."
