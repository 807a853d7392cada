"""Seeding offices and services: idempotent, creates only the rows that are missing.

Keys are stable slugs (and, for the kantor lurah / kantor camat, their kelurahan / kecamatan), so a
second run, or a run after an admin corrected a position or a requirement, changes nothing that
exists. Offices that need boundaries (kantor lurah, kantor camat, puskesmas) are skipped, with a
message, while none are loaded; the services and the city-wide offices do not need them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.text import slugify

from geo_klik.boundaries import cities
from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo, opening_hours
from geo_klik.public_services import queries, seed_data
from geo_klik.public_services.models import Office, Requirement, Service, Step

K = Office.Kind


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def count(self, what: str, *, made: bool) -> None:
        target = self.created if made else self.existing
        target[what] = target.get(what, 0) + 1

    def as_text(self) -> str:
        names = sorted(set(self.created) | set(self.existing))
        lines = [
            f"{name}: {self.created.get(name, 0)} created, {self.existing.get(name, 0)} existing"
            for name in names
        ]
        return "\n".join([*lines, *self.messages])


@transaction.atomic
def seed_all() -> SeedReport:
    report = SeedReport()
    seed_city_wide_offices(report)
    if Kelurahan.objects.exists():
        seed_kantor_lurah(report)
        seed_kantor_camat(report)
        seed_puskesmas(report)
    else:
        report.messages.append(
            "Belum ada batas kelurahan: kantor lurah, kantor camat dan puskesmas dilewati "
            "(jalankan load_boundaries lalu ulangi). / No kelurahan boundaries loaded: kantor "
            "lurah, kantor camat and puskesmas skipped (run load_boundaries, then again)."
        )
    seed_services(report)
    return report


def _office_hours(kind: str) -> list[opening_hours.Period]:
    # Puskesmas hours vary (shifts, Saturdays): left unknown rather than guessed.
    return [] if kind == K.PUSKESMAS else list(opening_hours.OFFICE_HOURS)


def seed_city_wide_offices(report: SeedReport) -> None:
    for entry in seed_data.CITY_WIDE_OFFICES:
        _, made = Office.objects.get_or_create(
            slug=entry.slug,
            defaults={
                "kind": entry.kind,
                "name": entry.name,
                "address": cities.served().name,
                "location": geo.point(entry.lat, entry.lon),
                "location_approximate": True,
                "opening_hours": _office_hours(entry.kind),
                "notes_id": entry.notes_id,
                "notes_en": entry.notes_en,
            },
        )
        report.count("city-wide offices", made=made)


def seed_kantor_lurah(report: SeedReport) -> None:
    for kelurahan in Kelurahan.objects.select_related("kecamatan").order_by("code_kemendagri"):
        exists = Office.objects.filter(kind=K.KANTOR_LURAH, kelurahan=kelurahan).exists()
        slug = f"kantor-lurah-{slugify(kelurahan.name)}"
        if exists or Office.objects.filter(slug=slug).exists():
            report.count("kantor lurah", made=False)
            continue
        Office.objects.create(
            slug=slug,
            kind=K.KANTOR_LURAH,
            name=f"Kantor Lurah {kelurahan.name}",
            kelurahan=kelurahan,
            address=f"Kelurahan {kelurahan.name}, Kecamatan {kelurahan.kecamatan.name}, "
            f"{cities.served().name}",
            location=_below_label(kelurahan),
            opening_hours=_office_hours(K.KANTOR_LURAH),
            notes_id=seed_data.POSITION_NOTE_ID,
            notes_en=seed_data.POSITION_NOTE_EN,
        )
        report.count("kantor lurah", made=True)


def seed_kantor_camat(report: SeedReport) -> None:
    for kecamatan, inner in queries.kecamatan_inner_points():
        exists = Office.objects.filter(kind=K.KANTOR_CAMAT, kecamatan=kecamatan).exists()
        slug = f"kantor-camat-{slugify(kecamatan.name)}"
        if exists or Office.objects.filter(slug=slug).exists():
            report.count("kantor camat", made=False)
            continue
        Office.objects.create(
            slug=slug,
            kind=K.KANTOR_CAMAT,
            name=f"Kantor Camat {kecamatan.name}",
            kecamatan=kecamatan,
            address=f"Kecamatan {kecamatan.name}, {cities.served().name}",
            location=inner,
            opening_hours=_office_hours(K.KANTOR_CAMAT),
            notes_id=seed_data.POSITION_NOTE_ID,
            notes_en=seed_data.POSITION_NOTE_EN,
        )
        report.count("kantor camat", made=True)


def _kelurahan_named(name: str) -> Kelurahan | None:
    return queries.kelurahan_by_code_or_name(name)


# South of the kelurahan's name label, so the marker does not hide the name on the maps; the
# first offset that stays inside the kelurahan wins (about 280, 200 or 130 m).
LABEL_CLEARANCE_DEG = (0.0025, 0.0018, 0.0012)


def _off_label(kelurahan: Kelurahan, *, north: bool) -> Point:
    base = kelurahan.label_point or kelurahan.boundary.point_on_surface
    for offset in LABEL_CLEARANCE_DEG:
        moved = geo.point(base.y + (offset if north else -offset), base.x)
        if kelurahan.boundary.covers(moved):
            return moved
    return base


def _below_label(kelurahan: Kelurahan) -> Point:
    """A kantor lurah's seeded position: south of the name label."""
    return _off_label(kelurahan, north=False)


def _inside(kelurahan: Kelurahan) -> Point:
    """A puskesmas's seeded position: north of the name label (the kantor lurah is south)."""
    return _off_label(kelurahan, north=True)


def seed_puskesmas(report: SeedReport) -> None:
    for slug, name, host_name, area_names in seed_data.PUSKESMAS:
        if Office.objects.filter(slug=slug).exists():
            report.count("puskesmas", made=False)
            continue
        host = _kelurahan_named(host_name)
        if host is None:
            report.messages.append(f"{name}: kelurahan {host_name!r} not loaded, skipped.")
            continue
        office = Office.objects.create(
            slug=slug,
            kind=K.PUSKESMAS,
            name=name,
            kelurahan=host,
            address=f"Kelurahan {host.name}, {cities.served().name}",
            location=_inside(host),
            opening_hours=_office_hours(K.PUSKESMAS),
            notes_id=seed_data.PUSKESMAS_NOTE_ID,
            notes_en=seed_data.PUSKESMAS_NOTE_EN,
        )
        area = [k for k in (_kelurahan_named(n) for n in area_names or (host_name,)) if k]
        office.service_area.set(area)
        report.count("puskesmas", made=True)


def seed_services(report: SeedReport) -> None:
    for entry in seed_data.SERVICES:
        if Service.objects.filter(slug=entry.slug).exists():
            report.count("services", made=False)
            continue
        service = _create_service(entry)
        Requirement.objects.bulk_create(
            Requirement(
                service=service,
                order=(i + 1) * 10,
                name_id=doc.name_id,
                name_en=doc.name_en,
                copy_kind=doc.copy_kind,
                count=doc.count,
                note_id=doc.note_id,
                note_en=doc.note_en,
                condition_id=doc.condition_id,
                condition_en=doc.condition_en,
            )
            for i, doc in enumerate(entry.documents)
        )
        Step.objects.bulk_create(
            Step(service=service, order=(i + 1) * 10, text_id=text_id, text_en=text_en)
            for i, (text_id, text_en) in enumerate(entry.steps)
        )
        report.count("services", made=True)


# The service's columns that have the same name in the data file.
SERVICE_COLUMNS = (
    "slug",
    "topic",
    "order",
    "name_id",
    "name_en",
    "summary_id",
    "summary_en",
    "audience_id",
    "audience_en",
    "fee_rp",
    "fee_note_id",
    "fee_note_en",
    "days_min",
    "days_max",
    "time_note_id",
    "time_note_en",
    "legal_basis",
    "output_id",
    "output_en",
    "online_url",
    "online_note_id",
    "online_note_en",
)


def _create_service(entry: seed_data.ServiceSeed) -> Service:
    """The service row, unverified: the city confirms it and sets ``last_verified``."""
    return Service.objects.create(
        **{column: getattr(entry, column) for column in SERVICE_COLUMNS},
        apply_at_kinds=list(entry.apply_at),
        last_verified=None,
        verify_note_id=seed_data.VERIFY_NOTE_ID,
        verify_note_en=seed_data.VERIFY_NOTE_EN,
    )
