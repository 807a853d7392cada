"""The field officers' phones: their actions sent exactly once, push subscriptions, alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FieldAction(models.Model):
    """A step an officer's phone sent, by its Idempotency-Key: a repeat gets the same answer.

    The phone keeps each step (and its photo) in its outbox until the server has it; a step
    sent twice (the answer lost on a bad network, a retry after reconnecting) is taken once.
    The row is written in the step's own transaction, so it exists exactly when the step did.
    """

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="field_actions"
    )
    key = models.UUIDField()
    kind = models.CharField(max_length=20)
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    body_sha256 = models.CharField(max_length=64)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["officer", "key"], name="field_action_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.report_id} ({self.key})"


class OfficerPushSubscription(models.Model):
    """A browser of an officer that is told of new dispatches (Web Push, checked endpoint)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="field_push"
    )
    endpoint = models.CharField(max_length=2048, unique=True)
    subscription = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"push of {self.officer_id}"


class DispatchAlert(models.Model):
    """ "Your unit was dispatched": one per unit assignment, made in the dispatch's transaction
    and sent to the crewing officer's browsers; the beat sweep sends what the broker lost."""

    class State(models.TextChoices):
        PENDING = "pending", "Menunggu / Pending"
        SENT = "sent", "Terkirim / Sent"
        NOBODY = "nobody", "Tanpa penerima / No recipient"

    assignment = models.OneToOneField(
        "dispatch.UnitAssignment", on_delete=models.CASCADE, related_name="field_alert"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"], name="dispatchalert_state_idx")]

    def __str__(self) -> str:
        return f"alert {self.assignment_id} {self.state}"
