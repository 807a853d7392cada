"""The four other service areas on the maps and in the search, in headless chromium (offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page
from pytest_django.live_server_helper import LiveServer

from geo_klik.boundaries.models import Kelurahan
from geo_klik.dispatch.actions import seeding
from geo_klik.public_services.models import Office, Service
from tests.browser.fixtures import OfflinePage

pytestmark = [pytest.mark.browser]


@pytest.fixture
def service_areas(bukittinggi: Any) -> None:
    """The real kelurahan with every area's seed: offices, services, places, demo businesses."""
    seeding.seed_reference_data()
    for command in ("seed_public_services", "seed_information", "seed_business", "seed_community"):
        call_command(command, verbosity=0)


def switch(page: Page, key: str) -> Locator:
    """The checkbox of a service layer in the map's layer control."""
    return page.locator(f'label:has(.svc-switch[data-layer="{key}"]) input')


def markers(page: Page, label: str) -> Locator:
    return page.locator(f'.svc-marker[title$="— {label}"]')


@pytest.mark.usefixtures("service_areas")
def test_every_layer_can_be_switched_on_the_public_map(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/peta/")
    offices = markers(page, "Kantor pelayanan publik")
    # Offices are on by default: every office of the seed is drawn, approximate ones dashed.
    office_count = Office.objects.filter(active=True).count()
    page.wait_for_function(
        "() => document.querySelectorAll("
        f"'.svc-marker[title$=\"— Kantor pelayanan publik\"]').length"
        f" === {office_count}"
    )
    assert page.locator(".svc-pin.approximate").count() >= 27

    businesses = markers(page, "Usaha (UMKM)")
    assert businesses.count() == 0
    switch(page, "businesses").check()
    page.wait_for_function(
        "() => document.querySelectorAll('.svc-marker[title$=\"— Usaha (UMKM)\"]').length >= 40"
    )

    # An office's popup leads to its page.
    lurah = Office.objects.filter(kind=Office.Kind.KANTOR_LURAH).order_by("name").first()
    assert lurah is not None
    page.locator(f'.svc-marker[title="{lurah.name} — Kantor pelayanan publik"]').click()
    link = page.locator(".leaflet-popup .svc-popup a")
    assert link.get_attribute("href") == f"/layanan/kantor/{lurah.slug}/"
    assert "Posisi perkiraan" in page.locator(".leaflet-popup").inner_text()
    page.screenshot(path=str(artifacts_dir / "service_layers_peta_1280x800.png"))

    # What is switched on is remembered on this phone.
    switch(page, "offices").uncheck()
    assert offices.count() == 0
    page.reload()
    page.wait_for_function(
        "() => document.querySelectorAll('.svc-marker[title$=\"— Usaha (UMKM)\"]').length >= 40"
    )
    assert offices.count() == 0
    assert switch(page, "offices").is_checked() is False

    # Every registered layer is in the control, and each loads without an error.
    for key in page.eval_on_selector_all(".svc-switch", "els => els.map(e => e.dataset.layer)"):
        switch(page, key).check()
    page.wait_for_timeout(1500)
    assert page.locator(".svc-status").inner_text() == ""
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(artifacts_dir / "service_layers_peta_360x740.png"))
    assert offline_page.page_errors == []
    assert offline_page.unexpected_console_errors() == []


@pytest.mark.usefixtures("service_areas")
def test_a_resident_finds_the_documents_and_the_office_for_a_service(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/cari/")
    page.get_by_label("Apa yang Anda cari?").fill("akta kelahiran")
    page.get_by_role("button", name="Cari", exact=True).click()
    service = Service.objects.get(name_id__icontains="akta kelahiran")
    page.locator(f'a[href="/layanan/{service.slug}/"]').first.click()
    page.wait_for_url(f"**/layanan/{service.slug}/")
    text = page.locator("main").inner_text()
    for requirement in service.requirements.all():
        assert requirement.name_id in text
    page.screenshot(path=str(artifacts_dir / "service_detail_360x740.png"), full_page=True)

    # "Which office serves my address?" without a position: choose the kelurahan.
    kelurahan = Kelurahan.objects.select_related("kecamatan").get(name="Tarok Dipo")
    page.goto(live_server.url + "/layanan/kantor-saya/")
    page.locator("#kelurahan").select_option(kelurahan.code_kemendagri)
    page.get_by_role("button", name="Tampilkan").click()
    text = page.locator("main").inner_text()
    assert "Kantor Lurah Tarok Dipo" in text
    assert f"Kantor Camat {kelurahan.kecamatan.name}" in text
    page.screenshot(path=str(artifacts_dir / "which_office_360x740.png"), full_page=True)
    assert offline_page.page_errors == []


@pytest.mark.usefixtures("service_areas")
def test_no_resident_page_is_wider_than_a_phone(
    offline_page: OfflinePage, live_server: LiveServer
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/lapor/", "/peta/", "/cari/", "/layanan/", "/info/", "/usaha/", "/komunitas/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


@pytest.mark.usefixtures("service_areas")
def test_the_control_room_map_switches_the_service_areas_too(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    from geo_klik.accounts import actions as account_actions
    from geo_klik.accounts import roles

    account_actions.create_staff_user(
        "operator-x", role=roles.OPERATOR, password="a long password 1"
    )
    page = offline_page.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(live_server.url + "/akun/masuk/?next=/control/")
    page.fill("#id_username", "operator-x")
    page.fill("#id_password", "a long password 1")
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url("**/control/")
    # The console's own overlays (reports, units, kelurahan) and every service layer.
    assert switch(page, "offices").count() == 1
    assert page.locator(".svc-marker").count() == 0  # incidents first: the areas start off
    switch(page, "offices").check()
    page.wait_for_function(
        "() => document.querySelectorAll("
        "'.svc-marker[title$=\"— Kantor pelayanan publik\"]').length"
        f" === {Office.objects.filter(active=True).count()}"
    )
    page.screenshot(path=str(artifacts_dir / "control_service_layers_1920x1080.png"))
    assert offline_page.page_errors == []


@pytest.mark.usefixtures("service_areas")
def test_a_service_checklist_once_opened_stays_readable_offline(
    offline_page: OfflinePage, live_server: LiveServer, artifacts_dir: Path
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    service = Service.objects.get(slug="akta-kelahiran")
    url = f"{live_server.url}/layanan/{service.slug}/"
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()  # now through the service worker, which keeps a copy

    page.context.set_offline(True)
    page.goto(url)
    text = page.locator("main").inner_text()
    for requirement in service.requirements.all():
        assert requirement.name_id in text
    page.screenshot(path=str(artifacts_dir / "service_detail_offline_360x740.png"))
    page.context.set_offline(False)


def test_personal_pages_are_never_stored_offline(client: Any, db: None) -> None:
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("warga2", password="a long password 1"))
    assert "no-store" in client.get("/usaha/saya/")["Cache-Control"]
    body = client.get("/sw.js").content.decode()
    assert "no-store" in body  # the worker skips what the server marks no-store
