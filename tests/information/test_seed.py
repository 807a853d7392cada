"""manage.py seed_information: 30 real places, example announcements, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from geo_klik.boundaries import queries as boundary_queries
from geo_klik.information import seed
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import geo

# Where each seeded place falls on the real kelurahan layer (positions are approximate, so
# this pins down the seed data as written, and catches a point typed in the wrong place).
EXPECTED_KELURAHAN = {
    "jam-gadang": "Benteng Pasar Atas",
    "benteng-fort-de-kock": "Benteng Pasar Atas",
    "janjang-40": "Benteng Pasar Atas",
    "pasar-atas": "Benteng Pasar Atas",
    "taman-marga-satwa-budaya-kinantan": "Kayu Kubu",
    "lobang-jepang": "Kayu Kubu",
    "pasar-aur-kuning": "Aur Kuning",
    "terminal-aur-kuning": "Aur Kuning",
    "uin-sjech-m-djamil-djambek": "Garegeh",
    "universitas-fort-de-kock": "Manggis Ganting",
}
OUTSIDE = {"ngarai-sianok", "janjang-koto-gadang"}
REQUIRED = {
    "jam-gadang", "lobang-jepang", "ngarai-sianok", "taman-panorama", "benteng-fort-de-kock",
    "jembatan-limpapeh", "taman-marga-satwa-budaya-kinantan", "rumah-kelahiran-bung-hatta",
    "museum-tridaya-eka-dharma", "janjang-koto-gadang", "janjang-40", "pasar-atas",
    "pasar-bawah", "pasar-aur-kuning", "pasar-banto", "pasar-lereng", "rsud-dr-achmad-mochtar",
    "rs-otak-m-hatta", "sma-negeri-1-bukittinggi", "sma-negeri-2-bukittinggi",
    "sma-negeri-3-bukittinggi", "smp-negeri-1-bukittinggi", "uin-sjech-m-djamil-djambek",
    "universitas-fort-de-kock", "masjid-raya-bukittinggi", "terminal-aur-kuning",
    "taman-monumen-bung-hatta",
}  # fmt: skip


def test_the_seed_data_is_complete_and_honest() -> None:
    slugs = [p.slug for p in seed.PLACES]

    assert len(slugs) == 30 == len(set(slugs))
    assert set(slugs) >= REQUIRED
    assert {p.slug for p in seed.PLACES if p.outside_city} == OUTSIDE
    for item in seed.PLACES:
        assert item.description_id and item.description_en, item.slug
        assert "Rp" not in item.price[0] + item.price[1], item.slug  # no invented prices
        assert -0.33 <= item.lat <= -0.27 and 100.34 <= item.lon <= 100.40, item.slug
    assert all(a.title_id.startswith("[Contoh]") for a in seed.ANNOUNCEMENTS)
    assert all(a.title_en.startswith("[Example]") for a in seed.ANNOUNCEMENTS)


def test_it_seeds_on_the_real_city_once(bukittinggi: object) -> None:
    out = StringIO()
    call_command("seed_information", stdout=out)

    assert Place.objects.count() == 30
    assert "30 created" in out.getvalue()
    places = {p.slug: p for p in Place.objects.select_related("kelurahan")}
    for slug, name in EXPECTED_KELURAHAN.items():
        kelurahan = places[slug].kelurahan
        assert kelurahan is not None, slug
        assert kelurahan.name == name, slug
    assert {s for s, p in places.items() if p.kelurahan is None} == OUTSIDE
    for slug in OUTSIDE:  # at the city's edge: within 1.5 km of a kelurahan
        lat, lon = geo.lat_lon(places[slug].location)
        assert boundary_queries.nearest_kelurahan(lat, lon, max_distance_m=1500), slug
    assert all(p.location_approximate and not p.hours_confirmed for p in places.values())
    assert all(not p.is_demo for p in places.values())
    demo = list(Announcement.objects.all())
    assert len(demo) == 4
    assert all(a.is_demo for a in demo)
    [local] = [a for a in demo if a.kelurahan is not None]
    assert local.kelurahan is not None and local.kelurahan.name == "Aur Kuning"
    assert (
        Announcement.objects.get(code="demo-road-closure-ahmad-yani").agency is None
    )  # no SKPD seeded

    jam_gadang = places["jam-gadang"]
    jam_gadang.description_id = "Diubah oleh admin."
    jam_gadang.save()
    Place.objects.filter(slug="pasar-atas").delete()
    out = StringIO()
    call_command("seed_information", stdout=out)

    assert "1 created, 29 already there" in out.getvalue()
    assert Place.objects.get(slug="jam-gadang").description_id == "Diubah oleh admin."
    assert Announcement.objects.count() == 4


def test_it_seeds_an_empty_database_without_kelurahan(db: None) -> None:
    out = StringIO()
    call_command("seed_information", stdout=out)

    assert "not loaded" in out.getvalue()
    assert Place.objects.count() == 30
    assert not Place.objects.filter(kelurahan__isnull=False).exists()
    assert Announcement.objects.count() == 3  # the kelurahan one waits for boundaries


@pytest.mark.usefixtures("bukittinggi")
def test_it_gives_places_their_kelurahan_once_boundaries_exist() -> None:
    Place.objects.bulk_create(
        [
            Place(
                slug="jam-gadang",
                name="Jam Gadang",
                category="tourism",
                location=geo.point(-0.3051, 100.3693),
            )
        ]
    )

    report = seed.seed_information()

    assert report.kelurahan_filled == 1
    assert Place.objects.get(slug="jam-gadang").kelurahan.name == "Benteng Pasar Atas"  # type: ignore[union-attr]
    assert Place.objects.count() == 30
