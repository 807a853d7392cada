"""The list endpoints' queries and the moderators' bodies, read by serializers on ``lib.checks``.

``in_bbox`` is read by ``lib.bbox``; the rest by these serializers, which also give the OpenAPI
parameters and bodies. Problems are the bilingual ``errors.Invalid`` of ``lib.checks``, all at
once. What a moderator's reason must be is the moderation policy's (``moderation.rules``).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from geo_klik.business.models import Category, Promotion
from geo_klik.lib import checks

_ON = frozenset({"1", "true", "yes", "ya"})
_OFF = frozenset({"0", "false", "no", "tidak", ""})


class Switch(checks.CheckedField, serializers.BooleanField):
    """1 or 0 (also true/false, yes/no, ya/tidak, any case); absent or blank is 0."""

    def check(self, raw: Any) -> bool:
        value = str(raw or "").strip().lower()
        if value in _ON | _OFF:
            return value in _ON
        name = self.name
        raise self.refuse("invalid", f"{name} harus 1 atau 0.", f"{name} must be 1 or 0.")


class Among(checks.CheckedField, serializers.ChoiceField):
    """One of ``choices``, stripped; blank means any."""

    def __init__(self, *, unknown: tuple[str, str], **kwargs: Any) -> None:
        self.unknown = unknown
        super().__init__(required=False, **kwargs)

    def check(self, raw: Any) -> str:
        value = str(raw or "").strip()
        if value and value not in self.choices:
            raise self.refuse("invalid", *self.unknown)
        return value


class Words(checks.CheckedField, serializers.CharField):
    """Text to look for: the first 100 characters."""

    def check(self, raw: Any) -> str:
        return str(raw or "")[:100]


class DirectoryQuerySerializer(checks.CheckedSerializer):
    """``GET /api/businesses/``'s query (``in_bbox`` is read by ``lib.bbox``)."""

    q = Words(required=False, help_text="Text in name or description.")
    category = Among(
        choices=Category.choices,
        unknown=(
            "Kategori tidak dikenal. Pilihan: " + ", ".join(Category.values) + ".",
            "Unknown category. Choices: " + ", ".join(Category.values) + ".",
        ),
    )
    open_now = Switch(required=False, help_text="1: open right now.")


class PromotionQuerySerializer(checks.CheckedSerializer):
    """``GET /api/businesses/promotions/``'s query (``in_bbox`` is read by ``lib.bbox``)."""

    current = Switch(required=False, help_text="1: only those running now.")
    kind = Among(choices=Promotion.Kind.choices, unknown=("Jenis tidak dikenal.", "Unknown kind."))


class Said(checks.CheckedField, serializers.CharField):
    """Whatever was sent, as text (the moderation policy strips, requires and cuts it)."""

    def check(self, raw: Any) -> str:
        return str(raw or "")


class Confirmed(checks.CheckedField, serializers.BooleanField):
    """True for 1/true/yes/ya in any case; anything else, absent included, is no."""

    def check(self, raw: Any) -> bool:
        return str("" if raw is None else raw).lower() in _ON


class ModerationSerializer(checks.CheckedSerializer):
    """A moderator's decision: the reason (for reject and hide), confirm_stale (revisions)."""

    reason = Said(required=False, help_text="Shown to the author; needed to reject or hide.")
    confirm_stale = Confirmed(
        required=False, help_text="Approve a revision although the listing changed since."
    )
