"""Writes of the information app: save a place (deriving its kelurahan), save an announcement."""

from __future__ import annotations

from django.db import transaction

from geo_klik.boundaries import queries as boundary_queries
from geo_klik.boundaries.models import Kelurahan
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import geo


def kelurahan_at(place: Place) -> Kelurahan | None:
    """The kelurahan under the place's point; None outside the city (or before boundaries)."""
    lat, lon = geo.lat_lon(place.location)
    return boundary_queries.kelurahan_at(lat, lon)


def save_place(place: Place) -> Place:
    """Validate (hours, point), derive the kelurahan from the point, and save."""
    place.full_clean(exclude=["kelurahan"])
    place.kelurahan = kelurahan_at(place)
    place.save()
    return place


def save_announcement(announcement: Announcement) -> Announcement:
    """Validate (scope, window, point) and save."""
    announcement.full_clean()
    announcement.save()
    return announcement


@transaction.atomic
def refresh_missing_kelurahan() -> int:
    """Derive the kelurahan of places that have none (boundaries loaded after the places).

    Only the derived field is written, so an admin's edits of a place are never touched.
    """
    updated = 0
    for place in Place.objects.filter(kelurahan__isnull=True).select_for_update():
        kelurahan = kelurahan_at(place)
        if kelurahan is not None:
            Place.objects.filter(pk=place.pk).update(kelurahan=kelurahan)
            updated += 1
    return updated
