"""What the field officers' API accepts: one ``CheckedSerializer`` per request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from rest_framework import serializers

from geo_klik.lib import errors, push_subscriptions
from geo_klik.lib.checks import CheckedField, CheckedSerializer, Coordinate, Text, finite_number
from geo_klik.reports import photos
from geo_klik.reports.actions import NewPhoto

MAX_ACCURACY_M = 100_000
MAX_TEXT = 2000


class UnitId(CheckedField, serializers.IntegerField):
    """A positive id."""

    def check(self, raw: Any) -> int:
        value = finite_number(raw) if not isinstance(raw, str) or raw.strip() else None
        if value is None or value != int(value) or not 0 < value < 2**63:
            raise self.refuse("invalid", "unit harus berupa id unit.", "unit must be a unit id.")
        return int(value)


class Accuracy(CheckedField, serializers.FloatField):
    def check(self, raw: Any) -> float | None:
        if raw in (None, ""):
            return None
        value = finite_number(raw)
        if value is None or not 0 <= value <= MAX_ACCURACY_M:
            raise self.refuse(
                "invalid", "accuracy_m harus angka meter.", "accuracy_m must be metres."
            )
        return value


class EpochMs(CheckedField, serializers.IntegerField):
    """When the phone took the fix (milliseconds since 1970, UTC); None: now."""

    def check(self, raw: Any) -> datetime | None:
        if raw in (None, ""):
            return None
        value = finite_number(raw)
        if value is None or not 0 < value < 10**14:
            raise self.refuse("invalid", "at harus milidetik sejak 1970.", "at must be epoch ms.")
        return datetime.fromtimestamp(value / 1000, tz=UTC)


class Photo(CheckedField, serializers.ImageField):
    """An optional photo taken with the phone, cleaned like the residents' (``reports.photos``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def check(self, raw: Any) -> NewPhoto | None:
        if not isinstance(raw, UploadedFile):
            return None
        try:
            return photos.clean_photo(photos.read_upload(raw, size=raw.size))
        except photos.InvalidPhoto as exc:
            raise self.refuse(exc.code, exc.message_id, exc.message_en) from None


class DutyInput(CheckedSerializer):
    unit = UnitId(help_text="Id of a unit of the officer's agency.")


class PositionInput(CheckedSerializer):
    lat = Coordinate(limit=90, required=True, help_text="Latitude (WGS84).")
    lon = Coordinate(limit=180, required=True, help_text="Longitude (WGS84).")
    accuracy_m = Accuracy(required=False, help_text="Accuracy in metres, 0 to 100000.")
    at = EpochMs(required=False, help_text="When the fix was taken (epoch ms).")


class NoInput(CheckedSerializer):
    """A step that reads no body."""


class ReasonInput(CheckedSerializer):
    reason = Text(max_length=MAX_TEXT, required=True, help_text="Why (required).")


class ResolveInput(CheckedSerializer):
    note = Text(max_length=MAX_TEXT, required=True, help_text="What was done (required).")
    photo = Photo(help_text="The after-photo (JPEG, PNG or WebP), multipart.")


class PushInput(CheckedSerializer):
    subscription = serializers.JSONField(help_text="PushSubscription.toJSON().")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"subscription": push_subscriptions.check("subscription", attrs["subscription"])}


def invalid_key() -> errors.Invalid:
    return errors.invalid(
        "Idempotency-Key",
        "required",
        "Idempotency-Key (UUID) wajib dikirim untuk setiap langkah.",
        "An Idempotency-Key (UUID) is required for every step.",
    )
