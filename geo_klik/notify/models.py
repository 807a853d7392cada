"""Who hears about a report, what they were told, and how each channel fared.

A *ReporterContact* holds the contact details the reporter chose to give for one report (all
optional: personal data under UU No. 27/2022, used only for notifications, never in logs,
public answers or maps). A *Message* gathers the public events of one report that happened in
quick succession (at most one message per report per minute: ``not_before``). A *Delivery* is
one message on one channel, with its own attempts and back-off, so a failing channel never
holds up the others.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from geo_klik.reports.models import Report, ReportEvent


class ReporterContact(models.Model):
    """The reporter's notification channels and language for one report."""

    class Language(models.TextChoices):
        ID = "id", "Bahasa Indonesia"
        EN = "en", "English"

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="contact")
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    # The browser's PushSubscription (endpoint and keys) as JSON; never shown to operators.
    push_subscription = models.JSONField(null=True, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ID)
    # Channel names (keys of settings.NOTIFY_CHANNELS) the reporter chose.
    channels = models.JSONField(default=list, blank=True)
    # Public events from this time on are told: the report's own creation when the contact came
    # with the report (routing may commit before the contact does), else when it was given.
    notify_from = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kontak pelapor / reporter contact"
        verbose_name_plural = "kontak pelapor / reporter contacts"

    def __str__(self) -> str:
        return f"contact {self.report_id}"  # never the details themselves


class Message(models.Model):
    """One notification to a report's reporter, covering one or more public events."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    events = models.ManyToManyField(ReportEvent, related_name="messages")
    language = models.CharField(max_length=2, choices=ReporterContact.Language.choices)
    # Events arriving before this time join this message; it is sent from this time on.
    not_before = models.DateTimeField(db_index=True)
    # Set when the message's deliveries were created (events no longer join it).
    sealed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # At most one open (unsealed) message per report: new events join it.
            models.UniqueConstraint(
                fields=["report"], condition=Q(sealed_at__isnull=True), name="one_open_message"
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} for report {self.report_id}"


class Delivery(models.Model):
    """One message on one channel: its attempts, back-off and outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Antre / Queued"
        SENT = "sent", "Terkirim / Sent"
        FAILED = "failed", "Gagal, dicoba lagi / Failed, will retry"
        GAVE_UP = "gave_up", "Gagal / Gave up"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # The error's kind and a short reason, never personal data (no address or number).
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="one_delivery_per_channel"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due_idx",
                condition=Q(status__in=["queued", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"
