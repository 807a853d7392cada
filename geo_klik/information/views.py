"""The information pages: /info/ (announcements and places), a place, an announcement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from geo_klik.information import forms, queries
from geo_klik.information.models import CATEGORY_ICONS, Place
from geo_klik.lib import geo
from geo_klik.maps import assets, builders
from geo_klik.residents import client

PAGE = "information"
NEAR_RADIUS_M = 3000.0


def _map_context() -> dict[str, Any]:
    fmap = builders.resident_map()
    return {"map": assets.embed(fmap), "map_name": fmap.get_name()}


def _client(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """The residents' page config plus this area's URLs and strings."""
    information = {
        "places": reverse("information-api-places"),
        "announcementsMap": reverse("information-api-announcements-map"),
        "strings": {
            "openNow": gettext("Open now"),
            "closedNow": gettext("Closed now"),
            "approximate": gettext("Approximate position"),
            "details": gettext("Details"),
            "locating": gettext("Finding your location…"),
            "locateFailed": gettext(
                "Your location is not available. Choose a category or search by name instead."
            ),
            "networkError": gettext("The map could not load the places. Try again when online."),
            "truncated": gettext("Zoom in to see every place."),
        },
        **extra,
    }
    return client.config(request, information=information)


def _rows(places: Sequence[Place]) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {
            "place": p,
            "open": p.is_open(now),
            "distance_m": round(p.distance.m) if hasattr(p, "distance") else None,
        }
        for p in places
    ]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """/info/: current announcements; places by category, searchable, "near me", on a map."""
    form = forms.PlaceQueryForm(request.GET)
    form.is_valid()
    problems = form.notes
    category, text = form.cleaned_data["category"], form.cleaned_data["text"]
    position = form.cleaned_data["position"]
    places = queries.place_listing(
        category=category or None, text=text, position=position, radius_m=NEAR_RADIUS_M
    )
    rows = _rows(places)
    groups = [
        {"key": key, "label": label, "icon": CATEGORY_ICONS[key], "rows": found}
        for key, label in Place.Category.choices
        if (found := [r for r in rows if r["place"].category == key])
    ]
    context = {
        **_map_context(),
        "page": PAGE,
        "announcements": queries.current_announcements()[:20],
        "categories": [(k, label, CATEGORY_ICONS[k]) for k, label in Place.Category.choices],
        "category": category,
        "text": text,
        "position": position,
        "near_radius_km": NEAR_RADIUS_M / 1000,
        "problems": problems,
        "rows": rows,
        "groups": groups,
        "filtered": bool(text or position),
        "client": _client(
            request,
            category=category,
            position={"lat": position[0], "lon": position[1]} if position else None,
        ),
    }
    return render(request, "information/home.html", context)


@require_safe
def place_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/info/tempat/<slug>/: description, hours and open now, price note, address, a map."""
    place = queries.place(slug)
    if place is None:
        raise Http404("no such place")
    lat, lon = geo.lat_lon(place.location)
    context = {
        **_map_context(),
        "page": PAGE,
        "place": place,
        "open": place.is_open(),
        "lat": lat,
        "lon": lon,
        "client": _client(
            request,
            place={
                "lat": lat,
                "lon": lon,
                "icon": place.icon,
                "title": place.title,
                "approximate": place.location_approximate,
            },
        ),
    }
    return render(request, "information/place.html", context)


@require_safe
def announcement_page(request: HttpRequest, pk: int) -> HttpResponse:
    """/info/pengumuman/<id>/: one announcement; an expired one says so, a scheduled one is 404."""
    announcement = queries.published_announcement(pk)
    if announcement is None:
        raise Http404("no such announcement")
    context = {
        "page": PAGE,
        "announcement": announcement,
        "state": announcement.state(),
        "client": _client(request),
    }
    return render(request, "information/announcement.html", context)
