"""Map widgets for the admin that work offline: OpenLayers served locally, never from a CDN."""

from __future__ import annotations

from django.contrib.gis.forms.widgets import OSMWidget


class OfflineOSMWidget(OSMWidget):
    """Django's OSM editing widget with OpenLayers from the npm package installed at setup.

    The OpenStreetMap base layer shows when tiles load; drawing and editing work without it.
    """

    class Media:
        extend = False  # replace, not add to, the parent's CDN assets
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js")
