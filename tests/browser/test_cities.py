"""A city by its Kemendagri code (issue 18), in headless chromium: Payakumbuh's /lapor/ report
reaching the right SKPD, and a pin just outside Bukittinggi answered with its Agam nagari."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from geo_klik.boundaries import cities, importer, neighbours
from geo_klik.dispatch.actions import routes, seeding
from geo_klik.reports.models import Report
from tests.browser.fixtures import OfflinePage
from tests.browser.test_residents import drop_pin, fill_report

pytestmark = [pytest.mark.browser]

KOTO_GADANG = (-0.3222, 100.3445)  # Nagari Koto Gadang, Kabupaten Agam, west of Bukittinggi


@pytest.fixture
def payakumbuh(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """GEO_KLIK_CITY=13.76 with its boundaries and reference data, as provision_data loads."""
    monkeypatch.setattr(routes, "enqueue_routing", lambda ids: 0)  # routed by hand below
    with override_settings(GEO_KLIK_CITY="13.76"):
        cities.forget_served()
        choice = cities.layer_choice(cities.configured())
        assert importer.import_layer(choice.path, commit=True, repair=choice.repair).committed
        seeding.seed_reference_data()
        yield
    cities.forget_served()


@pytest.mark.usefixtures("payakumbuh")
def test_a_payakumbuh_report_from_the_report_page_reaches_dinas_pupr(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.goto(live_server.url + "/lapor/")
    page.wait_for_function("() => document.querySelectorAll('.kelurahan-label').length === 47")
    lat, lon = cities.served().centre or (0.0, 0.0)
    drop_pin(page, lat, lon)
    assert "Kelurahan" in page.locator("#pin-status").inner_text()
    fill_report(page, category="Jalan rusak", text="Jalan berlubang di depan sekolah")
    page.screenshot(path=str(artifacts_dir / "payakumbuh_lapor_1280x800.png"))
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lacak/*/?baru=1")
    report = Report.objects.get()
    assert report.address.endswith("Kota Payakumbuh")
    decision = routes.route_report(report.pk)
    assert decision is not None
    assert decision.assignments.get(role="primary").agency.code == "dinas-pupr"
    page.screenshot(path=str(artifacts_dir / "payakumbuh_lacak_1280x800.png"))
    assert offline_page.unexpected_console_errors() == []
    assert offline_page.page_errors == []


def test_a_pin_just_outside_bukittinggi_is_answered_with_its_agam_nagari(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path, bukittinggi: Any
) -> None:
    seeding.seed_reference_data()
    neighbours.load(cities.find("13.75"))
    page = offline_page.page
    page.goto(live_server.url + "/lapor/")
    page.wait_for_function("() => document.querySelectorAll('.kelurahan-label').length === 24")
    drop_pin(page, *KOTO_GADANG)
    status = page.locator("#pin-status")
    status.filter(has_text="Nagari Koto Gadang").wait_for()
    text = status.inner_text()
    assert "Nagari Koto Gadang, Kecamatan IV Koto, Kabupaten Agam" in text
    assert "di luar Kota Bukittinggi" in text and "Pemerintah Kabupaten Agam" in text
    page.screenshot(path=str(artifacts_dir / "lapor_outside_koto_gadang_1280x800.png"))
    fill_report(page)
    page.get_by_role("button", name="Kirim laporan").click()
    # Refused on the spot, before sending (the intake's own answer is tested in tests/cities).
    page.locator("#form-errors").filter(has_text="di luar").wait_for()
    assert not Report.objects.exists()
    # The lookup answers "outside" with its documented 404, which chromium logs as a failed load.
    others = [
        e for e in offline_page.unexpected_console_errors() if "/api/boundaries/lookup" not in e
    ]
    assert others == []
