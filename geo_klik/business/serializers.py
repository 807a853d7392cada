"""JSON shapes of the business API: GeoJSON features, a listing's detail, documented inputs.

Features are drf-gis serializers on the layer contract of ``lib.layers``; details are built as
dicts; the DRF serializers at the end document request bodies for the API docs.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from rest_framework import serializers

from geo_klik.business.models import Business, Promotion
from geo_klik.lib import geo, layers, opening_hours

# 7 decimals is about 1 cm: the listings' positions as they were entered.
DECIMALS = 7
BUSINESS_LAYER = "businesses"
PROMOTION_LAYER = "business_promotions"


def open_label(is_open: bool | None) -> str:
    if is_open is None:
        return gettext("Opening hours unknown")
    return gettext("Open now") if is_open else gettext("Closed now")


class BusinessFeatureSerializer(layers.FeatureSerializer):
    """One published listing on the "businesses" map layer."""

    layer_key = BUSINESS_LAYER
    location = layers.PointField(decimals=DECIMALS)
    title = serializers.CharField(source="name", read_only=True)
    slug = serializers.ReadOnlyField()
    category = serializers.ReadOnlyField()
    category_name = serializers.CharField(read_only=True)
    icon = serializers.CharField(source="category_icon", read_only=True)
    open_now = serializers.SerializerMethodField()
    hours = serializers.CharField(source="hours_text", read_only=True)
    kelurahan = serializers.SerializerMethodField()
    is_demo = serializers.ReadOnlyField()
    verified = serializers.ReadOnlyField()

    class Meta(layers.FeatureSerializer.Meta):
        model = Business
        fields = (
            *layers.FeatureSerializer.COMMON_FIELDS,
            *("slug", "category", "category_name", "icon", "open_now", "hours", "kelurahan"),
            *("is_demo", "verified"),
        )

    @functools.cached_property
    def open_labels(self) -> dict[bool | None, str]:
        """``open_label`` of each state, once per answer (in its language), not per row."""
        return {state: open_label(state) for state in (None, True, False)}

    def complete(self, business: Business, properties: dict[str, Any]) -> None:
        # Category, "open now" and kelurahan, each computed once for its own property.
        parts = (properties["category_name"], self.open_labels[properties["open_now"]])
        properties["subtitle"] = " · ".join(
            part for part in (*parts, properties["kelurahan"]) if part
        )

    def get_url(self, business: Business) -> str:
        return reverse("business-detail", args=[business.slug])

    def get_open_now(self, business: Business) -> bool | None:
        return opening_hours.is_open(business.opening_hours, self.context["now"])

    def get_kelurahan(self, business: Business) -> str:
        return business.kelurahan.name if business.kelurahan else ""


def promotion_dates(promotion: Promotion) -> str:
    start = promotion.starts_at.astimezone(opening_hours.WIB)
    end = promotion.ends_at.astimezone(opening_hours.WIB)
    return f"{start:%d/%m/%Y %H:%M} – {end:%d/%m/%Y %H:%M}"


class PromotionFeatureSerializer(layers.FeatureSerializer):
    """One public event or promotion on the "business_promotions" map layer: at its own place,
    else at its business's."""

    layer_key = PROMOTION_LAYER
    location = layers.PointField(decimals=DECIMALS, source="where")
    approximate = serializers.SerializerMethodField()
    kind = serializers.ReadOnlyField()
    kind_name = serializers.SerializerMethodField()
    body = serializers.CharField(read_only=True)
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()
    business = serializers.SerializerMethodField()
    is_demo = serializers.SerializerMethodField()

    class Meta(layers.FeatureSerializer.Meta):
        model = Promotion
        fields = (
            *layers.FeatureSerializer.COMMON_FIELDS,
            *("kind", "kind_name", "body", "starts_at", "ends_at", "current", "business"),
            "is_demo",
        )

    def get_subtitle(self, promotion: Promotion) -> str:
        return f"{promotion.business.name} · {promotion_dates(promotion)}"

    def get_url(self, promotion: Promotion) -> str:
        slug = promotion.business.slug
        return reverse("business-detail", args=[slug]) + f"#promosi-{promotion.pk}"

    def get_approximate(self, promotion: Promotion) -> bool:
        return promotion.location is None and promotion.business.location_approximate

    def get_kind_name(self, promotion: Promotion) -> str:
        return kind_name(promotion.kind)

    # isoformat(), not DRF's DateTimeField: the moments stay in UTC as they always were.
    def get_starts_at(self, promotion: Promotion) -> str:
        return promotion.starts_at.isoformat()

    def get_ends_at(self, promotion: Promotion) -> str:
        return promotion.ends_at.isoformat()

    def get_current(self, promotion: Promotion) -> bool:
        return bool(promotion.starts_at <= self.context["now"] < promotion.ends_at)

    def get_business(self, promotion: Promotion) -> dict[str, str]:
        return {"slug": promotion.business.slug, "name": promotion.business.name}

    def get_is_demo(self, promotion: Promotion) -> bool:
        return promotion.is_demo or promotion.business.is_demo


def kind_name(kind: str) -> str:
    return gettext("Event") if kind == Promotion.Kind.EVENT else gettext("Promotion")


def promotion_detail(promotion: Promotion, *, at: dt.datetime, private: bool) -> dict[str, Any]:
    feature = PromotionFeatureSerializer(promotion, context={"now": at}).data
    data: dict[str, Any] = {**feature["properties"], "geometry": feature["geometry"]}
    data.update(title_id=promotion.title_id, title_en=promotion.title_en)
    if private:
        data.update(status=promotion.status, reason=promotion.reason)
    return data


def business_detail(
    business: Business,
    *,
    at: dt.datetime,
    promotions: list[Promotion],
    private: bool,
    is_owner: bool,
) -> dict[str, Any]:
    """A listing as the API answers it; ``private`` adds status and reasons (owner, moderator)."""
    lat, lon = geo.lat_lon(business.location)
    kelurahan = business.kelurahan
    data: dict[str, Any] = {
        "slug": business.slug,
        "name": business.name,
        "category": business.category,
        "category_name": business.category_name,
        "icon": business.category_icon,
        "description": business.description,
        "description_id": business.description_id,
        "description_en": business.description_en,
        "address": business.address,
        "lat": round(lat, 7),
        "lon": round(lon, 7),
        "approximate": business.location_approximate,
        "kelurahan": kelurahan.name if kelurahan else "",
        "phone": business.phone,
        "tel_url": business.tel_url,
        "whatsapp": business.whatsapp,
        "whatsapp_url": business.whatsapp_url,
        "email": business.email,
        "website": business.website,
        "opening_hours": business.opening_hours,
        "hours": business.hours_text,
        "open_now": opening_hours.is_open(business.opening_hours, at),
        "has_owner": business.owner_id is not None,
        "is_owner": is_owner,
        "is_demo": business.is_demo,
        "verified": business.verified,
        "updated_at": business.updated_at.isoformat(),
        "url": reverse("business-detail", args=[business.slug]),
        "promotions": [promotion_detail(p, at=at, private=private) for p in promotions],
    }
    if private:
        data.update(status=business.status, moderation_reason=business.moderation_reason)
    return data


class StatusSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    status = serializers.CharField()
