"""Seed data: 30 real places of interest of Bukittinggi and a few example announcements.

Sources and honesty: the names are of real places; the points are approximate, placed by
hand from general knowledge of the city (Jam Gadang at about lat -0.3051, lon 100.3693), not
surveyed, so every seeded place carries ``location_approximate=True`` and the pages say
"approximate position". Descriptions are short and modest; prices are never invented (the
notes say "check on site"), and opening hours are plausible values marked "to be confirmed"
(``hours_confirmed=False``) until staff check them. The announcements are synthetic examples
(``is_demo=True``) and say so in their titles.

``seed_information`` is idempotent: rows are keyed by slug (places) and code (announcements)
and only missing rows are created, so nothing an admin has edited is ever overwritten. The
places and announcements are in ``data/seed.json``; this module creates them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from geo_klik.boundaries import queries as boundary_queries
from geo_klik.information import actions, queries
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import geo
from geo_klik.lib.opening_hours import Period

DATA_FILE = Path(__file__).resolve().parent / "data" / "seed.json"


@dataclass(frozen=True)
class SeedPlace:
    """One place to seed; ``lat``/``lon`` approximate."""

    slug: str
    name: str
    name_en: str
    category: str
    lat: float
    lon: float
    description_id: str
    description_en: str
    hours: list[Period]
    address: str = ""
    price: tuple[str, str] = ("", "")
    # Seeded points known to lie outside the city's kelurahan (no kelurahan, on purpose).
    outside_city: bool = False


@dataclass(frozen=True)
class SeedAnnouncement:
    code: str
    title_id: str
    title_en: str
    body_id: str
    body_en: str
    days_valid: int | None
    important: bool = False
    kelurahan_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    agency_code: str | None = None
    issuer: str = ""


def _seed_place(raw: dict[str, Any]) -> SeedPlace:
    """A place from the data file, whose ``price`` is written [Indonesian, English]."""
    if "price" in raw:
        raw = {**raw, "price": (raw["price"][0], raw["price"][1])}
    return SeedPlace(**raw)


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


_DATA = _load()
PLACES: list[SeedPlace] = [_seed_place(raw) for raw in _DATA["places"]]
# Appended to every example announcement's body (Indonesian, English).
EXAMPLE_NOTE: tuple[str, str] = (_DATA["example_note"][0], _DATA["example_note"][1])
ANNOUNCEMENTS: list[SeedAnnouncement] = [SeedAnnouncement(**raw) for raw in _DATA["announcements"]]


@dataclass
class SeedReport:
    places_created: int = 0
    places_existing: int = 0
    places_outside: list[str] = field(default_factory=list)
    announcements_created: int = 0
    announcements_existing: int = 0
    kelurahan_filled: int = 0
    messages: list[str] = field(default_factory=list)


@transaction.atomic
def seed_information(*, now: dt.datetime | None = None) -> SeedReport:
    """Create the missing seeded places and example announcements (see the module docstring)."""
    report = SeedReport()
    if not boundary_queries.kelurahan_loaded():
        report.messages.append(
            "Batas kelurahan belum dimuat: kelurahan tempat dikosongkan (diisi saat seed "
            "dijalankan lagi setelah load_boundaries). / Kelurahan boundaries are not loaded: "
            "places get no kelurahan until the seed runs again after load_boundaries."
        )
    report.kelurahan_filled = actions.refresh_missing_kelurahan()
    existing = queries.place_slugs(p.slug for p in PLACES)
    for item in PLACES:
        if item.slug in existing:
            report.places_existing += 1
            continue
        place = actions.save_place(_place(item))
        report.places_created += 1
        if place.kelurahan is None:
            report.places_outside.append(item.slug)
    _seed_announcements(report, now or timezone.now())
    return report


def _place(item: SeedPlace) -> Place:
    return Place(
        slug=item.slug,
        name=item.name,
        name_en=item.name_en,
        category=item.category,
        description_id=item.description_id,
        description_en=item.description_en,
        address=item.address,
        location=geo.point(item.lat, item.lon),
        location_approximate=True,
        opening_hours=item.hours,
        hours_confirmed=False,
        price_note_id=item.price[0],
        price_note_en=item.price[1],
    )


def _seed_announcements(report: SeedReport, now: dt.datetime) -> None:
    existing = queries.announcement_codes(a.code for a in ANNOUNCEMENTS)
    for item in ANNOUNCEMENTS:
        if item.code in existing:
            report.announcements_existing += 1
            continue
        kelurahan = None
        if item.kelurahan_name is not None:
            kelurahan = queries.kelurahan_named(item.kelurahan_name)
            if kelurahan is None:
                report.messages.append(
                    f"Dilewati / skipped {item.code}: kelurahan {item.kelurahan_name} belum "
                    "dimuat / not loaded."
                )
                continue
        agency = queries.agency(item.agency_code) if item.agency_code else None
        actions.save_announcement(
            Announcement(
                code=item.code,
                title_id=item.title_id,
                title_en=item.title_en,
                body_id=item.body_id + EXAMPLE_NOTE[0],
                body_en=item.body_en + EXAMPLE_NOTE[1],
                published_at=now,
                expires_at=now + dt.timedelta(days=item.days_valid) if item.days_valid else None,
                scope=Announcement.Scope.KELURAHAN if kelurahan else Announcement.Scope.CITY,
                kelurahan=kelurahan,
                location=(
                    geo.point(item.lat, item.lon)
                    if item.lat is not None and item.lon is not None
                    else None
                ),
                location_approximate=item.lat is not None,
                is_important=item.important,
                agency=agency,
                issuer="" if agency else item.issuer,
                is_demo=True,
            )
        )
        report.announcements_created += 1
