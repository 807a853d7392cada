"""JSON and GeoJSON shapes of places and announcements, in the request's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import serializers

from geo_klik.information import queries
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import geo
from geo_klik.maps import layers


def place_subtitle(place: Place) -> str:
    """ "Market · Every day 07:00–18:00" in the active language."""
    return f"{place.get_category_display()} · {place.hours_text()}"


def place_feature(place: Place, *, now: dt.datetime) -> dict[str, Any]:
    """One Point feature of the "places" layer (contract in geo_klik.maps.layers)."""
    lat, lon = geo.lat_lon(place.location)
    return {
        "type": "Feature",
        "id": place.pk,
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {
            "layer": queries.PLACES_LAYER,
            "id": place.pk,
            "title": place.title,
            "subtitle": place_subtitle(place),
            "url": reverse("information-place", args=[place.slug]),
            "approximate": place.location_approximate,
            "slug": place.slug,
            "category": place.category,
            "category_label": str(place.get_category_display()),
            "icon": place.icon,
            "open_now": place.is_open(now),
            "opening_hours": place.hours_text(),
            "hours_confirmed": place.hours_confirmed,
            "kelurahan": place.kelurahan.name if place.kelurahan else None,
            "is_demo": place.is_demo,
        },
    }


def announcement_feature(announcement: Announcement) -> dict[str, Any]:
    """One Point feature of the "announcements" layer (geo-tagged announcements only)."""
    if announcement.location is None:
        raise ValueError(f"announcement {announcement.pk} has no location")
    lat, lon = geo.lat_lon(announcement.location)
    return {
        "type": "Feature",
        "id": announcement.pk,
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {
            "layer": queries.ANNOUNCEMENTS_LAYER,
            "id": announcement.pk,
            "title": announcement.title,
            "subtitle": queries.announcement_subtitle(announcement),
            "url": reverse("information-announcement", args=[announcement.pk]),
            "approximate": announcement.location_approximate,
            "important": announcement.is_important,
            "published_at": announcement.published_at.isoformat(),
            "expires_at": announcement.expires_at.isoformat() if announcement.expires_at else None,
            "is_demo": announcement.is_demo,
        },
    }


def feature_collection(features: Sequence[dict[str, Any]], *, truncated: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "FeatureCollection", "features": list(features)}
    if truncated:
        body["truncated"] = True
    return body


def cut(rows: Sequence[Any] | QuerySet[Any]) -> tuple[list[Any], bool]:
    """At most MAX_FEATURES of ``rows`` (fetched as MAX_FEATURES + 1) and whether it was cut."""
    kept = list(rows[: layers.MAX_FEATURES + 1])
    return kept[: layers.MAX_FEATURES], len(kept) > layers.MAX_FEATURES


class PlaceSerializer(serializers.ModelSerializer[Place]):
    """A place with both languages and, for display, the request's language."""

    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    price_note = serializers.CharField(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    icon = serializers.CharField(read_only=True)
    lat = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    kelurahan = serializers.SerializerMethodField()
    open_now = serializers.SerializerMethodField()
    opening_hours_text = serializers.CharField(source="hours_text", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = [
            "slug",
            "title",
            "name",
            "name_en",
            "category",
            "category_label",
            "icon",
            "description",
            "description_id",
            "description_en",
            "address",
            "lat",
            "lon",
            "location_approximate",
            "kelurahan",
            "opening_hours",
            "opening_hours_text",
            "hours_confirmed",
            "open_now",
            "phone",
            "website",
            "price_note",
            "price_note_id",
            "price_note_en",
            "is_demo",
            "updated_at",
            "url",
        ]

    def get_lat(self, place: Place) -> float:
        return geo.lat_lon(place.location)[0]

    def get_lon(self, place: Place) -> float:
        return geo.lat_lon(place.location)[1]

    def get_kelurahan(self, place: Place) -> str | None:
        return place.kelurahan.name if place.kelurahan else None

    def get_open_now(self, place: Place) -> bool | None:
        return place.is_open()

    def get_url(self, place: Place) -> str:
        return reverse("information-place", args=[place.slug])


class AnnouncementSerializer(serializers.ModelSerializer[Announcement]):
    """A current announcement, both languages plus the request's."""

    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    kelurahan = serializers.SerializerMethodField()
    issued_by = serializers.CharField(read_only=True)
    lat = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Announcement
        fields = [
            "id",
            "title",
            "title_id",
            "title_en",
            "body",
            "body_id",
            "body_en",
            "published_at",
            "expires_at",
            "scope",
            "kelurahan",
            "is_important",
            "issued_by",
            "lat",
            "lon",
            "location_approximate",
            "is_demo",
            "url",
        ]

    def get_kelurahan(self, row: Announcement) -> str | None:
        return row.kelurahan.name if row.kelurahan else None

    def get_lat(self, row: Announcement) -> float | None:
        return geo.lat_lon(row.location)[0] if row.location else None

    def get_lon(self, row: Announcement) -> float | None:
        return geo.lat_lon(row.location)[1] if row.location else None

    def get_url(self, row: Announcement) -> str:
        return reverse("information-announcement", args=[row.pk])
