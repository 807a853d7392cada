"""Seed data: 30 real places of interest of Bukittinggi and a few example announcements.

Sources and honesty: the names are of real places; the points are approximate, placed by
hand from general knowledge of the city (Jam Gadang at about lat -0.3051, lon 100.3693), not
surveyed, so every seeded place carries ``location_approximate=True`` and the pages say
"approximate position". Descriptions are short and modest; prices are never invented (the
notes say "check on site"), and opening hours are plausible values marked "to be confirmed"
(``hours_confirmed=False``) until staff check them. The announcements are synthetic examples
(``is_demo=True``) and say so in their titles.

``seed_information`` is idempotent: rows are keyed by slug (places) and code (announcements)
and only missing rows are created, so nothing an admin has edited is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from geo_klik.information import actions, queries
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import geo
from geo_klik.lib.opening_hours import EVERY_DAY, Period

WEEKDAYS = [0, 1, 2, 3, 4]
ALWAYS: list[Period] = [{"days": EVERY_DAY, "opens": "00:00", "closes": "23:59"}]
SIGHT: list[Period] = [{"days": EVERY_DAY, "opens": "08:00", "closes": "17:30"}]
MUSEUM: list[Period] = [{"days": EVERY_DAY, "opens": "08:00", "closes": "17:00"}]
MARKET: list[Period] = [{"days": EVERY_DAY, "opens": "07:00", "closes": "18:00"}]
SCHOOL: list[Period] = [{"days": WEEKDAYS, "opens": "07:00", "closes": "15:00"}]
CAMPUS: list[Period] = [{"days": WEEKDAYS, "opens": "08:00", "closes": "16:00"}]
MOSQUE: list[Period] = [{"days": EVERY_DAY, "opens": "04:00", "closes": "22:00"}]
TERMINAL: list[Period] = [{"days": EVERY_DAY, "opens": "05:00", "closes": "21:00"}]

TICKETED = ("Bertiket; cek harga di lokasi.", "Ticketed; check the price on site.")
FREE = ("Terbuka untuk umum tanpa tiket (cek di lokasi).", "Open to the public, no ticket "
        "(check on site).")  # fmt: skip
HOSPITAL_HOURS = (
    "Jam buka di peta adalah IGD; jam poliklinik berbeda, tanyakan ke rumah sakit.",
    "The hours shown are the emergency department's; outpatient clinic hours differ, ask the "
    "hospital.",
)

T = Place.Category


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


PLACES: list[SeedPlace] = [
    SeedPlace(
        "jam-gadang", "Jam Gadang", "Jam Gadang (Big Clock Tower)", T.TOURISM, -0.3051, 100.3693,
        "Menara jam di pusat kota, ikon Bukittinggi, dibangun pada masa kolonial Belanda. "
        "Pelatarannya (Taman Sabai Nan Aluih) menjadi tempat berkumpul warga dan wisatawan.",
        "The clock tower in the city centre, Bukittinggi's landmark, built in the Dutch "
        "colonial period. Its square (Taman Sabai Nan Aluih) is where residents and visitors "
        "gather.",
        ALWAYS, address="Taman Sabai Nan Aluih, pusat kota", price=FREE,
    ),
    SeedPlace(
        "benteng-fort-de-kock", "Benteng Fort de Kock", "Fort de Kock", T.TOURISM,
        -0.3021, 100.3676,
        "Sisa benteng Belanda dari masa Perang Padri di atas Bukit Jirek, dengan taman dan "
        "pemandangan kota. Terhubung ke kebun binatang lewat Jembatan Limpapeh.",
        "Remains of a Dutch fort from the Padri War on Bukit Jirek, with a garden and views "
        "of the city. Linked to the zoo by the Limpapeh bridge.",
        SIGHT, price=TICKETED,
    ),
    SeedPlace(
        "jembatan-limpapeh", "Jembatan Limpapeh", "Limpapeh Bridge", T.TOURISM,
        -0.3031, 100.3664,
        "Jembatan gantung pejalan kaki di atas Jalan Ahmad Yani yang menghubungkan Benteng "
        "Fort de Kock dengan Taman Marga Satwa dan Budaya Kinantan.",
        "A pedestrian suspension bridge over Jalan Ahmad Yani linking Fort de Kock with the "
        "Kinantan wildlife and culture park.",
        SIGHT, address="Di atas Jl. Ahmad Yani", price=TICKETED,
    ),
    SeedPlace(
        "taman-marga-satwa-budaya-kinantan", "Taman Marga Satwa dan Budaya Kinantan",
        "Kinantan Wildlife and Culture Park (zoo)", T.TOURISM, -0.3043, 100.3652,
        "Kebun binatang kota (TMSBK) di atas bukit, dengan koleksi satwa dan rumah adat "
        "Minangkabau.",
        "The city zoo (TMSBK) on a hill, with animals and a Minangkabau traditional house.",
        SIGHT, price=TICKETED,
    ),
    SeedPlace(
        "museum-rumah-adat-baanjuang", "Museum Rumah Adat Baanjuang",
        "Baanjuang Traditional House Museum", T.TOURISM, -0.3048, 100.3644,
        "Rumah gadang di dalam kompleks kebun binatang yang menyimpan benda budaya "
        "Minangkabau.",
        "A rumah gadang inside the zoo grounds keeping objects of Minangkabau culture.",
        SIGHT, price=TICKETED,
    ),
    SeedPlace(
        "lobang-jepang", "Lobang Jepang", "Japanese Tunnels (Lobang Jepang)", T.TOURISM,
        -0.3083, 100.3636,
        "Terowongan pertahanan yang digali pada masa pendudukan Jepang, dengan pintu masuk di "
        "kawasan Taman Panorama.",
        "Defence tunnels dug during the Japanese occupation, entered from the Panorama park.",
        SIGHT, address="Kawasan Taman Panorama, Jl. Panorama", price=TICKETED,
    ),
    SeedPlace(
        "taman-panorama", "Taman Panorama", "Panorama Park (Sianok Canyon viewpoint)", T.PARK,
        -0.3093, 100.3622,
        "Taman di tepi Ngarai Sianok dengan pemandangan lembah dan Gunung Singgalang.",
        "A park on the rim of the Sianok Canyon with views of the valley and Mount "
        "Singgalang.",
        SIGHT, address="Jl. Panorama", price=TICKETED,
    ),
    SeedPlace(
        "ngarai-sianok", "Ngarai Sianok", "Sianok Canyon", T.TOURISM, -0.3070, 100.3555,
        "Lembah curam di sisi barat kota. Dasar ngarai sebagian besar berada di luar wilayah "
        "Kota Bukittinggi (Kabupaten Agam).",
        "A steep valley on the west side of the city. The canyon floor lies mostly outside "
        "Kota Bukittinggi (Agam regency).",
        ALWAYS, price=FREE, outside_city=True,
    ),
    SeedPlace(
        "janjang-koto-gadang", "Janjang Koto Gadang", "Koto Gadang Great Wall (stairway)",
        T.TOURISM, -0.3140, 100.3570,
        "Jalur tangga yang menuruni Ngarai Sianok menuju Nagari Koto Gadang, dikenal sebagai "
        "'Great Wall'. Sebagian besar jalurnya di luar wilayah kota.",
        "A stairway down the Sianok Canyon to Koto Gadang village, known as the 'Great Wall'. "
        "Most of it lies outside the city.",
        SIGHT, price=("Cek di lokasi.", "Check on site."), outside_city=True,
    ),
    SeedPlace(
        "janjang-40", "Janjang 40", "Janjang 40 (forty steps)", T.TOURISM, -0.3042, 100.3706,
        "Tangga bersejarah yang menghubungkan Pasar Atas dengan Pasar Bawah dan Pasar Banto.",
        "Historic stairs linking Pasar Atas with Pasar Bawah and Pasar Banto.",
        ALWAYS, price=FREE,
    ),
    SeedPlace(
        "rumah-kelahiran-bung-hatta", "Rumah Kelahiran Bung Hatta",
        "Bung Hatta's Birthplace Museum", T.TOURISM, -0.3028, 100.3742,
        "Rumah tempat Mohammad Hatta, proklamator dan wakil presiden pertama RI, dilahirkan; "
        "kini museum.",
        "The house where Mohammad Hatta, proclaimer of independence and Indonesia's first "
        "vice-president, was born; now a museum.",
        MUSEUM, address="Jl. Soekarno-Hatta", price=("Cek di lokasi.", "Check on site."),
    ),
    SeedPlace(
        "museum-tridaya-eka-dharma", "Museum Tridaya Eka Dharma", "Tridaya Eka Dharma Museum",
        T.TOURISM, -0.3078, 100.3648,
        "Museum perjuangan yang menyimpan benda dan dokumen sejarah perjuangan kemerdekaan di "
        "Sumatera Barat.",
        "A museum of the independence struggle in West Sumatra, with objects and documents of "
        "the period.",
        MUSEUM, address="Jl. Panorama", price=("Cek di lokasi.", "Check on site."),
    ),
    SeedPlace(
        "taman-monumen-bung-hatta", "Taman Monumen Bung Hatta", "Bung Hatta Monument Park",
        T.PARK, -0.3068, 100.3683,
        "Taman dengan patung Bung Hatta di dekat Istana Bung Hatta, tidak jauh dari Jam Gadang.",
        "A park with a statue of Bung Hatta near the Bung Hatta Palace, a short walk from Jam "
        "Gadang.",
        ALWAYS, price=FREE,
    ),
    SeedPlace(
        "pasar-atas", "Pasar Atas", "Pasar Atas (Upper Market)", T.MARKET, -0.3048, 100.3702,
        "Pasar di samping Jam Gadang: pakaian, kerajinan, oleh-oleh dan kuliner.",
        "The market beside Jam Gadang: clothing, crafts, souvenirs and food.",
        MARKET,
    ),
    SeedPlace(
        "pasar-bawah", "Pasar Bawah", "Pasar Bawah (Lower Market)", T.MARKET, -0.3038, 100.3728,
        "Pasar tradisional di bawah Pasar Atas: sayur, buah, bumbu dan kebutuhan sehari-hari.",
        "The traditional market below Pasar Atas: vegetables, fruit, spices and daily needs.",
        MARKET,
    ),
    SeedPlace(
        "pasar-banto", "Pasar Banto", "Pasar Banto", T.MARKET, -0.3027, 100.3714,
        "Pasar tradisional di kaki Janjang 40, dekat Pasar Bawah.",
        "A traditional market at the foot of Janjang 40, near Pasar Bawah.",
        MARKET,
    ),
    SeedPlace(
        "pasar-lereng", "Pasar Lereng", "Pasar Lereng", T.MARKET, -0.3044, 100.3716,
        "Deretan toko di lereng antara Pasar Atas dan Pasar Bawah.",
        "Rows of shops on the slope between Pasar Atas and Pasar Bawah.",
        MARKET,
    ),
    SeedPlace(
        "pasar-aur-kuning", "Pasar Aur Kuning", "Pasar Aur Kuning (wholesale market)", T.MARKET,
        -0.3192, 100.3858,
        "Pasar grosir besar, terutama tekstil dan pakaian, di samping Terminal Aur Kuning.",
        "A large wholesale market, mainly textiles and clothing, beside the Aur Kuning bus "
        "terminal.",
        MARKET,
    ),
    SeedPlace(
        "rsud-dr-achmad-mochtar", "RSUD Dr. Achmad Mochtar", "Dr. Achmad Mochtar Hospital",
        T.HEALTH, -0.3100, 100.3690,
        "Rumah sakit umum daerah milik Provinsi Sumatera Barat, rujukan wilayah sekitar. "
        + HOSPITAL_HOURS[0],
        "The West Sumatra provincial general hospital, a referral hospital for the region. "
        + HOSPITAL_HOURS[1],
        ALWAYS, address="Jl. Dr. A. Rivai",
    ),
    SeedPlace(
        "rs-otak-m-hatta", "RS Otak DR. Drs. M. Hatta", "DR. Drs. M. Hatta Brain Hospital",
        T.HEALTH, -0.3135, 100.3722,
        "Rumah sakit khusus otak milik Kementerian Kesehatan, dahulu Rumah Sakit Stroke "
        "Nasional (RSSN). " + HOSPITAL_HOURS[0],
        "The Ministry of Health's brain hospital, formerly the National Stroke Hospital "
        "(RSSN). " + HOSPITAL_HOURS[1],
        ALWAYS,
    ),
    SeedPlace(
        "rs-islam-ibnu-sina-bukittinggi", "RS Islam Ibnu Sina Bukittinggi",
        "Ibnu Sina Islamic Hospital", T.HEALTH, -0.3168, 100.3832,
        "Rumah sakit umum swasta. " + HOSPITAL_HOURS[0],
        "A private general hospital. " + HOSPITAL_HOURS[1],
        ALWAYS,
    ),
    SeedPlace(
        "rs-madina-bukittinggi", "RS Madina Bukittinggi", "Madina Hospital", T.HEALTH,
        -0.3118, 100.3842,
        "Rumah sakit umum swasta. " + HOSPITAL_HOURS[0],
        "A private general hospital. " + HOSPITAL_HOURS[1],
        ALWAYS,
    ),
    SeedPlace(
        "sma-negeri-1-bukittinggi", "SMA Negeri 1 Bukittinggi", "State Senior High School 1",
        T.SCHOOL, -0.3122, 100.3705,
        "Sekolah menengah atas negeri.", "A state senior high school.", SCHOOL,
    ),
    SeedPlace(
        "sma-negeri-2-bukittinggi", "SMA Negeri 2 Bukittinggi", "State Senior High School 2",
        T.SCHOOL, -0.3012, 100.3790,
        "Sekolah menengah atas negeri.", "A state senior high school.", SCHOOL,
    ),
    SeedPlace(
        "sma-negeri-3-bukittinggi", "SMA Negeri 3 Bukittinggi", "State Senior High School 3",
        T.SCHOOL, -0.2955, 100.3652,
        "Sekolah menengah atas negeri.", "A state senior high school.", SCHOOL,
    ),
    SeedPlace(
        "smp-negeri-1-bukittinggi", "SMP Negeri 1 Bukittinggi", "State Junior High School 1",
        T.SCHOOL, -0.3075, 100.3712,
        "Sekolah menengah pertama negeri.", "A state junior high school.", SCHOOL,
    ),
    SeedPlace(
        "uin-sjech-m-djamil-djambek", "UIN Sjech M. Djamil Djambek Bukittinggi",
        "Sjech M. Djamil Djambek State Islamic University", T.SCHOOL, -0.2945, 100.3928,
        "Universitas Islam negeri (dahulu IAIN Bukittinggi); kampus di Garegeh, sebagian "
        "kampus lain di luar kota.",
        "A state Islamic university (formerly IAIN Bukittinggi); a campus in Garegeh, other "
        "campuses outside the city.",
        CAMPUS, address="Garegeh",
    ),
    SeedPlace(
        "universitas-fort-de-kock", "Universitas Fort de Kock", "Fort de Kock University",
        T.SCHOOL, -0.2965, 100.3840,
        "Universitas swasta dengan program kesehatan dan lainnya.",
        "A private university with health sciences and other programmes.",
        CAMPUS, address="Jl. Soekarno-Hatta, Manggis Ganting",
    ),
    SeedPlace(
        "masjid-raya-bukittinggi", "Masjid Raya Bukittinggi", "Bukittinggi Grand Mosque",
        T.WORSHIP, -0.3012, 100.3733,
        "Masjid raya kota di kawasan pasar.", "The city's grand mosque in the market area.",
        MOSQUE, price=FREE,
    ),
    SeedPlace(
        "terminal-aur-kuning", "Terminal Aur Kuning", "Aur Kuning Bus Terminal", T.TRANSPORT,
        -0.3205, 100.3870,
        "Terminal bus antarkota dan angkutan kota, di samping Pasar Aur Kuning.",
        "The intercity bus and city minibus terminal, beside Pasar Aur Kuning.",
        TERMINAL,
    ),
]  # fmt: skip


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


EXAMPLE_NOTE = (
    " (Ini contoh pengumuman untuk uji coba, bukan pengumuman resmi.)",
    " (This is an example announcement for testing, not an official notice.)",
)

ANNOUNCEMENTS: list[SeedAnnouncement] = [
    SeedAnnouncement(
        "demo-road-closure-ahmad-yani",
        "[Contoh] Penutupan sementara Jl. Ahmad Yani pada Minggu pagi",
        "[Example] Jl. Ahmad Yani closed on Sunday morning",
        "Jl. Ahmad Yani di sekitar Jembatan Limpapeh ditutup untuk kendaraan setiap Minggu "
        "pukul 06.00-10.00 untuk kegiatan hari bebas kendaraan. Gunakan jalan alternatif.",
        "Jl. Ahmad Yani near the Limpapeh bridge is closed to vehicles on Sundays from 06:00 "
        "to 10:00 for a car-free morning. Please use other roads.",
        days_valid=30, important=True, lat=-0.3030, lon=100.3668,
        agency_code="dinas-perhubungan",
    ),
    SeedAnnouncement(
        "demo-water-maintenance",
        "[Contoh] Pemeliharaan jaringan air bersih",
        "[Example] Water network maintenance",
        "Aliran air bersih di beberapa wilayah kota dapat terganggu selama pekerjaan "
        "pemeliharaan. Siapkan cadangan air.",
        "Water supply in parts of the city may be interrupted during maintenance work. Keep "
        "some water in reserve.",
        days_valid=14, issuer="Perumda Air Minum (contoh)",
    ),
    SeedAnnouncement(
        "demo-gotong-royong-aur-kuning",
        "[Contoh] Gotong royong membersihkan saluran air di Kelurahan Aur Kuning",
        "[Example] Community drain clean-up in Kelurahan Aur Kuning",
        "Warga diajak bergotong royong membersihkan saluran air pada Sabtu pagi. Berkumpul di "
        "kantor lurah.",
        "Residents are invited to clean the drains together on Saturday morning. Meet at the "
        "kelurahan office.",
        days_valid=10, kelurahan_name="Aur Kuning", issuer="Kantor Lurah Aur Kuning (contoh)",
    ),
    SeedAnnouncement(
        "demo-market-hours-pasar-atas",
        "[Contoh] Jam buka Pasar Atas saat hari libur",
        "[Example] Pasar Atas opening hours on public holidays",
        "Pada hari libur nasional sebagian toko di Pasar Atas buka lebih siang. Tanyakan "
        "langsung ke pedagang.",
        "On public holidays some shops in Pasar Atas open later. Ask the traders.",
        days_valid=None, lat=-0.3048, lon=100.3702, issuer="Pengelola pasar (contoh)",
    ),
]  # fmt: skip


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
    if not queries.boundaries_loaded():
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
