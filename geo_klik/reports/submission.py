"""Checking a submitted report: every field, each problem named and said in two languages.

The intake API hands the parsed body (a JSON object or multipart fields) and the uploaded
files to ``parse``, which returns a ``Submission`` ready for ``actions.create_report`` or
raises ``errors.Invalid`` listing every problem found. Nothing here trusts a type: JSON may
carry numbers where text is expected, multipart only strings, and junk anywhere.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email

from geo_klik.lib import errors, geo
from geo_klik.reports import photos as photo_rules
from geo_klik.reports import queries
from geo_klik.reports.actions import NewPhoto
from geo_klik.reports.models import Category

MAX_DESCRIPTION = 4000
MAX_NAME = 100
MAX_PHONE = 30
MAX_EMAIL = 254
MAX_ACCURACY_M = 100_000.0
PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{5,29}")
IDEMPOTENCY_HEADER = "Idempotency-Key"
_TRUE = {"true", "1", "yes", "on", "ya"}
_FALSE = {"false", "0", "no", "off", "tidak", ""}


@dataclass
class Submission:
    """A checked report submission (photos already cleaned)."""

    category: Category
    lat: float
    lon: float
    description: str
    accuracy_m: float | None = None
    photos: list[NewPhoto] = field(default_factory=list)
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    anonymous: bool = False


class Problems(list[errors.Problem]):
    """The problems found so far."""

    def add(self, field_name: str | None, code: str, message: str, message_en: str) -> None:
        self.append(errors.Problem(field_name, code, message, message_en))


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


def parse(data: Any, files: Mapping[str, Sequence[UploadedFile]]) -> Submission:
    """Check a submission; raise errors.Invalid naming every bad field."""
    if not isinstance(data, Mapping):
        raise errors.invalid(
            "body",
            "not_an_object",
            "Isi permintaan harus berupa objek JSON atau formulir multipart.",
            "The request body must be a JSON object or a multipart form.",
        )
    problems = Problems()
    category = parse_category(data.get("category"), problems)
    location = parse_location(data, problems)
    accuracy_m = parse_accuracy(data.get("accuracy_m"), problems)
    description = text(data, "description", problems, max_length=MAX_DESCRIPTION, required=True)
    anonymous = parse_boolean(data.get("anonymous"), "anonymous", problems)
    name = text(data, "reporter_name", problems, max_length=MAX_NAME)
    phone = parse_phone(text(data, "reporter_phone", problems, max_length=MAX_PHONE), problems)
    email = parse_email(text(data, "reporter_email", problems, max_length=MAX_EMAIL), problems)
    uploads = photo_uploads(data, files, problems)
    if problems or category is None or location is None:
        raise errors.Invalid(problems)
    cleaned = clean_photos(uploads, problems)
    if problems:
        raise errors.Invalid(problems)
    return Submission(
        category=category,
        lat=location[0],
        lon=location[1],
        description=description,
        accuracy_m=accuracy_m,
        photos=cleaned,
        reporter_name=name,
        reporter_phone=phone,
        reporter_email=email,
        anonymous=anonymous,
    )


def text(
    data: Mapping[str, Any],
    name: str,
    problems: Problems,
    *,
    max_length: int,
    required: bool = False,
) -> str:
    """A text field, stripped; PostgreSQL-unsafe text (NUL, lone surrogates) is refused."""
    raw = data.get(name)
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        problems.add(name, "invalid", f"{name} harus berupa teks.", f"{name} must be text.")
        return ""
    value = raw.strip()
    if "\x00" in value or not _encodable(value):
        problems.add(
            name,
            "invalid_characters",
            f"{name} berisi karakter yang tidak valid.",
            f"{name} contains invalid characters.",
        )
        return ""
    if required and not value:
        problems.add(name, "required", f"{name} wajib diisi.", f"{name} is required.")
    elif len(value) > max_length:
        problems.add(
            name,
            "max_length",
            f"{name} paling banyak {max_length} karakter (ada {len(value)}).",
            f"{name} must be at most {max_length} characters (got {len(value)}).",
        )
    return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_category(raw: object, problems: Problems) -> Category | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        problems.add("category", "required", "category wajib diisi.", "category is required.")
        return None
    category = queries.active_category(raw.strip()) if isinstance(raw, str) else None
    if category is None:
        problems.add(
            "category",
            "unknown_category",
            "Kategori tidak dikenal; daftar kategori ada di /api/categories/.",
            "Unknown category; the list of categories is at /api/categories/.",
        )
    return category


def parse_location(data: Mapping[str, Any], problems: Problems) -> tuple[float, float] | None:
    """(lat, lon) from ``lat`` and ``lon``, or from ``location`` as a GeoJSON Point."""
    has_location = data.get("location") not in (None, "")
    has_lat_lon = any(data.get(k) not in (None, "") for k in ("lat", "lon"))
    if has_location and has_lat_lon:
        problems.add(
            "location",
            "ambiguous",
            "Kirim lat dan lon, atau location, bukan keduanya.",
            "Send lat and lon, or location, not both.",
        )
        return None
    if has_location:
        return parse_geojson_point(data["location"], problems)
    lat = coordinate("lat", data.get("lat"), 90.0, problems)
    lon = coordinate("lon", data.get("lon"), 180.0, problems)
    return None if lat is None or lon is None else (lat, lon)


def coordinate(
    name: str, raw: object, limit: float, problems: Problems, *, report_as: str | None = None
) -> float | None:
    try:
        return geo.parse_coordinate(name, raw, limit=limit)
    except geo.InvalidCoordinates as exc:
        problems.add(report_as or exc.field, "invalid", exc.message_id, exc.message_en)
    except OverflowError:  # a JSON integer too large for a float
        problems.add(
            report_as or name,
            "invalid",
            f"{name} harus di antara -{limit:g} dan {limit:g}.",
            f"{name} must be between -{limit:g} and {limit:g}.",
        )
    return None


def parse_geojson_point(raw: object, problems: Problems) -> tuple[float, float] | None:
    """A GeoJSON Point object (or its JSON text, from multipart): [lon, lat] order."""
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
        problems.add(
            "location",
            "invalid",
            'location harus berupa GeoJSON Point: {"type": "Point", "coordinates": [lon, lat]}.',
            'location must be a GeoJSON Point: {"type": "Point", "coordinates": [lon, lat]}.',
        )
        return None
    lon = coordinate("lon", coordinates[0], 180.0, problems, report_as="location")
    lat = coordinate("lat", coordinates[1], 90.0, problems, report_as="location")
    return None if lat is None or lon is None else (lat, lon)


def parse_accuracy(raw: object, problems: Problems) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value: float | None = None
    if not isinstance(raw, bool):
        try:
            value = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            value = None
    if value is None or not math.isfinite(value) or not 0 <= value <= MAX_ACCURACY_M:
        problems.add(
            "accuracy_m",
            "invalid",
            f"accuracy_m harus berupa angka meter dari 0 sampai {MAX_ACCURACY_M:g}.",
            f"accuracy_m must be a number of metres from 0 to {MAX_ACCURACY_M:g}.",
        )
        return None
    return value


def parse_boolean(raw: object, name: str, problems: Problems) -> bool:
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    problems.add(
        name, "invalid", f"{name} harus true atau false.", f"{name} must be true or false."
    )
    return False


def parse_phone(value: str, problems: Problems) -> str:
    if value and not PHONE.fullmatch(value):
        problems.add(
            "reporter_phone",
            "invalid",
            "Nomor telepon tidak valid (angka, spasi, +, -, titik, kurung).",
            "Invalid phone number (digits, spaces, +, -, dots, brackets).",
        )
        return ""
    return value


def parse_email(value: str, problems: Problems) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        problems.add(
            "reporter_email",
            "invalid",
            "Alamat email tidak valid.",
            "Invalid email address.",
        )
        return ""
    return value


def photo_uploads(
    data: Mapping[str, Any], files: Mapping[str, Sequence[UploadedFile]], problems: Problems
) -> list[bytes]:
    """The raw bytes of the photos (cheap checks only: count, size, type by content)."""
    for name in files:
        if name != "photos":
            problems.add(
                name,
                "unexpected_file",
                "File hanya boleh dikirim pada isian photos.",
                "Files may only be sent in the photos field.",
            )
    uploads = list(files.get("photos", []))
    if not uploads and data.get("photos") not in (None, "", []):
        problems.add(
            "photos",
            "not_a_file",
            "Foto dikirim sebagai file multipart/form-data pada isian photos.",
            "Photos are sent as multipart/form-data files in the photos field.",
        )
    if len(uploads) > photo_rules.MAX_PHOTOS:
        problems.add(
            "photos",
            "too_many",
            f"Paling banyak {photo_rules.MAX_PHOTOS} foto (ada {len(uploads)}).",
            f"At most {photo_rules.MAX_PHOTOS} photos (got {len(uploads)}).",
        )
        return []
    contents: list[bytes] = []
    for number, upload in enumerate(uploads, start=1):
        try:
            content = photo_rules.read_upload(upload, size=upload.size)
            photo_rules.check_format(content)
        except photo_rules.InvalidPhoto as exc:
            add_photo_problem(problems, number, exc)
            continue
        contents.append(content)
    return contents


def clean_photos(contents: list[bytes], problems: Problems) -> list[NewPhoto]:
    cleaned: list[NewPhoto] = []
    budget = photo_rules.PixelBudget()  # one for the whole request
    for number, content in enumerate(contents, start=1):
        try:
            cleaned.append(photo_rules.clean_photo(content, budget))
        except photo_rules.InvalidPhoto as exc:
            add_photo_problem(problems, number, exc)
    return cleaned


def add_photo_problem(problems: Problems, number: int, exc: photo_rules.InvalidPhoto) -> None:
    problems.add(
        "photos",
        exc.code,
        f"Foto ke-{number}: {exc.message_id}",
        f"Photo {number}: {exc.message_en}",
    )
