"""A photo sent with an Open311 POST: the multipart ``media`` file, with the intake's checks.

GeoReport v2 clients that upload a photo (rather than give a ``media_url``) send it as the
multipart file ``media``. It meets exactly what a photo sent to the KLIK intake meets
(``reports.photos``: at most 10 MB, JPEG, PNG or WebP by content, a pixel budget, decoded and
re-encoded without any metadata), one photo per request.
"""

from __future__ import annotations

from django.http import HttpRequest

from geo_klik.open311.params import BadParameter
from geo_klik.reports import photos
from geo_klik.reports.actions import NewPhoto

MEDIA_FIELD = "media"
# One photo and the text fields; anything longer is refused before the view reads it.
MAX_BODY_BYTES = photos.MAX_PHOTO_BYTES + 1024 * 1024


class TooLarge(Exception):
    """The request body is larger than any valid Open311 POST (HTTP 413)."""


def too_large_message() -> str:
    kib = MAX_BODY_BYTES // 1024
    return f"Isi permintaan melebihi {kib} KiB / The request body is larger than {kib} KiB"


def refuse_oversize(request: HttpRequest) -> None:
    """TooLarge when the declared length is more than a photo and the form can need."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise TooLarge(too_large_message())


def media_photo(request: HttpRequest) -> NewPhoto | None:
    """The cleaned ``media`` photo, None without one; BadParameter for anything else sent."""
    for name in request.FILES:
        if name != MEDIA_FIELD:
            raise BadParameter(
                f"file hanya boleh dikirim pada isian {MEDIA_FIELD} / "
                f"files may only be sent in the {MEDIA_FIELD} field ({name[:40]!r})"
            )
    uploads = request.FILES.getlist(MEDIA_FIELD)
    if not uploads:
        return None
    if len(uploads) > 1:
        raise BadParameter(f"hanya satu file {MEDIA_FIELD} / only one {MEDIA_FIELD} file")
    upload = uploads[0]
    try:
        content = photos.read_upload(upload, size=upload.size)
        return photos.clean_photo(content, photos.PixelBudget())
    except photos.InvalidPhoto as exc:
        raise BadParameter(f"{MEDIA_FIELD}: {exc.message_id} / {exc.message_en}") from None
