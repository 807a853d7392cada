"""Synthetic demo listings (UMKM) of Bukittinggi: 50 businesses and a few promotions.

Everything here is invented and marked ``is_demo`` (the pages show a "contoh / demo" badge) with
``location_approximate``. Points are drawn inside the real kelurahan polygons with a random
generator seeded per listing, so a run always places a listing at the same point; souvenir,
embroidery and some food stalls cluster around Pasar Atas and Jam Gadang as they do in the
city. Idempotent: rows are keyed by slug (promotions by business and title) and only missing
ones are created, so an admin's later edits stay.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.geos import MultiPolygon, Point
from django.utils import timezone
from django.utils.text import slugify

from geo_klik.boundaries.models import Kelurahan
from geo_klik.boundaries.queries import kelurahan_for_point
from geo_klik.business import actions
from geo_klik.business.models import Business, Category, Promotion
from geo_klik.lib import geo, opening_hours

SEED = "bukittinggi-umkm-demo-1"
# Jam Gadang, beside Pasar Atas: the centre of the city's souvenir and embroidery trade.
JAM_GADANG = (-0.30497, 100.36948)
CENTRE_RADIUS_M = 450.0

DAILY = opening_hours.EVERY_DAY
MON_SAT = [0, 1, 2, 3, 4, 5]
HOURS: dict[str, list[opening_hours.Period]] = {
    "food": [{"days": DAILY, "opens": "07:00", "closes": "21:00"}],
    "coffee": [{"days": DAILY, "opens": "08:00", "closes": "23:00"}],
    "night": [{"days": DAILY, "opens": "17:00", "closes": "01:00"}],
    "market": [{"days": DAILY, "opens": "08:00", "closes": "18:00"}],
    "shop": [
        {"days": MON_SAT, "opens": "08:00", "closes": "17:00"},
    ],
    "workshop": [
        {"days": [0, 1, 2, 3], "opens": "08:00", "closes": "16:00"},
        {"days": [4], "opens": "08:00", "closes": "11:30"},
        {"days": [5], "opens": "08:00", "closes": "14:00"},
    ],
    "always": [
        {"days": DAILY, "opens": "00:00", "closes": "12:00"},
        {"days": DAILY, "opens": "12:00", "closes": "00:00"},
    ],
    "unknown": [],
}


@dataclass(frozen=True)
class Kind:
    """One kind of demo business: how it is named, described, open, and where it is."""

    category: str
    prefix: str
    description_id: str
    description_en: str
    hours: str
    near_centre: bool = False


KINDS: list[Kind] = [
    Kind(
        Category.CULINARY,
        "Nasi Kapau",
        "Nasi kapau dengan gulai tambusu, rendang dan sayur kapau.",
        "Nasi kapau with tambusu curry, rendang and jackfruit greens.",
        "food",
        True,
    ),
    Kind(
        Category.CULINARY,
        "Kedai Kopi",
        "Kopi arabika Agam, kopi kawa daun dan teh talua.",
        "Agam arabica coffee, kawa leaf coffee and egg tea.",
        "coffee",
    ),
    Kind(
        Category.CULINARY,
        "Sate Padang",
        "Sate padang kuah kuning, buka sore sampai larut malam.",
        "Padang satay with yellow sauce, open from late afternoon into the night.",
        "night",
    ),
    Kind(
        Category.CULINARY,
        "Martabak Kubang",
        "Martabak mesir kubang dengan kuah cuka.",
        "Kubang-style Egyptian martabak with vinegar dip.",
        "night",
    ),
    Kind(
        Category.CULINARY,
        "Pical & Lontong",
        "Sarapan pical, lontong gulai paku dan katupek.",
        "Breakfast of pical, fern-curry lontong and katupek.",
        "food",
    ),
    Kind(
        Category.CULINARY,
        "Ampiang Dadiah",
        "Ampiang dadiah dan es tebak, pelepas dahaga di siang hari.",
        "Ampiang dadiah (buffalo yoghurt) and es tebak, a midday refresher.",
        "market",
        True,
    ),
    Kind(
        Category.CULINARY,
        "Rumah Makan",
        "Masakan Padang: rendang, dendeng batokok, gulai itiak.",
        "Padang dishes: rendang, dendeng batokok, duck curry.",
        "food",
    ),
    Kind(
        Category.CULINARY,
        "Bika & Lamang",
        "Bika bakar dan lamang tapai buatan rumah.",
        "Home-made grilled bika and lamang with tapai.",
        "food",
    ),
    Kind(
        Category.EMBROIDERY,
        "Bordir",
        "Bordir tangan dan mesin: mukena, selendang, kebaya.",
        "Hand and machine embroidery: prayer robes, shawls, kebaya.",
        "market",
        True,
    ),
    Kind(
        Category.EMBROIDERY,
        "Sulaman",
        "Sulaman kepala peniti dan suji cair khas Agam.",
        "Kepala peniti and suji cair embroidery typical of Agam.",
        "workshop",
    ),
    Kind(
        Category.SOUVENIRS,
        "Oleh-oleh",
        "Keripik sanjai balado, kerupuk kulit, rendang kemasan.",
        "Balado sanjai cassava chips, beef-skin crackers, packed rendang.",
        "market",
        True,
    ),
    Kind(
        Category.SOUVENIRS,
        "Keripik Sanjai",
        "Produksi keripik sanjai balado dan tawar.",
        "Maker of balado and plain sanjai cassava chips.",
        "shop",
    ),
    Kind(
        Category.CRAFTS,
        "Kerajinan",
        "Miniatur rumah gadang, ukiran kayu dan anyaman pandan.",
        "Rumah gadang miniatures, wood carving and pandan weaving.",
        "market",
        True,
    ),
    Kind(
        Category.CRAFTS,
        "Tenun & Songket",
        "Songket dan tenun tangan, pesanan motif Minang.",
        "Hand-woven songket, Minang patterns to order.",
        "workshop",
    ),
    Kind(
        Category.FASHION,
        "Konveksi",
        "Jahitan seragam sekolah, kaos sablon dan baju kurung.",
        "School uniforms, screen-printed T-shirts and baju kurung.",
        "workshop",
    ),
    Kind(
        Category.FASHION,
        "Butik Muslimah",
        "Busana muslimah dan jilbab bordir.",
        "Muslim fashion and embroidered headscarves.",
        "market",
        True,
    ),
    Kind(
        Category.LODGING,
        "Homestay",
        "Kamar bersih dekat Ngarai Sianok, sarapan termasuk.",
        "Clean rooms near Sianok Canyon, breakfast included.",
        "always",
    ),
    Kind(
        Category.LODGING,
        "Wisma",
        "Penginapan keluarga, parkir luas.",
        "Family guest house with ample parking.",
        "always",
    ),
    Kind(
        Category.RETAIL,
        "Toko Kelontong",
        "Sembako, gas elpiji dan kebutuhan harian.",
        "Staples, LPG and daily needs.",
        "food",
    ),
    Kind(
        Category.SERVICES,
        "Bengkel Motor",
        "Servis motor, ganti oli dan tambal ban.",
        "Motorbike service, oil change and tyre repair.",
        "shop",
    ),
    Kind(
        Category.SERVICES,
        "Laundry",
        "Cuci kiloan dan setrika, antar jemput.",
        "Laundry by the kilo, ironing, pick-up and delivery.",
        "shop",
    ),
    Kind(
        Category.SERVICES,
        "Percetakan",
        "Cetak undangan, spanduk dan fotokopi.",
        "Printing of invitations and banners, photocopies.",
        "workshop",
    ),
    Kind(
        Category.AGRICULTURE,
        "Kebun Sayur",
        "Sayur segar dan cabai dari kebun sendiri.",
        "Fresh vegetables and chillies from our own garden.",
        "unknown",
    ),
]

# (kind index, how many): 50 listings, about a third food, many souvenirs and embroidery.
MIX = [
    (0, 4), (1, 3), (2, 2), (3, 2), (4, 2), (5, 1), (6, 2), (7, 1),
    (8, 5), (9, 2), (10, 5), (11, 2), (12, 2), (13, 2),
    (14, 2), (15, 2), (16, 2), (17, 2), (18, 3),
    (19, 1), (20, 1), (21, 1), (22, 1),
]  # fmt: skip

OWNERS = [
    "Uni Ros", "Uda Rajo", "Amak Sari", "Ajo Rangkiang", "Etek Ani", "Mak Itam", "Uni Ema",
    "Da Buyuang", "Bundo Kanduang", "Uni Yet", "Pak Datuak", "Rang Agam", "Kurai", "Bukik",
    "Ambun Pagi", "Sianok", "Tigo Baleh", "Salero", "Saiyo", "Minang Saiyo",
]  # fmt: skip

# Demo promotions: the listing (index in ``plan()``), kind, titles, start (days from today)
# and length (days); an event may happen elsewhere than the business (Jam Gadang's square).
PROMOTIONS: list[dict[str, Any]] = [
    {
        "at": 0,
        "kind": Promotion.Kind.PROMOTION,
        "title_id": "Diskon 10% makan siang hari kerja",
        "title_en": "10% off weekday lunches",
        "start_days": -2,
        "days": 30,
    },
    {
        "at": 17,
        "kind": Promotion.Kind.PROMOTION,
        "title_id": "Gratis sulaman nama untuk mukena",
        "title_en": "Free name embroidery on prayer robes",
        "start_days": -5,
        "days": 45,
    },
    {
        "at": 24,
        "kind": Promotion.Kind.PROMOTION,
        "title_id": "Beli 3 keripik sanjai gratis 1",
        "title_en": "Buy 3 packs of sanjai chips, get 1 free",
        "start_days": -1,
        "days": 20,
    },
    {
        "at": 25,
        "kind": Promotion.Kind.EVENT,
        "title_id": "Bazar UMKM di Pelataran Jam Gadang",
        "title_en": "Local business bazaar at Jam Gadang square",
        "start_days": 7,
        "days": 2,
        "at_jam_gadang": True,
    },
    {
        "at": 4,
        "kind": Promotion.Kind.EVENT,
        "title_id": "Kelas membuat kopi kawa daun",
        "title_en": "Kawa leaf coffee making class",
        "start_days": 3,
        "days": 1,
    },
    {
        "at": 39,
        "kind": Promotion.Kind.PROMOTION,
        "title_id": "Menginap 3 malam bayar 2",
        "title_en": "Stay 3 nights, pay for 2",
        "start_days": -3,
        "days": 60,
    },
    {
        "at": 33,
        "kind": Promotion.Kind.EVENT,
        "title_id": "Pameran tenun dan songket Agam",
        "title_en": "Agam weaving and songket exhibition",
        "start_days": -1,
        "days": 5,
    },
]


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
                listing_data(item, place(item, kelurahan)),
                slug=item.slug,
                is_demo=True,
                location_approximate=True,
            )
        except actions.Refused:
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
