"""Pure functions from data (GeoJSON dicts) to a folium.Map; no database access here."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator
from typing import Any

import folium
from django.utils import formats
from django.utils.translation import gettext

from geo_klik.boundaries import cities
from geo_klik.maps import assets, elements

# Where a map opens before it fits the bounds of the city served, when no centre is given (the
# default city's, 13.75; callers pass cities.served().centre).
FALLBACK_LAT = -0.305
FALLBACK_LON = 100.37
# The old names, still read by analytics/builders.py (another engineer's this session): remove
# once it reads FALLBACK_* or the city's centre.
BUKITTINGGI_LAT, BUKITTINGGI_LON = FALLBACK_LAT, FALLBACK_LON

# Okabe-Ito blue, orange and reddish purple: distinct in hue and lightness, so they stay apart
# for the common colour-vision deficiencies and in greyscale print.
KECAMATAN_COLOURS = ("#0072B2", "#E69F00", "#CC79A7")
FILL_OPACITY = 0.55
FILL_ALPHA_HEX = "8C"  # FILL_OPACITY as a hex alpha byte, for the legend swatches

GeoJSON = dict[str, Any]


def kecamatan_colours(feature_collection: GeoJSON) -> dict[str, str]:
    """Kemendagri kecamatan code -> fill colour, assigned in code order so it stays stable."""
    codes = sorted(
        {f["properties"]["kecamatan_code_kemendagri"] for f in _features(feature_collection)}
    )
    return {code: KECAMATAN_COLOURS[i % len(KECAMATAN_COLOURS)] for i, code in enumerate(codes)}


def kelurahan_map(
    feature_collection: GeoJSON,
    *,
    lat: float = FALLBACK_LAT,
    lon: float = FALLBACK_LON,
    zoom_start: int = 14,
    label_min_zoom: int = 14,
) -> folium.Map:
    """The kelurahan coloured by kecamatan, with hover names, code popups, labels and a legend."""
    colours = kecamatan_colours(feature_collection)
    fmap = assets.offline_map(lat=lat, lon=lon, zoom_start=zoom_start)
    elements.LegendAndLabelStyle().add_to(fmap)
    bounds = _bounds(feature_collection)
    if bounds is None:
        return fmap  # nothing loaded yet: an empty map of the city centre
    _kelurahan_layer(feature_collection, colours).add_to(fmap)
    _name_labels(feature_collection).add_to(fmap)
    elements.HideLabelsBelowZoom(min_zoom=label_min_zoom).add_to(fmap)
    elements.Legend(_legend_html(feature_collection, colours)).add_to(fmap)
    fmap.fit_bounds(bounds, padding=(8, 8))
    return fmap


def _kelurahan_layer(feature_collection: GeoJSON, colours: dict[str, str]) -> folium.GeoJson:
    def style(feature: GeoJSON) -> dict[str, object]:
        colour = colours[feature["properties"]["kecamatan_code_kemendagri"]]
        return {
            "fillColor": colour,
            "fillOpacity": FILL_OPACITY,
            "color": "#ffffff",
            "weight": 1.5,
        }

    def highlight(_feature: GeoJSON) -> dict[str, object]:
        return {"color": "#1f2328", "weight": 3, "fillOpacity": FILL_OPACITY + 0.2}

    return folium.GeoJson(
        _display_collection(feature_collection),
        name=gettext("Kelurahan"),
        style_function=style,
        highlight_function=highlight,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "kecamatan"],
            aliases=[gettext("Kelurahan"), gettext("Kecamatan")],
            sticky=True,
        ),
        popup=folium.GeoJsonPopup(
            fields=["name", "kecamatan", "code_kemendagri", "code_bps", "area_km2"],
            aliases=[
                gettext("Kelurahan"),
                gettext("Kecamatan"),
                gettext("Kemendagri code"),
                gettext("BPS code"),
                gettext("Area"),
            ],
        ),
    )


def _display_collection(feature_collection: GeoJSON) -> GeoJSON:
    """A copy carrying only what the map shows, HTML-escaped (folium's tooltips use innerHTML)."""
    features = []
    for feature in _features(feature_collection):
        props = feature["properties"]
        area_km2 = formats.number_format(props["area_m2"] / 1_000_000, decimal_pos=2)
        features.append(
            {
                "type": "Feature",
                # folium keys its per-feature styles on a unique id.
                "id": props["code_kemendagri"],
                "geometry": feature["geometry"],
                "properties": {
                    "name": html.escape(props["name"]),
                    "kecamatan": html.escape(props["kecamatan"]),
                    "kecamatan_code_kemendagri": props["kecamatan_code_kemendagri"],
                    "code_kemendagri": html.escape(props["code_kemendagri"]),
                    "code_bps": html.escape(props.get("code_bps") or "–"),
                    "area_km2": f"{area_km2} km²",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _name_labels(feature_collection: GeoJSON) -> folium.FeatureGroup:
    """Kelurahan names drawn on the map itself, so it reads without tiles and without hovering."""
    group = folium.FeatureGroup(name=gettext("Kelurahan names"), control=False)
    for feature in _features(feature_collection):
        props = feature["properties"]
        if props.get("label_lat") is None or props.get("label_lon") is None:
            continue
        folium.Marker(
            location=[props["label_lat"], props["label_lon"]],
            icon=folium.DivIcon(
                html=f"<span>{html.escape(props['name'])}</span>",
                icon_size=(0, 0),
                class_name="geo-klik-label",
            ),
            # Labels are decoration: no pointer events, no tab stops.
            interactive=False,
            keyboard=False,
        ).add_to(group)
    return group


def _legend_html(feature_collection: GeoJSON, colours: dict[str, str]) -> str:
    names: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for feature in _features(feature_collection):
        props = feature["properties"]
        names[props["kecamatan_code_kemendagri"]] = props["kecamatan"]
        counts[props["kecamatan_code_kemendagri"]] += 1
    items = "".join(
        f'<li><span class="geo-klik-swatch" style="background:{colours[code]}{FILL_ALPHA_HEX}">'
        f"</span>{html.escape(names[code])} ({counts[code]})</li>"
        for code in sorted(names)
    )
    return f"<h2>{html.escape(gettext('Kecamatan'))}</h2><ul>{items}</ul>"


def _bounds(feature_collection: GeoJSON) -> list[list[float]] | None:
    """[[south, west], [north, east]] of all features, or None for an empty collection."""
    lats: list[float] = []
    lons: list[float] = []
    for feature in _features(feature_collection):
        for lon, lat in _positions(feature["geometry"]["coordinates"]):
            lats.append(lat)
            lons.append(lon)
    if not lats:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _positions(coordinates: Any) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) GeoJSON position in nested Polygon/MultiPolygon coordinates."""
    if coordinates and isinstance(coordinates[0], int | float):
        yield float(coordinates[0]), float(coordinates[1])
        return
    for part in coordinates:
        yield from _positions(part)


def _features(feature_collection: GeoJSON) -> list[GeoJSON]:
    features: list[GeoJSON] = feature_collection.get("features") or []
    return features


def resident_map(*, lat: float | None = None, lon: float | None = None) -> folium.Map:
    """The base map of the resident pages: local Leaflet, OSM tiles when they load, no layers.

    The pages' own scripts draw the kelurahan (from the outlines feed the service worker keeps
    offline), the pin and the reports on it. jQuery is left out: nothing here uses folium's
    popups, and it would be a third of the report page's first load.
    """
    if lat is None or lon is None:
        # The city served (one cached read, issue 18); its bounds are fitted once drawn.
        lat, lon = cities.served().centre or (FALLBACK_LAT, FALLBACK_LON)
    fmap = assets.offline_map(lat=lat, lon=lon, zoom_start=14)
    fmap.default_js = [js for js in fmap.default_js if js[0] == "leaflet"]
    return fmap
