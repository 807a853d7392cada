"""Every write of the business directory: proposals, claims, revisions and promotions.

The rules (the module docstring of ``business.models`` says who is who):

- any logged-in resident may propose a new listing (pending until a moderator approves it; at
  most ``MAX_PENDING_PROPOSALS`` waiting) and claim an unowned published listing (one pending
  claim per listing, at most ``MAX_PENDING_CLAIMS`` in all); an owned listing cannot be claimed;
- moderators approve or reject claims (approving makes the claimant the owner and rejects the
  other pending claims of that listing), revisions (approval applies exactly the proposed
  fields; a stale one needs ``confirm_stale``), promotions and proposed listings, and hide or
  unhide listings and promotions, always with a reason when refusing or hiding;
- owners propose revisions and promotions, which wait for a moderator.

Moderators decide with ``moderation.actions.moderate``; what a decision does besides changing
the status (an approved claim sets the owner, an approved revision applies its changes) is in
the models' moderation hooks. Refusals raise ``Refused`` with bilingual problems naming the field.
The values come checked by ``business.inputs`` (its serializers are what every caller passes
input through); these functions keep the rules about who may do what, and when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from geo_klik.business import queries
from geo_klik.business.models import Business, Claim, Promotion, Revision, field_value
from geo_klik.lib import errors
from geo_klik.moderation import rules

MAX_PENDING_CLAIMS = 3
MAX_PENDING_PROPOSALS = 3
MAX_PENDING_PROMOTIONS_PER_BUSINESS = 5

Problem = errors.Problem
Refused = rules.Refused
refuse = rules.refuse


def require_login(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise refuse(
            None, "not_authenticated", "Masuk terlebih dahulu.", "Log in first.", status=401
        )


def require_owner(user: Any, business: Business) -> None:
    require_login(user)
    if not queries.is_owner(user, business):
        raise refuse(
            None,
            "not_owner",
            "Hanya pemilik usaha ini yang boleh mengusulkan perubahan atau promosi.",
            "Only the owner of this business may propose changes or promotions.",
            status=403,
        )


def unique_slug(name: str) -> str:
    base = (slugify(name) or "usaha")[:70].strip("-") or "usaha"
    slug, n = base, 1
    while queries.slug_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


# Listings --------------------------------------------------------------------------------


def propose_business(user: Any, cleaned: dict[str, Any], *, is_owner: bool = False) -> Business:
    """A resident's new listing (``inputs.ListingSerializer``), pending until approved."""
    require_login(user)
    waiting = Business.objects.filter(proposed_by=user, status=Business.Status.PENDING).count()
    if waiting >= MAX_PENDING_PROPOSALS:
        raise refuse(
            None,
            "too_many_pending",
            f"Anda sudah punya {waiting} usulan yang menunggu moderasi. Tunggu keputusan "
            "moderator sebelum mengusulkan lagi.",
            f"You already have {waiting} proposals waiting for review. Wait for the "
            "moderators' decision before proposing more.",
            status=429,
        )
    business = Business(
        slug=unique_slug(cleaned["name"]),
        status=Business.Status.PENDING,
        proposed_by=user,
        proposer_is_owner=is_owner,
    )
    business.apply(cleaned)
    business.save()
    return business


def create_published(cleaned: dict[str, Any], *, slug: str, **extra: Any) -> Business:
    """A published listing (the seed's, checked by ``inputs.ListingSerializer``)."""
    business = Business(slug=slug, status=Business.Status.PUBLISHED, **extra)
    business.apply(cleaned)
    business.save()
    return business


# Claims ----------------------------------------------------------------------------------


def claim_business(user: Any, business: Business, *, message: str, contact_phone: str) -> Claim:
    """A resident asks to own an unowned published listing (``inputs.ClaimSerializer``)."""
    require_login(user)
    ensure_claimable(user, business)
    if queries.pending_claim(user, business) is not None:
        raise _duplicate_claim()
    waiting = queries.pending_claims_of(user).count()
    if waiting >= MAX_PENDING_CLAIMS:
        raise refuse(
            None,
            "too_many_pending",
            f"Anda sudah punya {waiting} klaim yang menunggu. Tunggu keputusan moderator "
            "sebelum mengklaim usaha lain.",
            f"You already have {waiting} claims waiting. Wait for the moderators' decision "
            "before claiming another business.",
            status=429,
        )
    try:
        with transaction.atomic():
            return Claim.objects.create(
                business=business, user=user, message=message[:2000], contact_phone=contact_phone
            )
    except IntegrityError:  # the same claim sent twice at once: the unique index decides
        raise _duplicate_claim() from None


def ensure_claimable(user: Any, business: Business) -> None:
    """Only a published listing without an owner can be claimed."""
    if not business.is_published:
        raise refuse(None, "not_found", "Usaha tidak ditemukan.", "Business not found.", 404)
    if business.owner_id is None:
        return
    if business.owner_id == user.pk:
        raise refuse(
            None,
            "already_owner",
            "Anda sudah pemilik usaha ini.",
            "You already own this business.",
            status=409,
        )
    raise refuse(
        None,
        "already_owned",
        "Usaha ini sudah punya pemilik terdaftar. Jika Anda pemilik sebenarnya, hubungi "
        "Pemerintah Kota (Dinas Koperasi dan UKM) untuk memperbaikinya.",
        "This business already has a registered owner. If you are its real owner, contact "
        "the city (Dinas Koperasi dan UKM) to correct it.",
        status=409,
    )


def _duplicate_claim() -> Refused:
    return refuse(
        None,
        "duplicate_claim",
        "Anda sudah mengklaim usaha ini; klaim Anda masih menunggu moderasi.",
        "You already claimed this business; your claim is waiting for review.",
        status=409,
    )


# Revisions -------------------------------------------------------------------------------


def propose_revision(user: Any, business: Business, cleaned: dict[str, Any]) -> Revision:
    """The owner's change (``inputs.RevisionSerializer``): fields that differ from now are kept."""
    require_owner(user, business)
    changes = {
        name: value for name, value in cleaned.items() if value != field_value(business, name)
    }
    if not changes:
        raise refuse(
            None,
            "no_changes",
            "Tidak ada yang berubah dibandingkan data sekarang.",
            "Nothing differs from the current listing.",
        )
    base = {name: field_value(business, name) for name in changes}
    return Revision.objects.create(business=business, author=user, changes=changes, base=base)


# Promotions ------------------------------------------------------------------------------


def propose_promotion(
    user: Any,
    business: Business,
    *,
    kind: str,
    title_id: str,
    title_en: str = "",
    body_id: str = "",
    body_en: str = "",
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: Point | None = None,
) -> Promotion:
    """The owner's event or promotion (``inputs.PromotionSerializer``), pending until published."""
    ensure_promoter(user, business)
    _ensure_promotion_quota(business)
    return Promotion.objects.create(
        business=business,
        kind=kind,
        title_id=title_id,
        title_en=title_en,
        body_id=body_id,
        body_en=body_en,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        author=user,
    )


def ensure_promoter(user: Any, business: Business) -> None:
    """Only the owner of a published listing may propose its promotions."""
    require_owner(user, business)
    if not business.is_published:
        raise refuse(
            None,
            "not_published",
            "Usaha ini belum tayang, jadi belum bisa berpromosi.",
            "This listing is not published, so it cannot have promotions yet.",
            status=409,
        )


def _ensure_promotion_quota(business: Business) -> None:
    waiting = business.promotions.filter(status=Promotion.Status.PENDING).count()
    if waiting >= MAX_PENDING_PROMOTIONS_PER_BUSINESS:
        raise refuse(
            None,
            "too_many_pending",
            f"Sudah ada {waiting} promosi yang menunggu moderasi untuk usaha ini.",
            f"{waiting} promotions of this business are already waiting for review.",
            status=429,
        )
