"""Spatial SQL functions GeoDjango lacks, one tiny class each."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import GeomOutputGeoFunc
from django.contrib.gis.geos import Point
from django.db.models import FloatField, Func, Value


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    """ST_SimplifyPreserveTopology(geometry, tolerance in the geometry's units)."""

    function = "ST_SimplifyPreserveTopology"
    arity = 2


class SnapToGrid(GeomOutputGeoFunc):
    """ST_SnapToGrid(geometry, size in the geometry's units): vertices to the nearest grid point."""

    function = "ST_SnapToGrid"
    arity = 2


class Multi(GeomOutputGeoFunc):
    """ST_Multi(geometry): the multi- form, so simplified coverage keeps its GeoJSON type."""

    function = "ST_Multi"
    arity = 1


class KnnDistance(Func):
    """``a <-> b``: PostGIS's index-assisted (KNN) distance, in the geometry's units.

    Only for ORDER BY ... LIMIT (the GiST index then walks nearest first); on SRID 4326 it is in
    degrees, so exact distances are measured afterwards (geopy's geodesic, in metres).
    """

    arg_joiner = " <-> "
    template = "(%(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, point: Point, **extra: Any) -> None:
        super().__init__(
            expression, Value(point, output_field=GeometryField(srid=point.srid or 4326)), **extra
        )
