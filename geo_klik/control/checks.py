"""What the staff API accepts: one ``CheckedSerializer`` per request, also its OpenAPI schema.

The staff API is lenient where its clients (the console, field phones) send loose values, and
these fields keep its answers exactly (``tests/control/staff_error_bodies.json``): text that is
not text counts as blank (the workflow step then says what is required), ids may be numbers,
numeric text or lists of them, a photo field that carries no file is no photo. What a value
means for the report (required note, unit of an assigned agency, active agency...) is the
workflow's to say; whether the user may act is the view's permission and the step's own check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.core.files.uploadedfile import UploadedFile
from rest_framework import serializers

from geo_klik.agencies.models import Agency
from geo_klik.lib import errors, geo
from geo_klik.lib.checks import CheckedField, CheckedSerializer, finite_number
from geo_klik.reports import photos
from geo_klik.reports.actions import NewPhoto

MAX_ACCURACY_M: Final = 100_000


class LooseText(CheckedField, serializers.CharField):
    """Text as sent; anything but text is blank. Steps strip it and say when it is required."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def check(self, raw: Any) -> str:
        return raw if isinstance(raw, str) else ""


def repeated(dictionary: Mapping[str, Any], name: str) -> Any:
    """Every value of a repeated form field (a list), else the JSON value (None when absent)."""
    raw = dictionary.get(name)
    getlist = getattr(dictionary, "getlist", None)
    return (getlist(name) if getlist else None) or raw


def ids_of(name: str, raw: Any) -> list[int]:
    """Ids from an id, numeric text or a list of them; blanks and nulls are skipped."""
    items = raw if isinstance(raw, list) else [raw]
    try:
        return [int(x) for x in items if x not in (None, "")]
    except (TypeError, ValueError):
        raise errors.invalid(
            name, "invalid", f"{name} harus berupa id.", f"{name} must be ids."
        ) from None


class Ids(CheckedField, serializers.ListField):
    """A list of ids (JSON list, one id, or a repeated form field); may be empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(child=serializers.IntegerField(), **kwargs)

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return repeated(dictionary, self.name)

    def check(self, raw: Any) -> list[int]:
        return ids_of(self.name, raw)


class FirstId(CheckedField, serializers.IntegerField):
    """One id: the first of what ``Ids`` reads, 0 (no report) when none is given."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return repeated(dictionary, self.name)

    def check(self, raw: Any) -> int:
        return (ids_of(self.name, raw) or [0])[0]


class AgencyCode(CheckedField, serializers.CharField):
    """The code of an existing agency (active or not: the transfer step says)."""

    def check(self, raw: Any) -> Agency:
        agency = Agency.objects.filter(code=str(raw)).first() if raw else None
        if agency is None:
            raise self.refuse("invalid", "SKPD tujuan tidak dikenal.", "Unknown target agency.")
        return agency


class Photo(CheckedField, serializers.ImageField):
    """An optional uploaded photo, cleaned (``reports.photos``); a field with no file is none."""

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


class StaffNoInput(CheckedSerializer):
    """The schema of a step that reads no body (whatever comes is not even parsed)."""


class StaffDispatchInput(CheckedSerializer):
    units = Ids(
        source="unit_ids", help_text="Ids of available units of the report's assigned agencies."
    )


class StaffResolveInput(CheckedSerializer):
    note = LooseText(help_text="What was done (required).")
    photo = Photo(help_text="An after photo (JPEG, PNG or WebP), multipart only.")


class StaffNoteInput(CheckedSerializer):
    note = LooseText(help_text="Optional note.")


class StaffReasonInput(CheckedSerializer):
    reason = LooseText(help_text="Why (required).")


class StaffTransferInput(CheckedSerializer):
    agency = AgencyCode(help_text="Code of the agency (SKPD) to hand the report to.")
    reason = LooseText(help_text="Why (required).")


class StaffMergeInput(CheckedSerializer):
    into = FirstId(source="into_id", help_text="Id of the open report this one duplicates.")
    note = LooseText(help_text="Optional note.")


ABSENT: Final = object()


class Given(CheckedField):
    """A value kept raw, ``ABSENT`` when the key is not sent (a null is sent)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return dictionary.get(self.name) if self.name in dictionary else ABSENT

    def check(self, raw: Any) -> Any:
        return raw


class GivenNumber(Given, serializers.FloatField):
    pass


class GivenText(Given, serializers.CharField):
    pass


def accuracy_of(raw: Any) -> float | None:
    """Metres between 0 and ``MAX_ACCURACY_M``; None when not given."""
    if raw in (ABSENT, None, ""):
        return None
    value = finite_number(raw) if not isinstance(raw, bool) else float(raw)
    if value is None or not 0 <= value <= MAX_ACCURACY_M:
        raise errors.invalid(
            "accuracy_m", "invalid", "accuracy_m harus angka meter.", "accuracy_m must be metres."
        )
    return value


class StaffUnitUpdateInput(CheckedSerializer):
    """A position (lat and lon, with accuracy_m), a status, or both; one problem at a time."""

    lat = GivenNumber(help_text="Latitude (WGS84), with lon.")
    lon = GivenNumber(help_text="Longitude (WGS84), with lat.")
    accuracy_m = GivenNumber(help_text="Accuracy of the position in metres, 0 to 100000.")
    status = GivenText(help_text="available, en_route, on_scene or off_duty.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lat = lon = accuracy = None
        if attrs["lat"] is not ABSENT or attrs["lon"] is not ABSENT:
            try:
                lat, lon = geo.parse_lat_lon(*(none_if_absent(attrs[k]) for k in ("lat", "lon")))
            except geo.InvalidCoordinates as exc:
                raise errors.invalid(exc.field, "invalid", exc.message_id, exc.message_en) from None
            accuracy = accuracy_of(attrs["accuracy_m"])
        status = none_if_absent(attrs["status"])
        if lat is None and status is None:
            raise errors.invalid(
                None,
                "invalid",
                "Kirim posisi (lat, lon) atau status.",
                "Send a position (lat, lon) or a status.",
            )
        return {
            "lat": lat,
            "lon": lon,
            "accuracy_m": accuracy,
            "status": None if status is None else str(status),
        }


def none_if_absent(value: Any) -> Any:
    return None if value is ABSENT else value


class StaffTokenInput(CheckedSerializer):
    username = LooseText()
    password = LooseText(style={"input_type": "password"})


class StaffAuditQuery(CheckedSerializer):
    object_id = LooseText(help_text="Only the entries about this object (first 40 characters).")
