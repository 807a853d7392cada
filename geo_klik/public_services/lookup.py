"""An address from request parameters (``kelurahan=`` or ``lat=&lon=``), for the API and pages.

Both say the same bilingual thing when the input is wrong: a missing or malformed value names
its field (400); a point outside the city is 404 and, within 2 km, names the nearest kelurahan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import status

from geo_klik.lib import errors, geo
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


def given(params: Mapping[str, Any]) -> bool:
    """Whether the parameters carry an address at all."""
    return any(str(params.get(name) or "").strip() for name in ("kelurahan", "lat", "lon"))


def resolve(params: Mapping[str, Any]) -> queries.OfficesAt:
    """The offices serving the address in ``params``; raises AddressProblem."""
    raw_kelurahan = str(params.get("kelurahan") or "").strip()
    if raw_kelurahan:
        kelurahan = queries.kelurahan_by_code_or_name(raw_kelurahan)
        if kelurahan is None:
            raise AddressProblem(
                errors.Problem(
                    "kelurahan",
                    "unknown_kelurahan",
                    f"Kelurahan '{raw_kelurahan[:60]}' tidak dikenal: pilih dari daftar, atau "
                    "isi kode Kemendagri (mis. 13.75.01.1001) atau nama lengkapnya.",
                    f"Unknown kelurahan '{raw_kelurahan[:60]}': choose one from the list, or give "
                    "its Kemendagri code (e.g. 13.75.01.1001) or its full name.",
                ),
                status.HTTP_400_BAD_REQUEST,
            )
        return queries.offices_for_kelurahan(kelurahan)
    if not given(params):
        raise AddressProblem(
            errors.Problem(
                "lat",
                "required",
                "Isi lokasi (lat dan lon) atau kelurahan Anda.",
                "Give a location (lat and lon) or your kelurahan.",
            ),
            status.HTTP_400_BAD_REQUEST,
        )
    try:
        lat, lon = geo.parse_lat_lon(params.get("lat"), params.get("lon"))
    except geo.InvalidCoordinates as exc:
        raise AddressProblem(
            errors.Problem(exc.field, "invalid", exc.message_id, exc.message_en),
            status.HTTP_400_BAD_REQUEST,
        ) from None
    answer = queries.offices_for_point(lat, lon)
    if answer is None:
        raise outside_city(lat, lon)
    return answer


def outside_city(lat: float, lon: float) -> AddressProblem:
    near = queries.nearest_kelurahan_outside(lat, lon)
    if near is None:
        return AddressProblem(
            errors.Problem(
                "lat",
                "outside_city",
                "Titik ini di luar Kota Bukittinggi. Kantor-kantor ini melayani penduduk Kota "
                "Bukittinggi: pilih kelurahan Anda dari daftar.",
                "This point is outside Kota Bukittinggi. These offices serve residents of the "
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
            f"Titik ini di luar Kota Bukittinggi, sekitar {metres} m dari Kelurahan "
            f"{kelurahan.name}. Jika Anda tinggal di kelurahan itu, pilih dari daftar.",
            f"This point is outside Kota Bukittinggi, about {metres} m from Kelurahan "
            f"{kelurahan.name}. If you live there, choose it from the list.",
        ),
        status.HTTP_404_NOT_FOUND,
        nearest={
            "name": kelurahan.name,
            "code_kemendagri": kelurahan.code_kemendagri,
            "distance_m": round(distance_m, 1),
        },
    )
