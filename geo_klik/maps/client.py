"""What a map page hands service_layers.js: the registered layers, translated, and its strings."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext

from geo_klik.lib import layers

SCRIPT = "maps/service_layers.js"
STYLESHEET = "maps/service_layers.css"
KIT = "maps/map_kit.js"  # el, pin and drawOutlines of every map page (loaded first)
FILES = (KIT, SCRIPT, STYLESHEET)


def layer_config(*, include_staff: bool = False) -> list[dict[str, Any]]:
    """Every registered service-area layer, in display order, with its label in the request's
    language and the URL of its ``in_bbox`` GeoJSON endpoint."""
    return [
        {
            "key": layer.key,
            "area": layer.area,
            "label": str(layer.label),
            "icon": layer.icon,
            "colour": layer.colour,
            "url": reverse(layer.url_name),
            "defaultOn": layer.default_on,
        }
        for layer in layers.all_layers(include_staff=include_staff)
    ]


def strings() -> dict[str, str]:
    return {
        "details": gettext("Details"),
        "approximate": gettext("Approximate position: ask locally or check the address."),
        "demo": gettext("Example entry (demo data)"),
        "failed": gettext("{layer}: not loaded (no connection?)"),
        "truncated": gettext("{layer}: too many to show, zoom in"),
    }


def assets() -> list[str]:
    """The static files of the layers, for the service worker's precache."""
    return [static(name) for name in FILES]


def config(*, include_staff: bool = False) -> dict[str, Any]:
    return {"layers": layer_config(include_staff=include_staff), "strings": strings()}
