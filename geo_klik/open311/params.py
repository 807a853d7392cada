"""Open311 request parameters: GET requests filters and paging, POST requests form fields.

Checked by DRF serializers (``lib.checks``) like every other API here, but answered in
GeoReport v2's own error form: ``checked`` raises ``BadParameter`` whose message, the first
problem as "Indonesian / English", is the error description the client receives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import QueryDict
from rest_framework import serializers

from geo_klik.boundaries import cities
from geo_klik.lib import checks, errors, geo
from geo_klik.open311.queries import RequestFilter, UpdateFilter
from geo_klik.reports import queries as report_queries

# GeoReport: without dates, the last 90 days; a date range may not span more than 90 days.
WINDOW = timedelta(days=90)
# GeoReport allows a server to answer at most 1,000 requests; ``page``/``page_size`` go further.
MAX_PAGE_SIZE = 1000
MAX_DESCRIPTION = 4000
# The W3C note's profile of ISO 8601, with seconds optional and the offset required.
W3C_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"
)
STATUSES = frozenset({"open", "closed"})


class BadParameter(Exception):
    """A parameter is missing or malformed (HTTP 400); str() is the error description."""


class UnknownJurisdiction(Exception):
    """The client asked for a jurisdiction_id this server does not serve (HTTP 404)."""


def jurisdiction_id() -> str:
    """The one jurisdiction this server serves (GeoReport's optional ``jurisdiction_id``): the
    city's government domain as Indonesian kota/kabupaten name theirs (<name>kota.go.id,
    <name>kab.go.id). Its Kemendagri code (13.75) is accepted too."""
    city = cities.served()
    kind = "kab" if city.name.startswith("Kabupaten") else "kota"
    return f"{city.short_name.lower().replace(' ', '')}{kind}.go.id"


def check_jurisdiction(params: QueryDict) -> None:
    raw = params.get("jurisdiction_id", "").strip()
    if raw and raw.lower() not in (jurisdiction_id(), cities.served().code):
        raise UnknownJurisdiction(
            f"jurisdiction_id {raw!r} tidak dikenal / not found; this server serves "
            f"{jurisdiction_id()}"
        )


Checked = TypeVar("Checked", bound=checks.CheckedSerializer)


def checked(serializer: Checked) -> Checked:
    """The serializer, its data checked; BadParameter with the first problem (GeoReport v2)."""
    try:
        serializer.is_valid(raise_exception=True)
    except errors.Invalid as invalid:
        first = invalid.problems[0]
        raise BadParameter(f"{first.message} / {first.message_en}") from None
    return serializer


class Text(checks.CheckedField, serializers.CharField):
    """A form field, stripped; refuses NUL and more than max_length (GeoReport's messages)."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return dictionary.get(self.name, "")

    def check(self, raw: Any) -> Any:
        name, limit = self.name, self.max_length or 0
        value = str(raw).strip()
        if "\x00" in value:
            raise self.refuse(
                "invalid_characters",
                f"{name} memuat karakter NUL",
                f"{name} contains a NUL character",
            )
        if len(value) > limit:
            raise self.refuse(
                "max_length",
                f"{name} paling panjang {limit} karakter",
                f"{name} must be at most {limit} characters",
            )
        if self.required and not value:
            raise self.refuse("required", f"{name} wajib diisi", f"{name} is required")
        return self.more(value)

    def more(self, value: str) -> Any:
        """A subclass's format rule on clean text, and the value it makes; here the text."""
        return value


class CommaList(Text):
    """A comma-separated list, blanks and repeats dropped, in order."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=20_000, **kwargs)

    def more(self, value: str) -> Any:
        return tuple(dict.fromkeys(item.strip() for item in value.split(",") if item.strip()))


class TrackingCodes(CommaList):
    def more(self, value: str) -> Any:
        # As a resident may type them; an impossible code is kept as given and matches nothing.
        return tuple(
            report_queries.normalize_tracking_code(raw) or raw for raw in super().more(value)
        )


class Statuses(CommaList):
    def more(self, value: str) -> Any:
        statuses = frozenset(s.lower() for s in super().more(value))
        if not statuses <= STATUSES:
            raise self.refuse(
                "invalid", "status harus open atau closed", "status must be open or closed"
            )
        return statuses


class W3CDateTime(Text):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=40, **kwargs)

    def more(self, value: str) -> datetime | None:
        try:
            return w3c_datetime(value)
        except ValueError:
            name = self.name
            raise self.refuse(
                "invalid",
                f"{name} harus tanggal-waktu W3C dengan zona waktu, mis. 2026-11-05T08:15:30+07:00",
                f"{name} must be a W3C datetime with a time zone, e.g. 2026-11-05T08:15:30+07:00",
            ) from None


def w3c_datetime(value: str) -> datetime | None:
    """None for blank text; ValueError for anything but a W3C datetime with its offset."""
    if not value:
        return None
    if not W3C_DATETIME.match(value):
        raise ValueError(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class EndDate(W3CDateTime):
    """end_date, which also answers for the range: after start_date, at most 90 days on."""

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return (dictionary.get("start_date", ""), dictionary.get(self.name, ""))

    def check(self, raw: Any) -> datetime | None:
        raw_start, raw_end = raw
        end: datetime | None = super().check(raw_end)
        try:
            start = w3c_datetime(str(raw_start).strip())
        except ValueError:
            return end  # start_date's own field says what is wrong with it
        if start is None or end is None:
            return end
        if start > end:
            raise self.refuse(
                "invalid",
                "start_date harus sebelum end_date",
                "start_date must not be later than end_date",
            )
        if end - start > WINDOW:
            raise self.refuse(
                "invalid",
                "rentang start_date..end_date paling lama 90 hari",
                "start_date..end_date may not span more than 90 days",
            )
        return end


class PositiveInt(Text):
    def __init__(self, *, default: int, maximum: int, **kwargs: Any) -> None:
        self.default_number, self.maximum = default, maximum
        super().__init__(max_length=12, **kwargs)

    def more(self, value: str) -> int:
        if not value:
            return self.default_number
        if not value.isdigit() or not 1 <= int(value) <= self.maximum:
            raise self.refuse(
                "invalid",
                f"{self.name} harus bilangan bulat antara 1 dan {self.maximum}",
                f"{self.name} must be a whole number from 1 to {self.maximum}",
            )
        return int(value)


def within_window(attrs: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """start/end as given, one of them 90 days from the other; neither: the last 90 days."""
    start, end = attrs["start_date"], attrs["end_date"]
    if start is None and end is None:
        start = now - WINDOW
    elif start is None:
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    return {**attrs, "start_date": start, "end_date": end}


class Flag(Text):
    """``true`` or ``false`` (any case); blank is false."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=5, **kwargs)

    def more(self, value: str) -> bool:
        if value.lower() not in {"", "true", "false"}:
            raise self.refuse(
                "invalid",
                f"{self.name} harus true atau false",
                f"{self.name} must be true or false",
            )
        return value.lower() == "true"


@dataclass(frozen=True)
class Page:
    """The ``page`` / ``page_size`` extension: pages count from 1."""

    number: int = 1
    size: int = MAX_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


class RequestsQuerySerializer(checks.CheckedSerializer):
    """GET requests: filters (in the order GeoReport clients have seen them refused) and paging.

    Needs ``context={"now": ...}`` for the default window (the last 90 days).
    """

    service_request_id = TrackingCodes()
    status = Statuses()
    start_date = W3CDateTime()
    end_date = EndDate()
    service_code = CommaList()
    page = PositiveInt(default=1, maximum=1_000_000)
    page_size = PositiveInt(default=MAX_PAGE_SIZE, maximum=MAX_PAGE_SIZE)

    extensions = Flag()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return within_window(attrs, now=self.context["now"])

    def request_filter(self) -> RequestFilter:
        values = self.validated_data
        return RequestFilter(
            ids=values["service_request_id"],
            service_codes=values["service_code"],
            statuses=values["status"],
            start=values["start_date"],
            end=values["end_date"],
        )

    def page_asked(self) -> Page:
        return Page(number=self.validated_data["page"], size=self.validated_data["page_size"])

    def extensions_asked(self) -> bool:
        return bool(self.validated_data["extensions"])


class UpdatesQuerySerializer(checks.CheckedSerializer):
    """GET servicerequestupdates (mySociety's extension): a window of updates, and paging.

    The window is the one of GET requests, on the updates' own times. Needs ``context={"now"}``.
    """

    service_request_id = TrackingCodes()
    start_date = W3CDateTime()
    end_date = EndDate()
    page = PositiveInt(default=1, maximum=1_000_000)
    page_size = PositiveInt(default=MAX_PAGE_SIZE, maximum=MAX_PAGE_SIZE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return within_window(attrs, now=self.context["now"])

    def update_filter(self) -> UpdateFilter:
        values = self.validated_data
        return UpdateFilter(
            ids=values["service_request_id"], start=values["start_date"], end=values["end_date"]
        )

    def page_asked(self) -> Page:
        return Page(number=self.validated_data["page"], size=self.validated_data["page_size"])


@dataclass(frozen=True)
class NewRequest:
    """A POST requests form, validated except for what needs the database (service, city)."""

    service_code: str
    lat: float
    lon: float
    description: str
    reporter_name: str
    reporter_email: str
    reporter_phone: str
    media_url: str
    address_string: str
    device_id: str
    account_id: str


class Position(checks.CheckedField, serializers.FloatField):
    """``lat`` and ``long`` together (GeoReport calls longitude ``long``), as lat and lon."""

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return dictionary

    def check(self, raw: Any) -> dict[str, float]:
        raw_lat, raw_long = raw.get("lat", "").strip(), raw.get("long", "").strip()
        if not raw_lat and not raw_long:
            if raw.get("address_string", "").strip() or raw.get("address_id", "").strip():
                raise self.refuse(
                    "required",
                    "lat dan long wajib diisi: alamat saja tidak dapat dipetakan ke SKPD",
                    "lat and long are required: geo_klik routes by coordinates and does not "
                    "geocode address_string or address_id",
                )
            raise self.refuse("required", "lat dan long wajib diisi", "lat and long are required")
        try:
            lat, lon = geo.parse_lat_lon(raw_lat, raw_long)
        except geo.InvalidCoordinates as exc:
            if exc.field == "lon":  # Open311 calls longitude "long"
                raise self.refuse(
                    "invalid",
                    exc.message_id.replace("lon", "long", 1),
                    exc.message_en.replace("lon", "long", 1),
                ) from None
            raise self.refuse("invalid", exc.message_id, exc.message_en) from None
        return {"lat": lat, "lon": lon}


class Email(Text):
    def more(self, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise self.refuse(
                    "invalid", "email tidak valid", "email is not a valid address"
                ) from None
        return value


class MediaUrl(Text):
    def more(self, value: str) -> str:
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                raise self.refuse(
                    "invalid",
                    "media_url harus URL http atau https",
                    "media_url must be an http or https URL",
                ) from None
        return value


class NewRequestSerializer(checks.CheckedSerializer):
    """POST requests: the form fields, in the order GeoReport clients have seen them refused."""

    service_code = Text(max_length=40, required=True)
    lat = Position(source="*")
    first_name = Text(max_length=100)
    last_name = Text(max_length=100)
    description = Text(max_length=MAX_DESCRIPTION)
    email = Email(max_length=254)
    phone = Text(max_length=30)
    media_url = MediaUrl(max_length=1000)
    address_string = Text(max_length=300)
    device_id = Text(max_length=100)
    account_id = Text(max_length=100)

    def new_request(self) -> NewRequest:
        values = self.validated_data
        name = " ".join(part for part in (values["first_name"], values["last_name"]) if part)
        return NewRequest(
            service_code=values["service_code"],
            lat=values["lat"],
            lon=values["lon"],
            description=values["description"],
            reporter_name=name[:100],
            reporter_email=values["email"],
            reporter_phone=values["phone"],
            media_url=values["media_url"],
            address_string=values["address_string"],
            device_id=values["device_id"],
            account_id=values["account_id"],
        )


# What an update may say about the request's status; it is recorded, never applied: the
# SKPD's workflow in geo_klik decides the status (mySociety's extra states are accepted too).
UPDATE_STATUSES = frozenset(
    {
        "open",
        "closed",
        "fixed",
        "in_progress",
        "action_scheduled",
        "investigating",
        "duplicate",
        "not_councils_responsibility",
        "no_further_action",
        "internal_referral",
    }
)
MAX_UPDATE_DESCRIPTION = 2000  # a timeline entry's note


class UpdateStatus(Text):
    def more(self, value: str) -> str:
        status = value.lower()
        if status and status not in UPDATE_STATUSES:
            raise self.refuse(
                "invalid",
                "status tidak dikenal (open, closed, …)",
                "status is not a known status (open, closed, …)",
            )
        return status


@dataclass(frozen=True)
class NewUpdate:
    """A POST servicerequestupdates form, validated except for what needs the database."""

    service_request_id: str
    description: str
    status: str
    external_id: str


class NewUpdateSerializer(checks.CheckedSerializer):
    """POST servicerequestupdates: FixMyStreet's fields.

    ``email``, ``first_name`` and ``last_name`` are checked and not stored: the update is
    published, and geo_klik keeps no account for the client's users. ``media_url`` is checked
    and not stored either (never fetched; send the photo itself as the multipart ``media``).
    """

    service_request_id = Text(max_length=40, required=True)
    description = Text(max_length=MAX_UPDATE_DESCRIPTION, required=True)
    status = UpdateStatus(max_length=30)
    updated_datetime = W3CDateTime()
    update_id_ext = Text(max_length=100)
    service_request_id_ext = Text(max_length=100)
    email = Email(max_length=254)
    first_name = Text(max_length=100)
    last_name = Text(max_length=100)
    media_url = MediaUrl(max_length=1000)
    public_anonymity_required = Text(max_length=5)

    def new_update(self) -> NewUpdate:
        values = self.validated_data
        return NewUpdate(
            service_request_id=values["service_request_id"],
            description=values["description"],
            status=values["status"],
            external_id=values["update_id_ext"],
        )


def extensions_flag(form: QueryDict) -> bool:
    """``extensions`` of GET requests/<id>: true, false or absent; BadParameter otherwise."""
    raw = form.get("extensions", "").strip().lower()
    if raw not in {"", "true", "false"}:
        raise BadParameter("extensions harus true atau false / extensions must be true or false")
    return raw == "true"
