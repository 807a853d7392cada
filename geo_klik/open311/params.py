"""Open311 request parameters: GET requests filters and paging, POST requests form fields.

Each parser returns validated values or raises ``BadParameter`` whose message is the error
description the client receives (Indonesian / English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import QueryDict

from geo_klik.lib import geo
from geo_klik.open311.queries import RequestFilter
from geo_klik.reports import queries as report_queries

# The one jurisdiction this server serves (GeoReport's optional ``jurisdiction_id``).
JURISDICTION_ID = "bukittinggikota.go.id"
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


def bad(text_id: str, text_en: str) -> BadParameter:
    return BadParameter(f"{text_id} / {text_en}")


def check_jurisdiction(params: QueryDict) -> None:
    raw = params.get("jurisdiction_id", "").strip()
    if raw and raw.lower() != JURISDICTION_ID:
        raise UnknownJurisdiction(
            f"jurisdiction_id {raw!r} tidak dikenal / not found; this server serves "
            f"{JURISDICTION_ID}"
        )


def text(params: QueryDict, name: str, *, max_length: int) -> str:
    value = params.get(name, "").strip()
    if "\x00" in value:
        raise bad(f"{name} memuat karakter NUL", f"{name} contains a NUL character")
    if len(value) > max_length:
        raise bad(
            f"{name} paling panjang {max_length} karakter",
            f"{name} must be at most {max_length} characters",
        )
    return value


def comma_list(params: QueryDict, name: str) -> tuple[str, ...]:
    raw = text(params, name, max_length=20_000)
    return tuple(dict.fromkeys(item.strip() for item in raw.split(",") if item.strip()))


def w3c_datetime(params: QueryDict, name: str) -> datetime | None:
    raw = text(params, name, max_length=40)
    if not raw:
        return None
    try:
        if not W3C_DATETIME.match(raw):
            raise ValueError(raw)
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise bad(
            f"{name} harus tanggal-waktu W3C dengan zona waktu, mis. 2026-11-05T08:15:30+07:00",
            f"{name} must be a W3C datetime with a time zone, e.g. 2026-11-05T08:15:30+07:00",
        ) from None


def window(params: QueryDict, *, now: datetime) -> tuple[datetime | None, datetime | None]:
    """start/end as given, at most 90 days apart; without them, the last 90 days."""
    start, end = w3c_datetime(params, "start_date"), w3c_datetime(params, "end_date")
    if start is None and end is None:
        return now - WINDOW, None
    if start is None:
        return end - WINDOW if end else None, end
    if end is None:
        return start, start + WINDOW
    if start > end:
        raise bad("start_date harus sebelum end_date", "start_date must not be later than end_date")
    if end - start > WINDOW:
        raise bad(
            "rentang start_date..end_date paling lama 90 hari",
            "start_date..end_date may not span more than 90 days",
        )
    return start, end


def request_filter(params: QueryDict, *, now: datetime) -> RequestFilter:
    # As a resident may type them; an impossible code is kept as given and matches nothing.
    ids = tuple(
        report_queries.normalize_tracking_code(raw) or raw
        for raw in comma_list(params, "service_request_id")
    )
    statuses = frozenset(s.lower() for s in comma_list(params, "status"))
    if not statuses <= STATUSES:
        raise bad("status harus open atau closed", "status must be open or closed")
    start, end = window(params, now=now)
    return RequestFilter(
        ids=ids,
        service_codes=comma_list(params, "service_code"),
        statuses=statuses,
        start=start,
        end=end,
    )


@dataclass(frozen=True)
class Page:
    """The ``page`` / ``page_size`` extension: pages count from 1."""

    number: int = 1
    size: int = MAX_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def positive_int(params: QueryDict, name: str, *, default: int, maximum: int) -> int:
    raw = text(params, name, max_length=12)
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise bad(
            f"{name} harus bilangan bulat antara 1 dan {maximum}",
            f"{name} must be a whole number from 1 to {maximum}",
        )
    return int(raw)


def page(params: QueryDict) -> Page:
    return Page(
        number=positive_int(params, "page", default=1, maximum=1_000_000),
        size=positive_int(params, "page_size", default=MAX_PAGE_SIZE, maximum=MAX_PAGE_SIZE),
    )


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


def coordinates(params: QueryDict) -> tuple[float, float]:
    raw_lat, raw_long = params.get("lat", "").strip(), params.get("long", "").strip()
    if not raw_lat and not raw_long:
        if params.get("address_string", "").strip() or params.get("address_id", "").strip():
            raise bad(
                "lat dan long wajib diisi: alamat saja tidak dapat dipetakan ke SKPD",
                "lat and long are required: geo_klik routes by coordinates and does not "
                "geocode address_string or address_id",
            )
        raise bad("lat dan long wajib diisi", "lat and long are required")
    try:
        return geo.parse_lat_lon(raw_lat, raw_long)
    except geo.InvalidCoordinates as exc:
        if exc.field == "lon":  # Open311 calls longitude "long"
            raise bad(
                exc.message_id.replace("lon", "long", 1), exc.message_en.replace("lon", "long", 1)
            ) from None
        raise bad(exc.message_id, exc.message_en) from None


def email(params: QueryDict) -> str:
    value = text(params, "email", max_length=254)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise bad("email tidak valid", "email is not a valid address") from None
    return value


def media_url(params: QueryDict) -> str:
    value = text(params, "media_url", max_length=1000)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise bad(
                "media_url harus URL http atau https", "media_url must be an http or https URL"
            ) from None
    return value


def new_request(params: QueryDict) -> NewRequest:
    service_code = text(params, "service_code", max_length=40)
    if not service_code:
        raise bad("service_code wajib diisi", "service_code is required")
    lat, lon = coordinates(params)
    name = " ".join(
        part
        for part in (
            text(params, "first_name", max_length=100),
            text(params, "last_name", max_length=100),
        )
        if part
    )
    return NewRequest(
        service_code=service_code,
        lat=lat,
        lon=lon,
        description=text(params, "description", max_length=MAX_DESCRIPTION),
        reporter_name=name[:100],
        reporter_email=email(params),
        reporter_phone=text(params, "phone", max_length=30),
        media_url=media_url(params),
        address_string=text(params, "address_string", max_length=300),
        device_id=text(params, "device_id", max_length=100),
        account_id=text(params, "account_id", max_length=100),
    )
