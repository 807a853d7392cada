"""kelurahan_map: a pure function from a GeoJSON FeatureCollection to an offline folium.Map."""

from __future__ import annotations

import copy
import re
from typing import Any

import folium
import pytest
from django.utils import translation

from geo_klik.maps import assets, builders

GeoJSON = dict[str, Any]

URL = re.compile(r"""https?://[^\s"'<>)\\]+""")


def square(lat: float, lon: float, size: float = 0.005) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def kelurahan(
    name: str, code: str, kecamatan: str, kecamatan_code: str, lat: float, lon: float
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": square(lat, lon),
        "properties": {
            "name": name,
            "code_kemendagri": code,
            "code_bps": "13750" + code[-5:].replace(".", ""),
            "kecamatan": kecamatan,
            "kecamatan_code_kemendagri": kecamatan_code,
            "area_m2": 1_234_567.0,
            "label_lat": lat + 0.0025,
            "label_lon": lon + 0.0025,
        },
    }


@pytest.fixture
def city() -> GeoJSON:
    """Four square kelurahan in three kecamatan, south-west corner at (-0.32, 100.35)."""
    return {
        "type": "FeatureCollection",
        "features": [
            kelurahan("Tarok Dipo", "13.75.01.1001", "Guguak Panjang", "13.75.01", -0.32, 100.35),
            kelurahan("Kayu Kubu", "13.75.01.1006", "Guguak Panjang", "13.75.01", -0.32, 100.355),
            kelurahan(
                "Garegeh", "13.75.02.1008", "Mandiangin Koto Selayan", "13.75.02", -0.315, 100.35
            ),
            kelurahan(
                "Birugo", "13.75.03.1002", "Aur Birugo Tigo Baleh", "13.75.03", -0.315, 100.355
            ),
        ],
    }


def page(fmap: folium.Map) -> str:
    html: str = fmap.get_root().render()
    return html


def descendants(element: Any, kind: type) -> list[Any]:
    found: list[Any] = []
    for child in element._children.values():
        if isinstance(child, kind):
            found.append(child)
        found.extend(descendants(child, kind))
    return found


def drawn_names(fmap: folium.Map) -> list[str]:
    (layer,) = descendants(fmap, folium.GeoJson)
    return [feature["properties"]["name"] for feature in layer.data["features"]]


def label_html(fmap: folium.Map) -> list[str]:
    return [icon.options["html"] for icon in descendants(fmap, folium.DivIcon)]


def test_it_references_no_remote_url_but_the_optional_osm_tiles(city: GeoJSON) -> None:
    html = page(builders.kelurahan_map(city))

    assert set(URL.findall(html)) <= {assets.OSM_TILES_URL, assets.OSM_COPYRIGHT_URL}
    assert assets.OSM_TILES_URL in html
    sources = re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)""", html)
    assert sorted(sources) == [
        "/static/vendor/jquery/jquery.min.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet/leaflet.js",
    ]


def test_it_leaves_folium_class_defaults_alone(city: GeoJSON) -> None:
    class_js = list(folium.Map.default_js)

    fmap = builders.kelurahan_map(city)

    assert folium.Map.default_js == class_js
    assert fmap.default_js is not folium.Map.default_js


def test_it_draws_every_kelurahan_name(city: GeoJSON) -> None:
    fmap = builders.kelurahan_map(city)

    names = ["Tarok Dipo", "Kayu Kubu", "Garegeh", "Birugo"]
    assert drawn_names(fmap) == names  # the polygons whose tooltip shows the name
    assert label_html(fmap) == [f"<span>{name}</span>" for name in names]  # always-visible labels
    html = page(fmap)
    assert all(f'"name": "{name}"' in html for name in names)


def test_it_colours_each_kecamatan_distinctly_and_stably(city: GeoJSON) -> None:
    colours = builders.kecamatan_colours(city)

    assert colours == {
        "13.75.01": builders.KECAMATAN_COLOURS[0],
        "13.75.02": builders.KECAMATAN_COLOURS[1],
        "13.75.03": builders.KECAMATAN_COLOURS[2],
    }
    assert len(set(builders.KECAMATAN_COLOURS)) == 3
    html = page(builders.kelurahan_map(city))
    for colour in colours.values():
        assert f'"fillColor": "{colour}"' in html


def test_it_has_a_legend_naming_each_kecamatan(city: GeoJSON) -> None:
    html = page(builders.kelurahan_map(city))

    legend = re.search(r'div\.innerHTML = (".*?");', html)
    assert legend is not None
    assert "Guguak Panjang (2)" in legend.group(1)
    assert "Mandiangin Koto Selayan (1)" in legend.group(1)
    assert "Aur Birugo Tigo Baleh (1)" in legend.group(1)


def test_it_shows_codes_and_area_in_km2_in_the_local_number_format(city: GeoJSON) -> None:
    with translation.override("id"):
        html_id = page(builders.kelurahan_map(city))
    with translation.override("en"):
        html_en = page(builders.kelurahan_map(city))

    assert '"area_km2": "1,23 km\\u00b2"' in html_id
    assert '"Kode Kemendagri"' in html_id
    assert '"area_km2": "1.23 km\\u00b2"' in html_en
    assert '"Kemendagri code"' in html_en
    assert '"code_kemendagri": "13.75.03.1002"' in html_id


def test_it_fits_the_city_bounds(city: GeoJSON) -> None:
    html = page(builders.kelurahan_map(city))

    bounds = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S)
    assert bounds is not None
    assert re.sub(r"\s", "", bounds.group(1)) == "[[-0.32,100.35],[-0.31,100.36]]"


def test_it_escapes_names_that_look_like_html(city: GeoJSON) -> None:
    city["features"][0]["properties"]["name"] = "<img src=x onerror=alert(1)>"

    fmap = builders.kelurahan_map(city)

    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    assert drawn_names(fmap)[0] == escaped
    assert label_html(fmap)[0] == f"<span>{escaped}</span>"
    assert "<img src=x" not in page(fmap)


def test_it_does_not_modify_its_input(city: GeoJSON) -> None:
    before = copy.deepcopy(city)

    builders.kelurahan_map(city)

    assert city == before


def test_it_centres_on_bukittinggi_when_there_is_nothing_to_fit() -> None:
    html = page(builders.kelurahan_map({"type": "FeatureCollection", "features": []}))

    assert "fitBounds" not in html
    assert "[-0.305, 100.37]" in html
