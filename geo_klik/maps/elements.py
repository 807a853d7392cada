"""Small folium elements of our own: the map legend and the kelurahan name labels' behaviour."""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template


class OfflineGround(MacroElement):
    """The light ground shown wherever tiles are missing, and room for controls on phones."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-container { background: {{ this.background }}; font-size: 1rem; }
          @media (max-width: 480px) {
            /* the attribution spans the bottom edge; keep the scale bar above it */
            .leaflet-bottom.leaflet-left { bottom: 1.25rem; }
          }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self, *, background: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's is unannotated
        self._name = "OfflineGround"
        self.background = background


class MetricScale(MacroElement):
    """A metric-only scale bar (folium's control_scale adds miles and feet too)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 150}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's is unannotated
        self._name = "MetricScale"


class LegendAndLabelStyle(MacroElement):
    """CSS for the legend control and the kelurahan name labels."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .geo-klik-legend {
            background: rgba(255, 255, 255, 0.92); color: #1f2328; padding: 6px 10px;
            border-radius: 4px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3);
            font: 13px/1.4 system-ui, sans-serif; max-width: 15rem;
          }
          .geo-klik-legend h2 { font-size: 13px; margin: 0 0 4px; }
          .geo-klik-legend ul { list-style: none; margin: 0; padding: 0; }
          .geo-klik-legend li { display: flex; align-items: center; gap: 6px; }
          .geo-klik-swatch {
            flex: none; width: 14px; height: 14px; border: 1px solid #333; border-radius: 2px;
          }
          .geo-klik-label { pointer-events: none; }
          .geo-klik-label span {
            display: inline-block; transform: translate(-50%, -50%); white-space: nowrap;
            font: 600 11px/1.1 system-ui, sans-serif; color: #1f2328;
            text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff;
          }
          .geo-klik-labels-hidden .geo-klik-label { display: none; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's is unannotated
        self._name = "LegendAndLabelStyle"


class Legend(MacroElement):
    """A Leaflet control in a map corner holding pre-escaped legend HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var legend = L.control({position: {{ this.position|tojson }}});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "geo-klik-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str, *, position: str = "bottomright") -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's is unannotated
        self._name = "Legend"
        self.html = html
        self.position = position


class HideLabelsBelowZoom(MacroElement):
    """Hide the kelurahan name labels when zoomed out so far that they would overlap."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          function update() {
            var hide = map.getZoom() < {{ this.min_zoom|tojson }};
            map.getContainer().classList.toggle("geo-klik-labels-hidden", hide);
          }
          map.on("zoomend", update);
          map.whenReady(update);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, min_zoom: int) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's is unannotated
        self._name = "HideLabelsBelowZoom"
        self.min_zoom = min_zoom
