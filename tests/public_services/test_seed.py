"""seed_public_services: counts on the real boundaries, idempotence, an empty database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from geo_klik.boundaries import importer
from geo_klik.lib import geo
from geo_klik.public_services.models import Office, Requirement, Service


def run() -> str:
    out = StringIO()
    call_command("seed_public_services", stdout=out)
    return out.getvalue()


def test_it_seeds_an_office_per_kelurahan_and_kecamatan_of_bukittinggi(
    bukittinggi: importer.ImportReport,
) -> None:
    output = run()
    lurah = Office.objects.filter(kind=Office.Kind.KANTOR_LURAH)
    assert lurah.count() == 24 and lurah.values("kelurahan").distinct().count() == 24
    assert Office.objects.filter(kind=Office.Kind.KANTOR_CAMAT).count() == 3
    assert Office.objects.filter(kind=Office.Kind.PUSKESMAS).count() == 7
    assert set(Office.objects.values_list("kind", flat=True)) >= {"mpp", "dukcapil"}
    assert not Office.objects.filter(location_approximate=False).exists()
    for office in lurah.select_related("kelurahan"):
        assert office.kelurahan is not None
        assert office.kelurahan.boundary.covers(office.location), office.name
    for office in Office.objects.filter(kind__in=["kantor_camat", "puskesmas"]):
        owner = office.kecamatan or office.kelurahan
        assert owner is not None and owner.boundary.covers(office.location), office.name
    tigo_baleh = Office.objects.get(slug="puskesmas-tigo-baleh")
    assert tigo_baleh.service_area.count() == 8
    assert "kantor lurah: 24 created" in output


def test_it_seeds_at_least_15_unverified_services_each_with_documents(
    bukittinggi: importer.ImportReport,
) -> None:
    run()
    services = Service.objects.all()
    assert services.count() >= 15
    for service in services:
        assert service.requirements.exists(), service.slug
        assert service.last_verified is None and service.verify_note_id and service.verify_note_en
        assert service.legal_basis and service.apply_at_kinds
    population = services.filter(topic=Service.Topic.POPULATION)
    assert population.count() >= 8 and set(population.values_list("fee_rp", flat=True)) == {0}
    assert all("79A" in s.fee_note_id for s in population)


def test_it_is_idempotent_and_keeps_what_an_admin_changed(
    bukittinggi: importer.ImportReport,
) -> None:
    run()
    counts = (Office.objects.count(), Service.objects.count(), Requirement.objects.count())
    office = Office.objects.get(slug="kantor-lurah-birugo")
    office.location = geo.point(-0.3185, 100.3760)
    office.location_approximate = False
    office.save()
    Requirement.objects.filter(service__slug="ktp-el-baru").first().delete()  # type: ignore[union-attr]
    output = run()
    assert "kantor lurah: 0 created, 24 existing" in output
    assert "services: 0 created" in output
    assert (Office.objects.count(), Service.objects.count()) == counts[:2]
    assert Requirement.objects.count() == counts[2] - 1
    office.refresh_from_db()
    assert office.location_approximate is False and office.location.x == pytest.approx(100.376)


def test_it_seeds_services_without_boundaries_and_says_what_it_skipped(db: None) -> None:
    output = run()
    assert "No kelurahan boundaries loaded" in output
    assert Service.objects.count() >= 15
    assert not Office.objects.filter(kind__in=["kantor_lurah", "kantor_camat", "puskesmas"])
    assert Office.objects.filter(kind="dukcapil").count() == 1
