"""HTML forms of the forum pages; they parse input, the rules live in ``actions``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo_klik.community import actions, queries
from geo_klik.community.models import Flag, Post
from geo_klik.lib import geo

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def kelurahan_field(*, empty_label: str | Any, label: str | Any) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(
        queryset=queries.kelurahan_choices(),
        to_field_name="code_kemendagri",
        required=False,
        empty_label=empty_label,
        label=label,
    )


class SignUpForm(UserCreationForm):  # type: ignore[type-arg]
    """Username, display name, password twice, optional home kelurahan."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown with your posts, e.g. Siti from Campago Ipuh."),
    )
    home_kelurahan = kelurahan_field(empty_label=_("(not chosen)"), label=_("Home kelurahan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username (to log in)")
        self.fields["username"].help_text = _("Letters, digits and @ . + - _ only.")
        self.order_fields(["username", "display_name", "password1", "password2", "home_kelurahan"])


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=DATETIME_LOCAL)


class PostForm(forms.Form):
    """A post or an event: text, kelurahan or whole city, an optional pin, event times."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=Post.Kind.choices, initial=Post.Kind.POST, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=140)
    body = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    kelurahan = kelurahan_field(empty_label=_("Whole city"), label=_("For which kelurahan"))
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=DateTimeLocalInput(),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (optional)"),
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=DateTimeLocalInput(),
    )
    venue = forms.CharField(label=_("Venue (optional)"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            raise forms.ValidationError(
                _("Give both latitude and longitude, or neither."), code="half_pin"
            )
        return cleaned

    def fields_for_action(self) -> actions.PostFields:
        data = self.cleaned_data
        return actions.PostFields(
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            kelurahan=data.get("kelurahan"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            venue=data.get("venue") or "",
        )

    @classmethod
    def initial_for(cls, post: Post) -> dict[str, Any]:
        lat = post.location.y if post.location is not None else None
        lon = post.location.x if post.location is not None else None
        local = timezone.localtime
        return {
            "kind": post.kind,
            "title": post.title,
            "body": post.body,
            "kelurahan": post.kelurahan,
            "lat": lat,
            "lon": lon,
            "starts_at": local(post.starts_at) if post.starts_at else None,
            "ends_at": local(post.ends_at) if post.ends_at else None,
            "venue": post.venue,
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why?"), choices=Flag.Reason.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ModerationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


BAN_DURATIONS = {
    "1": timedelta(days=1),
    "7": timedelta(days=7),
    "30": timedelta(days=30),
}


class BanForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    reason = forms.CharField(label=_("Reason"), max_length=1000)
    duration = forms.ChoiceField(
        label=_("For how long"),
        choices=[
            ("1", _("1 day")),
            ("7", _("7 days")),
            ("30", _("30 days")),
            ("permanent", _("Permanently")),
        ],
        initial="7",
    )

    def clean_username(self) -> Any:
        """The user of that name (the field's clean value), or the field's error."""
        user = queries.user_by_username(self.cleaned_data["username"])
        if user is None:
            raise forms.ValidationError(
                _("Give an existing username and a reason."), code="unknown_user"
            )
        return user

    def until(self) -> Any:
        length = BAN_DURATIONS.get(self.cleaned_data["duration"])
        return timezone.now() + length if length is not None else None


class BoardQueryForm(forms.Form):
    """A board's query: ``?jenis=`` (post or event, else everything), ``?lat=&lon=`` (near me,
    ignored when unreadable) and ``?kelurahan=`` (the city board's filter, a redirect)."""

    # Unstripped, as the boards always read them: " event " is no kind.
    jenis = forms.CharField(required=False, strip=False)
    lat = forms.CharField(required=False, strip=False)
    lon = forms.CharField(required=False, strip=False)
    kelurahan = forms.CharField(required=False, strip=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw_kind = cleaned.get("jenis", "")
        position: tuple[float, float] | None = None
        raw_lat, raw_lon = cleaned.get("lat", ""), cleaned.get("lon", "")
        if raw_lat and raw_lon:
            try:
                position = geo.parse_lat_lon(raw_lat, raw_lon)
            except geo.InvalidCoordinates:
                position = None
        return {
            "kind": raw_kind if raw_kind in Post.Kind.values else None,
            "raw_kind": raw_kind,
            "position": position,
            "kelurahan": cleaned.get("kelurahan", ""),
        }
