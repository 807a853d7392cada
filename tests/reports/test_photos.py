"""Photos: type by content, size limits, orientation applied, resized, every metadata field gone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageCms, PngImagePlugin

from geo_klik.reports import photos
from geo_klik.reports.models import Category, Report, ReportPhoto
from tests.reports.conftest import report_body

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F
ROTATE_90_CW = 6  # EXIF: the camera was turned; show the image rotated 90° clockwise


def exif_with_gps(*, orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "RahasiaPhone"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "S"
    gps[2] = (0.0, 18.0, 30.5)
    gps[3] = "E"
    gps[4] = (100.0, 22.0, 10.25)
    return exif


def two_tone(width: int, height: int) -> Image.Image:
    """Left half red, right half blue: where the halves end up shows the orientation."""
    image = Image.new("RGB", (width, height), (255, 0, 0))
    image.paste((0, 0, 255), (width // 2, 0, width, height))
    return image


def jpeg_bytes(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, **options)
    return out.getvalue()


def near(pixel: object, colour: tuple[int, int, int], *, tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def test_it_detects_the_type_from_content_not_the_name() -> None:
    jpeg = jpeg_bytes(two_tone(10, 10))
    png = io.BytesIO()
    two_tone(10, 10).save(png, "PNG")
    webp = io.BytesIO()
    two_tone(10, 10).save(webp, "WEBP")
    gif = io.BytesIO()
    two_tone(10, 10).save(gif, "GIF")
    assert photos.detect_format(jpeg[:16]) is photos.JPEG
    assert photos.detect_format(png.getvalue()[:16]) is photos.PNG
    assert photos.detect_format(webp.getvalue()[:16]) is photos.WEBP
    assert photos.detect_format(gif.getvalue()[:16]) is None
    assert photos.detect_format(b"<html>not a photo</html>") is None


def test_the_crafted_photo_really_carries_gps_and_orientation() -> None:
    source = Image.open(io.BytesIO(jpeg_bytes(two_tone(40, 20), exif=exif_with_gps())))
    exif = source.getexif()
    assert exif[MAKE] == "RahasiaPhone"
    assert exif.get_ifd(GPS_IFD)[1] == "S"


def test_it_strips_exif_including_gps_from_a_jpeg() -> None:
    raw = jpeg_bytes(two_tone(40, 20), exif=exif_with_gps())
    cleaned = photos.clean_photo(raw)
    stored = Image.open(io.BytesIO(cleaned.content))
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info
    assert b"RahasiaPhone" not in cleaned.content
    assert b"Exif" not in cleaned.content
    assert cleaned.content_type == "image/jpeg"
    assert cleaned.extension == "jpg"


def test_it_applies_the_exif_orientation() -> None:
    raw = jpeg_bytes(two_tone(300, 200), exif=exif_with_gps(orientation=ROTATE_90_CW))
    cleaned = photos.clean_photo(raw)
    stored = Image.open(io.BytesIO(cleaned.content)).convert("RGB")
    # Rotated 90° clockwise: 200 wide, 300 tall, the left (red) half now on top.
    assert stored.size == (200, 300)
    assert (cleaned.width, cleaned.height) == (200, 300)
    assert near(stored.getpixel((100, 40)), (255, 0, 0))
    assert near(stored.getpixel((100, 260)), (0, 0, 255))


def test_it_resizes_to_at_most_2048_pixels() -> None:
    cleaned = photos.clean_photo(jpeg_bytes(two_tone(4096, 1024)))
    stored = Image.open(io.BytesIO(cleaned.content))
    assert stored.size == (2048, 512)


def test_it_keeps_a_small_photo_at_its_size() -> None:
    cleaned = photos.clean_photo(jpeg_bytes(two_tone(640, 480)))
    assert Image.open(io.BytesIO(cleaned.content)).size == (640, 480)


def test_it_strips_png_text_chunks_and_icc_profile() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Budi Santoso")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS -0.3 100.37</x:xmpmeta>")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image = two_tone(50, 50).convert("RGBA")
    image.save(out, "PNG", pnginfo=info, icc_profile=icc, exif=exif_with_gps())
    source = Image.open(io.BytesIO(out.getvalue()))
    assert "Author" in source.info and "icc_profile" in source.info  # the test input is real

    cleaned = photos.clean_photo(out.getvalue())
    stored = Image.open(io.BytesIO(cleaned.content))
    stored.load()
    assert stored.format == "PNG"
    assert stored.mode == "RGBA"
    assert not getattr(stored, "text", {})
    assert "icc_profile" not in stored.info
    assert len(stored.getexif()) == 0
    for secret in (b"Budi", b"xmpmeta", b"RahasiaPhone", b"iCCP", b"eXIf"):
        assert secret not in cleaned.content


def test_it_strips_exif_from_webp() -> None:
    out = io.BytesIO()
    two_tone(60, 30).save(out, "WEBP", exif=exif_with_gps(orientation=ROTATE_90_CW))
    cleaned = photos.clean_photo(out.getvalue())
    stored = Image.open(io.BytesIO(cleaned.content))
    assert stored.format == "WEBP"
    assert stored.size == (30, 60)
    assert len(stored.getexif()) == 0
    assert b"RahasiaPhone" not in cleaned.content


def test_it_names_a_photo_by_the_hash_of_its_cleaned_bytes() -> None:
    import hashlib

    raw = jpeg_bytes(two_tone(40, 40), exif=exif_with_gps())
    first, second = photos.clean_photo(raw), photos.clean_photo(raw)
    assert first.sha256 == second.sha256 == hashlib.sha256(first.content).hexdigest()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\x00" * 100, "not_an_image"),
        (b"%PDF-1.7 not a photo", "not_an_image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "corrupt"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "corrupt"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 50, "corrupt"),
    ],
)
def test_it_refuses_what_is_not_a_usable_photo(content: bytes, code: str) -> None:
    with pytest.raises(photos.InvalidPhoto) as caught:
        photos.clean_photo(content)
    assert caught.value.code == code
    assert caught.value.message_id and caught.value.message_en


def test_it_refuses_a_decompression_bomb_before_decoding_it() -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")  # 64 Mpx in a few kilobytes
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(photos.InvalidPhoto) as caught:
        photos.clean_photo(out.getvalue())
    assert caught.value.code == "too_many_pixels"


def test_it_refuses_more_than_10_mb_without_reading_it_all() -> None:
    big = io.BytesIO(b"\xff\xd8\xff" + b"\x00" * photos.MAX_PHOTO_BYTES)
    with pytest.raises(photos.InvalidPhoto) as caught:
        photos.read_upload(big)
    assert caught.value.code == "too_large"
    assert big.tell() == photos.MAX_PHOTO_BYTES + 1


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> object:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_it_stores_a_posted_photo_clean_under_its_hash(
    client: Client, categories: dict[str, Category], settings: object
) -> None:
    raw = jpeg_bytes(two_tone(3000, 1500), exif=exif_with_gps(orientation=ROTATE_90_CW))
    response = client.post("/api/reports/", {**report_body(), "photos": [upload(raw)]})
    assert response.status_code == 201, response.json()
    photo = ReportPhoto.objects.get()
    assert photo.image.name == f"photos/{photo.sha256}.jpg"
    stored_bytes = Path(photo.image.path).read_bytes()
    stored = Image.open(io.BytesIO(stored_bytes))
    assert stored.size == (1024, 2048)  # oriented (portrait), then resized
    assert (photo.width, photo.height) == (1024, 2048)
    assert len(stored.getexif()) == 0
    assert b"RahasiaPhone" not in stored_bytes


def test_it_stores_the_same_photo_once(client: Client, categories: dict[str, Category]) -> None:
    raw = jpeg_bytes(two_tone(200, 100), exif=exif_with_gps())
    for _ in range(2):
        response = client.post("/api/reports/", {**report_body(), "photos": [upload(raw)]})
        assert response.status_code == 201
    rows = list(ReportPhoto.objects.all())
    assert len(rows) == 2
    assert rows[0].sha256 == rows[1].sha256
    assert rows[0].image.name == rows[1].image.name
    assert len(list(Path(rows[0].image.path).parent.iterdir())) == 1


def test_it_ignores_the_client_name_and_content_type(
    client: Client, categories: dict[str, Category]
) -> None:
    png = io.BytesIO()
    two_tone(20, 20).save(png, "PNG")
    disguised = upload(png.getvalue(), name="photo.jpg", content_type="image/jpeg")
    response = client.post("/api/reports/", {**report_body(), "photos": [disguised]})
    assert response.status_code == 201
    assert ReportPhoto.objects.get().content_type == "image/png"

    script = upload(b"#!/bin/sh\nrm -rf /\n", name="photo.jpg", content_type="image/jpeg")
    response = client.post("/api/reports/", {**report_body(), "photos": [script]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_an_image"


def test_it_refuses_more_than_three_photos(client: Client, categories: dict[str, Category]) -> None:
    raw = jpeg_bytes(two_tone(20, 20))
    files = [upload(raw, name=f"p{i}.jpg") for i in range(4)]
    response = client.post("/api/reports/", {**report_body(), "photos": files})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "photos"
    assert error["code"] == "too_many"
    assert Report.objects.count() == 0


def test_it_refuses_a_photo_over_10_mb(client: Client, categories: dict[str, Category]) -> None:
    big = b"\xff\xd8\xff\xe0" + b"\x00" * photos.MAX_PHOTO_BYTES
    response = client.post("/api/reports/", {**report_body(), "photos": [upload(big)]})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("photos", "too_large")
    assert "10 MB" in error["message"] and "10 MB" in error["message_en"]


def test_it_names_which_photo_is_bad(client: Client, categories: dict[str, Category]) -> None:
    good = jpeg_bytes(two_tone(20, 20))
    corrupt = b"\xff\xd8\xff\xe0" + b"\x00" * 300
    response = client.post(
        "/api/reports/",
        {**report_body(), "photos": [upload(good, "a.jpg"), upload(corrupt, "b.jpg")]},
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["code"] == "corrupt"
    assert error["message"].startswith("Foto ke-2")
    assert error["message_en"].startswith("Photo 2")
    assert Report.objects.count() == 0


def png_bytes(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_it_refuses_a_png_that_would_decode_to_150_mb() -> None:
    # 7070 x 7070: a few hundred kilobytes on the wire, 150 MB of RGB once decoded.
    data = png_bytes(7070, 7070)
    assert len(data) < 1024 * 1024
    with pytest.raises(photos.InvalidPhoto) as caught:
        photos.clean_photo(data)
    assert caught.value.code == "too_many_pixels"
    assert "16.8 megapiksel" in caught.value.message_id
    assert "16.8 megapixels" in caught.value.message_en


def test_it_accepts_a_png_of_the_largest_size_it_decodes_whole() -> None:
    assert photos.clean_photo(png_bytes(4096, 4096)).width == 2048


@pytest.mark.parametrize(
    ("width", "height", "scale"),
    [(4000, 3000, 1), (6000, 4000, 2), (8000, 6000, 2), (7070, 7070, 2), (16000, 12000, 4)],
)
def test_it_decodes_a_large_jpeg_at_a_reduced_scale_within_the_limit(
    width: int, height: int, scale: int
) -> None:
    assert photos.decode_scale(photos.JPEG, width, height) == scale
    decoded = -(-width // scale) * -(-height // scale)
    assert decoded <= photos.MAX_DECODED_PIXELS


def test_it_spends_the_decoded_size_not_the_header_size_of_a_jpeg() -> None:
    budget = photos.PixelBudget()
    photo = photos.clean_photo(jpeg_bytes(two_tone(8000, 6000)), budget)
    assert (photo.width, photo.height) == (2048, 1536)
    assert photos.MAX_REQUEST_PIXELS - budget.remaining == 4000 * 3000  # decoded at 1/2


def test_it_refuses_impossible_sizes_without_decoding() -> None:
    for width, height in ((0, 10), (10, 0), (2**31, 2**31)):
        with pytest.raises(photos.InvalidPhoto) as caught:
            photos.decode_scale(photos.PNG, width, height)
        assert caught.value.code == "too_many_pixels"


def test_three_phone_photos_fit_in_one_request(
    client: Client, categories: dict[str, Category]
) -> None:
    files = [upload(jpeg_bytes(two_tone(4000, 3000)), name=f"p{i}.jpg") for i in range(3)]
    response = client.post("/api/reports/", {**report_body(), "photos": files})
    assert response.status_code == 201, response.json()
    assert ReportPhoto.objects.count() == 3


def test_it_bounds_the_decoded_pixels_of_one_request(
    client: Client, categories: dict[str, Category]
) -> None:
    big = png_bytes(4096, 4096)  # each alone is fine; three would decode 50 Mpx
    files = [upload(big, name=f"p{i}.png", content_type="image/png") for i in range(3)]
    response = client.post("/api/reports/", {**report_body(), "photos": files})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("photos", "too_many_pixels_total")
    assert error["message"].startswith("Foto ke-3:")
    assert "send fewer or smaller" in error["message_en"]
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0
