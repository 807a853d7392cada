"""An address from request parameters (``kelurahan=`` or ``lat=&lon=``), for the API and pages.

``AddressSerializer`` checks the parameters (the pages' ``AddressForm`` passes its data through
it); ``resolve`` then looks the address up. Both say the same bilingual thing when it is wrong:
a missing or malformed value names its field (400, ``errors.Invalid``); an unknown kelurahan is
400 and a point outside the city 404 (``AddressProblem``), within 2 km naming the nearest
kelurahan in an extra body field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers, status

from geo_klik.boundaries import cities
from geo_klik.lib import checks, errors, geo
from geo_klik.public_services import queries


class AddressProblem(Exception):
    """The address parameters cannot be turned into a kelurahan of the city."""

    def __init__(
        self, problem: errors.Problem, status_code: int, nearest: dict[str, Any] | None = None
    ) -> None:
        super().__init__(problem.message_en)
        self.problem = problem
        self.status_code = status_code
        self.nearest = nearest

    def body(self) -> dict[str, Any]:
        answer = errors.body([self.problem])
        if self.nearest is not None:
            answer["nearest_kelurahan"] = self.nearest
        return answer

    def message(self, *, english: bool) -> str:
        return self.problem.message_en if english else self.problem.message


@dataclass(frozen=True)
class Address:
    """An address as given: a kelurahan (code or name) or, without one, a point."""

    kelurahan: str = ""
    lat: float | None = None
    lon: float | None = None


def given(params: Mapping[str, Any]) -> bool:
    """Whether the parameters carry an address at all."""
    return any(str(params.get(name) or "").strip() for name in ("kelurahan", "lat", "lon"))


class Raw(checks.CheckedField, serializers.CharField):
    """A parameter's text, stripped (the address is read from all three at once)."""

    def check(self, raw: Any) -> str:
        return str(raw or "").strip()


class AddressSerializer(checks.CheckedSerializer):
    """``kelurahan=`` or ``lat=&lon=``: a kelurahan wins; a point's first problem is answered."""

    kelurahan = Raw(
        required=False,
        help_text="Instead of lat/lon: a Kemendagri code (13.75.01.1001) or exact name.",
    )
    lat = Raw(required=False, help_text="Latitude, WGS84.")
    lon = Raw(required=False, help_text="Longitude, WGS84.")

    def validate(self, attrs: dict[str, Any]) -> Address:
        if attrs["kelurahan"]:
            return Address(kelurahan=attrs["kelurahan"])
        if not given(attrs):
            raise errors.invalid(
                "lat",
                "required",
                "Isi lokasi (lat dan lon) atau kelurahan Anda.",
                "Give a location (lat and lon) or your kelurahan.",
            )
        try:
            lat, lon = geo.parse_lat_lon(attrs["lat"], attrs["lon"])
        except geo.InvalidCoordinates as exc:
            raise errors.invalid(exc.field, "invalid", exc.message_id, exc.message_en) from None
        return Address(lat=lat, lon=lon)


def address(params: Mapping[str, Any]) -> Address:
    """The address in ``params``, checked; raises ``errors.Invalid`` (400)."""
    check = AddressSerializer(data=params)
    check.is_valid(raise_exception=True)
    found: Address = check.validated_data
    return found


def resolve(where: Address) -> queries.OfficesAt:
    """The offices serving a checked address; raises AddressProblem when the city has none."""
    if where.kelurahan:
        kelurahan = queries.kelurahan_by_code_or_name(where.kelurahan)
        if kelurahan is None:
            raise AddressProblem(
                errors.Problem(
                    "kelurahan",
                    "unknown_kelurahan",
                    f"Kelurahan '{where.kelurahan[:60]}' tidak dikenal: pilih dari daftar, atau "
                    "isi kode Kemendagri (mis. 13.75.01.1001) atau nama lengkapnya.",
                    f"Unknown kelurahan '{where.kelurahan[:60]}': choose one from the list, or "
                    "give its Kemendagri code (e.g. 13.75.01.1001) or its full name.",
                ),
                status.HTTP_400_BAD_REQUEST,
            )
        return queries.offices_for_kelurahan(kelurahan)
    if where.lat is None or where.lon is None:
        raise ValueError("an address is a kelurahan or a point")
    answer = queries.offices_for_point(where.lat, where.lon)
    if answer is None:
        raise outside_city(where.lat, where.lon)
    return answer


def outside_city(lat: float, lon: float) -> AddressProblem:
    near = queries.nearest_kelurahan_outside(lat, lon)
    city = cities.served().name
    if near is None:
        return AddressProblem(
            errors.Problem(
                "lat",
                "outside_city",
                f"Titik ini di luar {city}. Kantor-kantor ini melayani penduduk {city}: "
                "pilih kelurahan Anda dari daftar.",
                f"This point is outside {city}. These offices serve residents of the "
                "city: choose your kelurahan from the list.",
            ),
            status.HTTP_404_NOT_FOUND,
        )
    kelurahan, distance_m = near
    metres = int(round(distance_m, -1)) or 10
    return AddressProblem(
        errors.Problem(
            "lat",
            "outside_city",
            f"Titik ini di luar {city}, sekitar {metres} m dari Kelurahan "
            f"{kelurahan.name}. Jika Anda tinggal di kelurahan itu, pilih dari daftar.",
            f"This point is outside {city}, about {metres} m from Kelurahan "
            f"{kelurahan.name}. If you live there, choose it from the list.",
        ),
        status.HTTP_404_NOT_FOUND,
        nearest={
            "name": kelurahan.name,
            "code_kemendagri": kelurahan.code_kemendagri,
            "distance_m": round(distance_m, 1),
        },
    )
