"""What the residents' pages hand their scripts: URLs, language, translated strings, assets.

Every string the scripts show goes through Django's i18n here (``geo_klik/locale``), so the
page and its scripts always speak the same language.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext

from geo_klik.maps import client as maps_client
from geo_klik.notify import channels, vapid

STATIC_DIR = Path(__file__).resolve().parent / "static" / "residents"
MAPS_STATIC = Path(maps_client.__file__).resolve().parent / "static"
OWN_ASSETS = (
    "app.css",
    "common.js",
    "outbox.js",
    "push.js",
    "report.js",
    "track.js",
    "public_map.js",
)
VENDOR_ASSETS = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
)


def _asset_version() -> str:
    """Changes whenever one of our own files changes, so the service worker refreshes its cache."""
    digest = hashlib.sha256()
    paths = [STATIC_DIR / name for name in OWN_ASSETS]
    paths += [MAPS_STATIC / name for name in maps_client.FILES]
    for path in paths:
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:12]


ASSET_VERSION = _asset_version()


def precache_urls() -> list[str]:
    """What the service worker stores at install: pages, scripts, styles, outlines, categories."""
    return [
        reverse("residents-report"),
        reverse("residents-map"),
        reverse("maps-kelurahan-outlines"),
        reverse("categories"),
        *(static(f"residents/{name}") for name in OWN_ASSETS),
        *(static(name) for name in VENDOR_ASSETS),
        *maps_client.assets(),
    ]


def config(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """The JSON a page's script reads from ``<script id="klik-config">``."""
    return {
        "language": (get_language() or "id")[:2],
        "urls": {
            "intake": reverse("reports-intake"),
            "nearby": reverse("reports-nearby"),
            "lookup": reverse("boundaries-lookup"),
            "outlines": reverse("maps-kelurahan-outlines"),
            "mapFeed": reverse("reports-map-feed"),
            "track": reverse("residents-track", args=["CODE"]),
            "api": reverse("reports-public", args=["CODE"]),
            "serviceWorker": reverse("residents-service-worker"),
            "notifications": reverse("reports-notifications", args=["CODE"]),
        },
        # Web Push: the key the browser subscribes with (created on first use), when push is on.
        "vapidPublicKey": vapid.public_key() if channels.get_channel("webpush") else "",
        "strings": strings(),
        "layers": maps_client.config(),
        **extra,
    }


def strings() -> dict[str, str]:
    return {
        "pinInside": gettext("Location: Kelurahan {name}, Kecamatan {kecamatan}"),
        "pinNearEdge": gettext("At the city edge, near Kelurahan {name}"),
        "pinOutside": gettext(
            "This point is outside Kota Bukittinggi. KLIK only takes reports inside the city: "
            "move the pin into the coloured area."
        ),
        "pinNone": gettext("Tap the map where the problem is, or use your location."),
        "locating": gettext("Finding your location…"),
        "located": gettext("Your location, accurate to about {metres} m."),
        "searchLocateFailed": gettext(
            "Your location is not available. Type what you are looking for instead."
        ),
        "locateFailed": gettext(
            "Your location is not available. Tap the map where the problem is instead."
        ),
        "needPin": gettext("Choose the location on the map first."),
        "needCategory": gettext("Choose a category."),
        "needDescription": gettext("Describe the problem."),
        "sending": gettext("Sending…"),
        "queued": gettext(
            "No connection. Your report is saved on this phone and will be sent "
            "automatically when the connection returns."
        ),
        "waiting": gettext("{count} report(s) waiting to be sent"),
        "sentLater": gettext("Your saved report was sent. Tracking code: {code}"),
        "delete": gettext("Delete"),
        "confirmDelete": gettext("Delete this saved report? It has not been sent."),
        "sendNow": gettext("Try sending now"),
        "failed": gettext("Not sent: {message}"),
        "nearbyTitle": gettext("Is this the same problem?"),
        "nearbyIntro": gettext(
            "{count} open report(s) of this category within {radius} m. If one of them is "
            "your problem, support it instead of sending a new report."
        ),
        "nearbyItem": gettext("{distance} m away · {status} · reported {date}"),
        "supporters": gettext("{count} resident(s) support this"),
        "support": gettext("Yes, same problem: support it"),
        "view": gettext("View"),
        "notSame": gettext("No, it is a different problem"),
        "supported": gettext("Thank you. You now follow this report."),
        "copied": gettext("Tracking code copied."),
        "privateLinkCopied": gettext(
            "Private link copied. Keep it to yourself: whoever has it can act as the reporter."
        ),
        "copyFailed": gettext("Copy failed: select the code and copy it by hand."),
        "shareText": gettext("My KLIK report in Bukittinggi, tracking code {code}"),
        "photoTooMany": gettext("At most 3 photos."),
        "networkError": gettext("No connection. Try again when you are online."),
        "saved": gettext("Saved."),
        "offlineNotice": gettext("You are offline. Reports are saved and sent later."),
        "mapEmpty": gettext("No reports match these filters."),
        "mapCount": gettext("{count} report(s) shown"),
        "clusterTitle": gettext("{count} report(s) here: click to zoom in"),
        "clusterHere": gettext("{count} report(s) at this spot: choose a category to see them."),
        "roundedNote": gettext("Location shown to about 100 m (sensitive category)."),
        "trackLink": gettext("Track this report"),
        "reported": gettext("Reported {date}"),
        "pushOn": gettext(
            "Notifications are on: this device is told at every step of this report."
        ),
        "pushAsking": gettext("Allow notifications when your browser asks…"),
        "pushDenied": gettext(
            "Notifications are blocked for this site: allow them in your browser's site settings."
        ),
        "pushUnsupported": gettext("This browser cannot receive notifications."),
        "pushFailed": gettext("Notifications could not be turned on: {message}"),
        "pushLater": gettext("You will be notified once the report is sent."),
        "pushChannel": gettext("notifications on a device"),
    }
