"""services.xml|json and services/<code>.xml|json: the KLIK categories as Open311 services."""

from __future__ import annotations

import pytest
from django.test import Client

from geo_klik.reports.models import Category
from tests.open311.conftest import BASE, error_of, json_body, parse_xml, xml_records

SERVICE_KEYS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]


def test_it_lists_every_active_category_as_a_json_service(client: Client, city: object) -> None:
    Category.objects.filter(code="other").update(active=False)

    services = json_body(client.get(f"{BASE}/services.json"))

    assert isinstance(services, list)
    codes = [s["service_code"] for s in services]
    assert codes == list(Category.objects.filter(active=True).values_list("code", flat=True))
    assert "other" not in codes
    road = next(s for s in services if s["service_code"] == "road_damage")
    assert list(road) == SERVICE_KEYS
    assert road["service_name"] == "Jalan rusak / berlubang"
    assert road["metadata"] is False
    assert road["type"] == "realtime"
    assert "road_damage" in road["keywords"]
    assert road["group"]


def test_it_lists_the_same_services_in_xml(client: Client, city: object) -> None:
    as_json = json_body(client.get(f"{BASE}/services.json"))
    as_xml = xml_records(client.get(f"{BASE}/services.xml"), root="services", item="service")

    assert [list(s) for s in as_xml] == [SERVICE_KEYS] * len(as_json)
    assert [s["service_code"] for s in as_xml] == [s["service_code"] for s in as_json]
    assert {s["metadata"] for s in as_xml} == {"false"}


def test_it_names_services_in_english_when_asked(client: Client, city: object) -> None:
    services = json_body(client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en"))

    road = next(s for s in services if s["service_code"] == "road_damage")
    assert road["service_name"] == "Road damage / pothole"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_serves_a_service_definition_without_attributes(
    client: Client, city: object, fmt: str
) -> None:
    response = client.get(f"{BASE}/services/garbage.{fmt}")

    assert response.status_code == 200
    if fmt == "json":
        assert json_body(response) == {"service_code": "garbage", "attributes": []}
    else:
        root = parse_xml(response)
        assert root.tag == "service_definition"
        assert root.findtext("service_code") == "garbage"
        assert root.find("attributes") is not None
        assert list(root.find("attributes")) == []


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_answers_404_for_an_unknown_service(client: Client, city: object, fmt: str) -> None:
    response = client.get(f"{BASE}/services/unicorns.{fmt}")

    assert response.status_code == 404
    assert "unicorns" in error_of(response, fmt)["description"]


def test_it_answers_404_for_another_jurisdiction(client: Client, city: object) -> None:
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "padang.go.id"})

    assert response.status_code == 404
    assert "jurisdiction_id" in error_of(response, "json")["description"]
    ours = client.get(f"{BASE}/services.json", {"jurisdiction_id": "contohkota.go.id"})
    assert ours.status_code == 200
