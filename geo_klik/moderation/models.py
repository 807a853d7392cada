"""The abstract models of moderated content: the hooks, and the review fields."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from geo_klik.moderation.rules import Policy


class Moderatable(models.Model):
    """A model moderators decide on; ``moderation`` says how, the hooks add its side effects.

    The concrete model declares ``status`` with its own choices. ``actions.moderate`` locks the
    row, checks the transition, then calls, in this order and inside one transaction:
    ``before_moderation`` (lock related rows, refuse), ``moderation_snapshot`` (the audit log's
    "before"), sets ``status`` and calls ``record_review``, saves, ``after_moderation`` (write
    related rows), and records ``moderation_audit`` in the audit log.
    """

    moderation: ClassVar[Policy]
    status: str  # a CharField of the concrete model, with its own choices

    class Meta:
        abstract = True

    def before_moderation(self, verb: str, by: Any, options: dict[str, Any]) -> None:
        """Lock and check related rows before the decision; raise ``Refused`` to stop it."""

    def moderation_snapshot(self, verb: str) -> dict[str, Any]:
        """What the audit log keeps as "before" (nothing unless the model says so)."""
        return {}

    def record_review(self, verb: str, by: Any, reason: str, now: dt.datetime) -> None:
        """Store who decided, when and why on the row (``reason`` is "" unless required)."""

    def after_moderation(self, verb: str, by: Any, now: dt.datetime) -> None:
        """Write what follows from the decision to other rows."""

    def moderation_audit(self, verb: str, before: dict[str, Any], note: str) -> dict[str, Any]:
        """The keyword arguments of ``audit.record`` for this decision."""
        return {"note": note}


class Reviewed(Moderatable):
    """A proposal a moderator reviews once: who reviewed it, when, and the reason given."""

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField("alasan / reason", max_length=500, blank=True)

    class Meta:
        abstract = True

    def record_review(self, verb: str, by: Any, reason: str, now: dt.datetime) -> None:
        self.reviewed_by = by
        self.reviewed_at = now
        self.reason = reason
