"""Open311 fixtures: Bukittinggi with its reference data, an API key, and format helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from defusedxml import ElementTree  # type: ignore[import-untyped]  # no stubs installed
from django.test import Client

from geo_klik.agencies.models import Agency
from geo_klik.dispatch.actions import jurisdictions, seeding
from geo_klik.dispatch.models import Jurisdiction
from geo_klik.open311 import actions
from geo_klik.reports.models import Category
from tests.conftest import TinyCity
from tests.reports.test_intake import broker_down, purge_queue  # noqa: F401 - fixtures

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response
else:
    from django.http import HttpResponse as Response

BASE = "/open311/v2"
BARAT_UTARA = (-0.005, 100.005)  # the middle of a tiny_city kelurahan
OUTSIDE = (-0.5, 100.5)
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'

Post = Callable[..., Response]


@pytest.fixture
def city(tiny_city: TinyCity) -> TinyCity:
    """Kota Contoh with the real categories and agencies, and two city-wide jurisdictions.

    Seeding every Bukittinggi jurisdiction costs about 3 s a test; the Open311 behaviour does
    not depend on them (one round trip in test_round_trip uses the real city).
    """
    seeding.seed_categories()
    seeding.seed_agencies()
    plans = [
        ("pupr-kota", "dinas-pupr", ["road_damage", "garbage"]),
        ("polres-kota", "polres-contoh", ["crime"]),
    ]
    for code, agency_code, categories in plans:
        jurisdiction = Jurisdiction.objects.create(
            code=code, agency=Agency.objects.get(code=agency_code), name=code
        )
        jurisdictions.save_jurisdiction_version(
            jurisdiction,
            coverage=tiny_city.kota.boundary,
            primary_categories=categories,
            supporting_categories=[],
            priority=10,
        )
    return tiny_city


@pytest.fixture
def api_key(city: TinyCity) -> str:
    _, raw_key = actions.create_api_key(name="Aplikasi uji / test app")
    return raw_key


@pytest.fixture
def post_request(client: Client, api_key: str) -> Post:
    """POST requests.<fmt> as a form, with a valid key and a pothole in Barat Utara by default."""

    def post(fmt: str = "json", **fields: Any) -> Response:
        lat, lon = BARAT_UTARA
        form = {
            "api_key": api_key,
            "service_code": "road_damage",
            "lat": str(lat),
            "long": str(lon),
            "description": "Lubang besar di depan pasar",
            **fields,
        }
        data = {name: value for name, value in form.items() if value is not None}
        return client.post(f"{BASE}/requests.{fmt}", data)

    return post


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def parse_xml(response: Response) -> Any:
    """The root element, after checking the declaration and that the XML is well-formed."""
    assert response["Content-Type"] == "text/xml"
    assert response.content.startswith(XML_DECLARATION)
    return ElementTree.fromstring(response.content)


def xml_records(response: Response, *, root: str, item: str) -> list[dict[str, str]]:
    """<root><item><field>text</field>…</item>…</root> as a list of {field: text}."""
    element = parse_xml(response)
    assert element.tag == root
    assert all(child.tag == item for child in element)
    return [{field.tag: field.text or "" for field in record} for record in element]


def json_body(response: Response) -> Any:
    assert response["Content-Type"] == "application/json"
    return response.json()


def error_of(response: Response, fmt: str) -> dict[str, str]:
    """The single error of an Open311 error array, code checked against the HTTP status."""
    if fmt == "xml":
        errors = xml_records(response, root="errors", item="error")
    else:
        errors = json_body(response)
        assert isinstance(errors, list)
    assert len(errors) == 1
    assert set(errors[0]) == {"code", "description"}
    assert str(errors[0]["code"]) == str(response.status_code)
    return {"code": str(errors[0]["code"]), "description": str(errors[0]["description"])}
