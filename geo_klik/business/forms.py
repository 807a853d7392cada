"""HTML forms of the directory pages; their cleaned data goes through ``inputs`` to ``actions``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from geo_klik.business import actions
from geo_klik.business.models import CATEGORIES, Business, Promotion, field_value
from geo_klik.lib import errors, opening_hours
from geo_klik.lib.language import english

DAY_LABELS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Where an action's problem about one field shows on the form.
FIELD_OF_PROBLEM = {"location": "lat", "confirm_stale": "confirm_stale"}


def category_choices() -> list[tuple[str, str]]:
    return [
        (code, f"{icon} {name_en if english() else name_id}")
        for code, (name_id, name_en, icon) in CATEGORIES.items()
    ]


def show_refusal(form: forms.Form, refused: actions.Refused | errors.Invalid) -> None:
    """Put the bilingual problems of ``inputs`` or ``actions`` on the form, in its language."""
    for problem in refused.problems:
        message = problem.message_en if english() else problem.message
        field = FIELD_OF_PROBLEM.get(problem.field or "", problem.field)
        form.add_error(field if field in form.fields else None, message)


class DirectoryQueryForm(forms.Form):
    """/usaha/'s query: text, a category (else every one), "open now" only when exactly 1."""

    q = forms.CharField(required=False)
    # Unstripped, as the page always read them: " bordir " is no category.
    category = forms.CharField(required=False, strip=False)
    open_now = forms.CharField(required=False, strip=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        category = cleaned.get("category", "")
        return {
            "q": cleaned.get("q", "")[:100],
            "category": category if category in CATEGORIES else "",
            "open_now": cleaned.get("open_now") == "1",
        }


class ListingForm(forms.Form):
    """A listing's fields; used to propose a new listing and for the owner's changes."""

    name = forms.CharField(label=_("Business name"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=category_choices)
    description_id = forms.CharField(
        label=_("Description (Indonesian)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_en = forms.CharField(
        label=_("Description (English, optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    lat = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.NumberInput({"step": "any"})
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput({"step": "any"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    whatsapp = forms.CharField(label=_("WhatsApp"), max_length=30, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in range(7):
            for edge in ("opens", "closes"):
                self.fields[f"day{day}_{edge}"] = forms.TimeField(
                    label=f"{DAY_LABELS[day]}: {_('opens') if edge == 'opens' else _('closes')}",
                    required=False,
                    widget=TIME_INPUT,
                )

    def hour_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (str(DAY_LABELS[d]), self[f"day{d}_opens"], self[f"day{d}_closes"]) for d in range(7)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for day in range(7):
            opens, closes = cleaned.get(f"day{day}_opens"), cleaned.get(f"day{day}_closes")
            if (opens is None) != (closes is None):
                self.add_error(
                    f"day{day}_closes" if closes is None else f"day{day}_opens",
                    _("Give both the opening and the closing time, or neither (closed)."),
                )
            elif opens is not None and opens == closes:
                self.add_error(f"day{day}_closes", _("Closing time equals opening time."))
        return cleaned

    def periods(self) -> list[opening_hours.Period]:
        """Days with the same hours grouped into one period."""
        groups: dict[tuple[str, str], list[int]] = {}
        for day in range(7):
            opens: dt.time | None = self.cleaned_data.get(f"day{day}_opens")
            closes: dt.time | None = self.cleaned_data.get(f"day{day}_closes")
            if opens is not None and closes is not None:
                key = (opens.strftime("%H:%M"), closes.strftime("%H:%M"))
                groups.setdefault(key, []).append(day)
        return [{"days": days, "opens": o, "closes": c} for (o, c), days in groups.items()]

    def listing_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{
                name: data.get(name, "")
                for name in (
                    "name",
                    "category",
                    "description_id",
                    "description_en",
                    "address",
                    "phone",
                    "whatsapp",
                    "email",
                    "website",
                )
            },
            "location": {"lat": data["lat"], "lon": data["lon"]},
            "opening_hours": self.periods(),
        }


class ProposalForm(ListingForm):
    is_owner = forms.BooleanField(
        label=_("I own or run this business (you become its owner once approved)"),
        required=False,
    )


def initial_of(business: Business) -> dict[str, Any]:
    """A listing's current values as the change form's initial data (first period per day)."""
    initial: dict[str, Any] = {
        name: getattr(business, name)
        for name in (
            "name",
            "category",
            "description_id",
            "description_en",
            "address",
            "phone",
            "whatsapp",
            "email",
            "website",
        )
    }
    location = field_value(business, "location")
    initial.update(lat=location["lat"], lon=location["lon"])
    for period in business.opening_hours:
        for day in period["days"]:
            initial.setdefault(f"day{day}_opens", period["opens"])
            initial.setdefault(f"day{day}_closes", period["closes"])
    return initial


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Why is this business yours?"),
        help_text=_("E.g. your NIB (business registration) number and your role."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact_phone = forms.CharField(label=_("Phone number the moderators can call"), max_length=30)


DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PromotionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Promotion.Kind.PROMOTION, _("Promotion")), (Promotion.Kind.EVENT, _("Event"))],
    )
    title_id = forms.CharField(label=_("Title (Indonesian)"), max_length=150)
    title_en = forms.CharField(label=_("Title (English, optional)"), max_length=150, required=False)
    body_id = forms.CharField(
        label=_("Details (Indonesian)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body_en = forms.CharField(
        label=_("Details (English, optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], widget=DATETIME_INPUT
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], widget=DATETIME_INPUT
    )
    lat = forms.FloatField(
        label=_("Latitude (optional: elsewhere than the business)"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput({"step": "any"}),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput({"step": "any"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            self.add_error("lon", _("Give both latitude and longitude, or neither."))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    confirm_stale = forms.BooleanField(required=False)
