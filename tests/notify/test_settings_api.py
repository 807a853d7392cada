"""The reporter's notification settings API: only with the credential, hostile input refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from geo_klik.notify import actions
from geo_klik.notify.models import ReporterContact
from geo_klik.reports import actions as report_actions
from geo_klik.reports import credentials
from geo_klik.reports.models import Category, Report
from tests.notify.conftest import EMAIL, SECRET, TINY_LAT, TINY_LON

PUSH = {
    "endpoint": "https://push.example.com/send/abc",
    "keys": {
        # A real P-256 public key (lib.push_subscriptions checks the point is on the curve).
        "p256dh": "BDwtYUQ4DQkZWWnBBNzVrAtTjIeoZXM_YnFPJQr2YADFbW_Px-q3"
        "lelya7WfbiJoaFJF0KQX81Tn7SqH-fuUZ50",
        "auth": "IkxZ3sPJh2diI0PmUqJZOQ",
    },
}


def url(report: Report) -> str:
    return f"/api/reports/{report.tracking_code}/notifications/"


def put(report: Report, body: Any, credential: str = SECRET, **extra: Any) -> Any:
    return Client().put(
        url(report),
        body if isinstance(body, str | bytes) else json.dumps(body),
        content_type="application/json",
        headers={"X-Reporter-Secret": credential},
        **extra,
    )


def problems(response: Any) -> list[tuple[str, str]]:
    return [(p["field"], p["code"]) for p in response.json()["errors"]]


def test_it_sets_reads_and_deletes_the_contact(report: Report) -> None:
    answer = put(report, {"email": EMAIL, "phone": "0812-3456-7890", "language": "en"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["email"] == "w***@example.id" and body["phone"] == "+6281****890"
    assert body["channels"] == ["email"]  # SMS is off here: no gateway configured
    assert EMAIL not in answer.content.decode()
    contact = ReporterContact.objects.get(report=report)
    assert (contact.email, contact.phone, contact.language) == (
        EMAIL,
        "+6281234567890",
        "en",
    )
    read = Client().get(url(report), headers={"X-Reporter-Secret": SECRET})
    assert read.json() == body
    gone = Client().delete(url(report), headers={"X-Reporter-Secret": SECRET})
    assert gone.status_code == 204 and not ReporterContact.objects.exists()


def test_it_accepts_the_link_token_of_a_notification(report: Report) -> None:
    token = credentials.link_token(report.pk, report.reporter_secret_sha256)
    assert put(report, {"email": EMAIL}, credential=token).status_code == 200


def test_it_leaves_absent_fields_and_clears_null_ones(report: Report, settings: Settings) -> None:
    settings.NOTIFY_SMS_URL = "http://127.0.0.1:9/send"
    put(report, {"email": EMAIL, "phone": "081234567890"})
    assert ReporterContact.objects.get().channels == ["email", "sms"]
    put(report, {"language": "en"})
    contact = ReporterContact.objects.get()
    assert (contact.email, contact.language) == (EMAIL, "en")
    put(report, {"email": None})
    contact = ReporterContact.objects.get()
    assert (contact.email, contact.channels) == ("", ["sms"])
    put(report, {"channels": []})  # keep the details, want nothing
    assert ReporterContact.objects.get().channels == []


def test_it_keeps_a_push_subscription_for_the_push_channel(report: Report) -> None:
    answer = put(report, {"push_subscription": PUSH})
    assert answer.status_code == 200 and answer.json()["push"] is True
    assert PUSH["endpoint"] not in answer.content.decode()
    assert ReporterContact.objects.get().push_subscription == PUSH


@pytest.mark.parametrize(
    "credential", ["", "wrong-secret-wrong-secret-wrong-s", "x" * 43, "x" * 100_000]
)
def test_it_refuses_without_the_reporters_credential(report: Report, credential: str) -> None:
    answer = put(report, {"email": EMAIL}, credential=credential)
    assert answer.status_code == 403
    assert not ReporterContact.objects.exists()
    assert Client().get(url(report)).status_code == 403
    assert Client().delete(url(report)).status_code == 403


def test_it_refuses_another_reports_secret_and_token(report: Report, tiny_city: Any) -> None:
    other, _ = report_actions.create_report(
        category=Category.objects.get(code="garbage"),
        lat=TINY_LAT,
        lon=TINY_LON,
        description="Lain",
        reporter_secret="another-secret-another-secret-ab",
    )
    token = credentials.link_token(other.pk, other.reporter_secret_sha256)
    for credential in ("another-secret-another-secret-ab", token):
        assert put(report, {"email": EMAIL}, credential=credential).status_code == 403
    assert not ReporterContact.objects.exists()


def test_it_answers_404_for_an_unknown_code(report: Report) -> None:
    answer = Client().get(
        "/api/reports/ZZZZZZZZZZ/notifications/", headers={"X-Reporter-Secret": SECRET}
    )
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"email": "warga@\x00example.id"}, ("email", "invalid_characters")),
        ({"email": "a" * 300 + "@example.id"}, ("email", "max_length")),
        ({"email": "not an address"}, ("email", "invalid")),
        ({"email": 42}, ("email", "invalid")),
        ({"phone": "0812" + "9" * 40}, ("phone", "max_length")),
        ({"phone": "021 555 1234"}, ("phone", "invalid")),
        ({"phone": ["081234567890"]}, ("phone", "invalid")),
        ({"language": "fr"}, ("language", "invalid")),
        ({"channels": "email"}, ("channels", "invalid")),
        ({"channels": ["x" * 21]}, ("channels", "invalid")),
        ({"channels": ["e"] * 11}, ("channels", "invalid")),
        ({"channels": ["sms"]}, ("channels", "unusable")),  # no gateway configured
        ({"channels": ["email"]}, ("channels", "unusable")),  # no address given
        (
            {"push_subscription": {"endpoint": "http://insecure.example/x"}},
            ("push_subscription", "endpoint_not_https"),
        ),
        (
            {"push_subscription": {**PUSH, "keys": {"p256dh": "a b", "auth": "x"}}},
            ("push_subscription", "invalid_keys"),
        ),
        (
            {"push_subscription": {**PUSH, "endpoint": "https://169.254.169.254/latest"}},
            ("push_subscription", "endpoint_not_public"),
        ),
        ({"push_subscription": {**PUSH, "pad": "x" * 5000}}, ("push_subscription", "too_large")),
        ({"push_subscription": "https://push.example.com"}, ("push_subscription", "invalid")),
    ],
)
def test_it_refuses_hostile_input_naming_the_field(
    report: Report, body: dict[str, Any], expected: tuple[str, str]
) -> None:
    answer = put(report, body)
    assert answer.status_code == 400, answer.content
    assert expected in problems(answer)
    assert not ReporterContact.objects.filter(report=report).exclude(channels=[]).exists()


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "null", "{"])
def test_it_refuses_a_body_that_is_not_an_object(report: Report, raw: str) -> None:
    assert put(report, raw).status_code == 400


def test_it_refuses_a_nul_anywhere_before_the_database(report: Report) -> None:
    answer = put(report, '{"language": "id\\u0000"}')
    assert answer.status_code == 400


def test_it_refuses_a_huge_body(report: Report) -> None:
    answer = put(report, json.dumps({"email": EMAIL, "pad": "x" * 200_000}))
    assert answer.status_code == 413
    assert not ReporterContact.objects.exists()


def test_the_contact_never_shows_in_public_answers(report: Report) -> None:
    actions.set_contact(report, {"email": EMAIL, "phone": "+6281234567890"})
    for path in (f"/api/reports/{report.tracking_code}/", f"/lacak/{report.tracking_code}/"):
        page = Client().get(path).content.decode()
        assert EMAIL not in page and "81234567890" not in page
