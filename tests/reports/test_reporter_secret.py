"""Only the reporter acts as the reporter: the secret given at submission, against strangers."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from geo_klik.reports import actions
from geo_klik.reports.models import Category, Report, ReportEvent, ReportRating, ReportSupport
from tests.reports.conftest import TINY_LAT, TINY_LON, post_json, report_body

FOLLOW_UPS: list[tuple[str, dict[str, Any]]] = [
    ("comments/", {"text": "Makin parah"}),
    ("rating/", {"stars": 1, "comment": "Buruk"}),
    ("reopen/", {"reason": "Masih ada"}),
]


def submit(client: Client) -> dict[str, Any]:
    response = post_json(client, report_body(), key=uuid.uuid4())
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


def resolve(code: str) -> Report:
    report = Report.objects.get(tracking_code=code)
    actions.change_status(report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    return report


def follow_up(code: str, action: str, body: dict[str, Any], **headers: str) -> Any:
    return Client(headers=headers).post(
        f"/api/reports/{code}/{action}", body, content_type="application/json"
    )


def problem_of(response: Any) -> dict[str, Any]:
    (problem,) = response.json()["errors"]
    assert problem["message"] and problem["message_en"]
    return dict(problem)


def test_it_gives_the_reporter_a_secret_once_and_stores_only_its_hash(
    client: Client, categories: dict[str, Category]
) -> None:
    receipt = submit(client)
    secret = receipt["reporter_secret"]
    assert isinstance(secret, str) and len(secret) >= 32
    code = receipt["tracking_code"]
    assert receipt["reporter_url"] == f"http://testserver/lacak/{code}/#rahasia={secret}"
    report = Report.objects.get(tracking_code=code)
    assert secret not in str(Report.objects.filter(pk=report.pk).values().get())
    assert report.is_reporter(secret)
    # Never in public: the API view, the tracking page, the map feed.
    for url in (f"/api/reports/{code}/", f"/lacak/{code}/", "/api/map/reports.geojson"):
        assert secret not in client.get(url).content.decode()


def test_it_gives_the_same_secret_again_to_a_retry_that_lost_its_201(
    client: Client, categories: dict[str, Category]
) -> None:
    key = uuid.uuid4()
    first = post_json(client, report_body(), key=key).json()
    retry = post_json(client, report_body(), key=key)
    assert retry.status_code == 200
    assert retry.json()["reporter_secret"] == first["reporter_secret"]


def test_a_different_key_gives_a_different_secret(
    client: Client, categories: dict[str, Category]
) -> None:
    assert submit(client)["reporter_secret"] != submit(client)["reporter_secret"]
    without_key = post_json(client, report_body()).json()["reporter_secret"]
    assert without_key and without_key != post_json(client, report_body()).json()["reporter_secret"]


@pytest.mark.parametrize(("action", "body"), FOLLOW_UPS)
@pytest.mark.parametrize(
    "hostile",
    [
        {},
        {"X-Reporter-Secret": ""},
        {"X-Reporter-Secret": "wrong"},
        {"X-Reporter-Secret": "x" * 100_000},
        {"X-Reporter-Secret": "a\x00b"},
    ],
    ids=["none", "empty", "wrong", "huge", "nul"],
)
def test_a_stranger_with_the_public_code_cannot_act_as_the_reporter(
    client: Client,
    categories: dict[str, Category],
    action: str,
    body: dict[str, Any],
    hostile: dict[str, str],
) -> None:
    code = submit(client)["tracking_code"]
    resolve(code)
    answer = follow_up(code, action, body, **hostile)
    assert answer.status_code == 403
    problem = problem_of(answer)
    assert (problem["field"], problem["code"]) == ("X-Reporter-Secret", "not_reporter")
    report = Report.objects.get(tracking_code=code)
    assert report.status == Report.Status.RESOLVED
    assert not ReportRating.objects.exists()
    assert not report.events.filter(kind=ReportEvent.Kind.COMMENT).exists()


def test_another_reports_secret_does_not_open_this_one(
    client: Client, categories: dict[str, Category]
) -> None:
    mine, theirs = submit(client), submit(client)
    resolve(theirs["tracking_code"])
    wrong = {"X-Reporter-Secret": mine["reporter_secret"]}
    answer = follow_up(theirs["tracking_code"], "rating/", {"stars": 1}, **wrong)
    assert answer.status_code == 403
    assert not ReportRating.objects.exists()


@pytest.mark.parametrize(("action", "body"), FOLLOW_UPS)
def test_the_reporter_acts_with_the_secret_in_the_header_or_a_form_field(
    client: Client, categories: dict[str, Category], action: str, body: dict[str, Any]
) -> None:
    receipt = submit(client)
    code, secret = receipt["tracking_code"], receipt["reporter_secret"]
    resolve(code)
    by_header = follow_up(code, action, body, **{"X-Reporter-Secret": secret})
    assert by_header.status_code in (200, 201), by_header.json()
    if action == "reopen/":
        resolve(code)
    by_form = Client().post(f"/api/reports/{code}/{action}", {**body, "reporter_secret": secret})
    assert by_form.status_code in (200, 201), by_form.json()


def test_nobody_acts_as_the_reporter_of_a_report_made_before_secrets(
    client: Client, categories: dict[str, Category]
) -> None:
    old, _ = actions.create_report(
        category=categories["garbage"], lat=TINY_LAT, lon=TINY_LON, description="Sampah"
    )
    resolve(old.tracking_code)
    for secret in ("", "anything"):
        headers = {"X-Reporter-Secret": secret}
        answer = follow_up(old.tracking_code, "rating/", {"stars": 1}, **headers)
        assert answer.status_code == 403
        assert problem_of(answer)["code"] == "reporter_unknown"
    assert not ReportRating.objects.exists()


def test_support_counts_once_per_device_and_once_per_address(
    client: Client, categories: dict[str, Category]
) -> None:
    code = submit(client)["tracking_code"]
    url = f"/api/reports/{code}/support/"

    def support(key: uuid.UUID, address: str) -> int:
        body = {"supporter_key": str(key)}
        response = client.post(url, body, content_type="application/json", REMOTE_ADDR=address)
        return int(response.status_code)

    device = uuid.uuid4()
    assert support(device, "10.0.0.1") == 201
    assert support(uuid.uuid4(), "10.0.0.1") == 200  # storage cleared: same address
    assert support(device, "10.0.0.2") == 200  # same phone, another network
    assert support(uuid.uuid4(), "10.0.0.3") == 201
    assert ReportSupport.objects.count() == 2
    assert "10.0.0" not in str(list(ReportSupport.objects.values()))
    assert client.get(f"/api/reports/{code}/").json()["supporters"] == 2
