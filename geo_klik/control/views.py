"""The control-room console page; its data comes from the staff API, live through /events/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from geo_klik.accounts import roles
from geo_klik.control import client


@login_required
def console(request: HttpRequest) -> HttpResponse:
    """GET /control/: map, queue by priority then age with SLA countdowns, units, actions."""
    if not roles.has_any(request.user, tuple(roles.WORKING)):
        raise PermissionDenied(
            "Peran Anda tidak dapat membuka konsol. / Your role cannot open the console."
        )
    return render(
        request,
        "control/console.html",
        {"roles": sorted(roles.roles_of(request.user)), "config": client.config(request)},
    )
