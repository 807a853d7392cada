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
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from geo_klik.business import queries
from geo_klik.business.models import (
    REVISABLE_FIELDS,
    Business,
    Category,
    Claim,
    Promotion,
    Revision,
    field_value,
    kelurahan_at,
)
from geo_klik.lib import errors, geo, opening_hours
from geo_klik.moderation import rules

MAX_PENDING_CLAIMS = 3
MAX_PENDING_PROPOSALS = 3
MAX_PENDING_PROMOTIONS_PER_BUSINESS = 5
MAX_PROMOTION_DAYS = 366
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,28}$")

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


# Field validation shared by proposals and revisions ---------------------------------------


def _location(raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        raw = {}
    try:
        lat, lon = geo.parse_lat_lon(raw.get("lat"), raw.get("lon"))
    except geo.InvalidCoordinates as exc:
        raise refuse("location", "invalid", exc.message_id, exc.message_en) from None
    return {"lat": round(lat, 7), "lon": round(lon, 7)}


def _text(name: str, raw: Any, *, max_length: int, required: bool = False) -> str:
    value = raw.strip() if isinstance(raw, str) else ("" if raw is None else None)
    if value is None:
        raise refuse(name, "invalid", f"{name} harus berupa teks.", f"{name} must be text.")
    if required and not value:
        raise refuse(name, "required", f"{name} wajib diisi.", f"{name} is required.")
    if len(value) > max_length:
        raise refuse(
            name,
            "too_long",
            f"{name} paling panjang {max_length} karakter.",
            f"{name} is at most {max_length} characters.",
        )
    return value


def _clean_field(name: str, raw: Any) -> Any:
    """One listing field, validated and normalised; raises Refused naming it."""
    if name == "name":
        return _text(name, raw, max_length=120, required=True)
    if name == "category":
        if raw not in Category.values:
            raise refuse(name, "invalid", "Kategori tidak dikenal.", "Unknown category.")
        return raw
    if name in ("description_id", "description_en"):
        return _text(name, raw, max_length=2000)
    if name == "address":
        return _text(name, raw, max_length=250)
    if name == "location":
        location = _location(raw)
        kelurahan_at(location["lat"], location["lon"])
        return location
    if name in ("phone", "whatsapp"):
        value = _text(name, raw, max_length=30)
        if value and not PHONE.match(value):
            raise refuse(
                name,
                "invalid",
                "Nomor telepon hanya angka, spasi, tanda hubung, dan + di depan "
                "(mis. 0812 3456 7890).",
                "A phone number is digits, spaces, dashes and a leading + (e.g. 0812 3456 7890).",
            )
        return value
    if name == "email":
        value = _text(name, raw, max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise refuse(
                    name, "invalid", "Alamat email tidak valid.", "Invalid email address."
                ) from None
        return value
    if name == "website":
        value = _text(name, raw, max_length=200)
        if value and "://" not in value:
            value = f"https://{value}"
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                raise refuse(
                    name, "invalid", "Alamat situs web tidak valid.", "Invalid website address."
                ) from None
        return value
    if name == "opening_hours":
        try:
            return opening_hours.validate(raw)
        except ValidationError as exc:
            message = " ".join(exc.messages)
            indonesian, _, english_text = message.partition(" / ")
            raise refuse(name, "invalid", indonesian, english_text or indonesian) from None
    raise refuse(name, "unknown_field", "Isian tidak dikenal.", "Unknown field.")


def clean_fields(data: dict[str, Any], names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The named fields of ``data`` validated; every invalid field is reported at once."""
    cleaned: dict[str, Any] = {}
    problems: list[Problem] = []
    for name in names:
        try:
            cleaned[name] = _clean_field(name, data.get(name))
        except Refused as exc:
            problems.extend(exc.problems)
    if problems:
        raise Refused(problems)
    return cleaned


def unique_slug(name: str) -> str:
    base = (slugify(name) or "usaha")[:70].strip("-") or "usaha"
    slug, n = base, 1
    while queries.slug_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


# Listings --------------------------------------------------------------------------------

LISTING_FIELDS = (
    "name",
    "category",
    "location",
    "description_id",
    "description_en",
    "address",
    "phone",
    "whatsapp",
    "email",
    "website",
    "opening_hours",
)


def propose_business(user: Any, data: dict[str, Any], *, is_owner: bool = False) -> Business:
    """A resident's new listing, pending until a moderator approves it."""
    require_login(user)
    cleaned = clean_fields(data, LISTING_FIELDS)
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


def create_published(data: dict[str, Any], *, slug: str, **extra: Any) -> Business:
    """A published listing from trusted data (the seed); same validation as proposals."""
    cleaned = clean_fields(data, LISTING_FIELDS)
    business = Business(slug=slug, status=Business.Status.PUBLISHED, **extra)
    business.apply(cleaned)
    business.save()
    return business


# Claims ----------------------------------------------------------------------------------


def claim_business(user: Any, business: Business, *, message: str, contact_phone: str) -> Claim:
    """A resident asks to own an unowned published listing."""
    require_login(user)
    _ensure_claimable(user, business)
    text, phone = _claim_evidence(message, contact_phone)
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
                business=business, user=user, message=text[:2000], contact_phone=phone
            )
    except IntegrityError:  # the same claim sent twice at once: the unique index decides
        raise _duplicate_claim() from None


def _ensure_claimable(user: Any, business: Business) -> None:
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


def _claim_evidence(message: str, contact_phone: str) -> tuple[str, str]:
    """The claim's message and phone, stripped; both problems are reported at once."""
    problems: list[Problem] = []
    text = (message or "").strip()
    if not text:
        problems.append(
            Problem(
                "message",
                "required",
                "Jelaskan mengapa usaha ini milik Anda (mis. nomor NIB, peran Anda).",
                "Explain why this business is yours (e.g. NIB number, your role).",
            )
        )
    phone = (contact_phone or "").strip()
    if not PHONE.match(phone):
        problems.append(
            Problem(
                "contact_phone",
                "invalid",
                "Isi nomor telepon yang bisa dihubungi moderator (mis. 0812 3456 7890).",
                "Give a phone number the moderators can call (e.g. 0812 3456 7890).",
            )
        )
    if problems:
        raise Refused(problems)
    return text, phone


def _duplicate_claim() -> Refused:
    return refuse(
        None,
        "duplicate_claim",
        "Anda sudah mengklaim usaha ini; klaim Anda masih menunggu moderasi.",
        "You already claimed this business; your claim is waiting for review.",
        status=409,
    )


# Revisions -------------------------------------------------------------------------------


def propose_revision(user: Any, business: Business, data: dict[str, Any]) -> Revision:
    """The owner's proposed change: only the fields given and different from now are kept."""
    require_owner(user, business)
    unknown = sorted(set(data) - set(REVISABLE_FIELDS))
    if unknown:
        raise refuse(
            unknown[0],
            "unknown_field",
            f"Isian {unknown[0]} tidak bisa diubah.",
            f"The field {unknown[0]} cannot be changed.",
        )
    cleaned = clean_fields(data, [name for name in REVISABLE_FIELDS if name in data])
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
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    lat: float | None = None,
    lon: float | None = None,
) -> Promotion:
    """The owner's event or promotion, pending until a moderator publishes it."""
    require_owner(user, business)
    if not business.is_published:
        raise refuse(
            None,
            "not_published",
            "Usaha ini belum tayang, jadi belum bisa berpromosi.",
            "This listing is not published, so it cannot have promotions yet.",
            status=409,
        )
    problems: list[Problem] = []
    if kind not in Promotion.Kind.values:
        problems.append(Problem("kind", "invalid", "Jenis tidak dikenal.", "Unknown kind."))
    texts = _collect(
        problems,
        {
            "title_id": lambda: _text("title_id", title_id, max_length=150, required=True),
            "title_en": lambda: _text("title_en", title_en, max_length=150),
            "body_id": lambda: _text("body_id", body_id, max_length=2000),
            "body_en": lambda: _text("body_en", body_en, max_length=2000),
        },
    )
    problems.extend(_period_problems(starts_at, ends_at))
    location = None
    if lat is not None and lon is not None:
        where = {"lat": lat, "lon": lon}
        point = _collect(problems, {"location": lambda: _clean_field("location", where)})
        location = geo.point(point["location"]["lat"], point["location"]["lon"]) if point else None
    if problems or starts_at is None or ends_at is None:
        raise Refused(problems)
    _ensure_promotion_quota(business)
    return Promotion.objects.create(
        business=business,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        author=user,
        **texts,
    )


def _collect(problems: list[Problem], checks: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each check's value by name; the problems of those that refuse are added, not raised."""
    values: dict[str, Any] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except Refused as exc:
            problems.extend(exc.problems)
    return values


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


def _period_problems(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> list[Problem]:
    if starts_at is None:
        return [Problem("starts_at", "required", "Isi waktu mulai.", "Give the start time.")]
    if ends_at is None:
        return [Problem("ends_at", "required", "Isi waktu selesai.", "Give the end time.")]
    if ends_at <= starts_at:
        return [
            Problem(
                "ends_at",
                "before_start",
                "Waktu selesai harus sesudah waktu mulai.",
                "The end must be after the start.",
            )
        ]
    if ends_at <= timezone.now():
        return [
            Problem("ends_at", "in_past", "Waktu selesai sudah lewat.", "The end is in the past.")
        ]
    if ends_at - starts_at > dt.timedelta(days=MAX_PROMOTION_DAYS):
        return [
            Problem(
                "ends_at",
                "too_long",
                f"Satu promosi paling lama {MAX_PROMOTION_DAYS} hari.",
                f"A promotion lasts at most {MAX_PROMOTION_DAYS} days.",
            )
        ]
    return []
