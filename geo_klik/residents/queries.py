"""Reads of the residents' pages that no other app offers."""

from __future__ import annotations

from django.db.models import QuerySet

from geo_klik.boundaries.models import Kelurahan


def kelurahan_choices() -> QuerySet[Kelurahan]:
    """Every kelurahan by name, for the public map's filter."""
    # Names and codes only: the polygons of the kelurahan and kecamatan are heavy and unused.
    return (
        Kelurahan.objects.select_related("kecamatan")
        .only("name", "code_kemendagri", "kecamatan__name")
        .order_by("name")
    )
