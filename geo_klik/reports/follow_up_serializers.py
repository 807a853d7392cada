"""The residents' follow-up (nearby, comment, rating, reopen) and the public map's filter.

Their DRF serializers check what the follow-up views (``reports.follow_up``) receive and give
their OpenAPI schema, refusing in the bilingual shape of ``lib.errors`` (``lib.checks``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from rest_framework import serializers

from geo_klik.lib import bbox, checks, errors
from geo_klik.reports import photos as photo_rules
from geo_klik.reports import queries
from geo_klik.reports.submission import CategoryCode, uploaded_files

MAX_COMMENT = 2000
MAX_RATING_COMMENT = 1000
MAX_REASON = 1000

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
        return {**attrs, "photo": one_clean_photo(attrs["photo"])}


def one_clean_photo(uploads: dict[str, list[UploadedFile]]) -> Any:
    """The ``photo`` upload checked and stripped like a report's photos; None without one."""
    files = uploads.get("photo", [])
    if len(files) > 1 or set(uploads) - {"photo"}:
        raise errors.invalid("photo", "too_many", "Kirim satu foto saja.", "Send one photo only.")
    if not files:
        return None
    try:
        content = photo_rules.read_upload(files[0], size=files[0].size)
        photo_rules.check_format(content)
        return photo_rules.clean_photo(content)
    except photo_rules.InvalidPhoto as exc:
        raise errors.invalid("photo", exc.code, exc.message_id, exc.message_en) from None


class ReopenSerializer(checks.CheckedSerializer):
    """POST /api/reports/<code>/reopen/: "not fixed", why, and one optional photo (multipart)."""

    not_an_object = FOLLOW_UP_NOT_AN_OBJECT
    reason = checks.Text(required=True, max_length=MAX_REASON)
    photo = CommentPhoto(required=False, help_text="Multipart only: one JPEG, PNG or WebP.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return {**attrs, "photo": one_clean_photo(attrs["photo"])}


class Confirmation(checks.Flag):
    """``confirm``: must be true, so that nothing is deleted by a stray request."""

    def check(self, raw: Any) -> bool:
        if not super().check(raw):
            raise self.refuse(
                "not_confirmed",
                "Konfirmasi dulu: kirim confirm=true.",
                "Confirm first: send confirm=true.",
            )
        return True


class ConfirmSerializer(checks.CheckedSerializer):
    """A deletion the reporter confirms: ``{"confirm": true}`` (a form's "on"/"ya" too)."""

    not_an_object = FOLLOW_UP_NOT_AN_OBJECT
    confirm = Confirmation(help_text="true: yes, delete it.")


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
