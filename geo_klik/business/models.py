"""The business directory (UMKM): listings, ownership claims, owners' revisions, promotions.

A *listing* (``Business``) is public once published. Residents propose new listings and claim
unowned ones; the owner of a listing proposes changes (``Revision``) and events or promotions
(``Promotion``). Every proposal waits for a moderator (``accounts.roles.MODERATING``), and only
published content is shown to anyone but its author and the moderators. The rules live in
``business.actions``; who sees what in ``business.queries``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q

from geo_klik.accounts import audit
from geo_klik.boundaries import cities
from geo_klik.boundaries import queries as boundary_queries
from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo, opening_hours
from geo_klik.lib.language import english, pick
from geo_klik.moderation.models import Moderatable, Reviewed
from geo_klik.moderation.rules import Policy, Refusal, Transition, refusal, refuse


class Category(models.TextChoices):
    """Kinds of UMKM in the city; the labels are for the admin, pages use ``CATEGORIES``."""

    CULINARY = "kuliner", "Kuliner / Culinary"
    EMBROIDERY = "bordir", "Bordir & sulaman / Embroidery"
    CRAFTS = "kerajinan", "Kerajinan / Crafts"
    FASHION = "konveksi", "Fesyen & konveksi / Fashion & garments"
    SOUVENIRS = "oleh_oleh", "Oleh-oleh / Souvenirs"
    LODGING = "penginapan", "Penginapan / Lodging"
    RETAIL = "kelontong", "Toko & kelontong / Shops & groceries"
    SERVICES = "jasa", "Jasa / Services"
    AGRICULTURE = "pertanian", "Pertanian / Agriculture"


# code -> (Indonesian name, English name, icon); the order is the display order.
CATEGORIES: dict[str, tuple[str, str, str]] = {
    Category.CULINARY: ("Kuliner", "Food and drink", "🍛"),
    Category.EMBROIDERY: ("Bordir & sulaman", "Embroidery", "🧵"),
    Category.CRAFTS: ("Kerajinan", "Crafts", "🏺"),
    Category.FASHION: ("Fesyen & konveksi", "Fashion and garments", "👕"),
    Category.SOUVENIRS: ("Oleh-oleh", "Souvenirs and snacks", "🎁"),
    Category.LODGING: ("Penginapan", "Lodging", "🏨"),
    Category.RETAIL: ("Toko & kelontong", "Shops and groceries", "🛒"),
    Category.SERVICES: ("Jasa", "Services", "🔧"),
    Category.AGRICULTURE: ("Pertanian", "Agriculture", "🌾"),
}
# Words a resident may search for that mean a category (both languages).
CATEGORY_WORDS: dict[str, str] = {
    Category.CULINARY: "makan minum restoran rumah makan kafe cafe food restaurant",
    Category.EMBROIDERY: "bordir sulaman embroidery",
    Category.CRAFTS: "kerajinan tangan suvenir crafts handicraft",
    Category.FASHION: "pakaian baju jahit konveksi tailor clothes fashion",
    Category.SOUVENIRS: "oleh-oleh oleh oleh souvenir snack keripik",
    Category.LODGING: "hotel homestay wisma penginapan losmen lodging guest house",
    Category.RETAIL: "toko warung kelontong sembako shop grocery",
    Category.SERVICES: "jasa bengkel laundry percetakan fotokopi servis repair printing",
    Category.AGRICULTURE: "tani kebun sayur pertanian farm agriculture",
}


def category_name(code: str) -> str:
    names = CATEGORIES.get(code)
    if names is None:
        return code
    return names[1] if english() else names[0]


def category_icon(code: str) -> str:
    names = CATEGORIES.get(code)
    return names[2] if names else "🏪"


# Moderation: the refusals every decision on the directory can give ----------------------

NOT_PENDING = refusal(
    None,
    "not_pending",
    "Sudah diputuskan sebelumnya: tidak lagi menunggu moderasi.",
    "Already decided: it is no longer waiting for review.",
    409,
)


def _policy(audit_prefix: str, transitions: dict[str, Transition]) -> Policy:
    return Policy(
        audit_prefix=audit_prefix,
        transitions=transitions,
        not_authenticated=refusal(
            None, "not_authenticated", "Masuk terlebih dahulu.", "Log in first.", 401
        ),
        permission_denied=refusal(
            None,
            "permission_denied",
            "Hanya moderator yang boleh melakukan ini.",
            "Only moderators may do this.",
            403,
        ),
        reason_missing=refusal("reason", "required", "Tuliskan alasannya.", "Give a reason."),
        reason_max_length=500,
    )


def _review(
    approved: str,
    rejected: str,
    *,
    hidden: str | None = None,
    not_hideable: Refusal = NOT_PENDING,
    not_hidden: Refusal = NOT_PENDING,
) -> dict[str, Transition]:
    """approve/reject from pending; with ``hidden``, also hide (from approved) and unhide."""
    pending = frozenset({"pending"})
    verbs = {
        "approve": Transition(pending, approved, NOT_PENDING),
        "reject": Transition(pending, rejected, NOT_PENDING, reason_required=True),
    }
    if hidden is not None:
        verbs["hide"] = Transition(
            frozenset({approved}), hidden, not_hideable, reason_required=True
        )
        verbs["unhide"] = Transition(frozenset({hidden}), approved, not_hidden)
    return verbs


def kelurahan_at(lat: float, lon: float, field: str = "location") -> Kelurahan:
    """The kelurahan of a listing's point; refuses points outside the city served."""
    kelurahan = boundary_queries.kelurahan_at(lat, lon)
    if kelurahan is None:
        city = cities.served().name
        raise refuse(
            field,
            "outside_city",
            f"Lokasi ini di luar {city}. Direktori hanya memuat usaha di dalam kota: "
            "pindahkan titik ke dalam wilayah kota.",
            f"This location is outside {city}. The directory lists businesses inside "
            "the city only: move the point into the city area.",
        )
    return kelurahan


class Business(Moderatable):
    """One UMKM listing: what it is, where, how to reach it and when it is open."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Tayang / Published"
        PENDING = "pending", "Menunggu moderasi / Pending review"
        REJECTED = "rejected", "Ditolak / Rejected"
        HIDDEN = "hidden", "Disembunyikan / Hidden"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField("nama usaha / name", max_length=120)
    category = models.CharField(max_length=20, choices=Category.choices)
    description_id = models.TextField("deskripsi (Indonesia)", max_length=2000, blank=True)
    description_en = models.TextField("description (English)", max_length=2000, blank=True)
    address = models.CharField("alamat / address", max_length=250, blank=True)
    location = models.PointField(srid=4326)
    location_approximate = models.BooleanField(
        default=False, help_text="Posisi perkiraan / approximate position (seeded, not surveyed)."
    )
    kelurahan = models.ForeignKey(
        "boundaries.Kelurahan", on_delete=models.PROTECT, null=True, blank=True, editable=False
    )
    phone = models.CharField("telepon / phone", max_length=30, blank=True)
    whatsapp = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    opening_hours = models.JSONField(
        "jam buka / opening hours",
        default=list,
        blank=True,
        validators=[opening_hours.validate],
        help_text='[{"days": [0, 1, 2, 3, 4], "opens": "08:00", "closes": "17:00"}], 0 = Monday',
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_businesses",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_businesses",
    )
    # The proposer said they run the business: approving the listing makes them its owner.
    proposer_is_owner = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.CharField(
        "alasan moderasi / moderation reason", max_length=500, blank=True
    )
    is_demo = models.BooleanField(default=False, help_text="Synthetic demo data (contoh).")
    verified = models.BooleanField(
        default=False, help_text="Checked by the city (terverifikasi / verified)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "usaha / business"
        verbose_name_plural = "usaha / businesses"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "category"], name="business_status_cat_idx")]

    objects: models.Manager[Business]

    moderation = _policy(
        "business",
        _review(
            "published",
            "rejected",
            hidden="hidden",
            not_hideable=refusal(
                None,
                "not_published",
                "Hanya usaha yang tayang yang bisa disembunyikan.",
                "Only a published listing can be hidden.",
                409,
            ),
            not_hidden=refusal(
                None,
                "not_hidden",
                "Usaha ini tidak sedang disembunyikan.",
                "This listing is not hidden.",
                409,
            ),
        ),
    )

    def __str__(self) -> str:
        return self.name

    def moderation_snapshot(self, verb: str) -> dict[str, Any]:
        return {"status": self.status, "owner": self.owner_id}

    def record_review(self, verb: str, by: Any, reason: str, now: dt.datetime) -> None:
        # A listing keeps only the reason of its last refusal or hiding.
        self.moderation_reason = reason
        approving = verb == "approve" and self.proposer_is_owner and self.proposed_by_id
        if approving and self.owner_id is None:
            self.owner_id = self.proposed_by_id

    def moderation_audit(self, verb: str, before: dict[str, Any], note: str) -> dict[str, Any]:
        if verb == "approve":
            return {"before": before, "after": self.moderation_snapshot(verb)}
        return {"note": note} if verb in ("reject", "hide") else {}

    def apply(self, changes: dict[str, Any]) -> None:
        """Set validated listing fields (``location`` as {"lat", "lon"}; it sets the kelurahan)."""
        for name, value in changes.items():
            if name == "location":
                self.location = geo.point(value["lat"], value["lon"])
                self.kelurahan = kelurahan_at(value["lat"], value["lon"])
            else:
                setattr(self, name, value)

    @property
    def description(self) -> str:
        return pick(self.description_id, self.description_en)

    @property
    def category_name(self) -> str:
        return category_name(self.category)

    @property
    def category_icon(self) -> str:
        return category_icon(self.category)

    @property
    def lat(self) -> float:
        return geo.lat_lon(self.location)[0]

    @property
    def lon(self) -> float:
        return geo.lat_lon(self.location)[1]

    @property
    def hours_text(self) -> str:
        return opening_hours.describe(self.opening_hours)

    @property
    def tel_url(self) -> str:
        return tel_link(self.phone)

    @property
    def whatsapp_url(self) -> str:
        return whatsapp_link(self.whatsapp)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        self.opening_hours = opening_hours.validate(self.opening_hours)


class Claim(Reviewed):
    """A resident's request to be recognised as the owner of an unowned listing."""

    class Status(models.TextChoices):
        PENDING = "pending", "Menunggu / Pending"
        APPROVED = "approved", "Disetujui / Approved"
        REJECTED = "rejected", "Ditolak / Rejected"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business_claims"
    )
    message = models.TextField(
        "pesan & bukti / message and evidence",
        max_length=2000,
        help_text="Why this is your business: e.g. NIB / SIUP number, your role.",
    )
    contact_phone = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "klaim usaha / business claim"
        verbose_name_plural = "klaim usaha / business claims"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "user"],
                condition=Q(status="pending"),
                name="business_one_pending_claim_per_user",
            )
        ]

    objects: models.Manager[Claim]

    moderation = _policy("business.claim", _review(Status.APPROVED, Status.REJECTED))

    def __str__(self) -> str:
        return f"{self.business} ← {self.user}"

    def before_moderation(self, verb: str, by: Any, options: dict[str, Any]) -> None:
        """Approving makes the claimant the owner, unless the listing has one by now."""
        if verb != "approve":
            return
        business = Business.objects.select_for_update().get(pk=self.business_id)
        if business.owner_id is not None:
            raise refuse(
                None,
                "already_owned",
                "Usaha ini sudah punya pemilik; tolak klaim ini atau ubah pemilik di admin.",
                "This business already has an owner; reject this claim or change the owner "
                "in the admin.",
                status=409,
            )
        business.owner_id = self.user_id
        business.save(update_fields=["owner", "updated_at"])
        self.business = business

    def after_moderation(self, verb: str, by: Any, now: dt.datetime) -> None:
        """An approved claim rejects the listing's other pending claims."""
        if verb != "approve":
            return
        others = Claim.objects.filter(business_id=self.business_id, status=Claim.Status.PENDING)
        for other in others.exclude(pk=self.pk):
            other.status = Claim.Status.REJECTED
            other.record_review("reject", by, ANOTHER_CLAIM_APPROVED, now)
            other.save()
            audit.record(by, "business.claim.reject", other, note=other.reason)

    def moderation_audit(self, verb: str, before: dict[str, Any], note: str) -> dict[str, Any]:
        if verb == "approve":
            return {"after": {"owner": self.user_id}}
        return {"note": note}


ANOTHER_CLAIM_APPROVED = "Usaha ini sudah diklaim orang lain. / Another claim was approved."


# The listing fields an owner may change through a revision (location as {"lat", "lon"}).
REVISABLE_FIELDS = (
    "name",
    "category",
    "description_id",
    "description_en",
    "address",
    "location",
    "phone",
    "whatsapp",
    "email",
    "website",
    "opening_hours",
)


def field_value(business: Business, name: str) -> Any:
    """A revisable field's value as JSON (the shape of ``Revision.changes``)."""
    if name == "location":
        lat, lon = geo.lat_lon(business.location)
        return {"lat": round(lat, 7), "lon": round(lon, 7)}
    return getattr(business, name)


class Revision(Reviewed):
    """A change to a listing proposed by its owner; a moderator's approval applies it.

    ``changes`` holds only the changed fields and their new values; ``base`` the values they had
    when the owner proposed. If a field's current value no longer equals its ``base`` (another
    revision or an admin changed it since), the revision is *stale*: approving it would undo
    that later change, so moderators see it flagged and must confirm.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Menunggu / Pending"
        APPROVED = "approved", "Disetujui / Approved"
        REJECTED = "rejected", "Ditolak / Rejected"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business_revisions"
    )
    changes = models.JSONField()
    base = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "perubahan usaha / business revision"
        verbose_name_plural = "perubahan usaha / business revisions"
        ordering = ["-created_at", "-id"]

    objects: models.Manager[Revision]

    moderation = _policy("business.revision", _review(Status.APPROVED, Status.REJECTED))

    def __str__(self) -> str:
        return f"{self.business}: {', '.join(sorted(self.changes))}"

    def before_moderation(self, verb: str, by: Any, options: dict[str, Any]) -> None:
        """Approving needs the author to still own the listing; a stale one ``confirm_stale``."""
        if verb != "approve":
            return
        self.business = Business.objects.select_for_update().get(pk=self.business_id)
        stale = self.stale_fields
        if stale and not options.get("confirm_stale"):
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
        if self.business.owner_id != self.author_id:
            raise refuse(
                None,
                "not_owner",
                "Pengusul perubahan ini bukan lagi pemilik usaha; tolak perubahan ini.",
                "The author of this revision no longer owns the business; reject it.",
                status=409,
            )

    def moderation_snapshot(self, verb: str) -> dict[str, Any]:
        if verb != "approve":
            return {}
        return {name: field_value(self.business, name) for name in self.changes}

    def after_moderation(self, verb: str, by: Any, now: dt.datetime) -> None:
        """An approved revision applies exactly the proposed fields to the listing."""
        if verb == "approve":
            self.business.apply(self.changes)
            self.business.save()

    def moderation_audit(self, verb: str, before: dict[str, Any], note: str) -> dict[str, Any]:
        if verb == "approve":
            return {"before": before, "after": self.changes}
        return {"note": note}

    @property
    def stale_fields(self) -> list[str]:
        """Fields changed on the listing since this revision was proposed (pending only)."""
        if self.status != self.Status.PENDING:
            return []
        return sorted(
            name
            for name in self.changes
            if name in self.base and field_value(self.business, name) != self.base[name]
        )

    @property
    def is_stale(self) -> bool:
        return bool(self.stale_fields)

    def diff(self) -> list[tuple[str, Any, Any]]:
        """(field, value when proposed, proposed value) for the moderators' queue."""
        return [(name, self.base.get(name), value) for name, value in sorted(self.changes.items())]


class Promotion(Reviewed):
    """An event or a promotion of a listing, shown between ``starts_at`` and ``ends_at``."""

    class Kind(models.TextChoices):
        EVENT = "event", "Acara / Event"
        PROMOTION = "promotion", "Promosi / Promotion"

    class Status(models.TextChoices):
        PENDING = "pending", "Menunggu moderasi / Pending review"
        PUBLISHED = "published", "Tayang / Published"
        REJECTED = "rejected", "Ditolak / Rejected"
        HIDDEN = "hidden", "Disembunyikan / Hidden"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="promotions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROMOTION)
    title_id = models.CharField("judul (Indonesia)", max_length=150)
    title_en = models.CharField("title (English)", max_length=150, blank=True)
    body_id = models.TextField("isi (Indonesia)", max_length=2000, blank=True)
    body_en = models.TextField("body (English)", max_length=2000, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Blank: at the business.
    location = models.PointField(srid=4326, null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="business_promotions",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "acara & promosi / event or promotion"
        verbose_name_plural = "acara & promosi / events and promotions"
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="promotion_ends_after_start"
            )
        ]

    objects: models.Manager[Promotion]

    moderation = _policy(
        "business.promotion",
        _review(
            Status.PUBLISHED,
            Status.REJECTED,
            hidden=Status.HIDDEN,
            not_hideable=refusal(
                None,
                "wrong_status",
                "Status promosi ini sudah berubah; muat ulang halaman.",
                "This promotion's status has changed; reload the page.",
                409,
            ),
            not_hidden=refusal(
                None,
                "wrong_status",
                "Status promosi ini sudah berubah; muat ulang halaman.",
                "This promotion's status has changed; reload the page.",
                409,
            ),
        ),
    )

    def __str__(self) -> str:
        return self.title_id

    def moderation_audit(self, verb: str, before: dict[str, Any], note: str) -> dict[str, Any]:
        return {"note": self.reason}  # "" when approving or unhiding, as the reason is

    @property
    def title(self) -> str:
        return pick(self.title_id, self.title_en)

    @property
    def body(self) -> str:
        return pick(self.body_id, self.body_en)

    @property
    def where(self) -> Any:
        """The point it happens at: its own location, else the business's."""
        return self.location or self.business.location


def tel_link(number: str) -> str:
    """``tel:`` URL of a typed phone number ("" when none)."""
    digits = re.sub(r"[^0-9+]", "", number)
    return f"tel:{digits}" if digits else ""


def whatsapp_link(number: str) -> str:
    """``https://wa.me/62...``: WhatsApp wants the international number without + or 0."""
    digits = re.sub(r"[^0-9]", "", number)
    if not digits:
        return ""
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return f"https://wa.me/{digits}"
