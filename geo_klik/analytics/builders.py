"""Pure functions from planner figures to a folium.Map (no database access here).

Layers: the kelurahan choropleth (reports per km², figures on hover), a heatmap of grid bins,
a weekly heatmap with a slider, and the hotspots. Every script is a local static file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

import folium
from django.templatetags.static import static
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import HeatMap
from folium.template import Template

from geo_klik.analytics.queries import Hotspot, KelurahanCount, WeekBins
from geo_klik.maps import assets, builders

LEAFLET_HEAT_JS = "vendor/leaflet.heat/leaflet-heat.js"
# ColorBrewer YlOrRd, five classes: readable in greyscale and for colour-blind viewers.
RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
HOTSPOT_COLOUR = "#6a3d9a"


def local_heat_js() -> list[tuple[str, str]]:
    """leaflet.heat from our static files (folium's HeatMap points at a CDN by default)."""
    return [("leaflet-heat.js", static(LEAFLET_HEAT_JS))]


def class_breaks(values: Sequence[float], classes: int = len(RAMP)) -> list[float]:
    """Upper bounds of equal-count classes (quantiles) of the non-zero values."""
    ordered = sorted(v for v in values if v > 0)
    if not ordered:
        return []
    return [
        ordered[min(len(ordered) - 1, (len(ordered) * i) // classes)] for i in range(1, classes)
    ]


def colour_for(value: float, breaks: list[float]) -> str:
    if value <= 0:
        return "#f7f7f7"
    for colour, bound in zip(RAMP, breaks, strict=False):
        if value < bound:
            return colour
    return RAMP[min(len(breaks), len(RAMP) - 1)]


def planner_map(
    kelurahan: dict[str, Any],
    counts: Sequence[KelurahanCount],
    *,
    heat: Sequence[tuple[float, float, int]],
    weekly: Sequence[WeekBins] = (),
    hotspots: Sequence[Hotspot] = (),
) -> folium.Map:
    """The planner map; ``kelurahan`` is the boundaries' GeoJSON FeatureCollection."""
    fmap = assets.offline_map(
        lat=builders.BUKITTINGGI_LAT, lon=builders.BUKITTINGGI_LON, zoom_start=13
    )
    # No kelurahan loaded yet: no choropleth (folium refuses a tooltip over no features).
    areas = choropleth(kelurahan, counts).add_to(fmap) if kelurahan.get("features") else None
    if heat:
        heat_layer(heat).add_to(fmap)
    if weekly:
        WeeklyHeat(weekly).add_to(fmap)
    if hotspots:
        hotspot_layer(hotspots).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if areas is not None:
        south_west, north_east = areas.get_bounds()
        fmap.fit_bounds(cast(list[list[float]], [south_west, north_east]), padding=(8, 8))
    return fmap


def choropleth(kelurahan: dict[str, Any], counts: Sequence[KelurahanCount]) -> folium.GeoJson:
    """Kelurahan coloured by reports per km², with name, reports and density on hover."""
    by_code = {c.code: c for c in counts}
    breaks = class_breaks([c.per_km2 for c in counts])
    features = []
    for feature in kelurahan.get("features", []):
        count = by_code.get(feature["properties"]["code_kemendagri"])
        properties = {
            "name": feature["properties"]["name"],
            "kecamatan": feature["properties"]["kecamatan"],
            "reports": count.reports if count else 0,
            "per_km2": count.per_km2 if count else 0.0,
            "fill": colour_for(count.per_km2 if count else 0.0, breaks),
        }
        features.append({**feature, "properties": properties})
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Laporan per km² / Reports per km²",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.6,
            "color": "#555555",
            "weight": 1,
        },
        highlight_function=lambda _f: {"weight": 3, "color": "#1f2328"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "kecamatan", "reports", "per_km2"],
            aliases=["Kelurahan", "Kecamatan", "Laporan / Reports", "per km²"],
        ),
    )


def heat_layer(bins: Sequence[tuple[float, float, int]]) -> HeatMap:
    """Grid bins as a weighted heatmap; weights are relative to the busiest cell."""
    top = max(n for *_, n in bins)
    layer = HeatMap(  # type: ignore[no-untyped-call]  # folium is unannotated
        [[lat, lon, round(n / top, 4)] for lat, lon, n in bins],
        name="Peta panas / Heatmap",
        radius=18,
        blur=15,
        min_opacity=0.3,
    )
    layer.default_js = local_heat_js()
    return layer


def hotspot_layer(hotspots: Sequence[Hotspot]) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Titik rawan / Hotspots")
    for rank, spot in enumerate(hotspots, start=1):
        folium.CircleMarker(
            location=[spot.lat, spot.lon],
            radius=6 + min(14, spot.reports**0.5),
            color=HOTSPOT_COLOUR,
            fill=True,
            fill_opacity=0.7,
            tooltip=f"#{rank} {spot.category_name}: {spot.reports} laporan ({spot.kelurahan})",
        ).add_to(group)
    return group


class WeeklyHeat(JSCSSMixin, Layer):
    """A heatmap per week with a slider (leaflet.heat and a few lines of our own JS).

    Stands in for folium's HeatMapWithTime, whose leaflet-timedimension is not installed.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.heatLayer(
          [], {radius: 22, blur: 18, minOpacity: 0.3, max: 1.0});
        (function () {
          var map = {{ this._parent.get_name() }};
          var weeks = {{ this.weeks_json }};
          var layer = {{ this.get_name() }};
          var control = L.control({position: "bottomleft"});
          control.onAdd = function () {
            var box = L.DomUtil.create("div", "geo-klik-legend weekly-heat");
            box.innerHTML = '<label>Minggu / Week <output></output><br>'
              + '<input type="range" min="0" max="' + (weeks.length - 1) + '" value="'
              + (weeks.length - 1) + '" style="width:14rem"></label>';
            L.DomEvent.disableClickPropagation(box);
            var input = box.querySelector("input"), label = box.querySelector("output");
            function show(i) {
              var top = 1;
              weeks[i].bins.forEach(function (b) { top = Math.max(top, b[2]); });
              layer.setLatLngs(
                weeks[i].bins.map(function (b) { return [b[0], b[1], b[2] / top]; }));
              label.textContent = weeks[i].week + " (" + weeks[i].total + ")";
            }
            input.addEventListener("input", function () { show(+input.value); });
            show(weeks.length - 1);
            return box;
          };
          map.on("overlayadd", function (e) { if (e.layer === layer) control.addTo(map); });
          map.on("overlayremove", function (e) { if (e.layer === layer) control.remove(); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, weeks: Sequence[WeekBins]) -> None:
        super().__init__(name="Peta panas mingguan / Weekly heatmap", overlay=True, show=False)
        self._name = "WeeklyHeat"
        self.default_js = local_heat_js()  # same name as HeatMap's: loaded once
        self.weeks_json = json.dumps(
            [
                {"week": w.week.isoformat(), "total": sum(n for *_, n in w.bins), "bins": w.bins}
                for w in weeks
            ],
            separators=(",", ":"),
        )
