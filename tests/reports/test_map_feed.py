"""The public map feed per viewport: bbox, grid clusters past the points limit, ETag and cache."""

from __future__ import annotations

import gzip
import json
import math
import threading
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from geo_klik.lib import geo
from geo_klik.maps import clusters, report_feed
from geo_klik.maps import queries as map_queries
from geo_klik.reports import actions, queries
from geo_klik.reports.models import Category, Report, ReportEvent

FEED = "/api/map/reports.geojson"
# Inside the tiny city's kelurahan Barat Utara (lon 100.00-100.01, lat -0.01-0.00).
SPOTS = [(-0.0012 - 0.0007 * i, 100.0013 + 0.00061 * (i * 7 % 13)) for i in range(12)]


@pytest.fixture(autouse=True)
def empty_feed_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """No answer or snapshot from another test; a changed snapshot is read in the request."""
    caches[report_feed.CACHE_ALIAS].clear()
    report_feed.data_version.forget()
    report_feed.city_extent.forget()
    clusters.snapshots.forget()
    monkeypatch.setattr(clusters, "REFRESH_IN_BACKGROUND", False)


@pytest.fixture
def few_points(monkeypatch: pytest.MonkeyPatch) -> int:
    """The points limit lowered to 5, so a dozen reports make a busy viewport."""
    monkeypatch.setattr(report_feed, "POINTS_LIMIT", 5)
    return 5


def make(category: Category, lat: float, lon: float) -> Report:
    report, _ = actions.create_report(category=category, lat=lat, lon=lon, description="x")
    return report


def feed(client: Client, **params: str) -> Any:
    answer = client.get(FEED, params)
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_it_answers_points_as_before_for_a_quiet_viewport(
    client: Client, categories: dict[str, Category]
) -> None:
    near = make(categories["garbage"], -0.005, 100.005)
    far = make(categories["garbage"], -0.015, 100.015)
    answer = feed(client, in_bbox="100.0,-0.01,100.01,0.0")
    assert answer["clustered"] is False
    assert [f["id"] for f in answer["features"]] == [near.tracking_code]
    assert answer["features"][0]["properties"]["tracking_code"] == near.tracking_code
    everything = feed(client)
    assert {f["id"] for f in everything["features"]} == {near.tracking_code, far.tracking_code}


def test_it_clusters_a_busy_viewport_by_public_position(
    client: Client, categories: dict[str, Category], few_points: int
) -> None:
    reports = [make(categories["garbage"], lat, lon) for lat, lon in SPOTS]
    reports += [make(categories["crime"], lat + 0.0002, lon) for lat, lon in SPOTS[:4]]
    bbox = (100.0, -0.01, 100.01, 0.0)
    answer = feed(client, in_bbox=",".join(map(str, bbox)))
    assert answer["clustered"] is True
    assert answer["total"] == len(reports)
    cell = report_feed.cell_size_deg(bbox)
    assert answer["cell_deg"] == cell
    # An independent count: each report's public (lat, lon), binned by floor(x / cell).
    expected: Counter[tuple[int, int]] = Counter()
    for report in Report.objects.filter(pk__in=[r.pk for r in reports]):
        lat, lon = queries.public_lat_lon(report)
        expected[(math.floor(lon / cell), math.floor(lat / cell))] += 1
    got = {}
    for feature in answer["features"]:
        props = feature["properties"]
        assert props["cluster"] is True
        assert set(props) == {"cluster", "count", "open", "bbox"}
        lon, lat = feature["geometry"]["coordinates"]
        west, south, east, north = props["bbox"]
        assert west <= lon <= east and south <= lat <= north
        got[(math.floor(west / cell), math.floor(south / cell))] = props["count"]
        assert props["open"] == props["count"]
    assert got == dict(expected)


def test_it_counts_a_sensitive_report_in_the_cell_of_its_public_position(
    client: Client, categories: dict[str, Category], few_points: int
) -> None:
    bbox = (100.0, -0.01, 100.01, 0.0)
    cell = report_feed.cell_size_deg(bbox)
    # A true point whose snapped (public) longitude falls in the next cell east.
    lon = next(
        x
        for x in (100.001 + i * 0.00001 for i in range(1000))
        if math.floor(x / cell) != math.floor(geo.snap_to_grid(-0.005, x)[1] / cell)
    )
    crime = make(categories["crime"], -0.005, lon)
    for _ in range(6):  # one busy spot far from it, so the viewport is clustered
        make(categories["garbage"], -0.0085, 100.0085)
    answer = feed(client, in_bbox=",".join(map(str, bbox)))
    assert answer["clustered"] is True
    public_lat, public_lon = queries.public_lat_lon(crime)
    alone = [f for f in answer["features"] if f["properties"]["count"] == 1]
    assert len(alone) == 1
    assert alone[0]["geometry"]["coordinates"] == [public_lon, public_lat]
    assert alone[0]["properties"]["bbox"] == [public_lon, public_lat, public_lon, public_lat]
    assert alone[0]["id"].endswith(
        f":{math.floor(public_lon / cell)}:{math.floor(public_lat / cell)}"
    )
    text = json.dumps(answer)
    assert str(round(lon, 5)) not in text


def test_it_filters_the_viewport_by_public_position_never_the_true_point(
    client: Client, categories: dict[str, Category]
) -> None:
    """A box around the true point of a sensitive report, missing its cell centre, finds nothing:
    shrinking boxes cannot locate it more finely than the map shows it."""
    crime = make(categories["crime"], -0.00537, 100.00537)
    public_lat, public_lon = queries.public_lat_lon(crime)
    assert (public_lat, public_lon) == (-0.005, 100.005)
    around_true_point = "100.0053,-0.0054,100.0054,-0.0053"
    assert feed(client, in_bbox=around_true_point)["features"] == []
    around_public = "100.0049,-0.0051,100.0051,-0.0049"
    [feature] = feed(client, in_bbox=around_public)["features"]
    assert feature["id"] == crime.tracking_code


@pytest.mark.parametrize(
    "bbox",
    [
        "",
        "1,2,3",
        "1,2,3,4,5",
        "a,b,c,d",
        "nan,0,1,1",
        "0,0,inf,1",
        "-inf,0,1,1",
        "1e400,0,1,1",
        "10,0,5,1",
        "0,5,1,5",
        "-181,0,1,1",
        "0,-91,1,1",
        "0,0,1,91",
        "0x1,0,1,1",
        "1,,2,3",
        " , , , ",
        "1" * 200 + ",0,1,1",
        "0,0,1,1;DROP TABLE reports_report",
    ],
)
def test_it_refuses_a_bad_bbox(client: Client, categories: dict[str, Category], bbox: str) -> None:
    answer = client.get(FEED, {"in_bbox": bbox} if bbox else {"in_bbox": ","})
    assert answer.status_code == 400
    [problem] = answer.json()["errors"]
    assert problem["field"] == "in_bbox"
    assert problem["code"] == "invalid"
    assert problem["message"] and problem["message_en"]


def test_it_answers_a_whole_world_bbox_as_clusters_within_the_size_budget(
    client: Client, categories: dict[str, Category], few_points: int
) -> None:
    for lat, lon in SPOTS:
        make(categories["garbage"], lat, lon)
    answer = client.get(FEED, {"in_bbox": "-180,-90,180,90"})
    assert answer.status_code == 200
    assert answer.json()["total"] == len(SPOTS)
    assert len(answer.content) < 200_000


@pytest.mark.parametrize(
    "bbox",
    [
        (100.0, -0.01, 100.01, 0.0),
        (-180.0, -90.0, 180.0, 90.0),
        (100.3, -0.33, 100.41, -0.26),
        (100.36912, -0.30501, 100.36913, -0.30500),
        (0.0, 0.0, 1e-9, 1e-9),
    ],
)
def test_it_keeps_the_cells_of_any_viewport_few(bbox: tuple[float, float, float, float]) -> None:
    """At most about CELLS_ACROSS cells each way, so clusters stay far below 200 KB."""
    cell = report_feed.cell_size_deg(bbox)
    west, south, east, north = report_feed.round_out(bbox, cell)
    assert west <= bbox[0] and south <= bbox[1] and east >= bbox[2] and north >= bbox[3]
    across = round((east - west) / cell) * round((north - south) / cell)
    assert across <= (report_feed.CELLS_ACROSS + 2) ** 2
    assert cell >= report_feed.MIN_CELL_DEG


def test_it_answers_304_to_an_unchanged_viewport_and_200_after_a_change(
    client: Client, categories: dict[str, Category]
) -> None:
    make(categories["garbage"], -0.005, 100.005)
    first = client.get(FEED, {"in_bbox": "100.0,-0.01,100.01,0.0"})
    etag = first["ETag"]
    assert first["Cache-Control"] == f"public, max-age={report_feed.MAX_AGE_S}"
    again = client.get(FEED, {"in_bbox": "100.0,-0.01,100.01,0.0"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    weak = client.get(
        FEED, {"in_bbox": "100.0,-0.01,100.01,0.0"}, HTTP_IF_NONE_MATCH=f'"other", W/{etag}'
    )
    assert weak.status_code == 304
    make(categories["garbage"], -0.006, 100.006)
    changed = client.get(FEED, {"in_bbox": "100.0,-0.01,100.01,0.0"}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert len(changed.json()["features"]) == 2


def test_it_sees_a_status_change_and_a_category_made_sensitive(
    client: Client, categories: dict[str, Category]
) -> None:
    report = make(categories["garbage"], -0.00537, 100.00537)
    assert feed(client)["features"][0]["properties"]["open"] is True
    actions.change_status(report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    assert feed(client)["features"][0]["properties"]["open"] is False
    Category.objects.filter(pk=categories["garbage"].pk).update(sensitive=True)
    report_feed.data_version.forget()  # an update() sends no signal; other processes: 1 s
    assert feed(client)["features"][0]["geometry"]["coordinates"] == [100.005, -0.005]


def test_it_serves_a_repeated_viewport_from_the_cache_without_queries(
    client: Client, categories: dict[str, Category]
) -> None:
    make(categories["garbage"], -0.005, 100.005)
    first = client.get(FEED, {"in_bbox": "100.0,-0.01,100.01,0.0"})
    with CaptureQueriesContext(connection) as queries_run:
        # A small pan inside the same cells: the same rounded viewport.
        second = client.get(FEED, {"in_bbox": "100.0001,-0.0099,100.0099,-0.0001"})
    assert second.status_code == 200
    assert second.content == first.content
    assert len(queries_run) == 0


def test_it_sends_a_gzipped_copy_when_asked(
    client: Client, categories: dict[str, Category]
) -> None:
    for lat, lon in SPOTS:
        make(categories["garbage"], lat, lon)
    plain = client.get(FEED)
    packed = client.get(FEED, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in packed["Vary"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"category": "crime"},
        {"category": "nothing-like-it"},
        {"status": "open"},
        {"status": "resolved"},
        {"kelurahan": "99.01.01.1001"},
        {"kelurahan": "99.01.02.1002"},
        {"days": "1"},
        {"in_bbox": "100.0,-0.02,100.01,-0.005"},
        {"category": "garbage", "status": "open", "in_bbox": "100.0,-0.02,100.02,0.0"},
    ],
)
def test_it_counts_in_clusters_what_the_live_points_show(
    client: Client,
    categories: dict[str, Category],
    monkeypatch: pytest.MonkeyPatch,
    params: dict[str, str],
) -> None:
    """The in-memory clusters select the same reports as the database query of the points."""
    for i, (lat, lon) in enumerate(SPOTS):
        category = categories["crime" if i % 3 == 0 else "garbage"]
        make(category, lat - 0.01 * (i % 2), lon + 0.01 * (i % 4 // 2))
    old = make(categories["garbage"], -0.015, 100.015)
    Report.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(days=3))
    done = make(categories["garbage"], -0.004, 100.004)
    actions.change_status(done, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    points = feed(client, **params)
    assert points["clustered"] is False
    monkeypatch.setattr(report_feed, "POINTS_LIMIT", 0)
    caches[report_feed.CACHE_ALIAS].clear()
    counted = feed(client, **params)
    if not points["features"]:
        assert counted["features"] == []
        return
    assert counted["clustered"] is True
    assert counted["total"] == len(points["features"])
    opened = sum(f["properties"]["open"] for f in points["features"])
    assert sum(f["properties"]["open"] for f in counted["features"]) == opened


def test_it_brings_a_snapshot_up_to_date_like_a_full_read(
    categories: dict[str, Category],
) -> None:
    """Reading only what changed (new reports, reports with a new event) gives the same
    columns as reading everything again."""
    first = make(categories["garbage"], -0.005, 100.005)
    rejected = make(categories["crime"], -0.00537, 100.00537)
    make(categories["garbage"], -0.015, 100.015)
    snapshot = clusters.Snapshot.read(map_queries.map_data_version())
    make(categories["crime"], -0.0151, 100.0152)
    actions.change_status(first, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    actions.change_status(rejected, Report.Status.REJECTED, actor=ReportEvent.Actor.STAFF)
    version = map_queries.map_data_version()
    updated, full = snapshot.updated(version), clusters.Snapshot.read(version)
    assert updated.version == full.version == version
    assert len(full.report_id) == 3
    in_order_updated, in_order_full = np.argsort(updated.report_id), np.argsort(full.report_id)
    for name in clusters.COLUMNS:
        assert getattr(updated, name)[in_order_updated].tolist() == (
            getattr(full, name)[in_order_full].tolist()
        ), name


def test_it_brings_a_snapshot_up_to_date_when_only_new_reports_came(
    categories: dict[str, Category],
) -> None:
    """New reports and no event on an older one: nothing to read again (it answered 500 under
    load, from a query over no ids)."""
    make(categories["garbage"], -0.005, 100.005)
    snapshot = clusters.Snapshot.read(map_queries.map_data_version())
    Report.objects.all().update(created_at=Report.objects.get().created_at)  # no event made
    newer = make(categories["garbage"], -0.015, 100.015)
    ReportEvent.objects.filter(report=newer).delete()  # only the new report moves the version
    version = map_queries.map_data_version()

    updated = snapshot.updated(version)

    assert sorted(updated.report_id.tolist()) == sorted(Report.objects.values_list("pk", flat=True))
    assert len(map_queries.map_public_rows(days=30, ids=[]).report_id) == 0


def test_it_reads_a_whole_snapshot_rarely_and_updates_it_in_between(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    gate = threading.Event()

    def version(n: int) -> map_queries.DataVersion:
        return map_queries.DataVersion(n, n, 0, "c")

    def fake(v: map_queries.DataVersion, read_at: float) -> clusters.Snapshot:
        empty = np.zeros(0)
        columns = dict.fromkeys(clusters.COLUMNS, empty)
        return clusters.Snapshot(
            version=v, read_at=read_at, category_ids={}, kelurahan_ids={}, **columns
        )

    def read(v: map_queries.DataVersion) -> clusters.Snapshot:
        calls.append(f"read {v.report_id}")
        if len(calls) > 1:
            gate.wait(5)
        return fake(v, time.monotonic())

    def updated(self: clusters.Snapshot, v: map_queries.DataVersion) -> clusters.Snapshot:
        calls.append(f"update {v.report_id}")
        return fake(v, self.read_at)

    monkeypatch.setattr(clusters.Snapshot, "read", staticmethod(read))
    monkeypatch.setattr(clusters.Snapshot, "updated", updated)
    monkeypatch.setattr(clusters, "REFRESH_IN_BACKGROUND", True)
    monkeypatch.setattr(clusters, "MIN_REFRESH_INTERVAL_S", 3600.0)
    snapshots = clusters.Snapshots()
    assert snapshots.get(version(1)).version == version(1)  # the first read: whole, at once
    assert snapshots.get(version(2)).version == version(1)  # updated at most once an interval
    monkeypatch.setattr(clusters, "MIN_REFRESH_INTERVAL_S", 0.0)
    assert snapshots.get(version(2)).version == version(2)  # then only what changed
    assert calls == ["read 1", "update 2"]
    monkeypatch.setattr(clusters, "FULL_READ_S", 0.0)
    assert snapshots.get(version(3)).version == version(3)  # updated now, read whole behind
    assert snapshots.get(version(4)).version == version(4)  # one background read at a time
    gate.set()
    deadline = time.monotonic() + 5
    while calls.count("read 3") == 0 or snapshots.version() != str(version(3)):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert calls.count("read 3") == 1 and "read 4" not in calls


def test_it_reads_no_polygon_for_the_map_page_or_the_feed(
    client: Client, categories: dict[str, Category]
) -> None:
    """Kelurahan names and codes only: the boundary polygons are heavy and never shown."""
    make(categories["garbage"], -0.005, 100.005)
    with CaptureQueriesContext(connection) as page_queries:
        assert client.get("/peta/").status_code == 200
        assert feed(client, in_bbox="100.0,-0.01,100.01,0.0")["features"]
    sql = " ".join(q["sql"] for q in page_queries.captured_queries)
    assert "boundaries_kelurahan" in sql
    for polygon in ('"boundary"', '"label_point"'):
        assert polygon not in sql
