"""Template context: the city this deployment serves ({{ city.name }}, {{ city.short_name }})."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from geo_klik.boundaries import cities


def city(request: HttpRequest) -> dict[str, object]:
    """``city``: read only when a template uses it."""
    return {"city": SimpleLazyObject(cities.served)}
