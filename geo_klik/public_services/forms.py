"""The pages' address form: its data goes through ``lookup.AddressSerializer``, as the API's."""

from __future__ import annotations

from typing import Any

from django import forms

from geo_klik.lib import errors
from geo_klik.lib.language import english
from geo_klik.public_services import lookup


class AddressForm(forms.Form):
    """``kelurahan=`` or ``lat=&lon=`` from a page's query; ``address`` once checked."""

    kelurahan = forms.CharField(required=False)
    lat = forms.CharField(required=False)
    lon = forms.CharField(required=False)

    address: lookup.Address | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if lookup.given(cleaned):
            try:
                self.address = lookup.address(cleaned)
            except errors.Invalid as invalid:
                for problem in invalid.problems:
                    self.add_error(None, problem.message_en if english() else problem.message)
        return cleaned

    def problem(self) -> str:
        """The first thing wrong with the address, in the page's language; blank if nothing."""
        return str(self.non_field_errors()[0]) if self.non_field_errors() else ""
