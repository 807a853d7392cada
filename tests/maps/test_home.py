"""GET /: the kelurahan map page, or how to load the kelurahan when none are loaded."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from geo_klik.maps import assets

URL = re.compile(r"""https?://[^\s"'<>)\\]+""")
HELP_COMMAND = "python manage.py load_boundaries --commit"


def remote_urls(html: str) -> set[str]:
    return set(URL.findall(html)) - {assets.OSM_TILES_URL, assets.OSM_COPYRIGHT_URL}


@pytest.mark.usefixtures("bukittinggi")
def test_it_shows_the_map_of_all_24_kelurahan(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'geo_klik — <span lang="id">Peta Kelurahan Kota Bukittinggi</span>' in html
    assert "Kelurahan map of Kota Bukittinggi" in html
    assert 'class="folium-map"' in html
    assert "L.map(" in html
    labels = re.findall(r"\\u003cspan\\u003e(.*?)\\u003c/span\\u003e", html)
    assert len(labels) == 24
    assert {"Tarok Dipo", "Garegeh", "Pakan Labuah", "Bukik Apik Puhun"} <= set(labels)
    assert HELP_COMMAND not in html


@pytest.mark.usefixtures("bukittinggi")
def test_it_references_no_cdn(client: Client) -> None:
    html = client.get("/").content.decode()

    assert remote_urls(html) == set()
    sources = re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)""", html)
    assert sources
    assert all(source.startswith(("/static/vendor/", "/static/maps/")) for source in sources)


@pytest.mark.usefixtures("bukittinggi")
def test_it_speaks_english_when_asked(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "en"})

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Kemendagri code" in html
    assert "Peta Kelurahan Kota Bukittinggi" in html  # the title stays bilingual


@pytest.mark.django_db
def test_it_explains_how_to_load_the_kelurahan_when_there_are_none(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Belum ada batas kelurahan yang dimuat." in html
    assert "No kelurahan boundaries are loaded yet." in html
    assert HELP_COMMAND in html
    assert 'class="folium-map"' not in html
    assert remote_urls(html) == set()


@pytest.mark.django_db
def test_it_switches_language_through_set_language(client: Client) -> None:
    html = client.get("/").content.decode()
    assert '<html lang="id">' in html
    assert 'action="/i18n/setlang/"' in html

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.usefixtures("bukittinggi")
def test_it_offers_the_five_service_areas_and_their_layers(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'href="/lapor/"' in html
    assert 'href="/cari/"' in html
    assert "/static/maps/service_layers.js" in html
    assert 'id="layers-config"' in html
