"""Demo forum content: one demo resident and a dozen posts and events, marked is_demo.

Each row has a stable ``demo_key``; a run creates only the missing ones, so a row an admin has
edited (or hidden) is never overwritten. Pins are the kelurahan label points: guessed positions,
so they carry ``location_approximate``. Event times are set relative to the day of the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from geo_klik.boundaries.models import Kelurahan
from geo_klik.community.models import Post, Profile

DEMO_USERNAME = "warga-contoh"
DEMO_DISPLAY_NAME = "Warga Contoh (contoh / demo)"
DEMO_MARK = "[contoh / demo] "


@dataclass(frozen=True)
class DemoPost:
    key: str
    kind: str
    title: str
    body: str
    kelurahan_index: int | None  # position in the kelurahan ordered by code; None: whole city
    pinned: bool = True
    in_days: int = 0  # events: how many days after the run
    at: time = time(19, 30)
    hours: int = 2
    venue: str = ""


EVENT, POST = Post.Kind.EVENT, Post.Kind.POST
DEMO_POSTS = (
    DemoPost(
        "gotong-royong",
        EVENT,
        "Gotong royong membersihkan selokan",
        "Mari bersama membersihkan selokan di lingkungan kita. Bawa cangkul dan sarung "
        "tangan; air minum disediakan.",
        0,
        in_days=3,
        at=time(7, 30),
        hours=3,
        venue="Depan kantor lurah",
    ),
    DemoPost(
        "posyandu",
        EVENT,
        "Posyandu balita bulan ini",
        "Penimbangan dan imunisasi balita. Bawa buku KIA.",
        2,
        in_days=5,
        at=time(9, 0),
        venue="Posyandu RW 02",
    ),
    DemoPost(
        "wirid",
        EVENT,
        "Wirid remaja dan makan bajamba",
        "Pengajian remaja, dilanjutkan makan bajamba bersama warga.",
        4,
        in_days=8,
    ),
    DemoPost(
        "senam",
        EVENT,
        "Senam pagi bersama di lapangan",
        "Senam sehat setiap Minggu pagi, terbuka untuk semua umur.",
        7,
        in_days=2,
        at=time(6, 30),
        venue="Lapangan kelurahan",
    ),
    DemoPost(
        "bazar",
        EVENT,
        "Bazar UMKM akhir pekan",
        "Produk kerajinan dan kuliner warga: karupuak sanjai, kerajinan sulaman, kopi.",
        None,
        pinned=False,
        in_days=10,
        at=time(16, 0),
        hours=5,
        venue="Sekitar Jam Gadang",
    ),
    DemoPost(
        "lampu-jalan",
        POST,
        "Lampu jalan sudah menyala lagi",
        "Terima kasih kepada petugas, lampu jalan di gang kami sudah diperbaiki.",
        1,
    ),
    DemoPost(
        "kucing-hilang",
        POST,
        "Kucing oranye hilang",
        "Kucing oranye berkalung biru hilang sejak kemarin sore. Hubungi lewat komentar "
        "jika melihatnya.",
        3,
    ),
    DemoPost(
        "air-bersih",
        POST,
        "Jadwal air bersih bergilir",
        "Info dari warga: air bersih mengalir pagi hari selama perbaikan pipa.",
        5,
        pinned=False,
    ),
    DemoPost(
        "bank-sampah",
        POST,
        "Bank sampah buka setiap Sabtu",
        "Tabung sampah plastik dan kertas Anda; hasilnya bisa ditukar sembako.",
        9,
    ),
    DemoPost(
        "ronda",
        POST,
        "Jadwal ronda malam diperbarui",
        "Jadwal ronda bulan ini sudah ditempel di pos ronda. Mohon diperiksa.",
        12,
    ),
    DemoPost(
        "pasar",
        POST,
        "Parkir di sekitar pasar penuh saat akhir pekan",
        "Saran: gunakan angkot atau jalan kaki ke pasar pada Sabtu dan Minggu.",
        None,
        pinned=False,
    ),
    DemoPost(
        "taman",
        POST,
        "Taman bermain anak sudah dicat ulang",
        "Terima kasih kepada pemuda yang mengecat ulang taman bermain.",
        15,
    ),
)


@dataclass
class SeedReport:
    boundaries_loaded: bool = True
    user_created: bool = False
    created: int = 0
    existing: int = 0

    def as_text(self) -> str:
        if not self.boundaries_loaded:
            return (
                "Tidak ada batas kelurahan; data contoh komunitas dilewati. / No kelurahan "
                "boundaries are loaded; community demo data skipped."
            )
        return (
            f"Komunitas / community: {self.created} demo post(s) created, {self.existing} "
            f"already there; demo resident {DEMO_USERNAME} "
            f"{'created' if self.user_created else 'already there'}."
        )


def _demo_user() -> tuple[User, bool]:
    user, created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Profile.objects.get_or_create(user=user, defaults={"display_name": DEMO_DISPLAY_NAME})
    return user, created


def _event_times(demo: DemoPost, today: datetime) -> tuple[datetime, datetime]:
    day = (today + timedelta(days=demo.in_days)).date()
    starts = timezone.make_aware(datetime.combine(day, demo.at))
    return starts, starts + timedelta(hours=demo.hours)


def seed_demo() -> SeedReport:
    kelurahan = list(Kelurahan.objects.order_by("code_kemendagri"))
    if not kelurahan:
        return SeedReport(boundaries_loaded=False)
    report = SeedReport()
    with transaction.atomic():
        user, report.user_created = _demo_user()
        existing = set(
            Post.objects.filter(demo_key__in=[d.key for d in DEMO_POSTS]).values_list(
                "demo_key", flat=True
            )
        )
        today = timezone.localtime()
        for demo in DEMO_POSTS:
            if demo.key in existing:
                report.existing += 1
                continue
            place = None
            if demo.kelurahan_index is not None:
                place = kelurahan[demo.kelurahan_index % len(kelurahan)]
            location = place.label_point if place is not None and demo.pinned else None
            starts, ends = _event_times(demo, today) if demo.kind == EVENT else (None, None)
            Post.objects.create(
                demo_key=demo.key,
                is_demo=True,
                author=user,
                kind=demo.kind,
                title=DEMO_MARK + demo.title,
                body=demo.body,
                kelurahan=place,
                location=location,
                location_approximate=location is not None,
                starts_at=starts,
                ends_at=ends,
                venue=demo.venue,
            )
            report.created += 1
    return report
