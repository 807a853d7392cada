"""Photos on POST requests (multipart ``media``), service attributes, and extensions=true."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from geo_klik.dispatch import tasks as dispatch_tasks
from geo_klik.dispatch.actions import routes
from geo_klik.open311.models import ServiceAttribute, ServiceRequest
from geo_klik.reports import photos
from geo_klik.reports.models import Report, ReportPhoto
from tests.conftest import TinyCity
from tests.open311.conftest import BASE, Post, category, error_of, json_body, xml_records

GPS_IFD = 0x8825
MAKE = 0x010F


def jpeg_with_gps(width: int = 64, height: int = 48) -> SimpleUploadedFile:
    """A phone photo that says where it was taken and on what phone."""
    exif = Image.Exif()
    exif[MAKE] = "RahasiaPhone"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "S", (0.0, 18.0, 30.5)
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), "image/jpeg")


def filed(response: Any) -> Report:
    assert response.status_code == 201, response.content
    [created] = response.json()
    return Report.objects.get(tracking_code=created["service_request_id"])


def test_it_stores_an_uploaded_photo_stripped_and_publishes_it_as_media_url(
    client: Client, post_request: Post
) -> None:
    report = filed(post_request("json", media=jpeg_with_gps()))

    [photo] = ReportPhoto.objects.filter(report=report)
    stored = photo.image.read()
    assert b"RahasiaPhone" not in stored
    assert Image.open(io.BytesIO(stored)).getexif().get_ifd(GPS_IFD) == {}
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}/requests/{report.tracking_code}.{fmt}")
        if fmt == "json":
            [shown] = response.json()
        else:
            [shown] = xml_records(response, root="service_requests", item="request")
        assert shown["media_url"] == f"http://testserver{photo.image.url}"
    served = client.get(photo.image.url)
    assert served.status_code == 200


def test_it_hides_a_sensitive_reports_photo(client: Client, post_request: Post) -> None:
    report = filed(post_request("json", service_code="crime", media=jpeg_with_gps()))

    [shown] = json_body(client.get(f"{BASE}/requests/{report.tracking_code}.json"))

    assert ReportPhoto.objects.filter(report=report).count() == 1
    assert shown["media_url"] is None


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({"media": SimpleUploadedFile("a.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")}, "JPEG"),
        ({"media": SimpleUploadedFile("a.jpg", b"", "image/jpeg")}, "empty"),
        (
            {"media": SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * 500, "image/jpeg")},
            "corrupt",
        ),
        ({"photo": SimpleUploadedFile("a.jpg", b"\xff\xd8\xff", "image/jpeg")}, "media field"),
    ],
)
def test_it_refuses_what_the_intake_refuses(
    post_request: Post, files: dict[str, Any], words: str
) -> None:
    response = post_request("json", **files)

    assert response.status_code == 400
    assert words in error_of(response, "json")["description"]
    assert not Report.objects.exists()


def test_it_refuses_two_photos_and_a_photo_too_large(
    client: Client, api_key: str, city: TinyCity, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = {"api_key": api_key, "service_code": "road_damage", "lat": "-0.005", "long": "100.005"}
    two = client.post(
        f"{BASE}/requests.json", {**form, "media": [jpeg_with_gps(), jpeg_with_gps()]}
    )
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 100)
    big = client.post(f"{BASE}/requests.json", {**form, "media": jpeg_with_gps()})

    assert two.status_code == big.status_code == 400
    assert "only one" in error_of(two, "json")["description"]
    assert "larger than" in error_of(big, "json")["description"]
    assert not Report.objects.exists()


def test_it_refuses_a_decompression_bomb(post_request: Post) -> None:
    out = io.BytesIO()
    Image.new("1", (5_000, 5_000)).save(out, "PNG")  # a small file of 25 megapixels

    response = post_request("json", media=SimpleUploadedFile("b.png", out.getvalue(), "image/png"))

    assert response.status_code == 400
    assert "megapixels" in error_of(response, "json")["description"]


def test_it_keeps_a_report_with_a_photo_when_redis_is_down(
    post_request: Post,
    broker_down: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
    purge_queue: None,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = filed(post_request("json", media=jpeg_with_gps()))

    report.refresh_from_db()
    assert ReportPhoto.objects.filter(report=report).count() == 1
    assert ServiceRequest.objects.filter(report=report).exists()
    assert report.routed_at is None  # the routing task could not be queued
    assert report.routing_enqueued_at == routes.NOT_QUEUED  # so the sweep takes it first

    broker_down()  # Redis is back
    assert routes.requeue_unrouted_reports(older_than_s=0) == 1
    dispatch_tasks.route_report(report.pk)
    assert Report.objects.get(pk=report.pk).routed_at is not None
    assert ReportPhoto.objects.filter(report=report).count() == 1


def add_attributes(code: str = "road_damage") -> None:
    pothole = category(code)
    ServiceAttribute.objects.create(
        category=pothole,
        code="size",
        datatype=ServiceAttribute.Datatype.SINGLEVALUELIST,
        required=True,
        description_id="Ukuran lubang",
        description_en="Size of the pothole",
        order=1,
        values=[
            {"key": "small", "name_id": "Kecil", "name_en": "Small"},
            {"key": "large", "name_id": "Besar", "name_en": "Large"},
        ],
    )
    ServiceAttribute.objects.create(
        category=pothole,
        code="depth_cm",
        datatype=ServiceAttribute.Datatype.NUMBER,
        description_id="Kedalaman (cm)",
        order=2,
    )
    ServiceAttribute.objects.create(
        category=pothole,
        code="lanes",
        datatype=ServiceAttribute.Datatype.MULTIVALUELIST,
        description_id="Lajur terdampak",
        order=3,
        values=[{"key": "left"}, {"key": "right"}],
    )
    ServiceAttribute.objects.create(
        category=pothole,
        code="seen_at",
        datatype=ServiceAttribute.Datatype.DATETIME,
        description_id="Kapan terlihat",
        order=4,
    )


def test_it_describes_a_services_attributes_in_both_formats(client: Client, city: TinyCity) -> None:
    add_attributes()

    services = {s["service_code"]: s for s in json_body(client.get(f"{BASE}/services.json"))}
    definition = json_body(client.get(f"{BASE}/services/road_damage.json"))
    english = client.get(f"{BASE}/services/road_damage.json", HTTP_ACCEPT_LANGUAGE="en").json()
    xml = client.get(f"{BASE}/services/road_damage.xml")

    assert services["road_damage"]["metadata"] is True
    assert services["garbage"]["metadata"] is False
    [size, depth, lanes, seen] = definition["attributes"]
    assert list(size) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert size["values"] == [{"key": "small", "name": "Kecil"}, {"key": "large", "name": "Besar"}]
    assert (size["required"], depth["required"], depth["datatype"]) == (True, False, "number")
    assert english["attributes"][0]["description"] == "Size of the pothole"
    assert english["attributes"][0]["values"][1]["name"] == "Large"
    assert lanes["values"] == [{"key": "left", "name": "left"}, {"key": "right", "name": "right"}]
    assert seen["datatype"] == "datetime"
    assert b"<attributes><attribute><variable>true</variable><code>size</code>" in xml.content
    assert b"<values><value><key>small</key><name>Kecil</name></value>" in xml.content


def test_it_stores_checked_attribute_answers_and_never_publishes_them(
    client: Client, post_request: Post
) -> None:
    add_attributes()

    report = filed(
        post_request(
            "json",
            **{
                "attribute[size]": "large",
                "attribute[depth_cm]": "12.5",
                "attribute[lanes][]": ["left", "right"],
                "attribute[seen_at]": "2026-11-05T08:15:30+07:00",
                "attribute[fms_extra_title]": "ignored, as it always was",
            },
        )
    )

    assert ServiceRequest.objects.get(report=report).attributes == {
        "size": "large",
        "depth_cm": 12.5,
        "lanes": ["left", "right"],
        "seen_at": "2026-11-05T08:15:30+07:00",
    }
    shown = client.get(f"{BASE}/requests/{report.tracking_code}.json?extensions=true").content
    assert b"large" not in shown and b"12.5" not in shown


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({}, "attribute[size] wajib"),
        ({"attribute[size]": "huge"}, "not a value of its list"),
        ({"attribute[size]": ["small", "large"]}, "takes one value"),
        ({"attribute[size]": "small", "attribute[depth_cm]": "dalam"}, "must be a number"),
        ({"attribute[size]": "small", "attribute[depth_cm]": "NaN"}, "must be a number"),
        ({"attribute[size]": "small", "attribute[depth_cm]": "1" * 400}, "must be a number"),
        ({"attribute[size]": "small", "attribute[lanes][]": ["left", "up"]}, "not in its list"),
        ({"attribute[size]": "small", "attribute[seen_at]": "2026-02-30T00:00Z"}, "W3C"),
        ({"attribute[size]": "small", "attribute[seen_at]": "x" * 1000}, "W3C"),
        ({"attribute[size": "small"}, "attribute[code]"),
        ({"attribute[]": "small"}, "attribute[code]"),
        ({f"attribute[a{n}]": "x" for n in range(60)}, "at most 50"),
    ],
)
def test_it_refuses_bad_attribute_answers(
    post_request: Post, answers: dict[str, Any], words: str
) -> None:
    add_attributes()

    response = post_request("json", **answers)

    assert response.status_code == 400, response.content
    assert words in error_of(response, "json")["description"]
    assert not Report.objects.exists()


def test_it_explains_where_a_request_went_with_extensions(
    client: Client, post_request: Post, city: TinyCity
) -> None:
    report = filed(post_request("json"))
    routes.route_report_and_waiting(report.pk)

    plain = json_body(client.get(f"{BASE}/requests/{report.tracking_code}.json"))[0]
    [extended] = json_body(
        client.get(
            f"{BASE}/requests.json",
            {"extensions": "true", "service_request_id": report.tracking_code},
        )
    )
    english = client.get(
        f"{BASE}/requests/{report.tracking_code}.json?extensions=TRUE", HTTP_ACCEPT_LANGUAGE="en"
    ).json()[0]
    xml = xml_records(
        client.get(f"{BASE}/requests/{report.tracking_code}.xml?extensions=true"),
        root="service_requests",
        item="request",
    )

    assert "extended_attributes" not in plain
    attributes = extended["extended_attributes"]
    kelurahan = report.kelurahan
    assert kelurahan is not None
    assert attributes["kelurahan"] == kelurahan.name
    assert attributes["kecamatan"] == kelurahan.kecamatan.name
    assert attributes["routing_rule"] == "covers"
    assert attributes["routing_explanation"] == "Titik di dalam wilayah"
    assert english["extended_attributes"]["routing_explanation"] == "Point inside the jurisdiction"
    assert "candidates" not in str(attributes)
    assert xml[0]["extended_attributes"] == ""  # nested: its fields are child elements
    raw = client.get(f"{BASE}/requests/{report.tracking_code}.xml?extensions=true").content
    assert f"<kelurahan>{kelurahan.name}</kelurahan>".encode() in raw
    bad = client.get(f"{BASE}/requests/{report.tracking_code}.json?extensions=yes")
    assert bad.status_code == 400
