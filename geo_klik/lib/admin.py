"""What every geo_klik admin page shares.

The admin pre-fills a new object's fields from the query string (``?kelurahan=3``). Autocomplete
widgets look such a value up in the database, so a value that is no valid key of the related
model (``?kelurahan=garbage``, a number past the column's range) raised instead of leaving the
field empty. ``ValidInitialMixin`` keeps only the values the related key field accepts.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpRequest


def valid_initial(model: type[models.Model], initial: dict[str, Any]) -> dict[str, Any]:
    """``initial`` without the relation values its related key field would refuse."""
    kept: dict[str, Any] = {}
    for name, value in initial.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            kept[name] = value
            continue
        if not (field.many_to_one or field.many_to_many or field.one_to_one):
            kept[name] = value
            continue
        target = field.target_field  # type: ignore[union-attr]
        values = value if isinstance(value, list) else [value]
        try:
            for one in values:
                target.clean(one, None)
        except ValidationError:
            continue
        kept[name] = value
    return kept


class ValidInitialMixin:
    """Admin mixin: query-string initial values that are no valid key are dropped, not raised."""

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)  # type: ignore[misc]
        return valid_initial(self.model, initial)  # type: ignore[attr-defined]
