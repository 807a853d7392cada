"""A submitted report: its serializer, its Idempotency-Key and the digest of its body.

``ReportSubmissionSerializer`` is both the check of POST /api/reports/ and its OpenAPI
request schema: every field is named in each problem and said in two languages
(``lib.checks``). Nothing here trusts a type: JSON may
carry numbers where text is expected, multipart only strings, and junk anywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from geo_klik.lib import checks, errors
from geo_klik.reports import photos as photo_rules
from geo_klik.reports import queries
from geo_klik.reports.actions import NewPhoto
from geo_klik.reports.contact import MAX_EMAIL, MAX_PHONE, NotifyObject
from geo_klik.reports.models import Category

MAX_DESCRIPTION = 4000
MAX_NAME = 100
MAX_ACCURACY_M = 100_000.0
PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{5,29}")
IDEMPOTENCY_HEADER = "Idempotency-Key"


def given(raw: object) -> bool:
    return raw not in (None, "")


class CategoryCode(checks.CheckedField, serializers.SlugField):
    """An active category's code, as the Category."""

    def check(self, raw: Any) -> Category:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise self.refuse("required", "category wajib diisi.", "category is required.")
        category = queries.active_category(raw.strip()) if isinstance(raw, str) else None
        if category is None:
            raise self.refuse(
                "unknown_category",
                "Kategori tidak dikenal; daftar kategori ada di /api/categories/.",
                "Unknown category; the list of categories is at /api/categories/.",
            )
        return category


class PointCoordinate(checks.Coordinate):
    """``lat`` or ``lon``, required unless the position came as ``location``."""

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return empty if given(dictionary.get("location")) else dictionary.get(self.name)

    def run_validation(self, data: Any = empty) -> Any:
        if data is empty:
            raise SkipField
        return self.check(data)


class GeoJSONPoint(checks.CheckedField, serializers.JSONField):
    """``location``: a GeoJSON Point (or its JSON text, from multipart) as ``lat`` and ``lon``."""

    AMBIGUOUS = object()

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        raw = dictionary.get("location")
        if not given(raw):
            return empty
        if any(given(dictionary.get(name)) for name in ("lat", "lon")):
            return self.AMBIGUOUS
        return raw

    def run_validation(self, data: Any = empty) -> Any:
        if data is empty:
            raise SkipField
        if data is self.AMBIGUOUS:
            raise self.refuse(
                "ambiguous",
                "Kirim lat dan lon, atau location, bukan keduanya.",
                "Send lat and lon, or location, not both.",
            )
        return self.check(data)

    def check(self, raw: Any) -> dict[str, float]:
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except (ValueError, RecursionError):
                raw = None
        coordinates = raw.get("coordinates") if isinstance(raw, Mapping) else None
        if (
            not isinstance(raw, Mapping)
            or raw.get("type") != "Point"
            or not isinstance(coordinates, list)
            or len(coordinates) not in (2, 3)
        ):
            raise self.refuse(
                "invalid",
                "location harus berupa GeoJSON Point: "
                '{"type": "Point", "coordinates": [lon, lat]}.',
                'location must be a GeoJSON Point: {"type": "Point", "coordinates": [lon, lat]}.',
            )
        problems: list[errors.Problem] = []
        point: dict[str, float] = {}
        for name, raw_value, limit in (
            ("lon", coordinates[0], 180.0),
            ("lat", coordinates[1], 90.0),
        ):
            try:
                point[name] = checks.coordinate(name, raw_value, limit, report_as="location")
            except errors.Invalid as invalid:
                problems.extend(invalid.problems)
        if problems:
            raise errors.Invalid(problems)
        return point


class Accuracy(checks.CheckedField, serializers.FloatField):
    """GPS accuracy in metres, 0 to MAX_ACCURACY_M; None when absent or blank."""

    def check(self, raw: Any) -> float | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        value = checks.finite_number(raw)
        if value is None or not 0 <= value <= MAX_ACCURACY_M:
            raise self.refuse(
                "invalid",
                f"accuracy_m harus berupa angka meter dari 0 sampai {MAX_ACCURACY_M:g}.",
                f"accuracy_m must be a number of metres from 0 to {MAX_ACCURACY_M:g}.",
            )
        return value


class Phone(checks.Text):
    def problems(self, value: str) -> list[errors.Problem]:
        if not value or PHONE.fullmatch(value):
            return []
        return [
            errors.Problem(
                self.name,
                "invalid",
                "Nomor telepon tidak valid (angka, spasi, +, -, titik, kurung).",
                "Invalid phone number (digits, spaces, +, -, dots, brackets).",
            )
        ]


class PhotoUploads(checks.CheckedField, serializers.ListField):
    """The photos' bytes, after the cheap checks (count, size, type by content).

    DRF's ``request.data`` holds a multipart body's files beside its fields; a file sent in
    any other field is refused.
    """

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return dictionary

    def check(self, raw: Any) -> list[bytes]:
        files = uploaded_files(raw)
        problems = [photo_problem("unexpected_file", name) for name in files if name != "photos"]
        uploads = files.get("photos", [])
        if not uploads and raw.get("photos") not in (None, "", []):
            problems.append(photo_problem("not_a_file"))
        if len(uploads) > photo_rules.MAX_PHOTOS:
            problems.append(photo_problem("too_many", count=len(uploads)))
            raise errors.Invalid(problems)
        contents: list[bytes] = []
        for number, upload in enumerate(uploads, start=1):
            try:
                content = photo_rules.read_upload(upload, size=upload.size)
                photo_rules.check_format(content)
            except photo_rules.InvalidPhoto as exc:
                problems.append(invalid_photo(number, exc))
                continue
            contents.append(content)
        if problems:
            raise errors.Invalid(problems)
        return contents


def uploaded_files(data: Any) -> dict[str, list[UploadedFile]]:
    """The files of a multipart body by field name (a JSON body has none)."""
    lists = getattr(data, "lists", None)
    if not callable(lists):
        return {}
    files = {
        name: [value for value in values if isinstance(value, UploadedFile)]
        for name, values in lists()
    }
    return {name: uploads for name, uploads in files.items() if uploads}


def photo_problem(code: str, name: str = "photos", *, count: int = 0) -> errors.Problem:
    if code == "unexpected_file":
        return errors.Problem(
            name,
            code,
            "File hanya boleh dikirim pada isian photos.",
            "Files may only be sent in the photos field.",
        )
    if code == "not_a_file":
        return errors.Problem(
            "photos",
            code,
            "Foto dikirim sebagai file multipart/form-data pada isian photos.",
            "Photos are sent as multipart/form-data files in the photos field.",
        )
    return errors.Problem(
        "photos",
        code,
        f"Paling banyak {photo_rules.MAX_PHOTOS} foto (ada {count}).",
        f"At most {photo_rules.MAX_PHOTOS} photos (got {count}).",
    )


def invalid_photo(number: int, exc: photo_rules.InvalidPhoto) -> errors.Problem:
    return errors.Problem(
        "photos",
        exc.code,
        f"Foto ke-{number}: {exc.message_id}",
        f"Photo {number}: {exc.message_en}",
    )


class ReportSubmissionSerializer(checks.CheckedSerializer):
    """What a client sends to POST /api/reports/ (its position as lat and lon, or location)."""

    # validated_data: the keyword arguments of actions.create_report that come from the body
    # (category as a Category, lat, lon, accuracy_m, description, anonymous, the reporter's
    # name, phone and email, photos as cleaned NewPhotos).

    category = CategoryCode(help_text="A code from /api/categories/.")
    lat = PointCoordinate(limit=90.0, help_text="WGS84 latitude.")
    lon = PointCoordinate(limit=180.0, help_text="WGS84 longitude.")
    location = GeoJSONPoint(
        required=False,
        source="*",
        help_text='Instead of lat/lon: a GeoJSON Point {"type": "Point", "coordinates": '
        "[lon, lat]} (in multipart, its JSON text).",
    )
    accuracy_m = Accuracy(
        required=False, min_value=0, max_value=MAX_ACCURACY_M, help_text="GPS accuracy."
    )
    description = checks.Text(required=True, max_length=MAX_DESCRIPTION)
    anonymous = checks.Flag(help_text="If true, the reporter's contact details are not stored.")
    reporter_name = checks.Text(max_length=MAX_NAME)
    reporter_phone = Phone(max_length=MAX_PHONE)
    reporter_email = checks.Email(max_length=MAX_EMAIL)
    notify = NotifyObject(
        help_text="Optional: how the reporter wants to hear about this report, e.g. "
        '{"email": "...", "phone": "0812...", "language": "id"|"en", "channels": ["email"], '
        '"push_subscription": {...}} (a JSON string in a multipart form). Used only for '
        "notifications; see /api/reports/<code>/notifications/ to change it later.",
    )
    photos = PhotoUploads(
        child=serializers.ImageField(),
        required=False,
        max_length=photo_rules.MAX_PHOTOS,
        help_text="Multipart only, repeated field; JPEG, PNG or WebP, at most 10 MB each.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Decode and re-encode the photos, the costly part, once everything else is right."""
        cleaned: list[NewPhoto] = []
        problems: list[errors.Problem] = []
        budget = photo_rules.PixelBudget()  # one for the whole request
        for number, content in enumerate(attrs["photos"], start=1):
            try:
                cleaned.append(photo_rules.clean_photo(content, budget))
            except photo_rules.InvalidPhoto as exc:
                problems.append(invalid_photo(number, exc))
        if problems:
            raise errors.Invalid(problems)
        return {**attrs, "photos": cleaned}


def idempotency_key(raw: str | None) -> uuid.UUID | None:
    """The client's Idempotency-Key header as a UUID; None if absent; Invalid if malformed."""
    if raw is None or not raw.strip():
        return None
    try:
        return uuid.UUID(raw.strip())
    except (ValueError, AttributeError):
        raise errors.invalid(
            IDEMPOTENCY_HEADER,
            "invalid",
            "Idempotency-Key harus berupa UUID, misalnya 3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3b.",
            "Idempotency-Key must be a UUID, e.g. 3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3b.",
        ) from None


def body_sha256(data: Any, files: Mapping[str, Sequence[UploadedFile]]) -> str:
    """SHA-256 of a submission as sent: its fields as canonical JSON, each file by content.

    A multipart or urlencoded form gives every value of every field; files are named by the
    SHA-256 of their bytes (not their file names), so the same photos hash the same.
    """
    lists = getattr(data, "lists", None)
    fields: Any = (
        {name: values[0] if len(values) == 1 else values for name, values in lists()}
        if callable(lists)
        else data
    )
    canonical = {
        "fields": fields,
        "files": {name: [file_sha256(f) for f in uploads] for name, uploads in files.items()},
    }
    try:
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    except (RecursionError, TypeError, ValueError):
        text = repr(canonical)  # never reached for a parsed JSON body; still deterministic
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def file_sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
