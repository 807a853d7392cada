"""Announcements: time windows, order, scope, in_bbox, the map layer, the page."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from geo_klik.information import queries
from geo_klik.information.models import Announcement
from geo_klik.lib import geo
from tests.conftest import TinyCity
from tests.information.conftest import MakeAnnouncement

URL = "/api/info/announcements/"
MAP_URL = "/api/info/announcements/map/"
HOUR = dt.timedelta(hours=1)


def titles(response: object) -> list[str]:
    return [a["title_id"] for a in response.json()]  # type: ignore[attr-defined]


def test_it_shows_only_current_announcements_important_first(
    client: Client, make_announcement: MakeAnnouncement
) -> None:
    now = timezone.now()
    make_announcement("Lama", age=3 * HOUR)
    make_announcement("Baru", age=HOUR, expires_at=now + HOUR)
    make_announcement("Penting", age=5 * HOUR, is_important=True)
    make_announcement("Berakhir", age=5 * HOUR, expires_at=now - HOUR)
    make_announcement("Terjadwal", published_at=now + HOUR)

    assert titles(client.get(URL)) == ["Penting", "Baru", "Lama"]


def test_it_moves_with_time(make_announcement: MakeAnnouncement) -> None:
    now = timezone.now()
    a = make_announcement("Pekan ini", published_at=now, expires_at=now + dt.timedelta(days=7))

    assert list(queries.current_announcements(now=now - HOUR)) == []
    assert list(queries.current_announcements(now=now)) == [a]
    assert list(queries.current_announcements(now=now + dt.timedelta(days=7))) == []
    assert (a.state(now - HOUR), a.state(now), a.state(now + dt.timedelta(days=8))) == (
        "scheduled",
        "current",
        "expired",
    )


def test_it_filters_by_kelurahan_keeping_the_whole_city_ones(
    client: Client, make_announcement: MakeAnnouncement, tiny_city: TinyCity
) -> None:
    make_announcement("Kota")
    make_announcement("Barat", kelurahan=tiny_city.kelurahan["Barat Utara"])
    make_announcement("Timur", kelurahan=tiny_city.kelurahan["Timur Utara"])

    response = client.get(URL, {"kelurahan": "99.01.01.1001"})

    assert sorted(titles(response)) == ["Barat", "Kota"]
    assert sorted(titles(client.get(URL))) == ["Barat", "Kota", "Timur"]
    [barat] = [a for a in response.json() if a["title_id"] == "Barat"]
    assert (barat["scope"], barat["kelurahan"]) == ("kelurahan", "Barat Utara")


def test_it_names_an_unknown_kelurahan_code(client: Client, tiny_city: TinyCity) -> None:
    response = client.get(URL, {"kelurahan": "13.75.09.9999"})

    assert response.status_code == 400
    [problem] = response.json()["errors"]
    assert (problem["field"], problem["code"]) == ("kelurahan", "unknown_kelurahan")


def test_it_keeps_in_a_box_what_overlaps_it(
    client: Client, make_announcement: MakeAnnouncement, tiny_city: TinyCity
) -> None:
    make_announcement("Kota")
    make_announcement("Titik barat", location=geo.point(-0.005, 100.005))
    make_announcement("Titik timur", location=geo.point(-0.015, 100.015))
    make_announcement("Kelurahan timur", kelurahan=tiny_city.kelurahan["Timur Selatan"])

    west = client.get(URL, {"in_bbox": "100.0,-0.01,100.009,0.0"})
    far = client.get(URL, {"in_bbox": "101.0,-1.0,101.1,-0.9"})

    assert sorted(titles(west)) == ["Kota", "Titik barat"]
    assert titles(far) == []
    assert client.get(URL, {"in_bbox": "x"}).json()["errors"][0]["field"] == "in_bbox"


def test_it_maps_only_current_geotagged_announcements(
    client: Client, make_announcement: MakeAnnouncement
) -> None:
    now = timezone.now()
    here = make_announcement(
        "Jalan ditutup",
        title_en="Road closed",
        location=geo.point(-0.005, 100.005),
        location_approximate=True,
        is_important=True,
        is_demo=True,
    )
    make_announcement("Tanpa titik")
    make_announcement(
        "Sudah lewat", location=geo.point(-0.005, 100.006), age=3 * HOUR, expires_at=now - HOUR
    )

    body = client.get(MAP_URL, HTTP_ACCEPT_LANGUAGE="en").json()

    [feature] = body["features"]
    assert feature["geometry"]["coordinates"] == [100.005, -0.005]
    props = feature["properties"]
    assert props["layer"] == "announcements"
    assert props["id"] == here.pk
    assert props["title"] == "Road closed"
    assert props["url"] == f"/info/pengumuman/{here.pk}/"
    assert props["approximate"] is True
    assert props["important"] is True
    assert props["is_demo"] is True
    assert props["subtitle"] == "Whole city"
    outside = client.get(MAP_URL, {"in_bbox": "100.01,-0.02,100.02,-0.01"}).json()
    assert outside["features"] == []


def test_it_speaks_the_language_of_the_request(
    client: Client, make_announcement: MakeAnnouncement
) -> None:
    make_announcement("Air mati", title_en="Water cut", body_id="Isi", body_en="")

    [english] = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    [indonesian] = client.get(URL, HTTP_ACCEPT_LANGUAGE="id").json()

    assert (english["title"], english["body"]) == ("Water cut", "Isi")  # blank English: Indonesian
    assert indonesian["title"] == "Air mati"


def test_its_page_says_when_it_expired_and_hides_scheduled_ones(
    client: Client, make_announcement: MakeAnnouncement
) -> None:
    now = timezone.now()
    expired = make_announcement("Sudah lewat", age=3 * HOUR, expires_at=now - HOUR)
    scheduled = make_announcement("Nanti", published_at=now + HOUR)
    current = make_announcement("Sekarang", is_demo=True)

    page = client.get(f"/info/pengumuman/{expired.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "This announcement has expired." in page.content.decode()
    assert client.get(f"/info/pengumuman/{scheduled.pk}/").status_code == 404
    assert client.get("/info/pengumuman/999999/").status_code == 404
    text = client.get(f"/info/pengumuman/{current.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Sekarang" in text and "Contoh" in text and "sudah berakhir" not in text


def test_the_admin_lists_current_and_expired(
    admin_client: Client, make_announcement: MakeAnnouncement
) -> None:
    now = timezone.now()
    make_announcement("Sudah lewat", age=3 * HOUR, expires_at=now - HOUR)
    make_announcement("Sekarang")

    page = admin_client.get("/admin/information/announcement/").content.decode()
    assert "berakhir / expired" in page and "berlaku / current" in page
    expired_only = admin_client.get("/admin/information/announcement/", {"state": "expired"})
    assert expired_only.context["cl"].result_count == 1
    assert Announcement.objects.count() == 2
