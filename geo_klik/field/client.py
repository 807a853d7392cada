"""What the /petugas/ page hands its script, and what its service worker keeps offline."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext

from geo_klik.maps import assets
from geo_klik.reports.models import Report

STATIC_DIR = Path(__file__).resolve().parent / "static" / "field"
OWN_ASSETS = ("field.css", "field.js", "queue.js", "icon.svg")
VENDOR_ASSETS = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
    "maps/map_kit.js",
)


def _asset_version() -> str:
    digest = hashlib.sha256()
    for name in OWN_ASSETS:
        path = STATIC_DIR / name
        digest.update(path.read_bytes() if path.exists() else b"")
    digest.update((Path(__file__).parent / "templates" / "field" / "sw.js").read_bytes())
    return digest.hexdigest()[:12]


ASSET_VERSION = _asset_version()


def precache_urls() -> list[str]:
    """What the officers' service worker stores at install: the page, scripts, outlines."""
    return [
        reverse("field-app"),
        reverse("maps-kelurahan-outlines"),
        *(static(f"field/{name}") for name in OWN_ASSETS),
        *(static(name) for name in VENDOR_ASSETS),
    ]


def config(request: HttpRequest) -> dict[str, Any]:
    """The JSON the page's script reads from ``<script id="field-config">``."""
    return {
        "language": (get_language() or "id")[:2],
        "csrfToken": get_token(request),
        "tiles": assets.OSM_TILES_URL,
        "urls": {
            "me": reverse("field-me"),
            "dutyStart": reverse("field-duty-start"),
            "dutyEnd": reverse("field-duty-end"),
            "inbox": reverse("field-inbox"),
            "incident": reverse("field-incident", args=[0]),
            "position": reverse("field-position"),
            "push": reverse("field-push"),
            # A dispatch is a change of the agency's reports; the phone wants no units' moves.
            "events": reverse("staff-events") + "?kinds=reports",
            "outlines": reverse("maps-kelurahan-outlines"),
            "serviceWorker": reverse("field-service-worker"),
            "login": reverse("accounts:login") + "?next=" + reverse("field-app"),
        },
        "statusLabels": dict(Report.Status.choices),
        "strings": strings(),
    }


def strings() -> dict[str, str]:
    return {
        "offDuty": gettext("Off duty"),
        "onDutyWith": gettext("On duty with {unit}"),
        "chooseUnit": gettext("Choose your unit"),
        "goOnDuty": gettext("Go on duty"),
        "goOffDuty": gettext("Go off duty"),
        "inbox": gettext("Dispatched to your unit"),
        "inboxEmpty": gettext("No incident dispatched to your unit."),
        "offline": gettext("Offline: showing the last saved copy"),
        "online": gettext("Online"),
        "queued": gettext("Waiting to be sent"),
        "queueEmpty": gettext("Nothing waiting to be sent."),
        "queueRejected": gettext("Not accepted: {message}"),
        "sentOnce": gettext("Sent"),
        "enRoute": gettext("En route"),
        "onScene": gettext("On scene"),
        "needSupport": gettext("Need support"),
        "resolve": gettext("Resolved"),
        "unable": gettext("Unable to resolve"),
        "note": gettext("What was done"),
        "reason": gettext("Reason"),
        "afterPhoto": gettext("After photo"),
        "send": gettext("Send"),
        "directions": gettext("Directions (map app)"),
        "webMap": gettext("Directions (web map)"),
        "distance": gettext("{metres} m, {bearing}° from you"),
        "sinceAccepted": gettext("{time} since accepted"),
        "overdue": gettext("past its resolution target"),
        "withinTarget": gettext("within its resolution target"),
        "back": gettext("Back to the inbox"),
        "reporterNotes": gettext("Reporter's notes"),
        "newDispatch": gettext("New dispatch: {code}"),
        "notify": gettext("Notify me of new dispatches"),
        "notifyOn": gettext("Dispatch notifications are on."),
        "locationDenied": gettext("Location is off: the Command Center cannot see your unit."),
        "error": gettext("Not done: {message}"),
        "yourPosition": gettext("Your position"),
        "incident": gettext("Incident"),
    }
