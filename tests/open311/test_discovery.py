"""discovery.xml and discovery.json: where the GeoReport v2 endpoint is and what it speaks."""

from __future__ import annotations

from django.test import Client

from tests.open311.conftest import BASE, error_of, json_body, parse_xml

ENDPOINT_KEYS = {"specification", "url", "changeset", "type", "formats"}


def test_it_serves_discovery_xml_as_text_xml(client: Client, db: None) -> None:
    response = client.get(f"{BASE}/discovery.xml")

    assert response.status_code == 200
    root = parse_xml(response)
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    assert root.findtext("changeset").endswith("+07:00")
    endpoints = root.findall("endpoints/endpoint")
    assert len(endpoints) == 1
    endpoint = endpoints[0]
    assert {child.tag for child in endpoint} == ENDPOINT_KEYS
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2/"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_it_serves_the_same_discovery_as_json(client: Client, db: None) -> None:
    body = json_body(client.get(f"{BASE}/discovery.json"))

    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    assert "api_key" in body["key_service"]
    [endpoint] = body["endpoints"]
    assert set(endpoint) == ENDPOINT_KEYS
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["changeset"] == body["changeset"]


def test_it_redirects_the_root_to_discovery_xml(client: Client, db: None) -> None:
    response = client.get(f"{BASE}/")

    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/discovery.xml"


def test_it_answers_404_for_an_unsupported_format(client: Client, db: None) -> None:
    for path in ("discovery.csv", "services.html", "requests.yaml", "requests/ABC.txt"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 404, path
        assert "xml or json" in error_of(response, "xml")["description"]


def test_it_answers_405_with_an_error_array_for_other_methods(client: Client, db: None) -> None:
    response = client.post(f"{BASE}/discovery.json")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert error_of(response, "json")["code"] == "405"
