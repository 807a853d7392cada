"""What a subscription request may say, checked (the one bilingual error shape of lib.errors)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from geo_klik.alerts import queries
from geo_klik.alerts.models import MAX_RADIUS_M, MIN_RADIUS_M, AlertSubscription
from geo_klik.boundaries import queries as boundary_queries
from geo_klik.lib import checks, errors, push_subscriptions
from geo_klik.reports import contact as contact_rules
from geo_klik.reports import queries as report_queries
from geo_klik.reports.models import Category

MAX_CATEGORIES = 50


class Choice(checks.CheckedField, serializers.ChoiceField):
    """One of ``choices``; absent means ``default`` (or refused when there is none)."""

    def __init__(self, *, choices: list[str], default_value: str | None = None) -> None:
        super().__init__(choices=choices, required=default_value is None)
        self.allowed = choices
        self.default_value = default_value

    def check(self, raw: Any) -> str:
        if raw in (None, "") and self.default_value is not None:
            return self.default_value
        if raw not in self.allowed:
            names = ", ".join(self.allowed)
            raise self.refuse(
                "invalid",
                f"{self.name} harus salah satu dari: {names}.",
                f"{self.name} must be one of: {names}.",
            )
        return str(raw)


class OptionalCoordinate(checks.Coordinate):
    """A latitude or longitude, or None when absent (a kelurahan subscription has none)."""

    def check(self, raw: Any) -> float | None:  # type: ignore[override]
        return None if raw in (None, "") else super().check(raw)


class Radius(checks.CheckedField, serializers.IntegerField):
    """Metres, a finite number from MIN_RADIUS_M to MAX_RADIUS_M (rounded); None when absent."""

    def __init__(self) -> None:
        super().__init__(required=False, min_value=MIN_RADIUS_M, max_value=MAX_RADIUS_M)

    def check(self, raw: Any) -> int | None:
        if raw in (None, ""):
            return None
        value = checks.finite_number(raw)
        if value is None or not MIN_RADIUS_M <= value <= MAX_RADIUS_M:
            raise self.refuse(
                "invalid",
                f"radius_m harus angka {MIN_RADIUS_M}–{MAX_RADIUS_M} (meter).",
                f"radius_m must be a number from {MIN_RADIUS_M} to {MAX_RADIUS_M} (metres).",
            )
        return round(value)


class CategoryCodes(checks.CheckedField, serializers.ListField):
    """A non-empty list of active category codes (duplicates dropped)."""

    def __init__(self) -> None:
        super().__init__(child=serializers.CharField(), required=True)

    def check(self, raw: Any) -> list[Category]:
        if (
            not isinstance(raw, list)
            or not 0 < len(raw) <= MAX_CATEGORIES
            or not all(isinstance(code, str) and 0 < len(code) <= 40 for code in raw)
        ):
            raise self.refuse(
                "invalid",
                f"categories harus daftar 1–{MAX_CATEGORIES} kode kategori.",
                f"categories must be a list of 1 to {MAX_CATEGORIES} category codes.",
            )
        found = {code: report_queries.active_category(code) for code in dict.fromkeys(raw)}
        unknown = [code for code, category in found.items() if category is None]
        if unknown:
            shown = ", ".join(repr(code[:40]) for code in unknown[:5])
            raise self.refuse(
                "unknown", f"Kategori tidak dikenal: {shown}.", f"Unknown categories: {shown}."
            )
        return [category for category in found.values() if category is not None]


class SubscribeInput(checks.CheckedSerializer):
    """POST /api/alerts/subscriptions/: the area, the news, the channel and its contact."""

    channel = Choice(choices=list(AlertSubscription.Channel.values))
    email = checks.Email(max_length=contact_rules.MAX_EMAIL, allow_blank=True)
    push_subscription = push_subscriptions.Subscription()
    language = contact_rules.Language()
    kelurahan = checks.Text(max_length=16, allow_blank=True)
    lat = OptionalCoordinate(limit=90)
    lon = OptionalCoordinate(limit=180)
    radius_m = Radius()
    categories = CategoryCodes()
    new_reports = checks.Flag()
    resolutions = checks.Flag()
    frequency = Choice(
        choices=list(AlertSubscription.Frequency.values),
        default_value=AlertSubscription.Frequency.IMMEDIATE,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        problems = [*self._contact_problems(attrs), *self._area_problems(attrs)]
        if not (attrs["new_reports"] or attrs["resolutions"]):
            problems.append(
                errors.Problem(
                    "new_reports",
                    "nothing_chosen",
                    "Pilih laporan baru, laporan selesai, atau keduanya.",
                    "Choose new reports, resolutions, or both.",
                )
            )
        if problems:
            raise errors.Invalid(problems)
        return attrs

    def _contact_problems(self, attrs: dict[str, Any]) -> list[errors.Problem]:
        if attrs["channel"] == AlertSubscription.Channel.EMAIL and not attrs["email"]:
            return [
                errors.Problem("email", "required", "Isi alamat email.", "Give an e-mail address.")
            ]
        if attrs["channel"] == AlertSubscription.Channel.WEBPUSH and not attrs.get(
            "push_subscription"
        ):
            return [
                errors.Problem(
                    "push_subscription",
                    "required",
                    "Izinkan notifikasi di peramban ini dulu.",
                    "Allow notifications in this browser first.",
                )
            ]
        return []

    def _area_problems(self, attrs: dict[str, Any]) -> list[errors.Problem]:
        point = [attrs.get(name) for name in ("lat", "lon", "radius_m")]
        if attrs["kelurahan"] and any(v is not None for v in point):
            return [_area_problem("both")]
        if attrs["kelurahan"]:
            attrs["kelurahan"] = queries.kelurahan_by_code(attrs["kelurahan"])
            if attrs["kelurahan"] is None:
                return [
                    errors.Problem(
                        "kelurahan",
                        "unknown",
                        "Kelurahan tidak dikenal.",
                        "Unknown kelurahan.",
                    )
                ]
            return []
        if any(v is None for v in point):
            return [_area_problem("none")]
        attrs["kelurahan"] = None
        lat, lon = attrs["lat"], attrs["lon"]
        if (
            boundary_queries.kelurahan_at(lat, lon, tolerance_m=settings.ROUTING_TOLERANCE_M)
            is None
        ):
            return [
                errors.Problem(
                    "lat",
                    "outside_city",
                    "Titik ini berada di luar Kota Bukittinggi.",
                    "This point is outside Kota Bukittinggi.",
                )
            ]
        return []


def _area_problem(which: str) -> errors.Problem:
    return errors.Problem(
        "kelurahan",
        "area_" + which,
        "Pilih satu wilayah: sebuah kelurahan, atau titik (lat, lon) dengan radius_m.",
        "Choose one area: a kelurahan, or a point (lat, lon) with radius_m.",
    )
