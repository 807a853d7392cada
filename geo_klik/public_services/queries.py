"""Reads of offices and services, including "which office serves my address?"."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance, PointOnSurface
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db.models import Prefetch, Q, QuerySet

from geo_klik.boundaries import queries as boundary_queries
from geo_klik.boundaries.models import Kecamatan, Kelurahan
from geo_klik.lib import geo
from geo_klik.public_services.models import Office, Requirement, Service, Step

# Offices every resident of the city may use, whatever their kelurahan.
CITY_WIDE_KINDS = (Office.Kind.MPP, Office.Kind.DUKCAPIL)
# Kinds where "the office" depends on the resident's address.
LOCAL_KINDS = (Office.Kind.KANTOR_LURAH, Office.Kind.KANTOR_CAMAT, Office.Kind.PUSKESMAS)
# How far outside the city a point may be and still be told its nearest kelurahan.
NEAR_CITY_M = 2000.0


@dataclass
class OfficesAt:
    """The offices that serve one address (a kelurahan, and the point in it if known)."""

    kelurahan: Kelurahan
    kantor_lurah: Office | None
    kantor_camat: Office | None
    city_wide: list[Office]
    puskesmas: Office | None
    # True when no puskesmas lists the kelurahan in its working area and the nearest was taken.
    puskesmas_is_nearest: bool = False
    point: Point | None = None

    @property
    def kecamatan(self) -> Kecamatan:
        return self.kelurahan.kecamatan

    def offices(self) -> list[Office]:
        """Every office of the answer, local ones first, without gaps."""
        local = [self.kantor_lurah, self.kantor_camat, self.puskesmas]
        return [o for o in local if o is not None] + self.city_wide


@dataclass
class Destination:
    """An office to go to for a service, and why this one."""

    office: Office
    kind: str  # the Office.Kind the service listed, or "" for a specifically named office
    # For services the resident's address decides (kantor lurah of *your* kelurahan).
    for_address: bool = False


def active_offices() -> QuerySet[Office]:
    return Office.objects.filter(active=True).select_related("kelurahan", "kecamatan")


def kelurahan_choices() -> QuerySet[Kelurahan]:
    """Every kelurahan by name, for the "which office" form."""
    return Kelurahan.objects.select_related("kecamatan").order_by("name")


def kelurahan_by_code_or_name(raw: str) -> Kelurahan | None:
    """A kelurahan by Kemendagri code, BPS code, exact name or a known spelling (any case)."""
    text = " ".join(raw.split())
    if not text:
        return None
    kelurahan = (
        Kelurahan.objects.select_related("kecamatan__kota")
        .filter(Q(code_kemendagri=text) | Q(code_bps=text) | Q(name__iexact=text))
        .order_by("code_kemendagri")
        .first()
    )
    if kelurahan is not None:
        return kelurahan
    wanted = text.casefold()
    for candidate in Kelurahan.objects.select_related("kecamatan__kota").exclude(name_variants=[]):
        if any(variant.casefold() == wanted for variant in candidate.name_variants):
            return candidate
    return None


def offices_for_point(lat: float, lon: float) -> OfficesAt | None:
    """The offices serving the address at (lat, lon); None outside the city's kelurahan."""
    kelurahan = boundary_queries.kelurahan_for_point(lat, lon)
    if kelurahan is None:
        return None
    return offices_for_kelurahan(kelurahan, point=geo.point(lat, lon))


def nearest_kelurahan_outside(lat: float, lon: float) -> tuple[Kelurahan, float] | None:
    """For a point outside the city: the nearest kelurahan and its distance in metres, if near."""
    kelurahan = boundary_queries.nearest_kelurahan(lat, lon, max_distance_m=NEAR_CITY_M)
    if kelurahan is None:
        return None
    distance: D = kelurahan.distance  # type: ignore[attr-defined]  # annotated by the query
    return kelurahan, float(distance.m)


def offices_for_kelurahan(kelurahan: Kelurahan, *, point: Point | None = None) -> OfficesAt:
    """The kantor lurah and kantor camat of a kelurahan, the city-wide offices, its puskesmas.

    The puskesmas is the one whose working area lists the kelurahan; failing that, the nearest
    to ``point`` (or to the kelurahan's label point).
    """
    offices = active_offices()
    puskesmas = (
        offices.filter(kind=Office.Kind.PUSKESMAS, service_area=kelurahan).order_by("name").first()
    )
    is_nearest = False
    if puskesmas is None:
        puskesmas = nearest_office(
            Office.Kind.PUSKESMAS, point or kelurahan.label_point or kelurahan.boundary.centroid
        )
        is_nearest = puskesmas is not None
    return OfficesAt(
        kelurahan=kelurahan,
        kantor_lurah=offices.filter(kind=Office.Kind.KANTOR_LURAH, kelurahan=kelurahan).first(),
        kantor_camat=offices.filter(
            kind=Office.Kind.KANTOR_CAMAT, kecamatan_id=kelurahan.kecamatan_id
        ).first(),
        city_wide=list(offices.filter(kind__in=CITY_WIDE_KINDS).order_by("kind", "name")),
        puskesmas=puskesmas,
        puskesmas_is_nearest=is_nearest,
        point=point,
    )


def nearest_office(kind: str, location: Point) -> Office | None:
    """The active office of ``kind`` nearest to ``location`` (a handful of rows: no KNN)."""
    return (
        active_offices()
        .filter(kind=kind)
        .annotate(distance=Distance("location", location))
        .order_by("distance", "name")
        .first()
    )


def offices_near(lat: float, lon: float, *, radius_m: float, limit: int) -> list[Office]:
    """Active offices within ``radius_m`` metres, nearest first, each with ``.distance`` (D)."""
    location = geo.point(lat, lon)
    return list(
        active_offices()
        .filter(location__dwithin=(location, geo.degrees_margin(lat, radius_m)))
        .annotate(distance=Distance("location", location))
        .filter(distance__lte=D(m=radius_m))
        .order_by("distance", "name")[:limit]
    )


def offices_of_kinds(kinds: list[str] | None = None) -> QuerySet[Office]:
    """Active offices of the given kinds (all when None), by kind then name (the map layer)."""
    offices = active_offices().order_by("kind", "name", "id")
    if kinds:
        offices = offices.filter(kind__in=kinds)
    return offices


def kecamatan_inner_points() -> list[tuple[Kecamatan, Point]]:
    """Every kecamatan with a point surely inside it (ST_PointOnSurface), for seeding."""
    rows = Kecamatan.objects.annotate(inner=PointOnSurface("boundary")).order_by("code_kemendagri")
    return [(kecamatan, kecamatan.inner) for kecamatan in rows]


def office_by_slug(slug: str) -> Office | None:
    return active_offices().filter(slug=slug).first()


def _matching(text: str, fields: list[str]) -> Q:
    """Every word of ``text`` in at least one of ``fields`` (case-insensitive)."""
    condition = Q()
    for word in text.split():
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


OFFICE_TEXT_FIELDS = ["name", "address", "notes_id", "notes_en", "kelurahan__name", "slug"]
SERVICE_TEXT_FIELDS = [
    "name_id",
    "name_en",
    "summary_id",
    "summary_en",
    "output_id",
    "output_en",
    "slug",
]


def offices_matching(text: str, *, limit: int, near: Point | None = None) -> list[Office]:
    """Offices whose name, address, notes or kelurahan hold every word of ``text``; with
    ``near``, nearest first and each with ``.distance`` (D)."""
    offices = active_offices().filter(_matching(text, OFFICE_TEXT_FIELDS))
    if near is not None:
        offices = offices.annotate(distance=Distance("location", near)).order_by("distance")
    return list(offices[:limit])


def active_services() -> QuerySet[Service]:
    return Service.objects.filter(active=True).order_by("topic", "order", "name_id")


def catalogue(*, text: str = "", topic: str = "") -> list[Service]:
    """Active services matching ``text`` in either language (their names, summaries, outputs or
    documents), optionally of one topic; in catalogue order."""
    services = active_services()
    if topic:
        services = services.filter(topic=topic)
    if text.strip():
        by_document = Requirement.objects.filter(_matching(text, ["name_id", "name_en"])).values(
            "service_id"
        )
        services = services.filter(_matching(text, SERVICE_TEXT_FIELDS) | Q(pk__in=by_document))
    return list(services)


def service_detail(slug: str) -> Service | None:
    """One active service with its requirements, steps and specific offices."""
    return (
        active_services()
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.order_by("order", "id")),
            Prefetch("steps", queryset=Step.objects.order_by("order", "id")),
            Prefetch("apply_at_offices", queryset=active_offices()),
        )
        .filter(slug=slug)
        .first()
    )


def services_offered_by(office: Office) -> list[Service]:
    """Services taken at ``office``: those listing its kind, or it by name."""
    return list(
        active_services()
        .filter(Q(apply_at_kinds__contains=[office.kind]) | Q(apply_at_offices=office))
        .distinct()
    )


def services_by_office_kind() -> dict[str, list[Service]]:
    """Office kind -> the services that list it, for pages showing several offices."""
    by_kind: dict[str, list[Service]] = {kind: [] for kind in Office.Kind.values}
    for service in active_services():
        for kind in service.apply_at_kinds:
            if kind in by_kind:
                by_kind[kind].append(service)
    return by_kind


def city_wide_offices_of(kind: str) -> list[Office]:
    return list(active_offices().filter(kind=kind).order_by("name"))


def where_to_go(service: Service, at: OfficesAt) -> list[Destination]:
    """The concrete offices to go to for ``service`` at the address ``at``, suggested first."""
    destinations: list[Destination] = []
    seen: set[int] = set()

    def add(office: Office | None, kind: str, *, for_address: bool) -> None:
        if office is not None and office.pk not in seen:
            seen.add(office.pk)
            destinations.append(Destination(office, kind, for_address=for_address))

    local: dict[str, Office | None] = {
        Office.Kind.KANTOR_LURAH: at.kantor_lurah,
        Office.Kind.KANTOR_CAMAT: at.kantor_camat,
        Office.Kind.PUSKESMAS: at.puskesmas,
    }
    for kind in service.apply_at_kinds:
        if kind in local:
            add(local[kind], kind, for_address=True)
        else:
            for office in city_wide_offices_of(kind):
                add(office, kind, for_address=False)
    for office in service.apply_at_offices.all():
        if office.active:
            add(office, "", for_address=False)
    return destinations
