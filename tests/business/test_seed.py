"""manage.py seed_business on the real boundaries: 50 demo listings, idempotent."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from geo_klik.business import seed
from geo_klik.business.models import Business, Promotion
from geo_klik.lib import geo


def run() -> str:
    out = StringIO()
    call_command("seed_business", stdout=out)
    return out.getvalue()


def test_it_only_says_so_when_no_boundaries_are_loaded(db: None) -> None:
    assert "No kelurahan boundaries loaded" in run()
    assert not Business.objects.exists()


@pytest.mark.usefixtures("bukittinggi")
def test_it_seeds_fifty_demo_listings_inside_the_city_once() -> None:
    assert "50 created" in run()
    rows = list(Business.objects.select_related("kelurahan"))
    assert len(rows) == 50
    assert all(b.is_demo and b.location_approximate and b.is_published for b in rows)
    assert all(b.kelurahan is not None for b in rows)
    categories = Counter(b.category for b in rows)
    assert categories.most_common(1)[0][0] == "kuliner"
    assert categories["bordir"] >= 5 and categories["oleh_oleh"] >= 5
    # Souvenirs cluster near Jam Gadang / Pasar Atas.
    centre = geo.point(*seed.JAM_GADANG)
    souvenirs = [b for b in rows if b.category == "oleh_oleh"]
    near = [b for b in souvenirs if b.location.distance(centre) * 111_320 < 600]
    assert len(near) >= len(souvenirs) // 2
    assert Promotion.objects.filter(is_demo=True, status="published").count() == len(
        seed.PROMOTIONS
    )
    first = {b.slug: (b.location.x, b.location.y) for b in rows}

    edited = rows[0]
    edited.name = "Diubah admin"
    edited.save()
    edited.location = geo.point(-0.3, 100.37)
    assert "0 created, 50 already there; 0 promotions created" in run()
    assert Business.objects.count() == 50
    assert Business.objects.get(pk=edited.pk).name == "Diubah admin"

    Business.objects.all().delete()
    run()
    # Same points every run (a seeded generator per listing).
    assert {b.slug: (b.location.x, b.location.y) for b in Business.objects.all()} == first
