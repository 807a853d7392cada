"""Reads of the business directory: what each person may see, filters, search, queues."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from geo_klik.business.models import (
    CATEGORIES,
    CATEGORY_WORDS,
    Business,
    Claim,
    Promotion,
    Revision,
)
from geo_klik.lib import geo, opening_hours
from geo_klik.moderation.rules import can_moderate

# The reserved words of /usaha/<slug>/ and /api/businesses/<slug>/: never a listing's slug.
RESERVED_SLUGS = frozenset(
    {"baru", "saya", "promosi", "moderasi", "promotions", "moderation", "claims", "revisions"}
)


def current_time() -> dt.datetime:
    """Now; one function so tests can set the clock for "open now" and "current"."""
    return timezone.now()


def published_businesses() -> QuerySet[Business]:
    return Business.objects.filter(status=Business.Status.PUBLISHED).select_related("kelurahan")


def businesses_visible_to(user: Any) -> QuerySet[Business]:
    """Published listings, plus the owner's and proposer's own, plus everything for moderators."""
    rows = Business.objects.select_related("kelurahan", "owner")
    if can_moderate(user):
        return rows
    visible = Q(status=Business.Status.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        visible |= Q(owner=user) | Q(proposed_by=user)
    return rows.filter(visible)


def business_for(user: Any, slug: str) -> Business | None:
    return businesses_visible_to(user).filter(slug=slug).first()


def is_owner(user: Any, business: Business) -> bool:
    return bool(getattr(user, "is_authenticated", False) and business.owner_id == user.pk)


def sees_moderation(user: Any, business: Business) -> bool:
    """Statuses and moderators' reasons: for the owner, the proposer and moderators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk in (business.owner_id, business.proposed_by_id) or can_moderate(user)


def filtered(
    rows: QuerySet[Business],
    *,
    text: str = "",
    category: str = "",
) -> QuerySet[Business]:
    """Listings matching a text (both languages and category names) and a category."""
    if category:
        rows = rows.filter(category=category)
    if text.strip():
        rows = rows.filter(text_filter(text))
    return rows


def text_filter(text: str) -> Q:
    """icontains over name, both descriptions, address, kelurahan and category names."""
    words = text.strip()
    # At a word's start: "kopi" is not "fotokopi" (printing services).
    starts_a_word = re.compile(r"\b" + re.escape(words.lower()))
    matching_categories = [
        code
        for code, (name_id, name_en, _) in CATEGORIES.items()
        if starts_a_word.search(f"{code} {name_id} {name_en} {CATEGORY_WORDS[code]}".lower())
    ]
    return (
        Q(name__icontains=words)
        | Q(description_id__icontains=words)
        | Q(description_en__icontains=words)
        | Q(address__icontains=words)
        | Q(kelurahan__name__icontains=words)
        | Q(category__in=matching_categories)
    )


def open_now(rows: list[Business], at: dt.datetime | None = None) -> list[Business]:
    """The listings open at ``at`` (now); unknown hours are not "open now"."""
    moment = at or current_time()
    return [b for b in rows if opening_hours.is_open(b.opening_hours, moment)]


def within(rows: QuerySet[Business], *, lat: float, lon: float, radius_m: float) -> Any:
    """Listings within ``radius_m`` of a point, nearest first, each with ``distance`` (metres)."""
    point = geo.point(lat, lon)
    return (
        rows.filter(location__dwithin=(point, geo.degrees_margin(lat, radius_m)))
        .annotate(distance=Distance("location", point))
        .filter(distance__lte=D(m=radius_m))
        .order_by("distance", "id")
    )


# Events and promotions -------------------------------------------------------------------


def public_promotions(at: dt.datetime | None = None) -> QuerySet[Promotion]:
    """Published events and promotions of published listings that have not ended yet."""
    moment = at or current_time()
    return (
        Promotion.objects.filter(
            status=Promotion.Status.PUBLISHED,
            business__status=Business.Status.PUBLISHED,
            ends_at__gt=moment,
        )
        .select_related("business")
        .order_by("starts_at", "id")
    )


def current_promotions(at: dt.datetime | None = None) -> QuerySet[Promotion]:
    """Public events and promotions running at ``at`` (now)."""
    moment = at or current_time()
    return public_promotions(moment).filter(starts_at__lte=moment)


def with_map_point(rows: QuerySet[Promotion]) -> QuerySet[Promotion]:
    """Each with ``map_point``: its own location, else its business's (the map layer's box)."""
    where = Coalesce("location", "business__location", output_field=models.PointField(srid=4326))
    return rows.annotate(map_point=where)


def promotions_near(
    rows: QuerySet[Promotion], *, lat: float, lon: float, radius_m: float
) -> QuerySet[Promotion]:
    """Those within ``radius_m`` of a point (own location, else the business's), nearest first."""
    point = geo.point(lat, lon)
    where = Coalesce("location", "business__location", output_field=models.PointField(srid=4326))
    return (
        rows.annotate(place=where)
        .filter(place__dwithin=(point, geo.degrees_margin(lat, radius_m)))
        .annotate(distance=Distance("place", point))
        .filter(distance__lte=D(m=radius_m))
        .order_by("distance", "id")
    )


def promotions_text(rows: QuerySet[Promotion], text: str) -> QuerySet[Promotion]:
    words = text.strip()
    return rows.filter(
        Q(title_id__icontains=words)
        | Q(title_en__icontains=words)
        | Q(body_id__icontains=words)
        | Q(body_en__icontains=words)
        | Q(business__name__icontains=words)
    )


def promotions_of(business: Business, user: Any) -> QuerySet[Promotion]:
    """The listing's promotions this user may see: all for its owner and moderators."""
    if is_owner(user, business) or can_moderate(user):
        return business.promotions.order_by("-starts_at", "-id")
    return public_promotions().filter(business=business)


def promotion_for(user: Any, promotion_id: int) -> Promotion | None:
    promotion = Promotion.objects.select_related("business").filter(pk=promotion_id).first()
    if promotion is None:
        return None
    if can_moderate(user) or is_owner(user, promotion.business):
        return promotion
    visible = public_promotions().filter(pk=promotion_id).exists()
    return promotion if visible else None


# A resident's own items and the moderators' queue ----------------------------------------


def pending_claims_of(user: Any) -> QuerySet[Claim]:
    return Claim.objects.filter(user=user, status=Claim.Status.PENDING)


def pending_claim(user: Any, business: Business) -> Claim | None:
    return pending_claims_of(user).filter(business=business).first()


def mine(user: Any) -> dict[str, Any]:
    """Everything a resident has in the directory, with statuses and reasons."""
    return {
        "owned": list(Business.objects.filter(owner=user).select_related("kelurahan")),
        "proposed": list(
            Business.objects.filter(proposed_by=user)
            .exclude(owner=user)
            .select_related("kelurahan")
            .order_by("-created_at")
        ),
        "claims": list(Claim.objects.filter(user=user).select_related("business")),
        "revisions": list(Revision.objects.filter(author=user).select_related("business")),
        "promotions": list(
            Promotion.objects.filter(Q(author=user) | Q(business__owner=user))
            .select_related("business")
            .order_by("-created_at")
        ),
    }


def moderation_queue() -> dict[str, Any]:
    """What waits for a moderator, oldest first, and the hidden items (to unhide)."""
    return {
        "businesses": list(
            Business.objects.filter(status=Business.Status.PENDING)
            .select_related("proposed_by", "kelurahan")
            .order_by("created_at")
        ),
        "claims": list(
            Claim.objects.filter(status=Claim.Status.PENDING)
            .select_related("business", "user", "business__owner")
            .order_by("created_at")
        ),
        "revisions": list(
            Revision.objects.filter(status=Revision.Status.PENDING)
            .select_related("business", "author")
            .order_by("created_at")
        ),
        "promotions": list(
            Promotion.objects.filter(status=Promotion.Status.PENDING)
            .select_related("business", "author")
            .order_by("created_at")
        ),
        "hidden_businesses": list(
            Business.objects.filter(status=Business.Status.HIDDEN).order_by("-updated_at")
        ),
        "hidden_promotions": list(
            Promotion.objects.filter(status=Promotion.Status.HIDDEN)
            .select_related("business")
            .order_by("-updated_at")
        ),
    }


def slug_taken(slug: str) -> bool:
    return slug in RESERVED_SLUGS or Business.objects.filter(slug=slug).exists()
