"""What the directory accepts from people: listings, claims and promotions, on ``lib.checks``.

The API checks a request body with these serializers, the pages pass their forms' cleaned data
through the same ones, and the seed its listings; ``business.actions`` then trusts the values
and keeps only the rules about who may do what, and when (login, owner, quotas, states).
A refusal is ``errors.Invalid`` with every bilingual problem at once, naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from geo_klik.business.models import REVISABLE_FIELDS, Category, Promotion, kelurahan_at
from geo_klik.lib import checks, errors, geo, opening_hours
from geo_klik.moderation import rules

MAX_PROMOTION_DAYS = 366
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,28}$")
# A body that is not an object, in the words the directory always used.
MALFORMED = errors.Problem(
    "body", "malformed", "Isi permintaan harus objek JSON.", "The body must be a JSON object."
)


def checked(serializer: type[checks.CheckedSerializer], data: Any) -> dict[str, Any]:
    """``data`` checked by ``serializer``: its clean values, or ``errors.Invalid``."""
    check = serializer(data=data)
    check.is_valid(raise_exception=True)
    return dict(check.validated_data)


# Fields ------------------------------------------------------------------------------------


class Text(checks.CheckedField, serializers.CharField):
    """Text, stripped; absent is blank; refuses non-text, NUL and lone surrogates, and length."""

    # Numbers are taken as their text (claims and promotions always accepted them).
    takes_numbers = False

    def __init__(self, *, max_length: int, required: bool = False, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, required=required, **kwargs)

    def check(self, raw: Any) -> str:
        name = self.name
        if self.takes_numbers and isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = str(raw) if raw else ""
        value = raw.strip() if isinstance(raw, str) else ("" if raw is None else None)
        if value is None:
            raise self.refuse("invalid", f"{name} harus berupa teks.", f"{name} must be text.")
        if "\x00" in value or not checks.encodable(value):
            raise self.refuse(
                "invalid_characters",
                f"{name} berisi karakter yang tidak valid.",
                f"{name} contains invalid characters.",
            )
        if self.required and not value:
            raise self.required_problem()
        limit = self.max_length or 0
        if len(value) > limit:
            raise self.refuse(
                "too_long",
                f"{name} paling panjang {limit} karakter.",
                f"{name} is at most {limit} characters.",
            )
        return self.normalise(value) if value else value

    def required_problem(self) -> errors.Invalid:
        name = self.name
        return self.refuse("required", f"{name} wajib diisi.", f"{name} is required.")

    def normalise(self, value: str) -> str:
        """Non-blank clean text as stored, or a refusal (a subclass's format rule)."""
        return value


class Phone(Text):
    """A phone number: digits, spaces, dashes, brackets and a leading +."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=30, **kwargs)

    def normalise(self, value: str) -> str:
        if not PHONE.match(value):
            raise self.refuse(
                "invalid",
                "Nomor telepon hanya angka, spasi, tanda hubung, dan + di depan "
                "(mis. 0812 3456 7890).",
                "A phone number is digits, spaces, dashes and a leading + (e.g. 0812 3456 7890).",
            )
        return value


class Email(Text, serializers.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=254, **kwargs)

    def normalise(self, value: str) -> str:
        try:
            validate_email(value)
        except ValidationError:
            raise self.refuse(
                "invalid", "Alamat email tidak valid.", "Invalid email address."
            ) from None
        return value


class Website(Text, serializers.URLField):
    """An http(s) address; one without a scheme gets https://."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=200, **kwargs)

    def normalise(self, value: str) -> str:
        if "://" not in value:
            value = f"https://{value}"
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise self.refuse(
                "invalid", "Alamat situs web tidak valid.", "Invalid website address."
            ) from None
        return value


class Choice(checks.CheckedField, serializers.ChoiceField):
    """One of ``choices``; ``default`` when absent or blank (if given)."""

    def __init__(
        self, *, unknown: tuple[str, str], default: str | None = None, **kwargs: Any
    ) -> None:
        self.unknown = unknown
        self.fallback = default
        super().__init__(required=default is None, **kwargs)

    def check(self, raw: Any) -> str:
        if self.fallback is not None and not raw:
            return self.fallback
        if not isinstance(raw, str) or raw not in self.choices:
            raise self.refuse("invalid", *self.unknown)
        return raw


def place(raw: Any, *, field: str = "location") -> dict[str, float]:
    """A point ``{"lat", "lon"}`` inside the city, rounded to 7 decimals (about 1 cm)."""
    if not isinstance(raw, Mapping):
        raw = {}
    try:
        lat, lon = geo.parse_lat_lon(raw.get("lat"), raw.get("lon"))
    except geo.InvalidCoordinates as exc:
        raise errors.invalid(field, "invalid", exc.message_id, exc.message_en) from None
    location = {"lat": round(lat, 7), "lon": round(lon, 7)}
    try:
        kelurahan_at(location["lat"], location["lon"], field)
    except rules.Refused as refused:
        raise errors.Invalid(refused.problems) from None
    return location


class Location(checks.CheckedField, serializers.DictField):
    """``{"lat": …, "lon": …}`` inside the city served."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.FloatField(), **kwargs)

    def check(self, raw: Any) -> dict[str, float]:
        return place(raw, field=self.name)


class OpeningHours(checks.CheckedField, serializers.JSONField):
    def check(self, raw: Any) -> list[opening_hours.Period]:
        try:
            return opening_hours.validate(raw)
        except ValidationError as exc:
            indonesian, _, english = " ".join(exc.messages).partition(" / ")
            raise self.refuse("invalid", indonesian, english or indonesian) from None


class Moment(checks.CheckedField, serializers.DateTimeField):
    """An ISO 8601 date-time, or a form's datetime; without an offset it is WIB."""

    def check(self, raw: Any) -> dt.datetime | None:
        if raw in (None, ""):
            return None
        moment = raw if isinstance(raw, dt.datetime) else None
        if isinstance(raw, str):
            moment = parse_datetime(raw)
        if moment is None:
            name = self.name
            raise self.refuse(
                "invalid",
                f"{name} harus berupa tanggal dan jam ISO 8601 (mis. 2025-08-17T09:00).",
                f"{name} must be an ISO 8601 date and time (e.g. 2025-08-17T09:00).",
            )
        return moment if moment.tzinfo else moment.replace(tzinfo=opening_hours.WIB)


# Listings ------------------------------------------------------------------------------------


class ListingSerializer(checks.CheckedSerializer):
    """A whole listing: a resident's proposal, a page's form, the seed."""

    not_an_object = MALFORMED

    name = Text(max_length=120, required=True)
    category = Choice(
        choices=Category.choices, unknown=("Kategori tidak dikenal.", "Unknown category.")
    )
    location = Location(help_text='{"lat": -0.305, "lon": 100.369}, inside the city.')
    description_id = Text(max_length=2000)
    description_en = Text(max_length=2000)
    address = Text(max_length=250)
    phone = Phone()
    whatsapp = Phone()
    email = Email()
    website = Website(help_text="https:// is added when no scheme is given.")
    opening_hours = OpeningHours(
        required=False, help_text='[{"days": [0-6], "opens": "HH:MM", "closes": "HH:MM"}]'
    )


class RevisionSerializer(ListingSerializer):
    """Only the fields to change (the owner's revision); the others stay as they are."""

    def to_internal_value(self, data: Mapping[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(data) - set(REVISABLE_FIELDS))
        if unknown:
            raise errors.invalid(
                unknown[0],
                "unknown_field",
                f"Isian {unknown[0]} tidak bisa diubah.",
                f"The field {unknown[0]} cannot be changed.",
            )
        return super().to_internal_value(data)

    def fields_to_check(self, data: Mapping[str, Any]) -> list[serializers.Field]:  # type: ignore[type-arg]
        return [self.fields[name] for name in REVISABLE_FIELDS if name in data]


# Claims ------------------------------------------------------------------------------------


class Evidence(Text):
    """Why the business is the claimant's (numbers are taken as text, as always)."""

    takes_numbers = True

    def required_problem(self) -> errors.Invalid:
        return self.refuse(
            "required",
            "Jelaskan mengapa usaha ini milik Anda (mis. nomor NIB, peran Anda).",
            "Explain why this business is yours (e.g. NIB number, your role).",
        )


class ContactPhone(Phone):
    """A number the moderators can call: required, and anything else is the same refusal."""

    takes_numbers = True

    def check(self, raw: Any) -> str:
        try:
            return super().check(raw)
        except errors.Invalid:
            raise self.refuse(
                "invalid",
                "Isi nomor telepon yang bisa dihubungi moderator (mis. 0812 3456 7890).",
                "Give a phone number the moderators can call (e.g. 0812 3456 7890).",
            ) from None


class ClaimSerializer(checks.CheckedSerializer):
    """A resident's evidence that a listing is theirs."""

    not_an_object = MALFORMED

    message = Evidence(
        max_length=100_000, required=True, help_text="Why the business is yours (NIB, your role)."
    )
    contact_phone = ContactPhone(required=True, help_text="A number the moderators can call.")


# Promotions --------------------------------------------------------------------------------


class PromotionText(Text):
    takes_numbers = True


class PromotionSerializer(checks.CheckedSerializer):
    """An owner's event or promotion.

    The API answers a malformed date or place first (``formats``), before it knows whether the
    sender owns the business; the rest is checked after, every problem at once.
    """

    not_an_object = MALFORMED

    kind = Choice(
        choices=Promotion.Kind.choices,
        default=Promotion.Kind.PROMOTION,
        unknown=("Jenis tidak dikenal.", "Unknown kind."),
    )
    title_id = PromotionText(max_length=150, required=True)
    title_en = PromotionText(max_length=150)
    body_id = PromotionText(max_length=2000)
    body_en = PromotionText(max_length=2000)
    starts_at = Moment(required=True, help_text="ISO 8601; without an offset it is WIB.")
    ends_at = Moment(required=True, help_text="After starts_at, at most 366 days later.")
    lat = checks.Coordinate(limit=90, help_text="Omit to use the business location.")
    lon = checks.Coordinate(limit=180)

    WHEN_WHERE = ("lat", "lon", "starts_at", "ends_at")

    def formats(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The place (both or neither) and the period's ends, parsed: the first problem raised."""
        values: dict[str, Any] = {"lat": None, "lon": None}
        if data.get("lat") not in (None, "") or data.get("lon") not in (None, ""):
            values.update(lat=self.check_one("lat", data), lon=self.check_one("lon", data))
        for name in ("starts_at", "ends_at"):
            values[name] = self.check_one(name, data)
        return values

    def check_one(self, name: str, data: Mapping[str, Any]) -> Any:
        field = self.fields[name]
        if not isinstance(field, checks.CheckedField):
            raise TypeError(f"{name} is not a checked field")
        return field.check(data.get(name))

    def fields_to_check(self, data: Mapping[str, Any]) -> list[serializers.Field]:  # type: ignore[type-arg]
        return [f for name, f in self.fields.items() if name not in self.WHEN_WHERE]

    def to_internal_value(self, data: Mapping[str, Any]) -> dict[str, Any]:
        when = self.formats(data)
        problems: list[errors.Problem] = []
        try:
            values = super().to_internal_value(data)
        except errors.Invalid as invalid:
            problems.extend(invalid.problems)
            values = {}
        problems.extend(period_problems(when["starts_at"], when["ends_at"]))
        location: Point | None = None
        if when["lat"] is not None and when["lon"] is not None:
            try:
                where = place({"lat": when["lat"], "lon": when["lon"]})
            except errors.Invalid as invalid:
                problems.extend(invalid.problems)
            else:
                location = geo.point(where["lat"], where["lon"])
        if problems:
            raise errors.Invalid(problems)
        return {
            **values,
            "starts_at": when["starts_at"],
            "ends_at": when["ends_at"],
            "location": location,
        }


def period_problems(
    starts_at: dt.datetime | None, ends_at: dt.datetime | None
) -> list[errors.Problem]:
    """What is wrong with a promotion's period: at most one problem, the first found."""
    Problem = errors.Problem
    if starts_at is None:
        return [Problem("starts_at", "required", "Isi waktu mulai.", "Give the start time.")]
    if ends_at is None:
        return [Problem("ends_at", "required", "Isi waktu selesai.", "Give the end time.")]
    if ends_at <= starts_at:
        return [
            Problem(
                "ends_at",
                "before_start",
                "Waktu selesai harus sesudah waktu mulai.",
                "The end must be after the start.",
            )
        ]
    if ends_at <= timezone.now():
        return [
            Problem("ends_at", "in_past", "Waktu selesai sudah lewat.", "The end is in the past.")
        ]
    if ends_at - starts_at > dt.timedelta(days=MAX_PROMOTION_DAYS):
        return [
            Problem(
                "ends_at",
                "too_long",
                f"Satu promosi paling lama {MAX_PROMOTION_DAYS} hari.",
                f"A promotion lasts at most {MAX_PROMOTION_DAYS} days.",
            )
        ]
    return []
