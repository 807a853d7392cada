"""Every write of the business directory: proposals, claims, revisions, promotions, moderation.

The rules (the module docstring of ``business.models`` says who is who):

- any logged-in resident may propose a new listing (pending until a moderator approves it; at
  most ``MAX_PENDING_PROPOSALS`` waiting) and claim an unowned published listing (one pending
  claim per listing, at most ``MAX_PENDING_CLAIMS`` in all); an owned listing cannot be claimed;
- moderators approve or reject claims (approving makes the claimant the owner and rejects the
  other pending claims of that listing), revisions (approval applies exactly the proposed
  fields; a stale one needs ``confirm_stale``), promotions and proposed listings, and hide or
  unhide listings and promotions, always with a reason when refusing or hiding;
- owners propose revisions and promotions, which wait for a moderator.

Moderators' decisions go to the audit log (``accounts.audit``). Refusals raise ``Refused``
with bilingual problems naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from geo_klik.accounts import audit
from geo_klik.boundaries.models import Kelurahan
from geo_klik.boundaries.queries import kelurahan_for_point
from geo_klik.business import queries
from geo_klik.business.models import (
    REVISABLE_FIELDS,
    Business,
    Category,
    Claim,
    Promotion,
    Revision,
    field_value,
)
from geo_klik.lib import errors, geo, opening_hours

MAX_PENDING_CLAIMS = 3
MAX_PENDING_PROPOSALS = 3
MAX_PENDING_PROMOTIONS_PER_BUSINESS = 5
MAX_PROMOTION_DAYS = 366
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,28}$")

Problem = errors.Problem


class Refused(Exception):
    """The action is not allowed or its input is invalid, for the listed bilingual reasons."""

    def __init__(self, problems: list[Problem], *, status_code: int = 400) -> None:
        super().__init__("; ".join(p.message_en for p in problems))
        self.problems = problems
        self.status_code = status_code


def refuse(
    field: str | None, code: str, message_id: str, message_en: str, status: int = 400
) -> Refused:
    return Refused([Problem(field, code, message_id, message_en)], status_code=status)


def require_login(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise refuse(
            None, "not_authenticated", "Masuk terlebih dahulu.", "Log in first.", status=401
        )


def require_moderator(user: Any) -> None:
    require_login(user)
    if not queries.is_moderator(user):
        raise refuse(
            None,
            "permission_denied",
            "Hanya moderator yang boleh melakukan ini.",
            "Only moderators may do this.",
            status=403,
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


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise refuse("reason", "required", "Tuliskan alasannya.", "Give a reason.", status=400)
    return text[:500]


# Field validation shared by proposals and revisions ---------------------------------------


def kelurahan_at(lat: float, lon: float, field: str = "location") -> Kelurahan:
    """The kelurahan of a listing's point; refuses points outside Kota Bukittinggi."""
    kelurahan = kelurahan_for_point(lat, lon)
    if kelurahan is None:
        raise refuse(
            field,
            "outside_city",
            "Lokasi ini di luar Kota Bukittinggi. Direktori hanya memuat usaha di dalam kota: "
            "pindahkan titik ke dalam wilayah kota.",
            "This location is outside Kota Bukittinggi. The directory lists businesses inside "
            "the city only: move the point into the city area.",
        )
    return kelurahan


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


def _apply(business: Business, cleaned: dict[str, Any]) -> None:
    for name, value in cleaned.items():
        if name == "location":
            business.location = geo.point(value["lat"], value["lon"])
            business.kelurahan = kelurahan_at(value["lat"], value["lon"])
        else:
            setattr(business, name, value)


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
    _apply(business, cleaned)
    business.save()
    return business


def create_published(data: dict[str, Any], *, slug: str, **extra: Any) -> Business:
    """A published listing from trusted data (the seed); same validation as proposals."""
    cleaned = clean_fields(data, LISTING_FIELDS)
    business = Business(slug=slug, status=Business.Status.PUBLISHED, **extra)
    _apply(business, cleaned)
    business.save()
    return business


def _locked_business(business: Business) -> Business:
    return Business.objects.select_for_update().get(pk=business.pk)


def _snapshot(business: Business) -> dict[str, Any]:
    return {"status": business.status, "owner": business.owner_id}


def approve_business(moderator: Any, business: Business) -> Business:
    require_moderator(moderator)
    with transaction.atomic():
        locked = _locked_business(business)
        if locked.status != Business.Status.PENDING:
            raise _not_pending()
        before = _snapshot(locked)
        locked.status = Business.Status.PUBLISHED
        locked.moderation_reason = ""
        if locked.proposer_is_owner and locked.proposed_by_id and locked.owner_id is None:
            locked.owner_id = locked.proposed_by_id
        locked.save()
        audit.record(moderator, "business.approve", locked, before=before, after=_snapshot(locked))
    return locked


def reject_business(moderator: Any, business: Business, reason: str) -> Business:
    require_moderator(moderator)
    text = _reason(reason)
    with transaction.atomic():
        locked = _locked_business(business)
        if locked.status != Business.Status.PENDING:
            raise _not_pending()
        locked.status = Business.Status.REJECTED
        locked.moderation_reason = text
        locked.save()
        audit.record(moderator, "business.reject", locked, note=text)
    return locked


def hide_business(moderator: Any, business: Business, reason: str) -> Business:
    require_moderator(moderator)
    text = _reason(reason)
    with transaction.atomic():
        locked = _locked_business(business)
        if locked.status != Business.Status.PUBLISHED:
            raise refuse(
                None,
                "not_published",
                "Hanya usaha yang tayang yang bisa disembunyikan.",
                "Only a published listing can be hidden.",
                status=409,
            )
        locked.status = Business.Status.HIDDEN
        locked.moderation_reason = text
        locked.save()
        audit.record(moderator, "business.hide", locked, note=text)
    return locked


def unhide_business(moderator: Any, business: Business) -> Business:
    require_moderator(moderator)
    with transaction.atomic():
        locked = _locked_business(business)
        if locked.status != Business.Status.HIDDEN:
            raise refuse(
                None,
                "not_hidden",
                "Usaha ini tidak sedang disembunyikan.",
                "This listing is not hidden.",
                status=409,
            )
        locked.status = Business.Status.PUBLISHED
        locked.moderation_reason = ""
        locked.save()
        audit.record(moderator, "business.unhide", locked)
    return locked


def _not_pending() -> Refused:
    return refuse(
        None,
        "not_pending",
        "Sudah diputuskan sebelumnya: tidak lagi menunggu moderasi.",
        "Already decided: it is no longer waiting for review.",
        status=409,
    )


# Claims ----------------------------------------------------------------------------------


def claim_business(user: Any, business: Business, *, message: str, contact_phone: str) -> Claim:
    """A resident asks to own an unowned published listing."""
    require_login(user)
    if not business.is_published:
        raise refuse(None, "not_found", "Usaha tidak ditemukan.", "Business not found.", 404)
    if business.owner_id is not None:
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


def _duplicate_claim() -> Refused:
    return refuse(
        None,
        "duplicate_claim",
        "Anda sudah mengklaim usaha ini; klaim Anda masih menunggu moderasi.",
        "You already claimed this business; your claim is waiting for review.",
        status=409,
    )


def _locked_claim(claim: Claim) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.status != Claim.Status.PENDING:
        raise _not_pending()
    return locked


def approve_claim(moderator: Any, claim: Claim) -> Claim:
    """The claimant becomes the owner; the listing's other pending claims are rejected."""
    require_moderator(moderator)
    now = timezone.now()
    with transaction.atomic():
        business = _locked_business(claim.business)
        locked = _locked_claim(claim)
        if business.owner_id is not None:
            raise refuse(
                None,
                "already_owned",
                "Usaha ini sudah punya pemilik; tolak klaim ini atau ubah pemilik di admin.",
                "This business already has an owner; reject this claim or change the owner "
                "in the admin.",
                status=409,
            )
        business.owner_id = locked.user_id
        business.save(update_fields=["owner", "updated_at"])
        locked.status = Claim.Status.APPROVED
        locked.reviewed_by = moderator
        locked.reviewed_at = now
        locked.save()
        others = Claim.objects.filter(business=business, status=Claim.Status.PENDING)
        for other in others.exclude(pk=locked.pk):
            other.status = Claim.Status.REJECTED
            other.reviewed_by = moderator
            other.reviewed_at = now
            other.reason = "Usaha ini sudah diklaim orang lain. / Another claim was approved."
            other.save()
            audit.record(moderator, "business.claim.reject", other, note=other.reason)
        audit.record(moderator, "business.claim.approve", locked, after={"owner": locked.user_id})
    return locked


def reject_claim(moderator: Any, claim: Claim, reason: str) -> Claim:
    require_moderator(moderator)
    text = _reason(reason)
    with transaction.atomic():
        locked = _locked_claim(claim)
        locked.status = Claim.Status.REJECTED
        locked.reviewed_by = moderator
        locked.reviewed_at = timezone.now()
        locked.reason = text
        locked.save()
        audit.record(moderator, "business.claim.reject", locked, note=text)
    return locked


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


def _locked_revision(revision: Revision) -> Revision:
    locked = Revision.objects.select_for_update().select_related("business").get(pk=revision.pk)
    if locked.status != Revision.Status.PENDING:
        raise _not_pending()
    return locked


def approve_revision(
    moderator: Any, revision: Revision, *, confirm_stale: bool = False
) -> Revision:
    """Apply exactly the proposed fields. A stale revision needs ``confirm_stale``."""
    require_moderator(moderator)
    with transaction.atomic():
        business = _locked_business(revision.business)
        locked = _locked_revision(revision)
        locked.business = business
        stale = locked.stale_fields
        if stale and not confirm_stale:
            raise refuse(
                "confirm_stale",
                "stale",
                "Usaha ini sudah berubah sejak perubahan ini diusulkan (isian: "
                f"{', '.join(stale)}). Menyetujuinya akan menimpa perubahan itu: centang "
                "konfirmasi, atau tolak dan minta pemilik mengusulkan ulang.",
                "The listing changed since this revision was proposed (fields: "
                f"{', '.join(stale)}). Approving overwrites that change: confirm, or reject it "
                "and ask the owner to propose again.",
                status=409,
            )
        if business.owner_id != locked.author_id:
            raise refuse(
                None,
                "not_owner",
                "Pengusul perubahan ini bukan lagi pemilik usaha; tolak perubahan ini.",
                "The author of this revision no longer owns the business; reject it.",
                status=409,
            )
        before = {name: field_value(business, name) for name in locked.changes}
        _apply(business, locked.changes)
        business.save()
        locked.status = Revision.Status.APPROVED
        locked.reviewed_by = moderator
        locked.reviewed_at = timezone.now()
        locked.save()
        audit.record(
            moderator, "business.revision.approve", locked, before=before, after=locked.changes
        )
    return locked


def reject_revision(moderator: Any, revision: Revision, reason: str) -> Revision:
    require_moderator(moderator)
    text = _reason(reason)
    with transaction.atomic():
        locked = _locked_revision(revision)
        locked.status = Revision.Status.REJECTED
        locked.reviewed_by = moderator
        locked.reviewed_at = timezone.now()
        locked.reason = text
        locked.save()
        audit.record(moderator, "business.revision.reject", locked, note=text)
    return locked


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

    def check(field: str, call: Any) -> Any:
        try:
            return call()
        except Refused as exc:
            problems.extend(exc.problems)
            return None

    if kind not in Promotion.Kind.values:
        problems.append(Problem("kind", "invalid", "Jenis tidak dikenal.", "Unknown kind."))
    title = check("title_id", lambda: _text("title_id", title_id, max_length=150, required=True))
    title_english = check("title_en", lambda: _text("title_en", title_en, max_length=150))
    body = check("body_id", lambda: _text("body_id", body_id, max_length=2000))
    body_english = check("body_en", lambda: _text("body_en", body_en, max_length=2000))
    problems.extend(_period_problems(starts_at, ends_at))
    location = None
    if lat is not None and lon is not None:
        point = check("location", lambda: _clean_field("location", {"lat": lat, "lon": lon}))
        location = geo.point(point["lat"], point["lon"]) if point else None
    if problems or starts_at is None or ends_at is None:
        raise Refused(problems)
    waiting = business.promotions.filter(status=Promotion.Status.PENDING).count()
    if waiting >= MAX_PENDING_PROMOTIONS_PER_BUSINESS:
        raise refuse(
            None,
            "too_many_pending",
            f"Sudah ada {waiting} promosi yang menunggu moderasi untuk usaha ini.",
            f"{waiting} promotions of this business are already waiting for review.",
            status=429,
        )
    return Promotion.objects.create(
        business=business,
        kind=kind,
        title_id=title,
        title_en=title_english,
        body_id=body,
        body_en=body_english,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        author=user,
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


def _locked_promotion(promotion: Promotion, *, expected: str) -> Promotion:
    locked = Promotion.objects.select_for_update().get(pk=promotion.pk)
    if locked.status != expected:
        if expected == Promotion.Status.PENDING:
            raise _not_pending()
        raise refuse(
            None,
            "wrong_status",
            "Status promosi ini sudah berubah; muat ulang halaman.",
            "This promotion's status has changed; reload the page.",
            status=409,
        )
    return locked


def _decide_promotion(
    moderator: Any, promotion: Promotion, *, expected: str, to: str, reason: str, verb: str
) -> Promotion:
    require_moderator(moderator)
    with transaction.atomic():
        locked = _locked_promotion(promotion, expected=expected)
        locked.status = to
        locked.reason = reason
        locked.reviewed_by = moderator
        locked.reviewed_at = timezone.now()
        locked.save()
        audit.record(moderator, f"business.promotion.{verb}", locked, note=reason)
    return locked


def approve_promotion(moderator: Any, promotion: Promotion) -> Promotion:
    return _decide_promotion(
        moderator,
        promotion,
        expected=Promotion.Status.PENDING,
        to=Promotion.Status.PUBLISHED,
        reason="",
        verb="approve",
    )


def reject_promotion(moderator: Any, promotion: Promotion, reason: str) -> Promotion:
    require_moderator(moderator)
    return _decide_promotion(
        moderator,
        promotion,
        expected=Promotion.Status.PENDING,
        to=Promotion.Status.REJECTED,
        reason=_reason(reason),
        verb="reject",
    )


def hide_promotion(moderator: Any, promotion: Promotion, reason: str) -> Promotion:
    require_moderator(moderator)
    return _decide_promotion(
        moderator,
        promotion,
        expected=Promotion.Status.PUBLISHED,
        to=Promotion.Status.HIDDEN,
        reason=_reason(reason),
        verb="hide",
    )


def unhide_promotion(moderator: Any, promotion: Promotion) -> Promotion:
    return _decide_promotion(
        moderator,
        promotion,
        expected=Promotion.Status.HIDDEN,
        to=Promotion.Status.PUBLISHED,
        reason="",
        verb="unhide",
    )
