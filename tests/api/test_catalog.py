"""Public catalog: categories, agencies, jurisdictions as GeoJSON, the OpenAPI schema and docs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from geo_klik.agencies.models import Agency
from geo_klik.dispatch.actions import jurisdictions, seeding
from geo_klik.dispatch.models import Jurisdiction, JurisdictionVersion
from geo_klik.reports.models import Category


@pytest.fixture
def seeded(bukittinggi: Any) -> dict[str, int]:
    """Everything, jurisdictions included (about 3 s)."""
    return seeding.seed_reference_data()


@pytest.fixture
def seeded_categories(db: None) -> int:
    return seeding.seed_categories()


@pytest.fixture
def seeded_agencies(bukittinggi: Any) -> int:
    return seeding.seed_agencies()


def test_it_lists_the_categories_with_targets_in_seconds_and_words(
    client: Client, seeded_categories: int
) -> None:
    response = client.get("/api/categories/")
    assert response.status_code == 200
    categories = {c["code"]: c for c in response.json()}
    assert set(categories) == set(Category.objects.values_list("code", flat=True))
    accident = categories["traffic_accident"]
    assert set(accident) == {
        "code",
        "name_id",
        "name_en",
        "description_id",
        "description_en",
        "icon",
        "priority",
        "ack_target",
        "resolve_target",
        "sensitive",
    }
    assert accident["priority"] == {"level": 1, "name_id": "Kritis", "name_en": "Critical"}
    assert accident["ack_target"] == {"seconds": 300, "text_id": "5 menit", "text_en": "5 minutes"}
    assert accident["resolve_target"]["seconds"] == 4 * 3600
    assert accident["resolve_target"]["text_en"] == "4 hours"
    assert categories["crime"]["sensitive"] is True
    assert categories["garbage"]["sensitive"] is False


def test_it_lists_only_active_categories(client: Client, seeded_categories: int) -> None:
    Category.objects.filter(code="garbage").update(active=False)
    codes = [c["code"] for c in client.get("/api/categories/").json()]
    assert "garbage" not in codes


def test_it_lists_the_agencies(client: Client, seeded_agencies: int) -> None:
    response = client.get("/api/agencies/")
    assert response.status_code == 200
    agencies = {a["code"]: a for a in response.json()}
    assert len(agencies) == Agency.objects.filter(active=True).count()
    (triage,) = [a for a in agencies.values() if a["is_triage"]]
    assert triage["kind"]["code"] == "command_center"
    polsek = [a for a in agencies.values() if a["parent"] == "polres-bukittinggi"]
    assert len(polsek) == 3
    assert all(a["kecamatan"] and a["kecamatan"].startswith("13.75.") for a in polsek)
    lurah = [a for a in agencies.values() if a["kind"]["code"] == "kelurahan_office"]
    assert len(lurah) == 24


def collection(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/geo+json"
    body = dict(response.json())
    assert body["type"] == "FeatureCollection"
    return body


def test_it_serves_current_jurisdictions_as_geojson(client: Client, seeded: dict[str, int]) -> None:
    body = collection(client.get("/api/jurisdictions/"))
    current = JurisdictionVersion.objects.filter(is_current=True)
    assert len(body["features"]) == current.count()
    feature = next(f for f in body["features"] if f["properties"]["code"] == "pupr-kota")
    assert feature["geometry"]["type"] == "MultiPolygon"
    properties = feature["properties"]
    assert set(properties) == {
        "code",
        "name",
        "agency",
        "version",
        "categories",
        "priority",
        "area_m2",
        "built_from",
        "valid_from",
    }
    assert properties["agency"] == "dinas-pupr"
    assert properties["version"] == 1
    assert properties["categories"] == {"primary": ["flooding", "road_damage"], "supporting": []}


def test_it_serves_only_current_versions(client: Client, seeded: dict[str, int]) -> None:
    jurisdiction = Jurisdiction.objects.get(code="pupr-kota")
    current = jurisdiction.versions.get(is_current=True)
    jurisdictions.save_jurisdiction_version(
        jurisdiction,
        coverage=current.coverage,
        primary_categories=current.primary_categories,
        supporting_categories=current.supporting_categories,
        priority=current.priority + 1,
    )
    features = collection(client.get("/api/jurisdictions/"))["features"]
    versions = [
        f["properties"]["version"] for f in features if f["properties"]["code"] == jurisdiction.code
    ]
    assert versions == [2]


def test_it_filters_jurisdictions_by_category(client: Client, seeded: dict[str, int]) -> None:
    features = collection(client.get("/api/jurisdictions/?category=garbage"))["features"]
    assert features
    for feature in features:
        categories = feature["properties"]["categories"]
        assert "garbage" in categories["primary"] + categories["supporting"]
    # NUL is refused by the shared rule (UnstorableTextMiddleware), not filtered to nothing.
    assert client.get("/api/jurisdictions/?category=%00").status_code == 400


def test_it_filters_jurisdictions_by_bounding_box(client: Client, seeded: dict[str, int]) -> None:
    everything = collection(client.get("/api/jurisdictions/"))["features"]
    around_city = collection(client.get("/api/jurisdictions/?in_bbox=100.3,-0.35,100.45,-0.25"))
    far_away = collection(client.get("/api/jurisdictions/?in_bbox=106.7,-6.3,106.9,-6.1"))
    assert len(around_city["features"]) == len(everything)
    assert far_away["features"] == []


@pytest.mark.parametrize(
    "bbox", ["1,2,3", "a,b,c,d", "nan,0,1,1", "100.4,-0.3,100.3,-0.2", "0,0,200,1", "1,2,3,4,5"]
)
def test_it_refuses_a_malformed_bounding_box(client: Client, db: None, bbox: str) -> None:
    response = client.get(f"/api/jurisdictions/?in_bbox={bbox}")
    assert response.status_code == 400
    (problem,) = response.json()["errors"]
    assert problem["field"] == "in_bbox"
    assert problem["message"] and problem["message_en"]


def test_it_simplifies_jurisdictions_to_shrink_the_payload(
    client: Client, seeded: dict[str, int]
) -> None:
    full = client.get("/api/jurisdictions/")
    simple = client.get("/api/jurisdictions/?simplify_m=20")
    # The RTRW layer shrinks more than threefold; the shipped one, already simplified, by a third.
    assert len(simple.content) < len(full.content) * 0.8
    features = collection(simple)["features"]
    assert len(features) == len(collection(full)["features"])
    assert {f["geometry"]["type"] for f in features} == {"MultiPolygon"}
    for before, after in zip(collection(full)["features"], features, strict=True):
        assert after["properties"] == before["properties"]
        assert vertices(after["geometry"]) <= vertices(before["geometry"])
    assert sum(vertices(f["geometry"]) for f in features) < 0.8 * sum(
        vertices(f["geometry"]) for f in collection(full)["features"]
    )


def vertices(multipolygon: dict[str, Any]) -> int:
    return sum(len(ring) for polygon in multipolygon["coordinates"] for ring in polygon)


@pytest.mark.parametrize("value", ["-1", "abc", "inf", "5000"])
def test_it_refuses_a_bad_simplification(client: Client, db: None, value: str) -> None:
    response = client.get(f"/api/jurisdictions/?simplify_m={value}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "simplify_m"


def test_it_serves_the_openapi_schema(client: Client, db: None) -> None:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/reports/",
        "/api/reports/{tracking_code}/",
        "/api/categories/",
        "/api/agencies/",
        "/api/jurisdictions/",
    ):
        assert path in paths, sorted(paths)
    post = paths["/api/reports/"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(post["requestBody"]["content"])
    assert {"200", "201", "400", "429", "503"} <= set(post["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])


def test_it_serves_the_docs_page_with_local_assets_only(client: Client, db: None) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls, html
    assets = [u for u in urls if not u.startswith("/api/")]
    assert assets
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")) is not None, url
    assert "://" not in re.sub(r"http://testserver", "", html.split("<script>")[0])
    assert "cdn" not in html.lower()
