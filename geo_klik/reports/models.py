"""KLIK reports: what a resident saw, where, and how to follow it.

A *KLIK* report (Kejadian Laporan Informasi Kota) is one incident a resident reports: a
category, a point, a description and up to three photos. It is committed before the client is
told it was accepted, and routed to the responsible SKPD afterwards by a Celery task (see
``geo_klik.dispatch``). A client-made ``idempotency_key`` makes a retried submission return the
original report instead of creating a second one. The ``tracking_code`` is the resident's
public handle on the report: short, unguessable, safe to share, and read-only. Acting as the
reporter (rating, reopening, commenting, adding photos) needs the *reporter secret*, given
once to the device that sent the report and stored here only as a hash.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.contrib.gis.db import models
from django.db.models import Q

from geo_klik.reports import credentials

# Longer than any secret we issue (32 characters): a longer one is refused unhashed.
MAX_REPORTER_SECRET = 128


def hash_reporter_secret(raw: str) -> str:
    """SHA-256 of a reporter's secret (random, high-entropy: no slow hash needed)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class Category(models.Model):
    """A kind of incident residents can report, with its priority and service-level targets."""

    class Priority(models.IntegerChoices):
        CRITICAL = 1, "Kritis / Critical"
        HIGH = 2, "Tinggi / High"
        MEDIUM = 3, "Sedang / Medium"
        LOW = 4, "Rendah / Low"

    code = models.SlugField(max_length=40, unique=True)
    name_id = models.CharField("nama (Indonesia)", max_length=100)
    name_en = models.CharField("name (English)", max_length=100)
    description_id = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    icon = models.CharField(max_length=8, blank=True, help_text="An emoji shown in the picker.")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    ack_target = models.DurationField(
        default=timedelta(hours=1), help_text="Target time from acceptance to acknowledgement."
    )
    resolve_target = models.DurationField(
        default=timedelta(days=3), help_text="Target time from acceptance to resolution."
    )
    sensitive = models.BooleanField(
        default=False,
        help_text="Never shown precisely in public (about 100 m) and never with photos (crime).",
    )
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = "kategori / category"
        verbose_name_plural = "kategori / categories"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.name_id} / {self.name_en}"


class Report(models.Model):
    """One KLIK incident report."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Diterima / Received"
        ROUTED = "routed", "Diteruskan / Routed"
        TRIAGE = "triage", "Ditelaah Command Center / In Command Center triage"
        ACKNOWLEDGED = "acknowledged", "Ditangani / Acknowledged"
        DISPATCHED = "dispatched", "Petugas dikirim / Dispatched"
        ON_SCENE = "on_scene", "Petugas di lokasi / On scene"
        RESOLVED = "resolved", "Selesai / Resolved"
        CLOSED = "closed", "Ditutup / Closed"
        REJECTED = "rejected", "Ditolak / Rejected"
        DUPLICATE = "duplicate", "Duplikat / Duplicate"
        TRANSFERRED = "transferred", "Dialihkan / Transferred"

    OPEN_STATUSES = (
        Status.RECEIVED,
        Status.ROUTED,
        Status.TRIAGE,
        Status.ACKNOWLEDGED,
        Status.DISPATCHED,
        Status.ON_SCENE,
        Status.TRANSFERRED,
    )

    class Source(models.TextChoices):
        API = "api", "API"
        WEB = "web", "Web"
        OPEN311 = "open311", "Open311"

    tracking_code = models.CharField(max_length=16, unique=True)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True)
    # SHA-256 of the body first sent under idempotency_key: a retry must send the same body
    # (empty for reports made before it was kept, and for reports sent without a key).
    body_sha256 = models.CharField(max_length=64, blank=True, default="", db_default="")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    location = models.PointField(srid=4326)
    accuracy_m = models.FloatField(null=True, blank=True)
    description = models.TextField(max_length=4000)
    kelurahan = models.ForeignKey(
        "boundaries.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    address = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    # Personal data: never in public responses, logs or maps.
    reporter_name = models.CharField(max_length=100, blank=True)
    reporter_phone = models.CharField(max_length=30, blank=True)
    reporter_email = models.EmailField(blank=True)
    anonymous = models.BooleanField(default=False)
    # SHA-256 of the reporter's secret (see actions.reporter_secret_for); empty for reports
    # made before secrets existed and for Open311 requests: nobody can act as their reporter.
    reporter_secret_sha256 = models.CharField(max_length=64, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    routing_enqueued_at = models.DateTimeField(null=True, blank=True)
    # Set by change_status when the report becomes resolved, cleared when it is reopened:
    # the start of the 14-day reopening window and of "recently resolved" on the public map.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "laporan / report"
        verbose_name_plural = "laporan / reports"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="report_unrouted_idx",
                condition=Q(routed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_resolved(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.CLOSED)

    @property
    def has_reporter_secret(self) -> bool:
        return bool(self.reporter_secret_sha256)

    def is_reporter(self, secret: object) -> bool:
        """Whether ``secret`` is this report's reporter secret or its link token.

        Constant-time comparisons; the link token (reports.credentials) is what notifications
        carry, since the secret itself is kept only as a hash.
        """
        if (
            not self.reporter_secret_sha256
            or not isinstance(secret, str)
            or not 0 < len(secret) <= MAX_REPORTER_SECRET
        ):
            return False
        if credentials.is_link_token(self.pk, self.reporter_secret_sha256, secret):
            return True
        return hmac.compare_digest(hash_reporter_secret(secret), self.reporter_secret_sha256)


class ReportPhoto(models.Model):
    """A photo attached to a report, re-encoded without metadata and stored by content hash."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    # Set for a photo a resident added later with a comment; None for the report's own photos.
    event = models.ForeignKey(
        "ReportEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    image = models.ImageField(upload_to="photos/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.sha256[:12]


class ReportEvent(models.Model):
    """One entry of a report's timeline: a status change, an agency's note, a resident's comment.

    Every status change goes through ``reports.actions.change_status``, which writes the new
    status and its event together, so the timeline is the report's history. The operator
    workflow records its steps here too (``actor=staff``, with the agency); ``public=False``
    keeps an internal note off the tracking page.
    """

    class Kind(models.TextChoices):
        STATUS = "status", "Status berubah / Status changed"
        NOTE = "note", "Catatan petugas / Agency note"
        COMMENT = "comment", "Komentar warga / Resident comment"
        RATING = "rating", "Penilaian warga / Resident rating"

    class Actor(models.TextChoices):
        RESIDENT = "resident", "Warga / Resident"
        STAFF = "staff", "Petugas / Staff"
        SYSTEM = "system", "Sistem / System"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.CharField(max_length=10, choices=Actor.choices)
    status_from = models.CharField(max_length=20, choices=Report.Status.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=Report.Status.choices, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    public = models.BooleanField(default=True)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.status_to}"


class ReportSupport(models.Model):
    """A resident saying "me too" on an open report instead of filing a duplicate.

    ``supporter_key`` is a random id the resident's browser keeps, so a second tap does not
    count twice; it identifies no one. ``address_digest`` is a keyed hash of the client's
    address (never the address itself), so clearing the browser does not count twice either:
    support counts once per device and once per address.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    supporter_key = models.UUIDField()
    # Empty for supports counted before addresses were (rows from then are not compared).
    address_digest = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "supporter_key"], name="one_support_each"),
            models.UniqueConstraint(
                fields=["report", "address_digest"],
                condition=~Q(address_digest=""),
                name="one_support_per_address",
            ),
        ]


class ReportRating(models.Model):
    """The resident's 1-5 star verdict on a resolved report (rating again replaces it)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="rating")
    stars = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5"
            ),
        ]
