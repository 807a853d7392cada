"""Open311 fixtures: Bukittinggi with its reference data, an API key, and format helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from defusedxml import ElementTree
from django.http import HttpResponse
from django.test import Client

from geo_klik.dispatch import actions as dispatch_actions
from geo_klik.open311 import actions
from geo_klik.reports.models import Category

BASE = "/open311/v2"
JAM_GADANG = (-0.3051, 100.3693)
OUTSIDE = (-0.2500, 100.2000)  # on the road to Padang Panjang
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'

Post = Callable[..., HttpResponse]


@pytest.fixture
def city(bukittinggi: object) -> None:
    """The real kelurahan with the seeded categories, agencies and jurisdictions."""
    dispatch_actions.seed_reference_data()


@pytest.fixture
def api_key(city: None) -> str:
    _, raw_key = actions.create_api_key(name="Aplikasi uji / test app")
    return raw_key


@pytest.fixture
def post_request(client: Client, api_key: str) -> Post:
    """POST requests.<fmt> as a form, with a valid key and a report at Jam Gadang by default."""

    def post(fmt: str = "json", **fields: Any) -> HttpResponse:
        lat, lon = JAM_GADANG
        form = {
            "api_key": api_key,
            "service_code": "road_damage",
            "lat": str(lat),
            "long": str(lon),
            "description": "Lubang besar di depan Jam Gadang",
            **fields,
        }
        data = {name: value for name, value in form.items() if value is not None}
        return client.post(f"{BASE}/requests.{fmt}", data)

    return post


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def parse_xml(response: HttpResponse) -> Any:
    """The root element, after checking the declaration and that the XML is well-formed."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(XML_DECLARATION)
    return ElementTree.fromstring(response.content)


def xml_records(response: HttpResponse, *, root: str, item: str) -> list[dict[str, str]]:
    """<root><item><field>text</field>…</item>…</root> as a list of {field: text}."""
    element = parse_xml(response)
    assert element.tag == root
    assert all(child.tag == item for child in element)
    return [{field.tag: field.text or "" for field in record} for record in element]


def json_body(response: HttpResponse) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def error_of(response: HttpResponse, fmt: str) -> dict[str, str]:
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
