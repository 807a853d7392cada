"""/peta/ with a busy viewport: server-side clusters drawn as count bubbles that zoom in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from pytest_django.live_server_helper import LiveServer

from geo_klik.boundaries.models import Kelurahan
from geo_klik.dispatch.actions import routes, seeding
from geo_klik.maps import clusters, report_feed
from geo_klik.reports import actions
from geo_klik.reports.models import Category
from tests.browser.fixtures import OfflinePage

pytestmark = [pytest.mark.browser]

GROUPS = ("Tarok Dipo", "Aur Kuning", "Campago Ipuh")
PER_GROUP = 4


@pytest.fixture
def seeded(bukittinggi: Any) -> dict[str, int]:
    return seeding.seed_reference_data()


@pytest.fixture
def busy_city(seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """Three groups of four reports far apart; more than five in view make clusters."""
    monkeypatch.setattr(routes, "enqueue_routing", lambda ids: 0)
    monkeypatch.setattr(report_feed, "POINTS_LIMIT", PER_GROUP + 1)
    caches[report_feed.CACHE_ALIAS].clear()
    clusters.snapshots.forget()
    report_feed.city_extent.forget()
    garbage = Category.objects.get(code="garbage")
    for name in GROUPS:
        label = Kelurahan.objects.get(name=name).label_point
        assert label is not None
        for i in range(PER_GROUP):
            actions.create_report(
                category=garbage,
                lat=label.y + 0.00005 * i,
                lon=label.x + 0.00005 * i,
                description="Sampah",
                reporter_name="Siti Rahmawati",
            )


def map_zoom(offline_page: OfflinePage) -> float:
    name = offline_page.page.get_attribute("[data-map]", "data-map")
    return float(offline_page.page.evaluate(f"() => window['{name}'].getZoom()"))


@pytest.mark.usefixtures("busy_city")
def test_it_draws_count_bubbles_that_zoom_in_to_the_reports(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    feeds: list[Any] = []
    page.on(
        "response",
        lambda r: feeds.append(r.json()) if "/api/map/reports.geojson" in r.url else None,
    )
    page.goto(live_server.url + "/peta/")
    total = len(GROUPS) * PER_GROUP
    page.get_by_text(f"{total} laporan ditampilkan").wait_for()
    page.wait_for_selector("[data-clustered=true]")
    bubbles = page.locator(".report-cluster")
    assert bubbles.count() >= 2
    counts = sorted(int(t) for t in bubbles.all_inner_texts())
    assert sum(counts) == total
    assert "Siti" not in str(feeds[-1])
    page.screenshot(path=str(artifacts_dir / "peta_clusters_1280x800.png"))

    before = map_zoom(offline_page)
    # The smallest bubble (one group at most): clicking it zooms in until its reports come as
    # points again (drawn as pins, or grouped in the browser by Leaflet.markercluster).
    texts = bubbles.all_inner_texts()
    bubbles.nth(texts.index(str(counts[0]))).click()
    page.wait_for_selector("[data-clustered=false]")
    assert map_zoom(offline_page) > before
    page.wait_for_selector(".report-pin, .marker-cluster")
    assert feeds[-1]["clustered"] is False
    assert 1 <= len(feeds[-1]["features"]) <= PER_GROUP + 1
    assert offline_page.unexpected_console_errors() == []
    assert offline_page.page_errors == []
