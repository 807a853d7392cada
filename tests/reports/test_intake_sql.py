"""The intake's SQL reads no polygon: boundaries are matched in WHERE, never selected."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib.gis.db.models import GeometryField
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from geo_klik.reports import actions, serializers
from geo_klik.reports.models import Category
from tests.reports.conftest import post_json, report_body

_POINT_TYPES = {"POINT", "MULTIPOINT"}
_WORD = re.compile(r"\b(SELECT|FROM|RETURNING)\b|[()]", re.IGNORECASE)
_LITERAL = re.compile(r"'(?:[^']|'')*'")
# A select item that starts with one of these returns a number or a boolean, not the polygon.
_SCALAR = re.compile(
    r"\(*\s*ST_(Distance|DistanceSphere|Area|Perimeter|Covers|Contains|Intersects|DWithin)\(",
    re.IGNORECASE,
)


def polygon_columns() -> set[str]:
    """Every column of an installed model that holds an area (not a point)."""
    return {
        field.column
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, GeometryField) and field.geom_type.upper() not in _POINT_TYPES
    }


def selected_parts(sql: str) -> Iterator[str]:
    """The select list of every SELECT (subqueries too) and every RETURNING clause of `sql`."""
    sql = _LITERAL.sub("''", sql)  # an EWKB literal may hold any byte, brackets too
    tokens = list(_WORD.finditer(sql))
    for index, token in enumerate(tokens):
        word = token.group(0).upper()
        if word == "RETURNING":
            yield sql[token.end() :]
        if word != "SELECT":
            continue
        depth, end = 0, len(sql)
        for later in tokens[index + 1 :]:
            text = later.group(0).upper()
            depth += {"(": 1, ")": -1}.get(text, 0)
            if depth < 0 or (depth == 0 and text == "FROM"):
                end = later.start()
                break
        yield sql[token.end() : end]


def items(select_list: str) -> Iterator[str]:
    """The comma-separated items of a select list (commas inside brackets do not split)."""
    depth, start = 0, 0
    for position, char in enumerate(select_list):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            yield select_list[start:position].strip()
            start = position + 1
    yield select_list[start:].strip()


def polygons_read(queries: list[dict[str, str]]) -> list[str]:
    """The statements that select (or return) a polygon, for a readable failure.

    A polygon measured in SQL (``ST_Distance(boundary, point) AS distance``) is not read: only
    its number reaches Django.
    """
    columns = "|".join(re.escape(column) for column in sorted(polygon_columns()))
    column = re.compile(rf'"({columns})"')
    return [
        q["sql"]
        for q in queries
        if any(
            column.search(item) and not _SCALAR.match(item)
            for part in selected_parts(q["sql"])
            for item in items(part)
        )
    ]


def test_it_knows_the_polygon_columns_and_finds_them_in_a_select() -> None:
    """The checker itself: it must see the columns it guards, or the other tests prove nothing."""
    assert {"boundary", "coverage", "piece"} <= polygon_columns()
    assert "location" not in polygon_columns()
    read = 'SELECT "k"."id", "k"."boundary"::bytea FROM "boundaries_kelurahan" "k"'
    matched = 'SELECT "k"."id" FROM "k" WHERE ST_Covers("k"."boundary", %s)'
    inner = 'SELECT "r"."id" FROM "r" WHERE "r"."k" IN (SELECT "boundary" FROM "k")'
    returned = 'INSERT INTO "k" ("boundary") VALUES (%s) RETURNING "k"."boundary"'
    measured = 'SELECT "k"."id", ST_DistanceSphere("k"."boundary", \'(\'::bytea) AS d FROM "k"'
    as_json = 'SELECT "k"."id", ST_AsGeoJSON("k"."coverage", 6) AS g FROM "k"'
    assert polygons_read([{"sql": read}, {"sql": matched}]) == [read]
    assert polygons_read([{"sql": inner}, {"sql": returned}]) == [inner, returned]
    assert polygons_read([{"sql": measured}, {"sql": as_json}]) == [as_json]


@pytest.mark.django_db
def test_it_selects_no_polygon_for_a_new_report(client: Client, categories: object) -> None:
    with CaptureQueriesContext(connection) as captured:
        response = post_json(client, report_body(), key=uuid.uuid4())
    assert response.status_code == 201, response.content
    assert response.json()["kelurahan"]["kecamatan"]["name"] == "Barat"
    assert captured.captured_queries, "the intake ran no SQL: the capture is not measuring it"
    assert polygons_read(captured.captured_queries) == []


@pytest.mark.django_db
def test_it_selects_no_polygon_for_a_retry(client: Client, categories: object) -> None:
    key = uuid.uuid4()
    assert post_json(client, report_body(), key=key).status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = post_json(client, report_body(), key=key)
    assert response.status_code == 200, response.content
    assert response.json()["kelurahan"]["name"] == "Barat Utara"
    assert polygons_read(captured.captured_queries) == []


@pytest.mark.django_db
def test_it_selects_no_polygon_for_a_pin_just_outside_the_city(
    client: Client, categories: object
) -> None:
    """The GPS-tolerance path (nearest kelurahan within ROUTING_TOLERANCE_M)."""
    with CaptureQueriesContext(connection) as captured:
        response = post_json(client, report_body(lat=0.0004, lon=100.005), key=uuid.uuid4())
    assert response.status_code == 201, response.content
    assert response.json()["kelurahan"]["name"] == "Barat Utara"
    assert polygons_read(captured.captured_queries) == []


@pytest.mark.django_db
def test_it_selects_no_polygon_when_a_racing_retry_meets_the_unique_key(
    categories: dict[str, Category],
) -> None:
    """The IntegrityError path: the key was not there at the check, then the insert collided."""
    key = uuid.uuid4()
    fields = {
        "category": categories["garbage"],
        "lat": -0.005,
        "lon": 100.005,
        "description": "Sampah menumpuk.",
        "idempotency_key": key,
        "body_sha256": "a" * 64,
    }
    actions.create_report(**fields)  # type: ignore[arg-type]
    with CaptureQueriesContext(connection) as captured:
        report, created = actions.create_report(**fields)  # type: ignore[arg-type]
        kelurahan = serializers.KelurahanSerializer(report.kelurahan).data
    assert not created
    assert kelurahan["kecamatan"]["name"] == "Barat"
    assert polygons_read(captured.captured_queries) == []
