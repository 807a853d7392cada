"""The console's queue and report views read no polygon: only the kelurahan's name is shown."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import BARAT, Personas

POLYGON_COLUMNS = ('"boundaries_kelurahan"."boundary"', '"boundaries_kelurahan"."label_point"')


def test_it_reads_the_queue_and_a_report_without_any_kelurahan_geometry(
    client: Client, personas: Personas, routed_report: Any, tiny_city: Any
) -> None:
    report = routed_report(BARAT, "road_damage", kelurahan=tiny_city.kelurahan["Barat Utara"])
    client.force_login(personas.operator)  # type: ignore[arg-type]

    with CaptureQueriesContext(connection) as queue:
        response = client.get("/api/staff/reports/")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["kelurahan"] == report.kelurahan.name

    with CaptureQueriesContext(connection) as detail:
        response = client.get(f"/api/staff/reports/{report.pk}/")
    assert response.status_code == 200

    sql = " ".join(q["sql"] for q in [*queue.captured_queries, *detail.captured_queries])
    assert '"boundaries_kelurahan"."name"' in sql
    for column in POLYGON_COLUMNS:
        assert column not in sql
