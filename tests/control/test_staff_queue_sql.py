"""The console's queue and report views read no polygon: only the kelurahan's name is shown."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import BARAT, TIMUR, Personas

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


@pytest.mark.django_db(transaction=True)
def test_it_never_shows_one_agencys_queue_to_another_when_reads_coincide(
    personas: Personas, routed_report: Any, tiny_city: Any
) -> None:
    mine = routed_report(BARAT, "road_damage")
    theirs = routed_report(TIMUR, "crime")
    seen: dict[str, list[set[str]]] = {"pupr": [], "polsek": [], "operator": []}
    start = threading.Barrier(9)

    def read(name: str) -> None:
        client = Client()
        client.force_login(getattr(personas, name))
        try:
            start.wait()
            response = client.get("/api/staff/reports/")
            seen[name].append({row["tracking_code"] for row in response.json()["results"]})
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=read, args=(name,))
        for name in ("pupr", "polsek", "operator")
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert seen["pupr"] == [{mine.tracking_code}] * 3
    assert seen["polsek"] == [{theirs.tracking_code}] * 3
    assert seen["operator"] == [{mine.tracking_code, theirs.tracking_code}] * 3
