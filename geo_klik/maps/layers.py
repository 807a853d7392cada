"""The service-area layers every map can show, and the search over them: a registry.

Bukittinggi Smart has five service areas (``AREAS``). Each domain app registers its map layers
in its ``AppConfig.ready()``::

    layers.register(layers.Layer(key="businesses", area=layers.BUSINESS, ...))

and the map pages (/lapor/, /peta/, /control/) and the search (/api/search/) use whatever is
registered, so no page imports a domain app.

The GeoJSON contract of a layer's endpoint (``url_name``): ``GET`` with
``in_bbox=min_lon,min_lat,max_lon,max_lat`` (``geo_klik.lib.bbox``) answers a
FeatureCollection of Point features, at most ``MAX_FEATURES``, each ``properties`` holding at
least:

- ``layer``: the layer key; ``id``: the row id;
- ``title``: the name, in the request's language where the row has one;
- ``subtitle``: one short line (kind, kelurahan, opening hours...), may be "";
- ``url``: the HTML page of the thing (or "" if it has none);
- ``approximate``: true when the position is approximate (seeded, not surveyed).

A truncated answer says so in the top-level ``"truncated": true``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The five service areas of Bukittinggi Smart.
KLIK = "klik"  # public complaints and public information (the incident reports)
COMMUNITY = "community"  # forum and community
INFORMATION = "information"  # announcements and places of interest
BUSINESS = "business"  # business communication and information (UMKM)
PUBLIC_SERVICES = "public_services"  # kelurahan, kecamatan, PTSP/MPP offices and services
AREAS = (KLIK, COMMUNITY, INFORMATION, BUSINESS, PUBLIC_SERVICES)
AREA_LABELS = {
    KLIK: _("KLIK: public complaints and information"),
    COMMUNITY: _("Forum and community"),
    INFORMATION: _("Information services"),
    BUSINESS: _("Business (UMKM)"),
    PUBLIC_SERVICES: _("Public services"),
}

MAX_FEATURES = 500


@dataclass(frozen=True)
class SearchQuery:
    """What a resident typed and/or where they are; ``text`` may be empty for "near me"."""

    text: str = ""
    lat: float | None = None
    lon: float | None = None
    radius_m: float = 2000.0
    limit: int = 20
    language: str = "id"

    @property
    def near(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class SearchHit:
    """One search result; ``distance_m`` is set when the query had a position."""

    area: str
    layer: str
    title: str
    subtitle: str
    url: str
    lat: float | None
    lon: float | None
    distance_m: float | None = None
    # Higher is better; text rank in [0, 1] (trigram similarity or similar).
    score: float = 0.0
    icon: str = ""  # defaults to the layer's icon


Search = Callable[[SearchQuery], list[SearchHit]]


@dataclass(frozen=True)
class Layer:
    """One switchable map layer of a service area."""

    key: str
    area: str
    label: str | Promise  # gettext_lazy: English msgid, Indonesian translation
    icon: str  # one emoji, drawn in the marker and the layer switcher
    colour: str  # marker ring colour, "#rrggbb"
    url_name: str  # the bbox GeoJSON endpoint, reverse()d without arguments
    search: Search | None = None
    # Shown by default on the resident pages (the others are one tap away).
    default_on: bool = False
    order: int = 100
    staff_only: bool = False


class DuplicateLayer(ValueError):
    """A layer key was registered twice."""


@dataclass(frozen=True)
class SearchSource:
    """A search without a map layer of its own (e.g. KLIK's categories and tracking codes)."""

    key: str
    area: str
    search: Search


_REGISTRY: dict[str, Layer] = {}
_SEARCH_ONLY: dict[str, SearchSource] = {}


def register(layer: Layer) -> Layer:
    if layer.area not in AREAS:
        raise ValueError(f"unknown service area {layer.area!r}")
    existing = _REGISTRY.get(layer.key)
    if existing is not None and existing != layer:
        raise DuplicateLayer(layer.key)
    _REGISTRY[layer.key] = layer
    return layer


def all_layers(*, include_staff: bool = False) -> list[Layer]:
    """The registered layers in display order (area order, then ``order``, then key)."""
    chosen = [layer for layer in _REGISTRY.values() if include_staff or not layer.staff_only]
    return sorted(chosen, key=lambda layer: (AREAS.index(layer.area), layer.order, layer.key))


def get(key: str) -> Layer | None:
    return _REGISTRY.get(key)


def register_search(source: SearchSource) -> SearchSource:
    if source.area not in AREAS:
        raise ValueError(f"unknown service area {source.area!r}")
    _SEARCH_ONLY[source.key] = source
    return source


def search_sources() -> list[SearchSource]:
    """Every search callable once: the layers' (public ones) and the search-only sources."""
    sources: list[SearchSource] = []
    seen: set[int] = set()
    for layer in all_layers():
        if layer.search is not None and id(layer.search) not in seen:
            seen.add(id(layer.search))
            sources.append(SearchSource(layer.key, layer.area, layer.search))
    for source in sorted(_SEARCH_ONLY.values(), key=lambda s: (AREAS.index(s.area), s.key)):
        if id(source.search) not in seen:
            seen.add(id(source.search))
            sources.append(source)
    return sources
