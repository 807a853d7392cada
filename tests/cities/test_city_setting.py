"""GEO_KLIK_CITY: a kab/kota Kemendagri code, or a clear bilingual refusal."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from geo_klik.boundaries import cities
from geo_klik.boundaries.models import Kota


def test_it_knows_the_cities_of_west_sumatra_by_code() -> None:
    assert cities.find("13.76").name == "Kota Payakumbuh"
    assert cities.find("13.75").short_name == "Bukittinggi"
    agam = cities.find("13.06")
    assert agam.is_kabupaten and agam.province == "Sumatera Barat" and agam.slug == "agam"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("", "is invalid"),
        ("   ", "is invalid"),
        ("13.7x", "is not a kab/kota code"),
        ("13.75\x00", "is invalid"),
        ("13\x0075", "is invalid"),
        ("1" * 10_000, "is invalid"),
        ("13.75.01", "is not a kab/kota code"),
        ("../13.75", "is not a kab/kota code"),
        ("13", "a whole province on one deployment is not built yet"),
        ("13.75,13.76", "is not built yet"),
        ("13.99", "no kab/kota has this code"),
        ("١٣.٧٥", "is not a kab/kota code"),  # Arabic-Indic digits are not a code
    ],
)
def test_it_refuses_hostile_values_clearly_in_both_languages(raw: str, says: str) -> None:
    with pytest.raises(cities.CityError) as refused:
        cities.find(cities.parse_code(raw))
    assert says in refused.value.message_en
    assert "GEO_KLIK_CITY" in refused.value.message_id
    assert "\x00" not in refused.value.message_en  # shown with repr, never raw


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["13.7x", "13", "13.99", "13.75\x00"])
def test_provisioning_stops_with_the_message_and_writes_nothing(raw: str) -> None:
    with override_settings(GEO_KLIK_CITY=raw), pytest.raises(CommandError) as refused:
        call_command("provision_data")
    assert "GEO_KLIK_CITY" in str(refused.value)
    assert not Kota.objects.exists()


@pytest.mark.django_db
def test_it_refuses_to_mix_another_city_into_a_database_that_serves_one(
    bukittinggi: object,
) -> None:
    payakumbuh = cities.find("13.76")
    with pytest.raises(cities.CityError) as refused:
        cities.check_database(payakumbuh)
    assert "Kota Bukittinggi (13.75)" in refused.value.message_en
    assert "not mixed" in refused.value.message_en and "tidak dicampur" in refused.value.message_id
    cities.check_database(cities.find("13.75"))  # the city it serves is fine
    with override_settings(GEO_KLIK_CITY="13.76"), pytest.raises(CommandError):
        call_command("provision_data")
    assert list(Kota.objects.values_list("code_kemendagri", flat=True)) == ["13.75"]


@pytest.mark.django_db
def test_the_boundary_commands_load_the_configured_city_s_layer_only(bukittinggi: object) -> None:
    from geo_klik.boundaries import importer

    with override_settings(GEO_KLIK_CITY="13.76"):
        assert importer.layer_path("auto").parts[-2:] == ("13.76", "kelurahan.geojson")
        with pytest.raises(cities.CityError) as refused:
            importer.layer_path("shipped")
        assert "not Kota Payakumbuh's" in refused.value.message_en
        with pytest.raises(CommandError) as mixed:
            call_command("switch_boundaries")  # a dry run would still mix: refused first
        assert "not mixed" in str(mixed.value)
    assert list(Kota.objects.values_list("code_kemendagri", flat=True)) == ["13.75"]
