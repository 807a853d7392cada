"""assets: folium maps that load Leaflet from our static files, split for embedding in a page."""

from __future__ import annotations

import folium

from geo_klik.maps import assets


def test_it_loads_only_local_leaflet_and_jquery() -> None:
    fmap = assets.offline_map(lat=-0.305, lon=100.37, zoom_start=14)

    assert fmap.default_js == [
        ("leaflet", "/static/vendor/leaflet/leaflet.js"),
        ("jquery", "/static/vendor/jquery/jquery.min.js"),
    ]
    assert fmap.default_css == [("leaflet_css", "/static/vendor/leaflet/leaflet.css")]
    # The class-wide defaults (folium's CDN links) are untouched.
    assert folium.Map.default_js[0] == ("leaflet", folium.folium._default_js[0][1])


def test_it_adds_openstreetmap_tiles_as_an_optional_layer() -> None:
    fmap = assets.offline_map(lat=-0.305, lon=100.37, zoom_start=14)

    (tiles,) = [c for c in fmap._children.values() if isinstance(c, folium.TileLayer)]
    assert tiles.tiles == assets.OSM_TILES_URL
    assert "OpenStreetMap" in str(tiles.options["attribution"])


def test_it_splits_a_map_into_head_body_and_script_for_the_page_template() -> None:
    fmap = assets.offline_map(lat=-0.305, lon=100.37, zoom_start=14)

    parts = assets.embed(fmap)

    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in parts.head
    assert '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css"/>' in parts.head
    assert 'name="viewport"' not in parts.head  # the page template owns the viewport
    assert f'id="{fmap.get_name()}"' in parts.body
    assert f"var {fmap.get_name()} = L.map(" in parts.script
    assert "<script" not in parts.script  # the template wraps it in exactly one <script>
