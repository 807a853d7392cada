"""Admin: agencies, jurisdictions edited as new versions, read-only routing history."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.contrib.staticfiles import finders
from django.test import Client

from geo_klik.boundaries.models import Kelurahan
from geo_klik.dispatch.actions import routes
from geo_klik.dispatch.models import Jurisdiction
from tests.conftest import TinyCity, square
from tests.dispatch.conftest import MakeJurisdiction, MakeReport, Zones


def change_form(jurisdiction: Jurisdiction, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": jurisdiction.code,
        "agency": jurisdiction.agency_id,
        "name": jurisdiction.name,
        "active": "on",
        "priority": 10,
        "primary_categories": ["road_damage"],
        "versions-TOTAL_FORMS": 0,
        "versions-INITIAL_FORMS": 0,
    }
    data.update(fields)
    return data


@pytest.fixture
def pupr(zones: Zones, make_jurisdiction: MakeJurisdiction, categories: object) -> Jurisdiction:
    return make_jurisdiction("pupr", zones.barat_utara, primary=["road_damage"]).jurisdiction


def test_it_builds_a_new_version_from_chosen_kelurahan(
    admin_client: Client, tiny_city: TinyCity, pupr: Jurisdiction
) -> None:
    url = f"/admin/dispatch/jurisdiction/{pupr.pk}/change/"
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url, change_form(pupr, kelurahan=["99.01.01.1002", "99.01.02.1002"], priority=12)
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    v1, v2 = pupr.versions.order_by("version")
    assert not v1.is_current and v2.is_current and v2.priority == 12
    south = tiny_city.kelurahan["Barat Selatan"].boundary.union(
        tiny_city.kelurahan["Timur Selatan"].boundary
    )
    assert v2.coverage.equals(south)
    assert v2.built_from == "kelurahan:99.01.01.1002,kelurahan:99.01.02.1002"
    assert v2.pieces.exists() and not v1.pieces.exists()


def test_it_takes_a_pasted_geojson_coverage_and_refuses_a_broken_one(
    admin_client: Client, tiny_city: TinyCity, pupr: Jurisdiction
) -> None:
    url = f"/admin/dispatch/jurisdiction/{pupr.pk}/change/"
    drawn = square(100.005, -0.015)
    bowtie = "POLYGON((100 0, 100.01 -0.01, 100.01 0, 100 -0.01, 100 0))"

    refused = admin_client.post(url, change_form(pupr, coverage_text=bowtie))
    accepted = admin_client.post(url, change_form(pupr, coverage_text=drawn.json))

    assert refused.status_code == 200 and "Invalid polygon" in refused.content.decode()
    assert accepted.status_code == 302
    current = pupr.versions.get(is_current=True)
    assert current.version == 2 and current.built_from == "drawn"
    assert current.coverage.equals(drawn)


def test_it_writes_no_version_when_nothing_changed(
    admin_client: Client, tiny_city: TinyCity, pupr: Jurisdiction
) -> None:
    response = admin_client.post(
        f"/admin/dispatch/jurisdiction/{pupr.pk}/change/", change_form(pupr, name="PUPR")
    )

    assert response.status_code == 302
    assert pupr.versions.count() == 1
    pupr.refresh_from_db()
    assert pupr.name == "PUPR"


def test_it_adds_a_jurisdiction_for_the_whole_city(
    admin_client: Client, tiny_city: TinyCity, pupr: Jurisdiction
) -> None:
    response = admin_client.post(
        "/admin/dispatch/jurisdiction/add/",
        change_form(pupr, code="pupr-city", name="PUPR kota", whole_kota="on"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    version = Jurisdiction.objects.get(code="pupr-city").versions.get()
    assert version.built_from == "kota" and version.coverage.equals(tiny_city.kota.boundary)


@pytest.mark.parametrize("model", ["agency", "jurisdiction", "routingdecision", "assignment"])
def test_it_lists_and_opens_each_model_without_a_cdn(
    admin_client: Client,
    zones: Zones,
    pupr: Jurisdiction,
    make_report: MakeReport,
    command_center: object,
    model: str,
) -> None:
    report = make_report(-0.005, 100.005, "road_damage")
    decision = routes.route_report(report.pk)
    assert decision is not None
    rows = {
        "agency": pupr.agency_id,
        "jurisdiction": pupr.pk,
        "routingdecision": decision.pk,
        "assignment": decision.assignments.get().pk,
    }

    app = "agencies" if model == "agency" else "dispatch"  # Agency moved to the agencies app
    changelist = admin_client.get(f"/admin/{app}/{model}/")
    page = admin_client.get(f"/admin/{app}/{model}/{rows[model]}/change/")

    assert changelist.status_code == 200 and page.status_code == 200
    assert "cdn." not in page.content.decode() and "https://" not in str(page.context["media"])


def test_it_keeps_routing_history_read_only(
    admin_client: Client, pupr: Jurisdiction, make_report: MakeReport, command_center: object
) -> None:
    report = make_report(-0.005, 100.005, "road_damage")
    decision = routes.route_report(report.pk)
    assert decision is not None

    assert admin_client.get("/admin/dispatch/routingdecision/add/").status_code == 403
    response = admin_client.post(
        f"/admin/dispatch/routingdecision/{decision.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403


def test_it_shows_the_coverage_on_a_local_openlayers_map(
    admin_client: Client, tiny_city: TinyCity, pupr: Jurisdiction
) -> None:
    page = admin_client.get(f"/admin/dispatch/jurisdiction/{pupr.pk}/change/").content.decode()

    assert "/static/vendor/ol/ol.js" in page and "/static/vendor/ol/ol.css" in page
    assert "cdn." not in page
    assert 'name="coverage_map"' in page


def test_it_writes_a_new_version_from_a_drawn_coverage(
    admin_client: Client, tiny_city: TinyCity, pupr: Jurisdiction
) -> None:
    drawn = square(100.005, -0.015)

    response = admin_client.post(
        f"/admin/dispatch/jurisdiction/{pupr.pk}/change/",
        # The map widget posts what it drew in the map's projection (Web Mercator).
        change_form(
            pupr, coverage_map=MultiPolygon(drawn, srid=4326).transform(3857, clone=True).json
        ),
    )

    assert response.status_code == 302
    current = pupr.versions.get(is_current=True)
    assert current.version == 2 and current.built_from == "drawn"
    assert current.coverage.equals_exact(MultiPolygon(drawn, srid=4326), tolerance=1e-7)


def test_it_finds_the_openlayers_files_for_collectstatic() -> None:
    for path in ("vendor/ol/ol.js", "vendor/ol/ol.css"):
        found = finders.find(path)
        assert found and "node_modules" in str(found), path


def test_it_draws_kelurahan_boundaries_offline_in_the_admin(
    admin_client: Client, tiny_city: TinyCity
) -> None:
    kelurahan = Kelurahan.objects.first()
    assert kelurahan is not None
    page = admin_client.get(f"/admin/boundaries/kelurahan/{kelurahan.pk}/change/").content
    assert b"/static/vendor/ol/ol.js" in page and b"cdn." not in page
