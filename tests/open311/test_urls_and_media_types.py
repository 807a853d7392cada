"""Every resource as clients join it, in both formats, with exact media types; Open311 errors
for every failure under /open311/, never an HTML page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client

from geo_klik.open311 import queries
from geo_klik.reports.models import Report
from tests.conftest import TinyCity
from tests.open311.conftest import BASE, XML_DECLARATION, Post, error_of

CONTENT_TYPES = {"xml": "text/xml", "json": "application/json"}
# How clients join the endpoint (as discovery lists it, or as configured) and a resource.
JOINS = {
    "one slash": f"{BASE}/",
    "doubled slash": f"{BASE}//",
    "no slash": BASE,  # FixMyStreet-style: endpoint without its slash + "services.xml"
}
RESOURCES = [
    "discovery",
    "services",
    "services/road_damage",
    "requests",
    "servicerequestupdates",
]


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("join", list(JOINS))
@pytest.mark.parametrize("resource", RESOURCES)
def test_it_answers_every_resource_however_it_is_joined(
    client: Client, city: TinyCity, fmt: str, join: str, resource: str
) -> None:
    response = client.get(f"{JOINS[join]}{resource}.{fmt}")

    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == CONTENT_TYPES[fmt]  # no parameters: compared exactly
    if fmt == "xml":
        assert response.content.startswith(XML_DECLARATION)
    else:
        response.content.decode("utf-8")  # UTF-8 all the same
        assert response.json() is not None


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("join", list(JOINS))
def test_it_files_a_request_however_the_post_is_joined(
    client: Client, api_key: str, fmt: str, join: str
) -> None:
    form = {
        "api_key": api_key,
        "service_code": "road_damage",
        "lat": "-0.005",
        "long": "100.005",
        "description": "Jalan berlubang",
    }
    response = client.post(f"{JOINS[join]}requests.{fmt}", form)

    assert response.status_code == 201
    assert response["Content-Type"] == CONTENT_TYPES[fmt]


def test_it_reads_one_request_however_it_is_joined(client: Client, post_request: Post) -> None:
    [created] = post_request("json").json()
    code = created["service_request_id"]

    for join in JOINS.values():
        for fmt in ("xml", "json"):
            response = client.get(f"{join}requests/{code}.{fmt}")
            assert response.status_code == 200, (join, fmt)
            assert response["Content-Type"] == CONTENT_TYPES[fmt]


def test_it_takes_the_format_in_any_case(client: Client, city: TinyCity) -> None:
    response = client.get(f"{BASE}/services.JSON")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        "/open311/v2/nothing.xml",
        "/open311/v2/services",
        "/open311/v2/services/",
        "/open311/v2/requests/ABC/more.xml",
        "/open311/v3/services.xml",
        "/open311/",
        "/open311/v2nothing.json",
        "/open311/v2/services.csv",
        "/open311/v2//" + "x" * 5000 + ".xml",
    ],
)
def test_it_answers_an_open311_404_for_any_other_path(
    client: Client, city: TinyCity, path: str
) -> None:
    response = client.get(path)

    assert response.status_code == 404
    fmt = "json" if path.endswith(".json") else "xml"
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert b"<html" not in response.content.lower()
    error_of(response, fmt)


def test_it_answers_a_nul_in_the_path_as_an_open311_400(client: Client, city: TinyCity) -> None:
    response = client.get(f"{BASE}/services%00.json")

    assert response.status_code == 400
    assert error_of(response, "json")["code"] == "400"


def test_it_answers_405_in_the_asked_format_for_every_resource(
    client: Client, city: TinyCity
) -> None:
    for resource in ("discovery", "services", "services/road_damage", "requests/ABC"):
        for fmt in ("xml", "json"):
            response = client.put(f"{BASE}//{resource}.{fmt}")
            assert response.status_code == 405, resource
            assert error_of(response, fmt)["code"] == "405"
            assert "GET" in response["Allow"]


def test_it_answers_a_failure_as_an_open311_500(
    client: Client, city: TinyCity, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(queries, "active_services", broken)
    for fmt in ("xml", "json"):
        response = client.get(f"{BASE}/services.{fmt}")
        assert response.status_code == 500
        assert response["Content-Type"] == CONTENT_TYPES[fmt]
        assert error_of(response, fmt)["code"] == "500"


def test_it_answers_a_database_outage_as_an_open311_503(
    client: Client, city: TinyCity, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(queries, "active_services", down)
    response = client.get(f"{BASE}/services.xml")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert error_of(response, "xml")["code"] == "503"


def test_it_answers_a_body_too_large_as_an_open311_413(client: Client, api_key: str) -> None:
    response = client.post(
        f"{BASE}/requests.json",
        data=b"api_key=x&" + b"d" * 100,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(11 * 1024 * 1024 + 1),
    )

    assert response.status_code == 413
    assert error_of(response, "json")["code"] == "413"


def test_it_refuses_a_huge_multipart_body(client: Client, api_key: str) -> None:
    huge = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + bytes(12 * 1024 * 1024), "image/jpeg")
    form = {"api_key": api_key, "service_code": "road_damage", "lat": "-0.005", "long": "100.005"}

    response = client.post(f"{BASE}/requests.xml", {**form, "media": huge})

    assert response.status_code == 413
    assert "larger than" in error_of(response, "xml")["description"]
    assert not Report.objects.exists()


def test_it_refuses_a_huge_text_field_in_a_multipart_body(client: Client, api_key: str) -> None:
    response = client.post(
        f"{BASE}/servicerequestupdates.json",
        {"api_key": api_key, "service_request_id": "X", "description": "d" * 3_000_000},
    )

    assert response.status_code in (400, 413)
    assert error_of(response, "json")["code"] == str(response.status_code)
