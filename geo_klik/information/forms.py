"""The /info/ page's query: category, text and point, each dropped with a note if unreadable."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext

from geo_klik.information.models import Place
from geo_klik.lib import geo


class PlaceQueryForm(forms.Form):
    """``?kategori=&q=&lat=&lon=``; what cannot be read is ignored, with a note (``notes``)."""

    kategori = forms.CharField(required=False, strip=False)
    q = forms.CharField(required=False)
    # Unstripped: a blank but present point still deserves the note that it was not read.
    lat = forms.CharField(required=False, strip=False)
    lon = forms.CharField(required=False, strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.notes = []
        category = cleaned.get("kategori", "")
        if category and category not in Place.Category.values:
            self.notes.append(gettext("Unknown category; showing every category."))
            category = ""
        position: tuple[float, float] | None = None
        raw_lat, raw_lon = cleaned.get("lat", ""), cleaned.get("lon", "")
        if raw_lat or raw_lon:
            try:
                position = geo.parse_lat_lon(raw_lat, raw_lon)
            except geo.InvalidCoordinates:
                self.notes.append(
                    gettext("Your position could not be read; showing all places instead.")
                )
        return {"category": category, "text": cleaned.get("q", "")[:100], "position": position}
