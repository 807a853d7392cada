"""A sensitive report's exact position cannot be recovered from any public output."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from django.test import Client

from geo_klik.control import serializers as staff_serializers
from geo_klik.lib import geo
from geo_klik.reports import actions, queries
from geo_klik.reports.models import Category, Report
from tests.reports.conftest import TINY_LAT, TINY_LON

# Metres per degree near the equator (the tiny city lies at 0.005° S).
M_PER_DEG = 111_320.0
# A true point 0.00035° north and east of its grid cell's centre: about 55 m from it.
CELL_LAT, CELL_LON = geo.snap_to_grid(TINY_LAT, TINY_LON)
TRUE_LAT, TRUE_LON = CELL_LAT + 0.00035, CELL_LON + 0.00035


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (a[0] - b[0]) * M_PER_DEG
    dx = (a[1] - b[1]) * M_PER_DEG * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


@pytest.fixture
def crime(categories: dict[str, Category]) -> Report:
    made, _ = actions.create_report(
        category=categories["crime"], lat=TRUE_LAT, lon=TRUE_LON, description="Pencurian"
    )
    return made


def probe(client: Client, lat: float, lon: float) -> float:
    answer = client.get(
        "/api/reports/nearby/", {"category": "crime", "lat": str(lat), "lon": str(lon)}
    )
    assert answer.status_code == 200, answer.content
    [found] = answer.json()["reports"]
    return float(found["distance_m"])


def trilaterate(probes: list[tuple[float, float, float]], start: tuple[float, float]) -> Any:
    """Least squares (Gauss-Newton) for the point whose distances best fit the probes."""
    cos_lat = math.cos(math.radians(start[0]))
    xy = np.array(
        [
            ((lon - start[1]) * M_PER_DEG * cos_lat, (lat - start[0]) * M_PER_DEG)
            for lat, lon, _ in probes
        ]
    )
    d = np.array([r for _, _, r in probes])
    guess = np.zeros(2)
    for _ in range(50):
        diff = guess - xy
        ranges = np.maximum(np.hypot(diff[:, 0], diff[:, 1]), 1e-9)
        jacobian = diff / ranges[:, None]
        step, *_ = np.linalg.lstsq(jacobian, d - ranges, rcond=None)
        guess = guess + step
    return (start[0] + guess[1] / M_PER_DEG, start[1] + guess[0] / (M_PER_DEG * cos_lat))


def test_it_defeats_a_trilateration_attack_of_20_nearby_probes(
    client: Client, crime: Report
) -> None:
    public = queries.public_lat_lon(crime)
    probes = []
    for i in range(20):
        angle = 2 * math.pi * i / 20
        radius_deg = 0.0008 + 0.0004 * (i % 3)  # 90 to 180 m from the public point
        lat = public[0] + radius_deg * math.sin(angle)
        lon = public[1] + radius_deg * math.cos(angle)
        probes.append((lat, lon, probe(client, lat, lon)))
    recovered = trilaterate(probes, public)
    true = (TRUE_LAT, TRUE_LON)
    coarsening_m = metres(true, (CELL_LAT, CELL_LON))
    assert coarsening_m > 50
    # The attack finds the cell's centre (the public point) and nothing closer to the truth.
    assert metres(recovered, (CELL_LAT, CELL_LON)) < 3
    assert metres(recovered, true) > coarsening_m - 3


def test_it_orders_and_filters_nearby_by_the_public_position(client: Client, crime: Report) -> None:
    # 240 m from the cell centre but about 290 m from the true point: found, at 240 m.
    lat = CELL_LAT - 240 / M_PER_DEG
    answer = client.get(
        "/api/reports/nearby/", {"category": "crime", "lat": str(lat), "lon": str(CELL_LON)}
    )
    [found] = answer.json()["reports"]
    assert found["distance_m"] == pytest.approx(240, abs=2)


def test_it_shows_the_cell_centre_on_the_tracking_page_api_and_map_feed(
    client: Client, crime: Report
) -> None:
    view = client.get(f"/api/reports/{crime.tracking_code}/").json()
    assert (view["location"]["lat"], view["location"]["lon"]) == pytest.approx(
        (CELL_LAT, CELL_LON), abs=1e-9
    )
    feed = client.get("/api/map/reports.geojson").json()
    [feature] = [f for f in feed["features"] if f["id"] == crime.tracking_code]
    assert feature["geometry"]["coordinates"] == pytest.approx([CELL_LON, CELL_LAT], abs=1e-9)
    page = client.get(f"/lacak/{crime.tracking_code}/").content.decode()
    assert f"{TRUE_LAT:.5f}" not in page and f"{TRUE_LON:.5f}" not in page


def test_it_gives_open311_the_cell_centre(client: Client, crime: Report) -> None:
    answer = client.get("/open311/v2/requests.json", {"service_request_id": crime.tracking_code})
    [request] = answer.json()
    assert (request["lat"], request["long"]) == pytest.approx((CELL_LAT, CELL_LON), abs=1e-9)


def test_it_covers_a_category_made_sensitive_later(
    client: Client, categories: dict[str, Category]
) -> None:
    report, _ = actions.create_report(
        category=categories["garbage"], lat=TRUE_LAT, lon=TRUE_LON, description="Sampah"
    )
    Category.objects.filter(pk=categories["garbage"].pk).update(sensitive=True)
    answer = client.get(
        "/api/reports/nearby/",
        {"category": "garbage", "lat": str(CELL_LAT), "lon": str(CELL_LON)},
    )
    [found] = answer.json()["reports"]
    assert found["tracking_code"] == report.tracking_code
    assert found["distance_m"] == 0


def test_it_keeps_the_exact_point_for_staff(crime: Report) -> None:
    report = Report.objects.select_related("category", "kelurahan").get(pk=crime.pk)
    row = staff_serializers.queue_row(report)
    assert (row["lat"], row["lon"]) == pytest.approx((TRUE_LAT, TRUE_LON), abs=1e-9)


def test_it_snaps_to_the_same_cell_in_python_and_in_postgis(
    categories: dict[str, Category],
) -> None:
    # Random points, and points on the boundary between two cells (the hostile ties).
    rng = np.random.default_rng(12)
    points = [(TINY_LAT + a, TINY_LON + b) for a, b in rng.uniform(-0.004, 0.004, (30, 2))]
    points += [(-0.0045, 100.0055), (-0.0055, 100.0045), (-0.0035000001, 100.0064999999)]
    for lat, lon in points:
        actions.create_report(category=categories["crime"], lat=lat, lon=lon, description="x")
    rows = Report.objects.select_related("category").annotate(
        public_location=queries.public_location()
    )
    for report in rows:
        in_sql = geo.lat_lon(report.public_location)
        assert in_sql == pytest.approx(queries.public_lat_lon(report), abs=1e-9)
