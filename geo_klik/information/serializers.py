"""JSON and GeoJSON shapes of places and announcements, in the request's language."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from geo_klik.information import queries
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import geo, layers


class PlaceFeatureSerializer(layers.FeatureSerializer):
    """One place on the "places" map layer."""

    layer_key = queries.PLACES_LAYER
    slug = serializers.ReadOnlyField()
    category = serializers.ReadOnlyField()
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    icon = serializers.CharField(read_only=True)
    open_now = serializers.SerializerMethodField()
    opening_hours = serializers.CharField(source="hours_text", read_only=True)
    hours_confirmed = serializers.ReadOnlyField()
    kelurahan = serializers.SerializerMethodField()
    is_demo = serializers.ReadOnlyField()

    class Meta(layers.FeatureSerializer.Meta):
        model = Place
        fields = (
            *layers.FeatureSerializer.COMMON_FIELDS,
            *("slug", "category", "category_label", "icon", "open_now", "opening_hours"),
            *("hours_confirmed", "kelurahan", "is_demo"),
        )

    def complete(self, place: Place, properties: dict[str, Any]) -> None:
        # "Market · Every day 07:00–18:00" in the active language, from the properties.
        properties["subtitle"] = f"{properties['category_label']} · {properties['opening_hours']}"

    def get_url(self, place: Place) -> str:
        return reverse("information-place", args=[place.slug])

    def get_open_now(self, place: Place) -> bool | None:
        return place.is_open(self.context["now"])

    def get_kelurahan(self, place: Place) -> str | None:
        return place.kelurahan.name if place.kelurahan else None


class AnnouncementFeatureSerializer(layers.FeatureSerializer):
    """One geo-tagged announcement on the "announcements" map layer."""

    layer_key = queries.ANNOUNCEMENTS_LAYER
    important = serializers.BooleanField(source="is_important", read_only=True)
    published_at = serializers.SerializerMethodField()
    expires_at = serializers.SerializerMethodField()
    is_demo = serializers.ReadOnlyField()

    class Meta(layers.FeatureSerializer.Meta):
        model = Announcement
        fields = (
            *layers.FeatureSerializer.COMMON_FIELDS,
            *("important", "published_at", "expires_at", "is_demo"),
        )

    def get_subtitle(self, announcement: Announcement) -> str:
        return queries.announcement_subtitle(announcement)

    def get_url(self, announcement: Announcement) -> str:
        return reverse("information-announcement", args=[announcement.pk])

    # isoformat(), not DRF's DateTimeField: the moments stay in UTC as they always were.
    def get_published_at(self, announcement: Announcement) -> str:
        return announcement.published_at.isoformat()

    def get_expires_at(self, announcement: Announcement) -> str | None:
        expires_at = announcement.expires_at
        return expires_at.isoformat() if expires_at else None


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
