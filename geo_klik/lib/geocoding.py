"""Reverse geocoding through geopy, with the provider chosen by settings (off by default)."""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class GeocodingUnavailable(Exception):
    """The geocoding provider failed or timed out; worth retrying later."""


class ReverseGeocoder(Protocol):
    """What geo_klik needs of a geopy geocoder (and what a test double provides)."""

    def reverse(self, query: Any, *args: Any, **kwargs: Any) -> Any: ...


def reverse_geocoder() -> ReverseGeocoder | None:
    """The configured geocoder, or None when GEOCODER is empty (the default: no internet).

    GEOCODER is a geopy service name ("nominatim", "photon", ...) or the dotted path of a
    class taking geopy's keyword arguments (how tests inject a fake provider).
    """
    name = settings.GEOCODER
    if not name:
        return None
    if "." in name:
        cls: Any = import_string(name)
    else:
        from geopy.geocoders import get_geocoder_for_service

        cls = get_geocoder_for_service(name)
    options: dict[str, Any] = {
        "user_agent": settings.GEOCODER_USER_AGENT,
        "timeout": settings.GEOCODER_TIMEOUT_S,
    }
    if settings.GEOCODER_DOMAIN:
        options["domain"] = settings.GEOCODER_DOMAIN
    if settings.GEOCODER_API_KEY:
        options["api_key"] = settings.GEOCODER_API_KEY
    geocoder: ReverseGeocoder = cls(**options)
    return geocoder


def reverse_address(
    geocoder: ReverseGeocoder, lat: float, lon: float, *, language: str = "id"
) -> str | None:
    """The address the provider gives for (lat, lon), or None if it knows none."""
    from geopy.exc import GeopyError

    try:
        try:
            location = geocoder.reverse((lat, lon), exactly_one=True, language=language)
        except TypeError:  # a provider without a language option
            location = geocoder.reverse((lat, lon), exactly_one=True)
    except GeopyError as exc:
        raise GeocodingUnavailable(type(exc).__name__) from exc
    if location is None:
        return None
    address = str(getattr(location, "address", "") or "").strip()
    return address or None
