"""Spatial SQL functions GeoDjango lacks, one tiny class each."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import GeomOutputGeoFunc


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    """ST_SimplifyPreserveTopology(geometry, tolerance in the geometry's units)."""

    function = "ST_SimplifyPreserveTopology"
    arity = 2


class Multi(GeomOutputGeoFunc):
    """ST_Multi(geometry): the multi- form, so simplified coverage keeps its GeoJSON type."""

    function = "ST_Multi"
    arity = 1
