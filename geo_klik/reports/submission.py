"""What residents send: a report (its serializer, Idempotency-Key and digest) and follow-ups.

``ReportSubmissionSerializer`` is both the check of POST /api/reports/ and its OpenAPI
request schema, and so are the follow-up serializers for theirs: every field is named in each
problem and said in two languages (``lib.checks``). Nothing here trusts a type: JSON may
carry numbers where text is expected, multipart only strings, and junk anywhere.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from geo_klik.lib import bbox, checks, errors
from geo_klik.reports import photos as photo_rules
from geo_klik.reports import queries
from geo_klik.reports.actions import NewPhoto
from geo_klik.reports.models import Category

MAX_DESCRIPTION = 4000
MAX_NAME = 100
MAX_PHONE = 30
MAX_EMAIL = 254
MAX_ACCURACY_M = 100_000.0
MAX_COMMENT = 2000
MAX_RATING_COMMENT = 1000
MAX_REASON = 1000
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


class Email(checks.Text, serializers.EmailField):
    def problems(self, value: str) -> list[errors.Problem]:
        if not value:
            return []
        try:
            validate_email(value)
        except ValidationError:
            return [
                errors.Problem(
                    self.name,
                    "invalid",
                    "Alamat email tidak valid.",
                    "Invalid email address.",
                )
            ]
        return []


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
    reporter_email = Email(max_length=MAX_EMAIL)
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


# ---- the residents' follow-up ----------------------------------------------------------------

FOLLOW_UP_NOT_AN_OBJECT = errors.Problem(
    "body",
    "not_an_object",
    "Isi permintaan harus berupa objek JSON atau formulir.",
    "The request body must be a JSON object or a form.",
)


class NearbySerializer(checks.CheckedSerializer):
    """GET /api/reports/nearby/'s parameters: open reports of this category near this point."""

    category = CategoryCode(help_text="A code from /api/categories/.")
    lat = checks.Coordinate(limit=90.0, required=True, help_text="WGS84 latitude.")
    lon = checks.Coordinate(limit=180.0, required=True, help_text="WGS84 longitude.")


class Stars(checks.CheckedField, serializers.IntegerField):
    """1 to 5 stars: a JSON integer or its text (not a float, not a boolean)."""

    def check(self, raw: Any) -> int:
        try:
            stars = int(str(raw)) if not isinstance(raw, bool | float) else None
        except ValueError:
            stars = None
        if stars is None or not 1 <= stars <= 5:
            raise self.refuse("invalid", "Pilih 1 sampai 5 bintang.", "Choose from 1 to 5 stars.")
        return stars


class RatingSerializer(checks.CheckedSerializer):
    """POST /api/reports/<code>/rating/."""

    not_an_object = FOLLOW_UP_NOT_AN_OBJECT
    stars = Stars(min_value=1, max_value=5)
    comment = checks.Text(max_length=MAX_RATING_COMMENT)


class ReopenSerializer(checks.CheckedSerializer):
    """POST /api/reports/<code>/reopen/."""

    not_an_object = FOLLOW_UP_NOT_AN_OBJECT
    reason = checks.Text(required=True, max_length=MAX_REASON)


class CommentPhoto(checks.CheckedField, serializers.ImageField):
    """The files of a multipart comment; checked by ``CommentSerializer.validate``."""

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return dictionary

    def check(self, raw: Any) -> dict[str, list[UploadedFile]]:
        return uploaded_files(raw)


class CommentSerializer(checks.CheckedSerializer):
    """POST /api/reports/<code>/comments/: text, and one optional photo (multipart)."""

    not_an_object = FOLLOW_UP_NOT_AN_OBJECT
    text = checks.Text(required=True, max_length=MAX_COMMENT)
    photo = CommentPhoto(required=False, help_text="Multipart only: one JPEG, PNG or WebP.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The one photo, cleaned (None without one), once the text is right."""
        uploads: dict[str, list[UploadedFile]] = attrs["photo"]
        files = uploads.get("photo", [])
        if len(files) > 1 or set(uploads) - {"photo"}:
            raise errors.invalid(
                "photo", "too_many", "Kirim satu foto saja.", "Send one photo only."
            )
        photo = None
        if files:
            try:
                content = photo_rules.read_upload(files[0], size=files[0].size)
                photo_rules.check_format(content)
                photo = photo_rules.clean_photo(content)
            except photo_rules.InvalidPhoto as exc:
                raise errors.invalid("photo", exc.code, exc.message_id, exc.message_en) from None
        return {**attrs, "photo": photo}


# ---- the public map's filter -----------------------------------------------------------------


class FilterWord(checks.CheckedField, serializers.CharField):
    """A query parameter that ``accepts`` decides on; None when absent or blank."""

    code = "invalid"
    message = message_en = ""

    def check(self, raw: Any) -> str | None:
        if not raw:
            return None
        if not self.accepts(raw):
            raise self.refuse(self.code, self.message, self.message_en)
        return str(raw)

    def accepts(self, value: str) -> bool:
        raise NotImplementedError


class StatusGroup(FilterWord):
    message, message_en = "status harus open atau resolved.", "status must be open or resolved."

    def accepts(self, value: str) -> bool:
        return value in queries.MAP_STATUS_GROUPS


class CategoryCodeFormat(FilterWord):
    """A category code by its form only: the feed's filter matches nothing for an unknown one."""

    code, message, message_en = "unknown_category", "Kategori tidak dikenal.", "Unknown category."

    def accepts(self, value: str) -> bool:
        return bool(queries.CATEGORY_CODE.fullmatch(value))


class KelurahanCode(FilterWord):
    """A Kemendagri code such as 13.75.01.1001."""

    message, message_en = "Kode kelurahan tidak valid.", "Invalid kelurahan code."

    def accepts(self, value: str) -> bool:
        return len(value) <= 20 and all(part.isdigit() for part in value.split("."))


class Days(checks.CheckedField, serializers.IntegerField):
    """Created within this many days, 1-365; 30 when absent."""

    def check(self, raw: Any) -> int:
        text = raw or "30"
        if not (isinstance(text, str) and text.isdigit() and 1 <= int(text) <= 365):
            raise self.refuse(
                "invalid",
                "days harus bilangan bulat dari 1 sampai 365.",
                "days must be a whole number from 1 to 365.",
            )
        return int(text)


class Viewport(checks.CheckedField, serializers.CharField):
    """``in_bbox`` (``lib.bbox``) as (west, south, east, north); None when absent."""

    def check(self, raw: Any) -> tuple[float, float, float, float] | None:
        return viewport(raw) if raw else None


@functools.lru_cache(maxsize=4096)
def viewport(raw: str) -> tuple[float, float, float, float]:
    # Remembered: a map surge asks for the same few viewports, and parsing builds a GEOS box.
    box = bbox.parse_bbox(raw)
    assert box is not None  # noqa: S101 (raw is not empty)
    west, south, east, north = box.extent
    return west, south, east, north


class MapFilterSerializer(checks.CheckedSerializer):
    """GET /api/map/reports.geojson's filters, as ``queries.MapFilter``'s keyword arguments."""

    status = StatusGroup(
        source="status_group", required=False, help_text="open | resolved; default both."
    )
    days = Days(required=False, min_value=1, max_value=365, help_text="Default 30.")
    category = CategoryCodeFormat(required=False, help_text="A code from /api/categories/.")
    kelurahan = KelurahanCode(source="kelurahan_code", required=False, help_text="Kemendagri code.")
    in_bbox = Viewport(source="bbox", required=False, help_text="min_lon,min_lat,max_lon,max_lat")


# ---- the Idempotency-Key and the body's digest --------------------------------------------------


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
