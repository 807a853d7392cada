"""The intake's "notify" object: the contact comes with the report; old clients unchanged."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from geo_klik.notify import actions
from geo_klik.notify.models import Message, ReporterContact
from geo_klik.reports.models import Category, Report, ReportEvent
from tests.conftest import TinyCity
from tests.notify.conftest import EMAIL, TINY_LAT, TINY_LON, Queued


@pytest.fixture
def garbage(tiny_city: TinyCity) -> Category:
    return Category.objects.create(code="garbage", name_id="Sampah", name_en="Garbage")


def submit(body: dict[str, Any], *, multipart: bool = False) -> Any:
    base = {"category": "garbage", "lat": TINY_LAT, "lon": TINY_LON, "description": "Sampah"}
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    if multipart:
        return Client().post("/api/reports/", {**base, **body}, headers=headers)
    return Client().post(
        "/api/reports/",
        json.dumps({**base, **body}),
        content_type="application/json",
        headers=headers,
    )


def test_it_stores_the_contact_given_with_the_report(garbage: Category, queued: Queued) -> None:
    answer = submit({"notify": {"email": EMAIL, "language": "en"}})
    assert answer.status_code == 201, answer.content
    assert EMAIL not in answer.content.decode()
    report = Report.objects.get(tracking_code=answer.json()["tracking_code"])
    contact = ReporterContact.objects.get(report=report)
    assert (contact.email, contact.language, contact.channels) == (EMAIL, "en", ["email"])
    # Routing (bulk events, possibly before the contact committed) is told all the same.
    ReportEvent.objects.bulk_create(
        [ReportEvent(report=report, kind="status", actor="system", status_to="routed")]
    )
    ReportEvent.objects.filter(report=report).update(created_at=report.created_at)
    actions.sweep()
    assert Message.objects.get(report=report).events.count() == 1


def test_it_takes_the_object_as_json_text_in_a_multipart_form(
    garbage: Category, queued: Queued
) -> None:
    answer = submit({"notify": json.dumps({"email": EMAIL})}, multipart=True)
    assert answer.status_code == 201, answer.content
    assert ReporterContact.objects.get().email == EMAIL


def test_old_clients_are_unaffected(garbage: Category) -> None:
    assert submit({}).status_code == 201
    assert not ReporterContact.objects.exists()


def test_it_drops_channels_the_server_cannot_use(garbage: Category, queued: Queued) -> None:
    answer = submit({"notify": {"email": EMAIL, "channels": ["email", "sms"]}})
    assert answer.status_code == 201
    assert ReporterContact.objects.get().channels == ["email"]


@pytest.mark.parametrize(
    ("notify", "field"),
    [
        ("not json", "notify"),
        ([EMAIL], "notify"),
        ({"email": "x\x00@example.id"}, "notify"),  # the NUL middleware, first
        ({"phone": "12"}, "notify.phone"),
        ({"language": "de"}, "notify.language"),
        ({"email": "a" * 1000}, "notify.email"),
    ],
)
def test_it_refuses_a_bad_notify_object_before_storing_anything(
    garbage: Category, notify: Any, field: str
) -> None:
    answer = submit({"notify": notify})
    assert answer.status_code == 400, answer.content
    assert field in [p["field"] for p in answer.json()["errors"]]
    assert not Report.objects.exists()
