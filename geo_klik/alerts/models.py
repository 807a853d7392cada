"""Area alerts: who asked to hear about which reports, what happened, and what was sent.

A *Subscriber* is whoever holds one management key (kept by the device that subscribed, and
reachable from the link in a confirmation e-mail); only its SHA-256 is stored, and nobody
manages subscriptions by e-mail address alone. An *AlertSubscription* asks for new reports
and/or resolutions in one kelurahan or within ``radius_m`` (at most 2 km) of a point, for
chosen categories, by e-mail or Web Push, at once or as a daily digest. An e-mail
subscription sends nothing until its address confirmed it (the link in the confirmation
e-mail); a push subscription is confirmed by the browser's own permission prompt.

An *AlertTrigger* is one report becoming news: its first routing ("new") or its first
resolution ("resolved"); one per report and kind. An *AlertDelivery* is one message to one
subscription (a confirmation, an alert, or a daily digest), with its attempts and back-off;
unique per subscription and trigger (and per subscription and day for digests), so a fan-out
retried after a crash sends nothing twice. Contact details (address, push subscription) are
personal data under UU No. 27/2022: used only to send these alerts, deleted with the
subscription on unsubscribe.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q

from geo_klik.boundaries.models import Kelurahan
from geo_klik.reports.models import Category, Report

MAX_RADIUS_M = 2000
MIN_RADIUS_M = 100


class Subscriber(models.Model):
    """Whoever holds one management key: the device that subscribed, or its e-mail's link."""

    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pelanggan peringatan / alert subscriber"
        verbose_name_plural = "pelanggan peringatan / alert subscribers"

    def __str__(self) -> str:
        return f"subscriber {self.pk}"


class AlertSubscription(models.Model):
    """New reports and/or resolutions in an area, for some categories, on one channel."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBPUSH = "webpush", "Web Push"

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Langsung / Immediately"
        DAILY = "daily", "Ringkasan harian / Daily digest"

    class Language(models.TextChoices):
        ID = "id", "Bahasa Indonesia"
        EN = "en", "English"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Personal data: used only to send alerts, never shown back in full.
    email = models.EmailField(max_length=254, blank=True)
    push_subscription = models.JSONField(null=True, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ID)
    # The area: a kelurahan, or a point and a radius (never both; see the check constraint).
    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    center = models.PointField(geography=True, srid=4326, null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    categories = models.ManyToManyField(Category, related_name="+")
    new_reports = models.BooleanField(default=True)
    resolutions = models.BooleanField(default=True)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    # None until the e-mail address confirmed it; nothing but the confirmation is sent before.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "langganan peringatan / alert subscription"
        verbose_name_plural = "langganan peringatan / alert subscriptions"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kelurahan__isnull=False, center__isnull=True, radius_m__isnull=True)
                    | Q(
                        kelurahan__isnull=True,
                        center__isnull=False,
                        radius_m__gte=MIN_RADIUS_M,
                        radius_m__lte=MAX_RADIUS_M,
                    )
                ),
                name="alert_one_area",
            ),
            models.CheckConstraint(
                condition=Q(new_reports=True) | Q(resolutions=True), name="alert_some_news"
            ),
            models.CheckConstraint(
                condition=(
                    Q(channel="email", push_subscription__isnull=True) & ~Q(email="")
                    | Q(channel="webpush", push_subscription__isnull=False, email="")
                ),
                name="alert_channel_contact",
            ),
        ]
        indexes = [
            models.Index(
                fields=["email", "created_at"],
                name="alert_pending_email_idx",
                condition=Q(confirmed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"alert subscription {self.pk} ({self.channel})"  # never the address


class AlertTrigger(models.Model):
    """A report became news: first routed ("new") or first resolved; one per report and kind."""

    class Kind(models.TextChoices):
        NEW = "new", "Laporan baru / New report"
        RESOLVED = "resolved", "Selesai / Resolved"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    # Set in the transaction that made its deliveries; None: the sweep fans it out.
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="one_trigger_per_kind"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="alert_trigger_pending_idx",
                condition=Q(fanned_out_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.report_id}"


class AlertDelivery(models.Model):
    """One message to one subscription: a confirmation, an alert or a digest."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", "Konfirmasi / Confirmation"
        ALERT = "alert", "Peringatan / Alert"
        DIGEST = "digest", "Ringkasan / Digest"

    class Status(models.TextChoices):
        HELD = "held", "Menunggu ringkasan / Waiting for the digest"
        IN_DIGEST = "in_digest", "Masuk ringkasan / In a digest"
        QUEUED = "queued", "Antre / Queued"
        SENT = "sent", "Terkirim / Sent"
        FAILED = "failed", "Gagal, dicoba lagi / Failed, will retry"
        GAVE_UP = "gave_up", "Gagal / Gave up"

    subscription = models.ForeignKey(
        AlertSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    trigger = models.ForeignKey(
        AlertTrigger, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    # An alert held for a daily digest points at the digest that carried it.
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    digest_day = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # The error's kind and a short reason, never the address or the endpoint.
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "trigger"],
                condition=Q(trigger__isnull=False),
                name="one_alert_per_trigger",
            ),
            models.UniqueConstraint(
                fields=["subscription", "digest_day"],
                condition=Q(kind="digest"),
                name="one_digest_per_day",
            ),
            models.UniqueConstraint(
                fields=["subscription"], condition=Q(kind="confirm"), name="one_confirmation"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="alert_delivery_due_idx",
                condition=Q(status__in=["queued", "failed"]),
            ),
            models.Index(
                fields=["subscription"],
                name="alert_delivery_held_idx",
                condition=Q(status="held"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"
