"""The map layers of the service areas, declared once: their registry, feed view and feature.

The smart-city portal has five service areas (``AREAS``). A domain app declares each of its map
layers in ``<app>/layers.py``, found by ``autodiscover_modules("layers")`` when the maps app is
ready (the admin's pattern)::

    layers.register(layers.Layer(key="places", area=layers.INFORMATION, ...))

and the map pages (/lapor/, /peta/, /control/) and the search (/api/search/) use whatever is
registered, so no page imports a domain app and no domain app imports the maps.

The GeoJSON contract of a layer's endpoint (``url_name``), kept by ``LayerView`` and
``FeatureSerializer`` (djangorestframework-gis): ``GET`` with
``in_bbox=min_lon,min_lat,max_lon,max_lat`` (``geo_klik.lib.bbox``; a bad box is a bilingual
400) answers a FeatureCollection of Point features, at most ``MAX_FEATURES``, each
``properties`` holding at least:

- ``layer``: the layer key; ``id``: the row id;
- ``title``: the name, in the request's language where the row has one;
- ``subtitle``: one short line (kind, kelurahan, opening hours...), may be "";
- ``url``: the HTML page of the thing (or "" if it has none);
- ``approximate``: true when the position is approximate (seeded, not surveyed).

A truncated answer says so in the top-level ``"truncated": true``. Whether a point on the edge
of the box is in it is the layer's ``bbox_filter_lookup`` ("intersects": in, the default;
"within": out, as the places, announcements and business feeds always answered).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib.gis.geos import Point
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import fields as drf_fields
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo_klik.lib import bbox, geo

# The five service areas of the smart-city portal.
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


# The feed of a layer ---------------------------------------------------------------------------


class GeoJSONRenderer(JSONRenderer):
    """JSON served as application/geo+json (RFC 7946); plain JSON clients still get JSON."""

    media_type = "application/geo+json"
    format = "geojson"


class PointField(GeometryField):  # type: ignore[misc]
    """A GeoJSON Point with its coordinates rounded to ``decimals`` (5 is about 1 m)."""

    def __init__(self, *, decimals: int, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)
        self.decimals = decimals

    def to_representation(self, value: Point) -> dict[str, Any]:
        lat, lon = geo.lat_lon(value)
        return {
            "type": "Point",
            "coordinates": [round(lon, self.decimals), round(lat, self.decimals)],
        }


_Get = Callable[[Any], Any]
_Convert = Callable[[Any], Any] | None  # None: the value as it is
_Step = tuple[_Get, _Convert]
# How a value of these exact field types is told: the field's own to_representation, minus
# its call overhead. Any other field type is asked itself, row by row.
_CONVERTERS: dict[type[serializers.Field[Any, Any, Any, Any]], _Convert] = {
    serializers.ReadOnlyField: None,
    serializers.CharField: str,
    serializers.IntegerField: int,
}
# (class, attribute) -> is it a method DRF calls (one without required arguments)?
_METHOD_CALLS: dict[tuple[type, str], bool] = {}


def _called(holder: Any, attr: str, value: Any) -> bool:
    """DRF's ``is_simple_callable(value)`` for a callable ``value = getattr(holder, attr)``,
    remembered by class and attribute when the class defines a method there
    (``get_kind_display`` is a partialmethod): DRF reads ``inspect.signature`` on every row,
    about 20 µs each."""
    key = (type(holder), attr)
    known = _METHOD_CALLS.get(key)
    if known is None:
        known = drf_fields.is_simple_callable(value)
        defined = inspect.getattr_static(key[0], attr, None)
        if isinstance(defined, types.FunctionType | functools.partialmethod):
            _METHOD_CALLS[key] = known  # the same signature on every row
    return known


def _attribute_getter(field: serializers.Field[Any, Any, Any, Any]) -> _Get:
    """``field.get_attribute`` for an object row (``source="a"`` or ``"a.b"``): DRF's
    ``get_attribute`` walk; where it would fail or find no related row, the field itself
    decides (a default, None, SkipField or the error), exactly as drf-gis would have."""
    attrs = tuple(field.source_attrs)
    fallback = (AttributeError, KeyError, ObjectDoesNotExist)
    if len(attrs) == 1:
        (attr,) = attrs

        def get_one(row: Any) -> Any:
            try:
                value = getattr(row, attr)
                if callable(value) and _called(row, attr, value):
                    value = value()
            except fallback:
                return field.get_attribute(row)
            return value

        return get_one

    def get_path(row: Any) -> Any:
        value = row
        try:
            for step, attr in enumerate(attrs):
                if step and isinstance(value, Mapping):
                    raise KeyError(attr)  # "a.b" through a dict: DRF's own walk
                holder, value = value, getattr(value, attr)
                if callable(value) and _called(holder, attr, value):
                    value = value()
        except fallback:
            return field.get_attribute(row)
        return value

    return get_path


def _step(serializer: Any, field: serializers.Field[Any, Any, Any, Any]) -> _Step:
    """The getter and converter of one bound field: drf-gis's ``get_attribute`` and
    ``to_representation`` (a method field's value is its method's answer: drf-gis asks the
    field, which calls the method, and a None from it stays None either way)."""
    if isinstance(field, serializers.SerializerMethodField):
        return getattr(serializer, field.method_name), None
    if field.source == "*":
        return field.get_attribute, field.to_representation
    return _attribute_getter(field), _CONVERTERS.get(type(field), field.to_representation)


class FeatureSerializer(GeoFeatureModelSerializer):  # type: ignore[misc]
    """One row as a Point feature of a layer: the contract's properties, then the layer's own.

    A layer's serializer names its ``layer_key``, its ``Meta.model`` and ``Meta.fields``
    (``COMMON_FIELDS`` first), and overrides ``title``/``approximate``'s source or the
    ``get_subtitle``/``get_url`` methods, or sets a property made of the others in ``complete``
    (so a value is computed once). ``context["now"]`` is the moment of the request.
    """

    COMMON_FIELDS: ClassVar[tuple[str, ...]] = (
        "feature_id",
        "location",
        "layer",
        "id",
        "title",
        "subtitle",
        "url",
        "approximate",
    )
    layer_key: ClassVar[str] = ""

    feature_id = serializers.IntegerField(source="pk", read_only=True)  # the feature's own "id"
    location = PointField(decimals=6)
    layer = serializers.SerializerMethodField()
    id = serializers.IntegerField(source="pk", read_only=True)
    title = serializers.CharField(read_only=True)
    subtitle = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    approximate: serializers.Field[Any, Any, Any, Any] = serializers.BooleanField(
        source="location_approximate", read_only=True
    )

    class Meta:
        geo_field = "location"
        id_field = "feature_id"

    def to_representation(self, row: Any) -> dict[str, Any]:
        """The feature of ``row``: what drf-gis answers, field by field, without its per-row cost.

        drf-gis asks every field for ``get_attribute`` and ``to_representation`` on every row,
        and DRF tells each attribute whether it is a method by ``inspect.signature``: about a
        third of a 500-feature answer. Here the declared fields are walked once per answer
        (``_plan``) into plain getters and converters; the values, ``None`` rules and key order
        are drf-gis's. Then ``complete`` may derive properties from the others (a subtitle made
        of the row's other properties is computed once).
        """
        if isinstance(row, Mapping):  # not a model row: drf-gis and DRF's rules, field by field
            feature: dict[str, Any] = super().to_representation(row)
            self.complete(row, feature["properties"])
            return feature
        (id_get, id_convert), (geometry_get, geometry_convert), plan = self._plan
        feature_id, geometry = id_get(row), geometry_get(row)  # drf-gis: never None-checked
        properties: dict[str, Any] = {}
        for name, get, convert in plan:
            value = get(row)
            if convert is not None and value is not None:
                value = convert(value)
            properties[name] = value
        self.complete(row, properties)
        return {
            "id": feature_id if id_convert is None else id_convert(feature_id),
            "type": "Feature",
            "geometry": geometry if geometry_convert is None else geometry_convert(geometry),
            "properties": properties,
        }

    def complete(self, row: Any, properties: dict[str, Any]) -> None:
        """Set the properties made of the others (e.g. ``subtitle``), in place; keys keep
        their declared order."""

    @functools.cached_property
    def _plan(self) -> tuple[_Step, _Step, list[tuple[str, _Get, _Convert]]]:
        meta = self.Meta
        steps = {name: _step(self, field) for name, field in self.fields.items()}
        id_step = steps.pop(meta.id_field)
        geometry_step = steps.pop(meta.geo_field)
        plan = [
            (name, get, convert)
            for (name, (get, convert)) in steps.items()
            if not self.fields[name].write_only
        ]
        return id_step, geometry_step, plan

    def build_field(self, field_name: str, *args: Any) -> Any:
        # ModelSerializer would build the field from the model on every request (labels,
        # validators, lazy translations: milliseconds per field): a layer declares them all.
        raise ImproperlyConfigured(f"{type(self).__name__}.{field_name} must be declared")

    def get_layer(self, row: Any) -> str:
        return self.layer_key

    def get_subtitle(self, row: Any) -> str:
        return ""

    def get_url(self, row: Any) -> str:
        return ""


class LayerView(GenericAPIView[Any]):
    """``GET ?in_bbox=``: a layer's rows as a FeatureCollection of at most ``MAX_FEATURES``.

    A layer's view sets ``serializer_class`` and ``get_queryset`` (its own filters, refusing bad
    ones with ``errors.invalid``); ``bbox_filter_field`` names the point the box is tested on.
    """

    authentication_classes: Sequence[type[BaseAuthentication]] = ()
    permission_classes: Sequence[type[BasePermission]] = ()
    http_method_names: Sequence[str] = ("get", "head", "options")
    renderer_classes: Sequence[type[BaseRenderer]] = (GeoJSONRenderer, JSONRenderer)
    filter_backends = (bbox.BBoxFilter,)
    bbox_filter_field = "location"
    bbox_filter_lookup = "intersects"  # exact; see lib.bbox.BBoxFilter
    pagination_class = None
    # Some feeds always answer "truncated" (false too); the others only when it is true.
    always_say_truncated = False
    # With two bad parameters, which is named: the box (most feeds) or the layer's own filters.
    refuse_bad_box_first = True

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.feature_collection())

    @property
    def max_features(self) -> int:
        return MAX_FEATURES  # read at each request, so a test can lower it

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": self.moment}

    @functools.cached_property
    def moment(self) -> dt.datetime:
        """``now()`` once per request: every feature and filter tells the same moment."""
        return self.now()

    def now(self) -> dt.datetime:
        """The moment the features are told for ("open now", "current")."""
        return timezone.now()

    def first_rows(self, rows: QuerySet[Any], count: int) -> Sequence[Any]:
        """The first ``count`` rows to show; a layer filtering in Python streams here."""
        return list(rows[:count])

    def feature_collection(self) -> dict[str, Any]:
        if self.refuse_bad_box_first:
            bbox.parse_bbox(self.request.query_params.get(bbox.PARAM))
        rows = self.first_rows(self.filter_queryset(self.get_queryset()), self.max_features + 1)
        truncated = len(rows) > self.max_features
        body = dict(self.get_serializer(rows[: self.max_features], many=True).data)
        if truncated or self.always_say_truncated:
            body["truncated"] = truncated
        return body
