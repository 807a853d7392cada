"""Reference data of Kota Bukittinggi: KLIK categories, SKPD agencies and who covers what.

Seeded idempotently at every `make run` by ``actions.seed_reference_data``; after that the
Django admin is where the city edits them (a seed never overwrites an admin's edit of a row
it already created, except to add what is missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

M = timedelta(minutes=1)
H = timedelta(hours=1)
D = timedelta(days=1)


@dataclass(frozen=True)
class CategorySeed:
    code: str
    name_id: str
    name_en: str
    icon: str
    priority: int  # 1 critical .. 4 low
    ack_target: timedelta
    resolve_target: timedelta
    description_id: str
    description_en: str
    sensitive: bool = False


CATEGORIES = [
    CategorySeed(
        "road_damage",
        "Jalan rusak / berlubang",
        "Road damage / pothole",
        "🕳️",
        3,
        4 * H,
        14 * D,
        "Lubang, retak, atau aspal rusak di jalan kota.",
        "Potholes, cracks or broken asphalt on city roads.",
    ),
    CategorySeed(
        "illegal_parking",
        "Parkir liar",
        "Illegal parking",
        "🅿️",
        3,
        30 * M,
        4 * H,
        "Kendaraan parkir di tempat terlarang atau menghalangi jalan.",
        "Vehicles parked where it is forbidden or blocking the way.",
    ),
    CategorySeed(
        "traffic_accident",
        "Kecelakaan lalu lintas",
        "Traffic accident",
        "🚑",
        1,
        5 * M,
        4 * H,
        "Tabrakan atau kecelakaan; polisi dan ambulans dikirim.",
        "A collision or crash; police and an ambulance are sent.",
    ),
    CategorySeed(
        "crime",
        "Kejahatan / perampokan",
        "Crime / robbery",
        "🚨",
        1,
        5 * M,
        1 * D,
        "Pencurian, perampokan, atau tindak kejahatan lain. Dalam keadaan darurat hubungi 110.",
        "Theft, robbery or other crime. In an emergency call 110.",
        sensitive=True,
    ),
    CategorySeed(
        "garbage",
        "Sampah",
        "Garbage",
        "🗑️",
        4,
        8 * H,
        2 * D,
        "Sampah menumpuk, tidak diangkut, atau dibuang sembarangan.",
        "Garbage piling up, not collected, or dumped.",
    ),
    CategorySeed(
        "flooding",
        "Banjir / genangan / drainase",
        "Flooding / drainage",
        "🌊",
        2,
        1 * H,
        3 * D,
        "Genangan air, banjir, atau saluran drainase tersumbat.",
        "Standing water, flooding or a blocked drain.",
    ),
    CategorySeed(
        "street_light",
        "Lampu jalan mati",
        "Broken street light",
        "💡",
        4,
        1 * D,
        7 * D,
        "Lampu penerangan jalan umum (PJU) mati atau rusak.",
        "A public street light that is out or broken.",
    ),
    CategorySeed(
        "fallen_tree",
        "Pohon tumbang",
        "Fallen tree",
        "🌳",
        2,
        30 * M,
        1 * D,
        "Pohon tumbang atau dahan patah yang menghalangi atau membahayakan.",
        "A fallen tree or broken branch that blocks the way or is dangerous.",
    ),
    CategorySeed(
        "fire",
        "Kebakaran",
        "Fire",
        "🔥",
        1,
        2 * M,
        6 * H,
        "Kebakaran bangunan, lahan, atau kendaraan. Dalam keadaan darurat hubungi 113.",
        "A fire in a building, on land or in a vehicle. In an emergency call 113.",
    ),
    CategorySeed(
        "public_order",
        "Ketertiban umum / PKL",
        "Public order / street vendors",
        "🛒",
        3,
        2 * H,
        2 * D,
        "Gangguan ketertiban atau pedagang kaki lima di tempat terlarang.",
        "Public disorder or street vendors where they are not allowed.",
    ),
    CategorySeed(
        "traffic_congestion",
        "Kemacetan lalu lintas",
        "Traffic congestion",
        "🚦",
        2,
        15 * M,
        4 * H,
        "Kemacetan parah atau lampu lalu lintas rusak.",
        "Heavy congestion or a broken traffic light.",
    ),
    CategorySeed(
        "other",
        "Lainnya",
        "Other",
        "📝",
        4,
        1 * D,
        7 * D,
        "Masalah lain di lingkungan Anda; kantor lurah menindaklanjuti.",
        "Any other problem in your neighbourhood; the kelurahan office follows up.",
    ),
]


@dataclass(frozen=True)
class AgencySeed:
    code: str
    name_id: str
    name_en: str
    short_name: str
    kind: str
    parent: str = ""
    is_triage: bool = False


CITY_AGENCIES = [
    AgencySeed(
        "diskominfo-command-center",
        "Dinas Komunikasi dan Informatika (Command Center)",
        "Communication and Informatics Office (Command Center)",
        "Command Center",
        "command_center",
        is_triage=True,
    ),
    AgencySeed(
        "dinas-pupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Public Works and Spatial Planning Office",
        "Dinas PUPR",
        "dinas",
    ),
    AgencySeed("dinas-perhubungan", "Dinas Perhubungan", "Transport Office", "Dishub", "dinas"),
    AgencySeed(
        "dinas-lingkungan-hidup", "Dinas Lingkungan Hidup", "Environment Office", "DLH", "dinas"
    ),
    AgencySeed(
        "satpol-pp-damkar",
        "Satuan Polisi Pamong Praja dan Pemadam Kebakaran",
        "Municipal Police and Fire Brigade",
        "Satpol PP dan Damkar",
        "badan",
    ),
    AgencySeed(
        "bpbd",
        "Badan Penanggulangan Bencana Daerah",
        "Regional Disaster Management Agency",
        "BPBD",
        "badan",
    ),
    AgencySeed(
        "dinas-kesehatan",
        "Dinas Kesehatan (Ambulans, PSC 119)",
        "Health Office (Ambulance, PSC 119)",
        "Dinkes / PSC 119",
        "dinas",
    ),
    AgencySeed(
        "dinas-perkim",
        "Dinas Perumahan dan Kawasan Permukiman",
        "Housing and Settlement Areas Office",
        "Dinas Perkim",
        "dinas",
    ),
    AgencySeed(
        "polres-bukittinggi",
        "Kepolisian Resor Bukittinggi",
        "Bukittinggi Police",
        "Polres Bukittinggi",
        "police",
    ),
]

# Polsek per kecamatan, keyed by the kecamatan's Kemendagri code.
POLSEK = {
    "13.75.01": ("polsek-guguk-panjang", "Polsek Guguk Panjang"),
    "13.75.02": ("polsek-mandiangin-koto-selayan", "Polsek Mandiangin Koto Selayan"),
    "13.75.03": ("polsek-aur-birugo-tigo-baleh", "Polsek Aur Birugo Tigo Baleh"),
}


@dataclass(frozen=True)
class CoverageSeed:
    """A city-wide (or city-split) jurisdiction of one agency."""

    code: str
    agency: str
    name: str
    primary: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)
    priority: int = 10
    # "kota", or "split:north"/"split:south" of GARBAGE_SPLIT_LAT
    area: str = "kota"


# The DLH collects garbage in two zones split at this latitude, not along any admin boundary.
GARBAGE_SPLIT_LAT = -0.3010

CITY_COVERAGE = [
    CoverageSeed(
        "command-center-kota",
        "diskominfo-command-center",
        "Command Center: seluruh kota / whole city",
        primary=["other"],
        priority=0,
    ),
    CoverageSeed(
        "pupr-kota",
        "dinas-pupr",
        "Dinas PUPR: seluruh kota / whole city",
        primary=["road_damage", "flooding"],
    ),
    CoverageSeed(
        "dishub-kota",
        "dinas-perhubungan",
        "Dishub: seluruh kota / whole city",
        primary=["illegal_parking", "traffic_congestion"],
        supporting=["traffic_accident"],
    ),
    CoverageSeed(
        "dlh-zona-utara",
        "dinas-lingkungan-hidup",
        "DLH Zona Utara / North collection zone",
        primary=["garbage"],
        supporting=["fallen_tree"],
        area="split:north",
    ),
    CoverageSeed(
        "dlh-zona-selatan",
        "dinas-lingkungan-hidup",
        "DLH Zona Selatan / South collection zone",
        primary=["garbage"],
        supporting=["fallen_tree"],
        area="split:south",
    ),
    CoverageSeed(
        "damkar-kota",
        "satpol-pp-damkar",
        "Satpol PP dan Damkar: seluruh kota",
        primary=["fire", "public_order"],
    ),
    CoverageSeed(
        "bpbd-kota",
        "bpbd",
        "BPBD: seluruh kota / whole city",
        primary=["fallen_tree"],
        supporting=["flooding", "fire"],
    ),
    CoverageSeed(
        "dinkes-psc119-kota",
        "dinas-kesehatan",
        "PSC 119: seluruh kota / whole city",
        supporting=["traffic_accident", "fire"],
    ),
    CoverageSeed(
        "perkim-kota",
        "dinas-perkim",
        "Dinas Perkim: seluruh kota / whole city",
        primary=["street_light"],
    ),
    # Polres covers the whole city at a lower priority than its Polsek, as their backstop.
    CoverageSeed(
        "polres-kota",
        "polres-bukittinggi",
        "Polres Bukittinggi: seluruh kota",
        primary=["crime", "traffic_accident"],
        supporting=["traffic_congestion"],
        priority=5,
    ),
]

POLSEK_PRIMARY = ["crime", "traffic_accident"]
POLSEK_PRIORITY = 20
KECAMATAN_OFFICE_SUPPORTING = ["public_order"]
KECAMATAN_OFFICE_PRIORITY = 20
KELURAHAN_OFFICE_PRIMARY = ["other"]
KELURAHAN_OFFICE_SUPPORTING = ["garbage", "street_light"]
KELURAHAN_OFFICE_PRIORITY = 30
