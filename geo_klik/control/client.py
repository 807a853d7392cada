"""What the console page hands its script: URLs, language, CSRF token, agencies, strings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import get_language, gettext

from geo_klik.accounts import roles
from geo_klik.agencies.models import Agency
from geo_klik.maps import assets
from geo_klik.maps import client as maps_client
from geo_klik.reports.models import Report


def config(request: HttpRequest) -> dict[str, Any]:
    """The JSON the console script reads from ``<script id="control-config">``."""
    language = (get_language() or "id")[:2]
    return {
        "language": language,
        "csrfToken": get_token(request),
        "cityWide": roles.is_city_wide(request.user),
        "tiles": assets.OSM_TILES_URL,
        "urls": {
            "queue": reverse("staff-queue"),
            "units": reverse("staff-units"),
            "unitBoard": reverse("staff-unit-board"),
            "unitTracks": reverse("staff-unit-tracks"),
            "unitFigures": reverse("staff-unit-figures"),
            "notifications": reverse("staff-notifications"),
            "events": reverse("staff-events"),
            "outlines": reverse("maps-kelurahan-outlines"),
            # The id placeholder 0 is replaced by the script.
            "report": reverse("staff-report", args=[0]),
        },
        "agencies": [
            {"code": code, "name": name_en if language == "en" else name_id}
            for code, name_id, name_en in Agency.objects.filter(active=True)
            .order_by("name_id")
            .values_list("code", "name_id", "name_en")
        ],
        "statusLabels": dict(Report.Status.choices),
        "layers": maps_client.config(include_staff=True),
        "strings": strings(),
    }


def strings() -> dict[str, str]:
    return {
        "loading": gettext("Loading…"),
        "updated": gettext("Updated {time}"),
        "connectionLost": gettext("Connection lost, retrying"),
        "live": gettext("Live"),
        "polling": gettext("Polling every 2 s (live channel down)"),
        "reports": gettext("Reports"),
        "units": gettext("Units"),
        "kelurahan": gettext("Kelurahan boundaries"),
        "noneSelected": gettext("Select a report in the queue or on the map."),
        "claimedBy": gettext("Claimed by {name}"),
        "unclaimed": gettext("Not claimed"),
        "agency": gettext("Agency"),
        "acknowledge": gettext("Claim and acknowledge"),
        "dispatch": gettext("Dispatch selected units"),
        "arrive": gettext("On scene"),
        "resolve": gettext("Resolve"),
        "close": gettext("Close"),
        "transfer": gettext("Transfer"),
        "merge": gettext("Merge into"),
        "reject": gettext("Reject"),
        "note": gettext("Note"),
        "reason": gettext("Reason"),
        "afterPhoto": gettext("After photo (optional)"),
        "noUnits": gettext("No available unit nearby."),
        "noDuplicates": gettext("No open report of this category within 250 m."),
        "metres": gettext("{metres} m"),
        "done": gettext("Done: {status}"),
        "failed": gettext("Not done: {message}"),
        "networkError": gettext("No connection. Try again."),
        "notificationsFailed": gettext("Notifications not delivered: {count}"),
        "notificationsOk": gettext("All notifications delivered."),
        "newReport": gettext("New report {code}"),
        "sound": gettext("Sound alert"),
        "unitStale": gettext("position over 5 min old"),
        "unitLive": gettext("live"),
        "supportRequested": gettext("asks for support"),
    }
