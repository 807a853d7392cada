"""JSON shapes of the business API: GeoJSON features, a listing's detail, documented inputs.

Features and details are built as dicts (the layer contract of ``maps.layers`` fixes their
properties); the DRF serializers below document request bodies for the API docs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from rest_framework import serializers

from geo_klik.business.models import Business, Promotion
from geo_klik.lib import geo, opening_hours

BUSINESS_LAYER = "businesses"
PROMOTION_LAYER = "business_promotions"


def _point(pt: Any) -> dict[str, Any]:
    lat, lon = geo.lat_lon(pt)
    return {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}


def open_label(is_open: bool | None) -> str:
    if is_open is None:
        return gettext("Opening hours unknown")
    return gettext("Open now") if is_open else gettext("Closed now")


def business_feature(business: Business, *, at: dt.datetime) -> dict[str, Any]:
    is_open = opening_hours.is_open(business.opening_hours, at)
    kelurahan = business.kelurahan.name if business.kelurahan else ""
    subtitle = " · ".join(
        part for part in (business.category_name, open_label(is_open), kelurahan) if part
    )
    return {
        "type": "Feature",
        "id": business.pk,
        "geometry": _point(business.location),
        "properties": {
            "layer": BUSINESS_LAYER,
            "id": business.pk,
            "title": business.name,
            "subtitle": subtitle,
            "url": reverse("business-detail", args=[business.slug]),
            "approximate": business.location_approximate,
            "slug": business.slug,
            "category": business.category,
            "category_name": business.category_name,
            "icon": business.category_icon,
            "open_now": is_open,
            "hours": business.hours_text,
            "kelurahan": kelurahan,
            "is_demo": business.is_demo,
            "verified": business.verified,
        },
    }


def promotion_dates(promotion: Promotion) -> str:
    start = promotion.starts_at.astimezone(opening_hours.WIB)
    end = promotion.ends_at.astimezone(opening_hours.WIB)
    return f"{start:%d/%m/%Y %H:%M} – {end:%d/%m/%Y %H:%M}"


def promotion_feature(promotion: Promotion, *, at: dt.datetime) -> dict[str, Any]:
    business = promotion.business
    return {
        "type": "Feature",
        "id": promotion.pk,
        "geometry": _point(promotion.where),
        "properties": {
            "layer": PROMOTION_LAYER,
            "id": promotion.pk,
            "title": promotion.title,
            "subtitle": f"{business.name} · {promotion_dates(promotion)}",
            "url": reverse("business-detail", args=[business.slug]) + f"#promosi-{promotion.pk}",
            "approximate": promotion.location is None and business.location_approximate,
            "kind": promotion.kind,
            "kind_name": kind_name(promotion.kind),
            "body": promotion.body,
            "starts_at": promotion.starts_at.isoformat(),
            "ends_at": promotion.ends_at.isoformat(),
            "current": promotion.starts_at <= at < promotion.ends_at,
            "business": {"slug": business.slug, "name": business.name},
            "is_demo": promotion.is_demo or business.is_demo,
        },
    }


def kind_name(kind: str) -> str:
    return gettext("Event") if kind == Promotion.Kind.EVENT else gettext("Promotion")


def feature_collection(features: list[dict[str, Any]], *, truncated: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if truncated:
        body["truncated"] = True
    return body


def promotion_detail(promotion: Promotion, *, at: dt.datetime, private: bool) -> dict[str, Any]:
    feature = promotion_feature(promotion, at=at)
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
