"""Reference data of the city served: categories, agencies and their jurisdictions (idempotent).

Built from the template in dispatch/data/reference.json for whichever kota/kabupaten
GEO_KLIK_CITY names: the standard SKPD, one kantor camat per kecamatan, one kantor
lurah / wali nagari / kepala desa per kelurahan/desa, a Polsek per kecamatan.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import transaction

from geo_klik.agencies.models import Agency
from geo_klik.boundaries import cities, neighbours
from geo_klik.boundaries.models import Kecamatan, Kelurahan, Kota
from geo_klik.dispatch import reference
from geo_klik.dispatch.actions import jurisdictions
from geo_klik.dispatch.models import Jurisdiction
from geo_klik.reports.models import Category


class NoBoundaries(Exception):
    """Reference data needs the kelurahan boundaries, which are not loaded yet."""


def seed_reference_data() -> dict[str, int]:
    """Create the categories, agencies and jurisdictions that are missing (idempotent)."""
    kota = served_kota()
    if kota is None:
        raise NoBoundaries(
            "load the kelurahan boundaries first: manage.py load_boundaries --commit"
        )
    counts = {"categories": 0, "agencies": 0, "jurisdictions": 0, "versions": 0}
    with transaction.atomic():
        counts["categories"] = seed_categories()
        counts["agencies"] = seed_agencies(kota)
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


def served_kota() -> Kota | None:
    """The Kota GEO_KLIK_CITY names (the first loaded one before it is loaded)."""
    return (
        Kota.objects.filter(code_kemendagri=str(settings.GEO_KLIK_CITY).strip()).first()
        or Kota.objects.first()
    )


def names_of(kota: Kota) -> reference.CityNames:
    city = cities.City(kota.code_kemendagri, kota.name, kota.province)
    return reference.CityNames(kota=city.name, place=city.short_name, slug=city.slug)


def seed_agencies(kota: Kota | None = None) -> int:
    kota = kota or served_kota()
    if kota is None:
        raise NoBoundaries(
            "load the kelurahan boundaries first: manage.py load_boundaries --commit"
        )
    created = 0
    names = names_of(kota)
    for seed in reference.agencies_for(names):
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
    polres = Agency.objects.get(code=names.fill("polres-{slug}"))
    facts = reference.facts_for(kota.code_kemendagri)
    for kecamatan in Kecamatan.objects.filter(kota=kota):
        created += _ensure_agency(
            *agency_for_kecamatan_police(kecamatan, facts),
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
    for kelurahan in Kelurahan.objects.select_related("kecamatan").filter(kecamatan__kota=kota):
        created += _ensure_agency(
            f"kantor-lurah-{kelurahan.code_kemendagri}",
            village_office_name(kelurahan),
            f"{kelurahan.name} Village Office",
            kind=Agency.Kind.KELURAHAN_OFFICE,
            kecamatan=kelurahan.kecamatan,
            kelurahan=kelurahan,
        )
    return created


def village_office_name(kelurahan: Kelurahan) -> str:
    """Kantor Lurah (a kelurahan), Kantor Wali Nagari (a nagari), Kantor Kepala Desa (a desa)."""
    term = neighbours.village_term(kelurahan.code_kemendagri)
    office = {"Kelurahan": "Kantor Lurah", "Nagari": "Kantor Wali Nagari"}.get(
        term, "Kantor Kepala Desa"
    )
    return f"{office} {kelurahan.name}"


def agency_for_kecamatan_police(
    kecamatan: Kecamatan, facts: reference.CityFacts | None = None
) -> tuple[str, str, str]:
    known = (facts or reference.facts_for(kecamatan.code_kemendagri[:5])).polsek
    code, name = known.get(
        kecamatan.code_kemendagri,
        # Agency codes are slugs (``_ensure_agency``): no dots.
        (f"polsek-{kecamatan.code_kemendagri}".replace(".", "-"), f"Polsek {kecamatan.name}"),
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
    facts = reference.facts_for(kota.code_kemendagri)
    for seed in reference.coverage_for(names_of(kota), facts):
        coverage, built_from = coverage_for(kota, seed.area, facts)
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
    for kecamatan in Kecamatan.objects.filter(kota=kota):
        police_code = agency_for_kecamatan_police(kecamatan, facts)[0]
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
    for kelurahan in Kelurahan.objects.filter(kecamatan__kota=kota):
        office = f"kantor-lurah-{kelurahan.code_kemendagri}".replace(".", "-")
        plans.append(
            (
                office,
                office,
                village_office_name(kelurahan),
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


def coverage_for(kota: Kota, area: str, facts: reference.CityFacts) -> tuple[GEOSGeometry, str]:
    if area == "kota" or facts.garbage_split_lat is None:
        return kota.boundary, "kota"
    half = area.split(":", 1)[1]
    xmin, ymin, xmax, ymax = kota.boundary.extent
    split = facts.garbage_split_lat
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
