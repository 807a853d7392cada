"""Photos of a report: checked by content, oriented, resized and stripped of every metadata field.

A phone photo carries the reporter's exact position (EXIF GPS), the device, sometimes a name
(XMP, PNG text chunks). None of it may be stored: the image is decoded and re-encoded from its
pixels only, after applying the EXIF orientation so it still shows the right way up. The
stored name is the sha256 of the cleaned bytes, so the same photo sent twice is one file.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageFile, ImageOps

from geo_klik.reports.actions import NewPhoto

logger = logging.getLogger(__name__)

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SIDE_PX = 2048
# Decompression bombs are refused from the header, before decoding, by what decoding would cost:
# at most this many pixels decoded per photo (4096 x 4096, 64 MB in RGBA). A JPEG is decoded at
# 1/2, 1/4 or 1/8 scale when that is enough for MAX_SIDE_PX or needed to fit, so phone photos of
# any resolution pass; PNG and WebP decode whole, so they must fit as they are.
MAX_DECODED_PIXELS = 4096 * 4096
# And at most this many for all the photos of one request (three 12 MP phone photos fit), so one
# request costs bounded time; photos are decoded one after the other, so memory stays bounded
# by the largest one.
MAX_REQUEST_PIXELS = 40_000_000
JPEG_SCALES = (1, 2, 4, 8)  # what libjpeg can decode at cheaply
JPEG_QUALITY = 85
WEBP_QUALITY = 85


@dataclass(frozen=True)
class Format:
    """An accepted image format: its Pillow name, MIME type and file extension."""

    pillow: str
    content_type: str
    extension: str


JPEG = Format("JPEG", "image/jpeg", "jpg")
PNG = Format("PNG", "image/png", "png")
WEBP = Format("WEBP", "image/webp", "webp")


class InvalidPhoto(Exception):
    """A photo that is not an acceptable image; carries bilingual messages."""

    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_id = message_id
        self.message_en = message_en


class PixelBudget:
    """The decoded pixels one request may still spend; shared by the photos of that request."""

    def __init__(self, pixels: int = MAX_REQUEST_PIXELS) -> None:
        self.remaining = pixels

    def spend(self, pixels: int) -> None:
        if pixels > self.remaining:
            raise InvalidPhoto(
                "too_many_pixels_total",
                "Foto-foto ini terlalu besar jika digabung; kirim lebih sedikit atau lebih kecil.",
                "Together these photos are too large; send fewer or smaller ones.",
            )
        self.remaining -= pixels


def too_many_pixels() -> InvalidPhoto:
    megapixels = MAX_DECODED_PIXELS / 1e6
    return InvalidPhoto(
        "too_many_pixels",
        f"Resolusi foto terlalu besar (paling banyak {megapixels:.1f} megapiksel).",
        f"The photo's resolution is too large (at most {megapixels:.1f} megapixels).",
    )


def decode_scale(kind: Format, width: int, height: int) -> int:
    """How much smaller than its size the photo will be decoded (1 = full size).

    JPEG: the largest scale that still leaves both sides at least MAX_SIDE_PX (as Pillow's draft
    picks), raised if needed to fit MAX_DECODED_PIXELS. Others: 1. InvalidPhoto when no scale fits.
    """
    if width <= 0 or height <= 0:
        raise too_many_pixels()
    scales = JPEG_SCALES if kind is JPEG else (1,)
    fitting = [s for s in scales if -(-width // s) * -(-height // s) <= MAX_DECODED_PIXELS]
    if not fitting:
        raise too_many_pixels()
    sharp = [s for s in scales if width // s >= MAX_SIDE_PX and height // s >= MAX_SIDE_PX]
    return max(min(fitting), max(sharp, default=1))


def detect_format(head: bytes) -> Format | None:
    """The format named by the file's first bytes (never its name or the client's type)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def read_upload(upload: IO[bytes], *, size: int | None = None) -> bytes:
    """The bytes of an upload, refusing more than MAX_PHOTO_BYTES without reading them all."""
    if size is not None and size > MAX_PHOTO_BYTES:
        raise too_large()
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise too_large()
    return data


def too_large() -> InvalidPhoto:
    mb = MAX_PHOTO_BYTES // (1024 * 1024)
    return InvalidPhoto(
        "too_large", f"Foto melebihi {mb} MB.", f"The photo is larger than {mb} MB."
    )


def check_format(data: bytes) -> Format:
    """The accepted format of these bytes; InvalidPhoto for anything else (cheap check)."""
    if not data:
        raise InvalidPhoto("empty", "File foto kosong.", "The photo file is empty.")
    kind = detect_format(data[:16])
    if kind is None:
        raise InvalidPhoto(
            "not_an_image",
            "File ini bukan foto JPEG, PNG, atau WebP.",
            "This file is not a JPEG, PNG or WebP photo.",
        )
    return kind


def clean_photo(data: bytes, budget: PixelBudget | None = None) -> NewPhoto:
    """Decode, orient, resize and re-encode a photo with no metadata; InvalidPhoto if unusable.

    ``budget`` is shared by the photos of one request (default: this photo alone).
    """
    kind = check_format(data)
    budget = budget or PixelBudget()
    try:
        image: Image.Image = Image.open(io.BytesIO(data), formats=[kind.pillow])
        width, height = image.size
        scale = decode_scale(kind, width, height)
        if scale > 1 and isinstance(image, ImageFile.ImageFile):
            # libjpeg decodes straight at 1/scale: less time and memory. The size Pillow then
            # reports is the decoded one, which is what the budget counts.
            image.draft("RGB", (max(1, width // scale), max(1, height // scale)))
        budget.spend(image.size[0] * image.size[1])
        image = ImageOps.exif_transpose(image)
        image = to_srgb(image)
        image = image.convert(target_mode(image, kind))
        image.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
        content = encode(image, kind)
    except InvalidPhoto:
        raise
    except Exception as exc:  # a corrupt file can fail anywhere in the decoder
        logger.info("photo refused: %s", type(exc).__name__)
        raise InvalidPhoto(
            "corrupt",
            "Foto rusak atau tidak dapat dibaca.",
            "The photo is corrupt or cannot be read.",
        ) from None
    return NewPhoto(
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        content_type=kind.content_type,
        extension=kind.extension,
        width=image.width,
        height=image.height,
    )


def to_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels from an embedded ICC profile to sRGB, so stripping it keeps the colours."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    except Exception:  # a broken profile: keep the pixels as they are
        return image
    return converted if converted is not None else image


def target_mode(image: Image.Image, kind: Format) -> str:
    """RGB, or RGBA when the format can keep transparency the image has."""
    if kind is JPEG:
        return "RGB"
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    return "RGBA" if has_alpha else "RGB"


def encode(image: Image.Image, kind: Format) -> bytes:
    """Re-encode from pixels only: no EXIF, XMP, ICC, comments or text chunks."""
    image.info = {}  # Pillow falls back to info for some fields (ICC in PNG, JPEG comments)
    out = io.BytesIO()
    if kind is JPEG:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif kind is WEBP:
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(out, "PNG")
    return out.getvalue()
