"""The cross-area search (/api/search/ and /cari/): sources merged, near me, bilingual errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from geo_klik.lib import layers
from geo_klik.reports.models import Category, Report
from tests.conftest import TinyCity

LAT, LON = -0.005, 100.005  # the middle of kelurahan Barat Utara of the tiny city


def fake_source(area: str, key: str, hits: list[layers.SearchHit]) -> layers.SearchSource:
    def search(query: layers.SearchQuery) -> list[layers.SearchHit]:
        return [h for h in hits if query.text.lower() in h.title.lower() or query.near]

    return layers.SearchSource(key, area, search)


def hit(area: str, title: str, *, distance_m: float | None = None, score: float = 0.5) -> Any:
    return layers.SearchHit(
        area=area,
        layer=f"test_{area}",
        title=title,
        subtitle="",
        url=f"/{area}/{title}/",
        lat=LAT if distance_m is not None else None,
        lon=LON if distance_m is not None else None,
        distance_m=distance_m,
        score=score,
    )


@pytest.fixture
def sources(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, layers.SearchSource]]:
    """Only these search sources while the test runs (the real apps' ones are set aside)."""
    registry: dict[str, layers.SearchSource] = {}
    monkeypatch.setattr(layers, "_SEARCH_ONLY", registry)
    monkeypatch.setattr(layers, "_REGISTRY", {})
    yield registry


@pytest.fixture
def pothole(tiny_city: TinyCity) -> Category:
    return Category.objects.create(
        code="pothole",
        name_id="Jalan berlubang",
        name_en="Pothole",
        icon="🕳️",
        resolve_target=timedelta(days=3),
    )


def test_it_finds_a_report_category_in_both_languages(client: Client, pothole: Category) -> None:
    body = client.get("/api/search/", {"q": "berlubang"}).json()
    assert body["count"] == 1
    result = body["results"][0]
    assert result["area"] == "klik"
    assert result["url"] == "/lapor/?kategori=pothole"
    assert result["title"] == "Lapor: Jalan berlubang"
    assert result["icon"] == "🕳️"

    english = client.get("/api/search/", {"q": "pothole"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["results"][0]["title"] == "Report: Pothole"


def test_it_finds_open_reports_near_a_point_but_never_sensitive_ones(
    client: Client, pothole: Category, tiny_city: TinyCity
) -> None:
    from geo_klik.lib import geo

    crime = Category.objects.create(
        code="crime", name_id="Kejahatan", name_en="Crime", sensitive=True
    )
    kelurahan = tiny_city.kelurahan["Barat Utara"]
    common = {"kelurahan": kelurahan, "description": "x", "status": Report.Status.ROUTED}
    near = Report.objects.create(
        category=pothole, location=geo.point(LAT + 0.001, LON), tracking_code="NEAR0001", **common
    )
    Report.objects.create(
        category=pothole, location=geo.point(LAT + 0.02, LON), tracking_code="FAR00001", **common
    )
    Report.objects.create(
        category=crime, location=geo.point(LAT, LON), tracking_code="CRIME001", **common
    )
    Report.objects.create(
        category=pothole,
        location=geo.point(LAT, LON),
        tracking_code="DONE0001",
        **{**common, "status": Report.Status.REJECTED},
    )
    body = client.get("/api/search/", {"lat": str(LAT), "lon": str(LON), "radius_m": "500"}).json()
    assert [r["url"] for r in body["results"]] == [f"/lacak/{near.tracking_code}/"]
    assert 100 < body["results"][0]["distance_m"] < 125


def test_it_finds_a_report_by_its_tracking_code(
    client: Client, pothole: Category, tiny_city: TinyCity
) -> None:
    from geo_klik.lib import geo

    Report.objects.create(
        category=pothole,
        kelurahan=tiny_city.kelurahan["Barat Utara"],
        location=geo.point(LAT, LON),
        description="x",
        tracking_code="K7QX2M9A",
    )
    body = client.get("/api/search/", {"q": "k7qx-2m9a"}).json()
    assert body["results"][0]["url"] == "/lacak/K7QX2M9A/"


def test_it_merges_sources_nearest_first_when_near(
    client: Client, db: None, sources: dict[str, layers.SearchSource]
) -> None:
    layers.register_search(
        fake_source("business", "b", [hit("business", "Bordir", distance_m=300)])
    )
    layers.register_search(
        fake_source(
            "public_services",
            "s",
            [hit("public_services", "Kantor Lurah", distance_m=120), hit("public_services", "KTP")],
        )
    )
    body = client.get("/api/search/", {"lat": str(LAT), "lon": str(LON)}).json()
    assert [r["title"] for r in body["results"]] == ["Kantor Lurah", "Bordir", "KTP"]
    assert body["areas"] == {"business": 1, "public_services": 2}


def test_it_lets_every_area_show_before_one_fills_the_page(
    client: Client, db: None, sources: dict[str, layers.SearchSource]
) -> None:
    many = [hit("business", f"Pasar {i}", score=0.9) for i in range(6)]
    layers.register_search(fake_source("business", "b", many))
    layers.register_search(
        fake_source("information", "i", [hit("information", "Pasar Atas", score=0.6)])
    )
    titles = [r["title"] for r in client.get("/api/search/", {"q": "pasar"}).json()["results"]]
    assert titles.index("Pasar Atas") == 3
    assert len(titles) == 7


def test_it_limits_to_the_areas_asked_for(
    client: Client, db: None, sources: dict[str, layers.SearchSource]
) -> None:
    layers.register_search(fake_source("business", "b", [hit("business", "Pasar")]))
    layers.register_search(fake_source("information", "i", [hit("information", "Pasar")]))
    body = client.get("/api/search/", {"q": "pasar", "area": "information"}).json()
    assert [r["area"] for r in body["results"]] == ["information"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"lat": "-0.3"}, "lon"),
        ({"lat": "abc", "lon": "100"}, "lat"),
        ({"q": "pasar", "radius_m": "20000"}, "radius_m"),
        ({"q": "pasar", "limit": "0"}, "limit"),
        ({"q": "pasar", "area": "shops"}, "area"),
    ],
)
def test_it_names_what_is_wrong_in_both_languages(
    client: Client, db: None, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    problem = response.json()["errors"][0]
    assert problem["field"] == field
    assert problem["message"] and problem["message_en"]
    assert problem["message"] != problem["message_en"]


def test_the_page_searches_without_javascript(client: Client, pothole: Category) -> None:
    page = client.get("/cari/", {"q": "berlubang"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/lapor/?kategori=pothole"' in html
    assert "1 hasil" in html


def test_the_page_explains_a_bad_search_and_keeps_the_text(client: Client, db: None) -> None:
    page = client.get("/cari/", {"q": "x" * 101})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Kata kunci paling panjang 100 karakter." in html
    assert 'value="' + "x" * 101 + '"' in html


def test_the_report_page_preselects_a_category_from_the_search(
    client: Client, pothole: Category
) -> None:
    html = client.get("/lapor/", {"kategori": "pothole"}).content.decode()
    assert 'value="pothole" required checked' in html


def test_a_busy_area_does_not_hide_the_others_near_a_point(
    client: Client, db: None, sources: dict[str, layers.SearchSource]
) -> None:
    shops = [hit("business", f"Toko {i}", distance_m=10 + i) for i in range(30)]
    layers.register_search(fake_source("business", "b", shops))
    layers.register_search(
        fake_source("community", "c", [hit("community", "Gotong royong", distance_m=900)])
    )
    titles = [
        r["title"]
        for r in client.get("/api/search/", {"lat": str(LAT), "lon": str(LON)}).json()["results"]
    ]
    assert titles[:4] == ["Toko 0", "Toko 1", "Toko 2", "Gotong royong"]
    assert len(titles) == 20
