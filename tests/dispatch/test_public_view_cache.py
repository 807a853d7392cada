"""A report's public view is served from cache while nothing it shows has changed, never after.

Each test changes one thing the view is made of, the way the product's writers change it (and
with a bare queryset update, which bypasses save() and its auto_now), and checks that the next
answer equals a fresh serialization.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from geo_klik.dispatch import queries, serializers
from geo_klik.dispatch.actions import workflow
from geo_klik.dispatch.models import Assignment, RoutingDecision
from geo_klik.reports import actions
from geo_klik.reports.models import Report, ReportEvent, ReportPhoto
from tests.personas import BARAT, Personas

HOST = "localhost"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    caches["public_report"].clear()
    yield
    caches["public_report"].clear()


@pytest.fixture
def pothole(personas: Personas, routed_report: Any) -> Report:
    report: Report = routed_report(BARAT, "road_damage")
    return report


def served(client: Client, report: Report, host: str = HOST) -> dict[str, Any]:
    answer = client.get(f"/api/reports/{report.tracking_code}/", HTTP_HOST=host)
    assert answer.status_code == 200, answer.content
    return dict(answer.json())


def fresh(report: Report, host: str = HOST) -> dict[str, Any]:
    """The view serialized now, past any cache, through the JSON the API sends."""
    request = APIRequestFactory().get("/", HTTP_HOST=host)
    found = queries.public_report(report.tracking_code)
    assert found is not None
    data = serializers.PublicReportSerializer(found, context={"request": request}).data
    return dict(json.loads(JSONRenderer().render(data)))


def test_an_unchanged_report_costs_one_query(
    client: Client, pothole: Report, django_assert_num_queries: Any
) -> None:
    first = served(client, pothole)
    with django_assert_num_queries(1):
        again = served(client, pothole)
    assert again == first == fresh(pothole)


def test_the_host_asked_for_is_part_of_the_cached_view(client: Client, pothole: Report) -> None:
    served(client, pothole)
    other = served(client, pothole, host="127.0.0.1")
    assert other == fresh(pothole, host="127.0.0.1")
    assert other["timeline"] == fresh(pothole)["timeline"]


CHANGES: dict[str, Callable[[Report, Personas], object]] = {
    "a workflow step": lambda r, p: workflow.acknowledge(r.pk, user=p.pupr),
    "a bare status update": lambda r, p: Report.objects.filter(pk=r.pk).update(
        status=Report.Status.ACKNOWLEDGED
    ),
    "a bare address update": lambda r, p: Report.objects.filter(pk=r.pk).update(
        address="Jl. Sudirman 1"
    ),
    "a public agency note": lambda r, p: actions.add_agency_note(
        r, agency_id=p.pupr_agency.pk, note="Dijadwalkan besok."
    ),
    "a resident's comment": lambda r, p: actions.add_comment(r, text="Makin parah"),
    "a note hidden by moderation": lambda r, p: ReportEvent.objects.filter(report=r).update(
        public=False
    ),
    "a supporter": lambda r, p: actions.support_report(r, supporter_key=uuid.uuid4()),
    "a photo removed": lambda r, p: ReportPhoto.objects.filter(report=r).delete(),
    "an assignment ended": lambda r, p: Assignment.objects.filter(report=r).update(active=False),
    "a routing decision replaced": lambda r, p: RoutingDecision.objects.filter(report=r).update(
        is_current=False
    ),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_any_change_is_served_at_once(
    client: Client, personas: Personas, pothole: Report, change: str
) -> None:
    before = served(client, pothole)
    CHANGES[change](pothole, personas)
    after = served(client, pothole)
    assert after == fresh(pothole)
    if change != "a photo removed":  # the tiny city's reports carry no photo to remove
        assert after != before


def test_a_rating_and_its_update_are_served_at_once(
    client: Client, personas: Personas, pothole: Report
) -> None:
    workflow.acknowledge(pothole.pk, user=personas.pupr)
    workflow.resolve(pothole.pk, user=personas.pupr, note="Selesai ditambal.")
    pothole.refresh_from_db()
    served(client, pothole)
    actions.rate_report(pothole, stars=2, comment="Kurang rapi")
    assert served(client, pothole)["rating"]["stars"] == 2
    actions.rate_report(pothole, stars=5, comment="Sudah rapi")
    assert served(client, pothole) == fresh(pothole)
    assert served(client, pothole)["rating"]["stars"] == 5


def test_a_reopened_report_is_served_at_once(
    client: Client, personas: Personas, pothole: Report
) -> None:
    workflow.acknowledge(pothole.pk, user=personas.pupr)
    workflow.resolve(pothole.pk, user=personas.pupr, note="Selesai.")
    pothole.refresh_from_db()
    assert served(client, pothole)["status"]["code"] == Report.Status.RESOLVED
    actions.reopen_report(pothole, reason="Belum beres", now=timezone.now())
    assert served(client, pothole) == fresh(pothole)


@pytest.mark.parametrize(
    "code", ["NOSUCHCODE", "AB\x00CD", "x" * 5000, "%00", "../../etc/passwd", " "]
)
def test_an_unknown_or_hostile_code_is_refused_in_both_languages(
    client: Client, db: None, code: str
) -> None:
    answer = client.get(f"/api/reports/{code}/")
    # 404 for a code that names no report; 400 for a path no browser sends (a NUL byte).
    assert answer.status_code == (400 if "\x00" in code or "%00" in code else 404)
    [problem] = answer.json()["errors"]
    assert problem["message"] and problem["message_en"]
    if answer.status_code == 404:
        assert problem["code"] == "not_found"
