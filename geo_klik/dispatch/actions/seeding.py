"""Reference data of the city: categories, agencies and their jurisdictions (idempotent)."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import transaction

from geo_klik.agencies.models import Agency
from geo_klik.boundaries.models import Kecamatan, Kelurahan, Kota
from geo_klik.dispatch import reference
from geo_klik.dispatch.actions import jurisdictions
from geo_klik.dispatch.models import Jurisdiction
from geo_klik.reports.models import Category


class NoBoundaries(Exception):
    """Reference data needs the kelurahan boundaries, which are not loaded yet."""


def seed_reference_data() -> dict[str, int]:
    """Create the categories, agencies and jurisdictions that are missing (idempotent)."""
    kota = Kota.objects.first()
    if kota is None:
        raise NoBoundaries(
            "load the kelurahan boundaries first: manage.py load_boundaries --commit"
        )
    counts = {"categories": 0, "agencies": 0, "jurisdictions": 0, "versions": 0}
    with transaction.atomic():
        counts["categories"] = seed_categories()
        counts["agencies"] = seed_agencies()
        counts["jurisdictions"], counts["versions"] = seed_jurisdictions(kota)
    return counts


def seed_categories() -> int:
    created = 0
    for order, seed in enumerate(reference.CATEGORIES):
        _, made = Category.objects.get_or_create(
            code=seed.code,
            defaults={
                "name_id": seed.name_id,
                "name_en": seed.name_en,
                "description_id": seed.description_id,
                "description_en": seed.description_en,
                "icon": seed.icon,
                "priority": seed.priority,
                "ack_target": seed.ack_target,
                "resolve_target": seed.resolve_target,
                "sensitive": seed.sensitive,
                "sort_order": (order + 1) * 10,
            },
        )
        created += made
    return created


def seed_agencies() -> int:
    created = 0
    for seed in reference.CITY_AGENCIES:
        _, made = Agency.objects.get_or_create(
            code=seed.code,
            defaults={
                "name_id": seed.name_id,
                "name_en": seed.name_en,
                "short_name": seed.short_name,
                "kind": seed.kind,
                "is_triage": seed.is_triage,
            },
        )
        created += made
    polres = Agency.objects.get(code="polres-bukittinggi")
    for kecamatan in Kecamatan.objects.all():
        created += _ensure_agency(
            *agency_for_kecamatan_police(kecamatan),
            parent=polres,
            kind=Agency.Kind.POLICE,
            kecamatan=kecamatan,
        )
        created += _ensure_agency(
            f"kantor-camat-{kecamatan.code_kemendagri}",
            f"Kantor Camat {kecamatan.name}",
            f"{kecamatan.name} District Office",
            kind=Agency.Kind.KECAMATAN_OFFICE,
            kecamatan=kecamatan,
        )
    for kelurahan in Kelurahan.objects.select_related("kecamatan"):
        created += _ensure_agency(
            f"kantor-lurah-{kelurahan.code_kemendagri}",
            f"Kantor Lurah {kelurahan.name}",
            f"{kelurahan.name} Village Office",
            kind=Agency.Kind.KELURAHAN_OFFICE,
            kecamatan=kelurahan.kecamatan,
            kelurahan=kelurahan,
        )
    return created


def agency_for_kecamatan_police(kecamatan: Kecamatan) -> tuple[str, str, str]:
    code, name = reference.POLSEK.get(
        kecamatan.code_kemendagri,
        (f"polsek-{kecamatan.code_kemendagri}", f"Polsek {kecamatan.name}"),
    )
    return code, name, f"{name.replace('Polsek', 'Police Sector')}"


def _ensure_agency(code: str, name_id: str, name_en: str, **fields: Any) -> int:
    slug = code.replace(".", "-").lower()
    _, made = Agency.objects.get_or_create(
        code=slug, defaults={"name_id": name_id, "name_en": name_en, **fields}
    )
    return int(made)


def seed_jurisdictions(kota: Kota) -> tuple[int, int]:
    """City-wide and city-split coverage, a Polsek per kecamatan, kelurahan offices."""
    plans: list[tuple[str, str, str, GEOSGeometry, list[str], list[str], int, str]] = []
    for seed in reference.CITY_COVERAGE:
        coverage, built_from = coverage_for(kota, seed.area)
        plans.append(
            (
                seed.code,
                seed.agency,
                seed.name,
                coverage,
                seed.primary,
                seed.supporting,
                seed.priority,
                built_from,
            )
        )
    for kecamatan in Kecamatan.objects.all():
        police_code = agency_for_kecamatan_police(kecamatan)[0]
        plans.append(
            (
                police_code,
                police_code,
                f"{police_code}: Kecamatan {kecamatan.name}",
                kecamatan.boundary,
                reference.POLSEK_PRIMARY,
                [],
                reference.POLSEK_PRIORITY,
                f"kecamatan:{kecamatan.code_kemendagri}",
            )
        )
        office = f"kantor-camat-{kecamatan.code_kemendagri}".replace(".", "-")
        plans.append(
            (
                office,
                office,
                f"Kantor Camat {kecamatan.name}",
                kecamatan.boundary,
                [],
                reference.KECAMATAN_OFFICE_SUPPORTING,
                reference.KECAMATAN_OFFICE_PRIORITY,
                f"kecamatan:{kecamatan.code_kemendagri}",
            )
        )
    for kelurahan in Kelurahan.objects.all():
        office = f"kantor-lurah-{kelurahan.code_kemendagri}".replace(".", "-")
        plans.append(
            (
                office,
                office,
                f"Kantor Lurah {kelurahan.name}",
                kelurahan.boundary,
                reference.KELURAHAN_OFFICE_PRIMARY,
                reference.KELURAHAN_OFFICE_SUPPORTING,
                reference.KELURAHAN_OFFICE_PRIORITY,
                f"kelurahan:{kelurahan.code_kemendagri}",
            )
        )
    agencies = {a.code: a for a in Agency.objects.all()}
    made_jurisdictions = made_versions = 0
    for code, agency_code, name, coverage, primary, supporting, priority, built_from in plans:
        jurisdiction, made = Jurisdiction.objects.get_or_create(
            code=code, defaults={"agency": agencies[agency_code], "name": name}
        )
        made_jurisdictions += made
        current = jurisdiction.versions.filter(is_current=True).first()
        if current is not None:
            if current.built_from != built_from:
                continue  # an administrator redrew it: never overwrite their work
            # Keep the administrator's categories and priority; follow the boundary only.
            primary, supporting, priority = (
                current.primary_categories,
                current.supporting_categories,
                current.priority,
            )
        version = jurisdictions.save_jurisdiction_version(
            jurisdiction,
            coverage=coverage,
            primary_categories=primary,
            supporting_categories=supporting,
            priority=priority,
            built_from=built_from,
        )
        made_versions += int(current is None or version.pk != current.pk)
    return made_jurisdictions, made_versions


def coverage_for(kota: Kota, area: str) -> tuple[GEOSGeometry, str]:
    if area == "kota":
        return kota.boundary, "kota"
    half = area.split(":", 1)[1]
    xmin, ymin, xmax, ymax = kota.boundary.extent
    split = reference.GARBAGE_SPLIT_LAT
    box = (
        (xmin - 0.01, split, xmax + 0.01, ymax + 0.01)
        if half == "north"
        else (xmin - 0.01, ymin - 0.01, xmax + 0.01, split)
    )
    clip = Polygon.from_bbox(box)
    clip.srid = 4326
    return jurisdictions.as_multipolygon(
        kota.boundary.intersection(clip)
    ), f"kota:{half}-of-{split}"
