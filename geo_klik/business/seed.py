"""Synthetic demo listings (UMKM) of Bukittinggi: 50 businesses and a few promotions.

Everything here is invented and marked ``is_demo`` (the pages show a "contoh / demo" badge) with
``location_approximate``. Points are drawn inside the real kelurahan polygons with a random
generator seeded per listing, so a run always places a listing at the same point; souvenir,
embroidery and some food stalls cluster around Pasar Atas and Jam Gadang as they do in the
city. Idempotent: rows are keyed by slug (promotions by business and title) and only missing
ones are created, so an admin's later edits stay. The content (kinds, names, hours, promotions)
is in ``data/demo.json``; this module places and creates it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import MultiPolygon, Point
from django.utils import timezone
from django.utils.text import slugify

from geo_klik.boundaries.models import Kelurahan
from geo_klik.boundaries.queries import kelurahan_for_point
from geo_klik.business import actions, inputs
from geo_klik.business.models import Business, Promotion
from geo_klik.lib import errors, geo, opening_hours

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.json"


@dataclass(frozen=True)
class Kind:
    """One kind of demo business: how it is named, described, open, and where it is."""

    category: str
    prefix: str
    description_id: str
    description_en: str
    hours: str
    near_centre: bool = False


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


_DATA = _load()
SEED: str = _DATA["seed"]
# Jam Gadang, beside Pasar Atas: the centre of the city's souvenir and embroidery trade.
JAM_GADANG: tuple[float, float] = (_DATA["jam_gadang"][0], _DATA["jam_gadang"][1])
CENTRE_RADIUS_M: float = _DATA["centre_radius_m"]
HOURS: dict[str, list[opening_hours.Period]] = _DATA["hours"]
KINDS: list[Kind] = [Kind(**raw) for raw in _DATA["kinds"]]
# (kind index, how many): 50 listings, about a third food, many souvenirs and embroidery.
MIX: list[tuple[int, int]] = [(kind, count) for kind, count in _DATA["mix"]]
OWNERS: list[str] = _DATA["owners"]
# Demo promotions: the listing (index in ``plan()``), kind, titles, start (days from today)
# and length (days); an event may happen elsewhere than the business (Jam Gadang's square).
PROMOTIONS: list[dict[str, Any]] = _DATA["promotions"]


@dataclass(frozen=True)
class Planned:
    slug: str
    name: str
    kind: Kind
    index: int


def plan() -> list[Planned]:
    """The 50 demo listings in a fixed order (their slugs are the idempotency keys)."""
    planned: list[Planned] = []
    for kind_index, count in MIX:
        kind = KINDS[kind_index]
        for _ in range(count):
            index = len(planned)
            owner = OWNERS[(index * 7 + kind_index) % len(OWNERS)]
            name = f"{kind.prefix} {owner}"
            planned.append(Planned(f"demo-{slugify(name)}", name, kind, index))
    return planned


@dataclass
class SeedReport:
    created: int = 0
    existing: int = 0
    promotions_created: int = 0
    skipped: list[str] = field(default_factory=list)
    message: str = ""

    def as_text(self) -> str:
        if self.message:
            return self.message
        return (
            f"Usaha contoh / demo businesses: {self.created} created, {self.existing} already "
            f"there; {self.promotions_created} promotions created"
            + (f"; skipped: {', '.join(self.skipped)}" if self.skipped else "")
        )


def random_point_in(boundary: MultiPolygon, rng: random.Random, *, tries: int = 200) -> Point:
    """A uniformly random point inside a polygon (rejection sampling over its extent)."""
    west, south, east, north = boundary.extent
    for _ in range(tries):
        candidate = Point(rng.uniform(west, east), rng.uniform(south, north), srid=geo.WGS84)
        if boundary.contains(candidate):
            return candidate
    return boundary.point_on_surface


def point_near_centre(rng: random.Random) -> Point | None:
    """A random point within CENTRE_RADIUS_M of Jam Gadang that lies inside the city."""
    lat0, lon0 = JAM_GADANG
    for _ in range(50):
        distance = CENTRE_RADIUS_M * math.sqrt(rng.random())
        bearing = rng.uniform(0, 2 * math.pi)
        lat = lat0 + distance * math.cos(bearing) / 110_574.0
        lon = lon0 + distance * math.sin(bearing) / (111_320.0 * math.cos(math.radians(lat0)))
        if kelurahan_for_point(lat, lon) is not None:
            return geo.point(lat, lon)
    return None


def place(planned: Planned, kelurahan: list[Kelurahan]) -> Point:
    rng = random.Random(f"{SEED}:{planned.slug}")  # noqa: S311  # demo data, not security
    if planned.kind.near_centre and planned.index % 4 != 3:
        near = point_near_centre(rng)
        if near is not None:
            return near
    chosen = kelurahan[rng.randrange(len(kelurahan))]
    return random_point_in(chosen.boundary, rng)


def listing_data(planned: Planned, point: Point) -> dict[str, Any]:
    lat, lon = geo.lat_lon(point)
    kind, i = planned.kind, planned.index
    demo_id = " (Data contoh untuk demo, bukan usaha sungguhan.)"
    demo_en = " (Example data for the demo, not a real business.)"
    return {
        "name": planned.name,
        "category": kind.category,
        "description_id": kind.description_id + demo_id,
        "description_en": kind.description_en + demo_en,
        "address": f"Jl. Contoh No. {i + 1}, Bukittinggi",
        "location": {"lat": lat, "lon": lon},
        "phone": f"0752 000 {i + 100:04d}" if i % 3 != 2 else "",
        "whatsapp": f"0812 0000 {i + 100:04d}" if i % 5 != 4 else "",
        "email": "",
        "website": "",
        "opening_hours": HOURS[kind.hours] if i % 9 != 8 else [],
    }


def seed(*, now: dt.datetime | None = None) -> SeedReport:
    """Create the missing demo listings and promotions; a message only when no boundaries."""
    report = SeedReport()
    kelurahan = list(Kelurahan.objects.order_by("code_kemendagri"))
    if not kelurahan:
        report.message = (
            "Batas kelurahan belum dimuat: usaha contoh dilewati (jalankan load_boundaries). / "
            "No kelurahan boundaries loaded: demo businesses skipped (run load_boundaries)."
        )
        return report
    planned = plan()
    existing = set(
        Business.objects.filter(slug__in=[p.slug for p in planned]).values_list("slug", flat=True)
    )
    for item in planned:
        if item.slug in existing:
            report.existing += 1
            continue
        try:
            actions.create_published(
                inputs.checked(
                    inputs.ListingSerializer, listing_data(item, place(item, kelurahan))
                ),
                slug=item.slug,
                is_demo=True,
                location_approximate=True,
            )
        except errors.Invalid:
            report.skipped.append(item.slug)  # a point the city's boundaries refuse
        else:
            report.created += 1
    report.promotions_created = seed_promotions(planned, now or timezone.now())
    return report


def seed_promotions(planned: list[Planned], now: dt.datetime) -> int:
    created = 0
    today = now.astimezone(opening_hours.WIB).replace(hour=8, minute=0, second=0, microsecond=0)
    for spec in PROMOTIONS:
        business = Business.objects.filter(slug=planned[spec["at"]].slug).first()
        if business is None or business.promotions.filter(title_id=spec["title_id"]).exists():
            continue
        starts = today + dt.timedelta(days=spec["start_days"])
        Promotion.objects.create(
            business=business,
            kind=spec["kind"],
            title_id=spec["title_id"],
            title_en=spec["title_en"],
            body_id="Contoh promosi untuk demo, bukan penawaran sungguhan.",
            body_en="Example promotion for the demo, not a real offer.",
            starts_at=starts,
            ends_at=starts + dt.timedelta(days=spec["days"], hours=10),
            location=geo.point(*JAM_GADANG) if spec.get("at_jam_gadang") else None,
            status=Promotion.Status.PUBLISHED,
            is_demo=True,
        )
        created += 1
    return created
