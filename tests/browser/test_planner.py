"""The planner dashboard and the public transparency page in headless chromium, over a demo
history written by seed_demo on the tiny city."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from geo_klik.analytics import actions
from geo_klik.reports.models import Report
from tests.browser.fixtures import OfflinePage
from tests.dispatch.conftest import (  # noqa: F401  (the fixtures the personas build on)
    categories,
    command_center,
    make_agency,
    make_jurisdiction,
    make_report,
    zones,
)
from tests.personas import BARAT, PASSWORD, Personas

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("categories"),
]

DEMO_REPORTS = 3000
LAPTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=360, height=740)
# Where a kelurahan of the choropleth is on screen, and its figures (folium's globals).
KELURAHAN_ON_SCREEN_JS = """name => {
  const key = Object.keys(window).find(k => k.startsWith("geo_json_") && window[k].getLayers);
  const layer = window[key].getLayers().find(l => l.feature.properties.name === name);
  const map = window[key]._map;
  const point = map.latLngToContainerPoint(layer.getCenter());
  const box = map.getContainer().getBoundingClientRect();
  return {x: box.left + point.x, y: box.top + point.y, reports: layer.feature.properties.reports};
}"""


@pytest.fixture
def demo_history(personas: Personas) -> None:
    """A few thousand demo reports over 120 days (seed_demo refreshes the figures)."""
    call_command("seed_demo", reports=DEMO_REPORTS, days=120, verbosity=0, stdout=io.StringIO())


def log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(live_server.url + "/akun/masuk/?next=/planner/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url(live_server.url + "/planner/")


def summary_total(page: Page) -> int:
    return int(page.locator("section.panel >> nth=0 >> strong").inner_text())


def agencies_shown(page: Page) -> list[str]:
    return [row.inner_text() for row in page.locator("table.skpd tr.agency th").all()]


def charts_drawn(page: Page) -> list[int]:
    """How many data sets each Chart.js chart drew (trend, distribution)."""
    counts: list[int] = page.evaluate(
        """["trend-chart", "distribution-chart"].map(id => {
             const chart = Chart.getChart(id);
             return chart ? chart.data.datasets.length : 0;
           })"""
    )
    return counts


def test_a_planner_reads_the_dashboard_and_filters_it(
    offline_page: OfflinePage,
    live_server: LiveServer,
    personas: Personas,
    demo_history: None,
    artifacts_dir: Path,
) -> None:
    page = offline_page.page
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, personas.planner.get_username())

    # The heatmap of grid bins, the choropleth and the hotspots are on the map.
    page.wait_for_selector("canvas.leaflet-heatmap-layer", state="attached")
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() >= 4
    hotspot_rows = page.locator("table.hotspots tbody tr")
    assert hotspot_rows.count() >= 1
    assert "No hotspots" not in hotspot_rows.first.inner_text()
    assert page.locator("path[stroke='#6a3d9a']").count() == hotspot_rows.count()

    # Hovering a kelurahan shows its figures.
    spot = page.evaluate(KELURAHAN_ON_SCREEN_JS, "Barat Utara")
    page.mouse.move(spot["x"], spot["y"])
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "Barat Utara" in tooltip.inner_text()
    assert str(spot["reports"]) in tooltip.inner_text()
    assert spot["reports"] > 0

    # The weekly heatmap has a slider: moving it shows another week.
    page.check(".leaflet-control-layers-overlays label:has-text('Weekly heatmap') input")
    slider = page.locator(".weekly-heat input[type=range]")
    week_label = page.locator(".weekly-heat output")
    last_week = week_label.inner_text()
    slider.fill("0")
    assert week_label.inner_text() != last_week

    # The SKPD tables and their charts.
    assert page.locator("table.skpd tr.agency").count() >= 2
    assert all(n > 0 for n in charts_drawn(page))
    assert "2.2 %" in page.locator("#method-note").inner_text()
    page.screenshot(path=str(artifacts_dir / "planner_1280x800.png"))

    # One category: fewer reports, Dinas PUPR (road damage only) leaves the SKPD table, and
    # the exports carry the filter and hold exactly those reports.
    everything = summary_total(page)
    assert str(personas.pupr_agency) in agencies_shown(page)
    page.select_option("select[name=kategori]", "garbage")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**kategori=garbage**")
    filtered = summary_total(page)
    assert 0 < filtered < everything
    assert agencies_shown(page) == [str(personas.command_center)]  # it triages garbage
    for link in page.locator("p.exports a").all():
        query = parse_qs(urlparse(link.get_attribute("href") or "").query)
        assert query["kategori"] == ["garbage"]
        assert query["dari"] and query["sampai"]
    csv_href = page.locator("p.exports a", has_text="CSV").get_attribute("href") or ""
    exported = page.request.get(live_server.url + csv_href).text()
    assert len(exported.strip().splitlines()) - 1 == filtered  # header + one line a report

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("canvas.leaflet-heatmap-layer", state="attached")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts_dir / "planner_360x740.png"), full_page=True)
    assert offline_page.page_errors == []
    assert offline_page.unexpected_console_errors() == []


def test_a_visitor_reads_the_transparency_page_without_personal_data(
    offline_page: OfflinePage,
    live_server: LiveServer,
    personas: Personas,
    demo_history: None,
    routed_report: Any,
    artifacts_dir: Path,
) -> None:
    resident = routed_report(
        BARAT, "road_damage", reporter_name="Siti Rahma", reporter_phone="+62811000111"
    )
    Report.objects.filter(pk=resident.pk).update(description="Lubang di depan rumah Bu Siti")
    actions.refresh_facts()
    page = offline_page.page
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + "/transparansi/")
    page.wait_for_selector("canvas.leaflet-heatmap-layer", state="attached")
    assert page.locator("table.skpd tr.agency").count() >= 2
    assert all(n > 0 for n in charts_drawn(page))
    assert page.locator("table.hotspots tbody tr").count() >= 1
    html = page.content()
    for personal in ("Siti Rahma", "+62811000111", "Bu Siti", resident.tracking_code, "DEMO0"):
        assert personal not in html
    assert page.locator("a[href*='/planner/export/']").count() == 0
    page.screenshot(path=str(artifacts_dir / "transparansi_1280x800.png"))

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("table.skpd")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts_dir / "transparansi_360x740.png"), full_page=True)
    assert offline_page.page_errors == []
    assert offline_page.unexpected_console_errors() == []
