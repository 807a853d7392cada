"""The one place that makes folium load Leaflet and jQuery from our static files, never a CDN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import folium
from branca.element import Figure
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from geo_klik.maps import elements

# OpenStreetMap is a bonus layer: every map built here must be usable when tiles do not load
# (no internet, tile server down), so nothing essential is drawn only by the tiles.
OSM_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"
OSM_ATTRIBUTION = f'&copy; <a href="{OSM_COPYRIGHT_URL}">OpenStreetMap</a> contributors'
OSM_MAX_ZOOM = 19

# Light, neutral ground that the coloured kelurahan read well against while tiles are missing.
OFFLINE_BACKGROUND = "#f2efe9"


def local_js() -> list[tuple[str, str]]:
    """Leaflet and jQuery (folium's popups call `$()`) from the xstatic packages."""
    return [
        ("leaflet", static("vendor/leaflet/leaflet.js")),
        ("jquery", static("vendor/jquery/jquery.min.js")),
    ]


def local_css() -> list[tuple[str, str]]:
    """Leaflet's stylesheet; Bootstrap and Font Awesome are only for folium.Icon, unused here."""
    return [("leaflet_css", static("vendor/leaflet/leaflet.css"))]


def offline_map(*, lat: float, lon: float, zoom_start: int, min_zoom: int = 11) -> folium.Map:
    """A folium.Map whose JS/CSS are local static files, with OpenStreetMap tiles when reachable."""
    fmap = folium.Map(
        location=[lat, lon],
        zoom_start=zoom_start,
        min_zoom=min_zoom,
        max_zoom=OSM_MAX_ZOOM,
        tiles=None,
        # Quarter zoom steps let fit_bounds fill a phone screen instead of jumping a level out.
        zoom_snap=0.25,
    )
    # New lists on the instance: folium's add_js_link() would mutate the class-wide defaults
    # and leak into every map built later in the process.
    fmap.default_js = local_js()
    fmap.default_css = local_css()
    folium.TileLayer(
        tiles=OSM_TILES_URL,
        attr=OSM_ATTRIBUTION,
        name="OpenStreetMap",
        max_zoom=OSM_MAX_ZOOM,
        min_zoom=min_zoom,
    ).add_to(fmap)
    elements.OfflineGround(background=OFFLINE_BACKGROUND).add_to(fmap)
    elements.MetricScale().add_to(fmap)
    return fmap


@dataclass(frozen=True)
class MapParts:
    """A rendered folium map split for embedding in a Django template."""

    head: SafeString  # <link>, <script src> and <style> tags for <head>
    body: SafeString  # the map's <div>
    script: SafeString  # the JavaScript that builds the map; place it after `body`


def embed(fmap: folium.Map) -> MapParts:
    """Render `fmap` into parts a page template places itself (no iframe, no data: URL).

    folium's own page header is left out on purpose: it sets a viewport that forbids zooming
    the page and resets html/body, both of which belong to our page template. The page's
    stylesheet sizes `.folium-map` instead.
    """
    figure = cast(Figure, fmap.get_root())  # folium.Map always places itself in a Figure
    figure.render()
    head = "\n".join(
        child.render() for name, child in figure.header._children.items() if name != fmap.get_name()
    )
    # The parts are folium's own output: element ids and JSON it escaped itself.
    return MapParts(
        head=mark_safe(head),  # noqa: S308
        body=mark_safe(figure.html.render()),  # noqa: S308
        script=mark_safe(figure.script.render()),  # noqa: S308
    )
