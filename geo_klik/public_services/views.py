"""Resident pages of public services: catalogue, one service, "which office is mine", an office.

Every page works without JavaScript: the address is a GET form (a kelurahan select); location
and pin-dropping only fill the same form's lat/lon and submit it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from geo_klik.lib import geo
from geo_klik.lib.language import english
from geo_klik.maps import assets, builders
from geo_klik.public_services import forms, lookup, queries, serializers
from geo_klik.public_services.models import Office, Service
from geo_klik.residents import client

PAGE = "services"


def _map_context() -> dict[str, Any]:
    fmap = builders.resident_map()
    return {"map": assets.embed(fmap), "map_name": fmap.get_name()}


def _client(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    strings = {
        "locating": gettext("Finding your location…"),
        "locateFailed": gettext(
            "Your location is not available. Choose your kelurahan from the list instead."
        ),
        "approximate": gettext("approximate position"),
        "yourPoint": gettext("Your point"),
    }
    return client.config(request, services={"strings": strings, **extra})


def _address_context(request: HttpRequest) -> dict[str, Any]:
    """The address form's state and, if one was given, the offices serving it (or the error)."""
    form = forms.AddressForm(request.GET)
    form.is_valid()
    context: dict[str, Any] = {
        "kelurahan_choices": queries.kelurahan_choices(),
        "chosen_kelurahan": form.cleaned_data.get("kelurahan", ""),
        "typed_lat": form.cleaned_data.get("lat", ""),
        "typed_lon": form.cleaned_data.get("lon", ""),
        "at": None,
        "address_error": form.problem(),
    }
    if form.address is None:
        return context
    try:
        at = lookup.resolve(form.address)
    except lookup.AddressProblem as problem:
        context["address_error"] = problem.message(english=english())
        return context
    context["at"] = at
    context["chosen_kelurahan"] = at.kelurahan.code_kemendagri
    return context


def _marker(office: Office) -> dict[str, Any]:
    lat, lon = geo.lat_lon(office.location)
    return {
        "lat": lat,
        "lon": lon,
        "name": office.name,
        "kind": office.kind,
        "kindLabel": str(office.get_kind_display()),
        "url": serializers.office_json(office)["url"],
        "approximate": office.location_approximate,
    }


def _pin(at: queries.OfficesAt | None) -> list[float] | None:
    if at is None or at.point is None:
        return None
    return list(geo.lat_lon(at.point))


@require_safe
def catalogue_page(request: HttpRequest) -> HttpResponse:
    """/layanan/: the catalogue by topic, with a search box."""
    text = request.GET.get("q", "")[:100].strip()
    services = queries.catalogue(text=text)
    groups = [
        (label, [s for s in services if s.topic == topic]) for topic, label in Service.Topic.choices
    ]
    context = {
        "page": PAGE,
        "q": text,
        "groups": [(label, items) for label, items in groups if items],
        "count": len(services),
        "client": _client(request),
    }
    return render(request, "public_services/catalogue.html", context)


@require_safe
def service_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/layanan/<slug>/: documents as a printable checklist, fee, time, law, where to go."""
    service = queries.service_detail(slug)
    if service is None:
        raise Http404("no such service")
    context = _address_context(request)
    at: queries.OfficesAt | None = context["at"]
    context.update(
        {
            "page": PAGE,
            "service": service,
            "detail": serializers.service_detail(service),
            "destinations": (
                serializers.destinations_json(queries.where_to_go(service, at)) if at else []
            ),
            "client": _client(request),
        }
    )
    return render(request, "public_services/service.html", context)


@require_safe
def which_office_page(request: HttpRequest) -> HttpResponse:
    """/layanan/kantor-saya/: choose a kelurahan (or a point) and see the offices serving it."""
    context = _address_context(request)
    at: queries.OfficesAt | None = context["at"]
    answer = serializers.offices_at_json(at) if at else None
    offices = at.offices() if at else []
    context.update(
        {
            **_map_context(),
            "page": PAGE,
            "answer": answer,
            "client": _client(
                request, offices=[_marker(o) for o in offices], pin=_pin(at), pinForm="address"
            ),
        }
    )
    return render(request, "public_services/which_office.html", context)


@require_safe
def office_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/layanan/kantor/<slug>/: one office, its hours and the services it takes."""
    office = queries.office_by_slug(slug)
    if office is None:
        raise Http404("no such office")
    context = {
        **_map_context(),
        "page": PAGE,
        "office": serializers.office_json(office),
        "service_area": list(office.service_area.order_by("name")),
        "services": queries.services_offered_by(office),
        "client": _client(request, offices=[_marker(office)]),
    }
    return render(request, "public_services/office.html", context)
