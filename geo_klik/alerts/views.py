"""The pages of area alerts: /peringatan/ (map, form, one's subscriptions) and the e-mail links."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from geo_klik.alerts import actions, credentials
from geo_klik.alerts.models import MAX_RADIUS_M, MIN_RADIUS_M
from geo_klik.maps import assets, builders
from geo_klik.notify import vapid


@functools.cache
def _map_context() -> dict[str, Any]:
    """The base map, rendered once per process (the page's script draws everything on it)."""
    fmap = builders.resident_map()
    return {"map": assets.embed(fmap), "map_name": fmap.get_name()}


def _strings() -> dict[str, str]:
    return {
        "pickPoint": gettext("Tap the map to choose the centre of the area."),
        "pickedKelurahan": gettext("Kelurahan: {name}"),
        "pickedPoint": gettext("Point chosen: {radius} m around it"),
        "manageLink": gettext(
            "Your manage link (keep it private: it lists and stops these subscriptions): {url}"
        ),
        "confirmEmail": gettext("Check your e-mail and confirm: nothing is sent before you do."),
        "pushConfirmed": gettext(
            "Confirmed by your browser's permission: alerts will appear as notifications."
        ),
        "pushUnsupported": gettext(
            "This browser cannot receive notifications here; choose e-mail instead."
        ),
        "pushDenied": gettext("Notifications are blocked for this site in your browser."),
        "failed": gettext("Not sent: {message}"),
        "offline": gettext("No connection: try again when you are online."),
        "none": gettext("No subscriptions on this device yet."),
        "stop": gettext("Stop"),
        "stopped": gettext("Stopped."),
        "pending": gettext("waiting for e-mail confirmation"),
        "active": gettext("active"),
        "newReports": gettext("new reports"),
        "resolutions": gettext("resolutions"),
        "daily": gettext("daily digest"),
        "immediate": gettext("immediately"),
        "radius": gettext("{radius} m around a point"),
    }


@require_http_methods(["GET", "HEAD"])
def page(request: HttpRequest) -> HttpResponse:
    """/peringatan/: choose an area, categories, channel and frequency; see one's own."""
    config = {
        "language": (get_language() or "id")[:2],
        "vapidPublicKey": vapid.public_key(),
        "minRadius": MIN_RADIUS_M,
        "maxRadius": MAX_RADIUS_M,
        "keyHeader": credentials.KEY_HEADER,
        "urls": {
            "options": reverse("alerts-options"),
            "subscriptions": reverse("alerts-subscriptions"),
            "subscription": reverse("alerts-subscription", args=[0]).replace("/0/", "/ID/"),
            "outlines": reverse("maps-kelurahan-outlines"),
            "serviceWorker": reverse("residents-service-worker"),
            "page": reverse("alerts-page"),
        },
        "strings": _strings(),
    }
    context = {**_map_context(), "config": config}
    return render(request, "alerts/page.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link: a button (mail scanners open links; only a person confirms)."""
    subscription_id = credentials.confirmed_id(token)
    done = None
    if request.method == "POST" and subscription_id is not None:
        done = actions.confirm(subscription_id) is not None
    context = {"kind": "confirm", "valid": subscription_id is not None, "done": done}
    return render(request, "alerts/link.html", context, status=200 if subscription_id else 404)


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs with no cookie; the token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click unsubscribe link: GET shows a button, POST (also RFC 8058) stops it."""
    subscription_id = credentials.unsubscribed_id(token)
    done = None
    if request.method == "POST" and subscription_id is not None:
        done = actions.unsubscribe(subscription_id)
    context = {"kind": "unsubscribe", "valid": subscription_id is not None, "done": done}
    return render(request, "alerts/link.html", context, status=200 if subscription_id else 404)
