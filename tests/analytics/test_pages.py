"""/planner/ for planners only, /transparansi/ for everyone, the JSON figures, no CDN."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.test import Client

from tests.analytics.conftest import BARAT, TIMUR, History, Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(history: History) -> History:
    for i in range(12):
        history.add(BARAT, "road_damage", ack_h=1, resolve_h=i + 2, reporter_name="Siti Rahma")
    history.add(TIMUR, "crime", reporter_phone="+62811000111", description="dompet dicuri")
    history.refresh()
    return history


def client_for(personas: Personas, name: str | None) -> Client:
    client = Client()
    if name:
        client.force_login(cast(Any, getattr(personas, name)))
    return client


def test_it_sends_anonymous_visitors_to_log_in(personas: Personas) -> None:
    response = client_for(personas, None).get("/planner/")
    assert response.status_code == 302
    assert "next=/planner/" in response["Location"]


@pytest.mark.parametrize("name", ["outsider", "operator", "pupr"])
def test_it_refuses_other_roles(personas: Personas, name: str) -> None:
    assert client_for(personas, name).get("/planner/").status_code == 403
    assert client_for(personas, name).get("/planner/api/skpd.json").status_code == 403
    assert client_for(personas, name).get("/planner/export/reports.csv").status_code == 403


def test_it_shows_the_planner_everything_from_local_files(
    personas: Personas, filled: History
) -> None:
    response = client_for(personas, "planner").get("/planner/")
    assert response.status_code == 200
    page = response.content.decode()
    for part in ("L.heatLayer", "Barat Utara", "Kinerja SKPD", "trend-chart", "reports.csv"):
        assert part in page
    assert "/static/vendor/leaflet.heat/leaflet-heat.js" in page
    assert "/static/vendor/chart.js/chart.umd.min.js" in page
    assert "cdn" not in page.lower()
    assert "Siti Rahma" not in page


def test_it_serves_the_figures_as_json(personas: Personas, filled: History) -> None:
    client = client_for(personas, "planner")
    skpd = client.get("/planner/api/skpd.json").json()
    assert [row["agency"] for row in skpd] == ["dinas-pupr"]  # the Polsek has one report
    assert skpd[0]["reports"] == 12
    counts = client.get("/planner/api/choropleth.json").json()
    assert sum(row["reports"] for row in counts) == 13
    heat = client.get("/planner/api/heatmap.json?kategori=crime").json()
    assert sum(n for *_, n in heat["bins"]) == 1
    weekly = client.get("/planner/api/heatmap-weekly.json").json()
    assert sum(n for week in weekly for *_, n in week["bins"]) == 13
    assert client.get("/planner/api/hotspots.json").json()[0]["reports"] == 12


def test_it_shows_the_public_the_aggregates_without_personal_data(filled: History) -> None:
    response = Client().get("/transparansi/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kinerja SKPD" in page and "Barat Utara" in page
    assert "paling banyak 2.2 %" in page  # the medians' method and error bound
    for secret in ("Siti Rahma", "+62811000111", "dompet dicuri", "reports.csv"):
        assert secret not in page


def test_it_falls_back_to_the_last_30_days_on_unreadable_dates(filled: History) -> None:
    response = Client().get("/transparansi/?dari=kemarin")
    assert response.status_code == 200
    assert response.context["board"].where.errors == ("dari",)
    assert (response.context["board"].where.end - response.context["board"].where.start).days == 29
