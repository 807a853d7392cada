"""Reads of announcements and places: windows, boxes, categories, text and "near me"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Polygon
from django.contrib.gis.measure import D
from django.db.models import Exists, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from geo_klik.agencies.models import Agency
from geo_klik.boundaries.models import Kelurahan, Kota
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import geo, layers

PLACES_LAYER = "places"
ANNOUNCEMENTS_LAYER = "announcements"

# Words that find a whole category, in both languages (lower case). A search word matches a
# category when it equals one of these words or, from 3 letters on, starts one.
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    Place.Category.TOURISM: (
        "wisata", "pariwisata", "tourism", "tourist", "sight", "objek", "museum", "attraction",
    ),
    Place.Category.MARKET: ("pasar", "market", "belanja", "shopping"),
    Place.Category.HEALTH: (
        "rumah", "sakit", "rs", "rsud", "klinik", "kesehatan", "hospital", "clinic", "health",
    ),
    Place.Category.SCHOOL: (
        "sekolah", "school", "sd", "smp", "sma", "smk", "universitas", "university", "kampus",
        "campus", "pendidikan", "education",
    ),
    Place.Category.WORSHIP: (
        "ibadah", "worship", "masjid", "mosque", "musala", "gereja", "church",
    ),
    Place.Category.PARK: ("taman", "park", "rekreasi", "recreation"),
    Place.Category.TRANSPORT: (
        "terminal", "transportasi", "transport", "bus", "bis", "angkot", "station",
    ),
}  # fmt: skip

PLACE_TEXT_FIELDS = ("name", "name_en", "description_id", "description_en", "address")
ANNOUNCEMENT_TEXT_FIELDS = (
    "title_id",
    "title_en",
    "body_id",
    "body_en",
    "issuer",
    "agency__name_id",
    "agency__name_en",
    "agency__short_name",
    "kelurahan__name",
)


# Announcements ---------------------------------------------------------------------------------


def current_announcements(
    *, now: dt.datetime | None = None, kelurahan: Kelurahan | None = None
) -> QuerySet[Announcement]:
    """Published and not expired, important first then newest; with ``kelurahan``: the
    whole-city ones and that kelurahan's, else all of them."""
    now = now or timezone.now()
    rows = Announcement.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), published_at__lte=now
    ).select_related("kelurahan", "agency")
    if kelurahan is not None:
        rows = rows.filter(Q(scope=Announcement.Scope.CITY) | Q(kelurahan=kelurahan))
    return rows.order_by("-is_important", "-published_at", "-id")


def announcements_overlapping(
    rows: QuerySet[Announcement], bbox: Polygon
) -> QuerySet[Announcement]:
    """Those whose place overlaps ``bbox``: their point, else their kelurahan, else the city."""
    city_in_box = Exists(Kota.objects.filter(boundary__intersects=bbox))
    return rows.filter(
        Q(location__within=bbox)
        | Q(location__isnull=True, kelurahan__boundary__intersects=bbox)
        | (Q(location__isnull=True, scope=Announcement.Scope.CITY) & Q(city_in_box))
    )


def geotagged_announcements(*, now: dt.datetime | None = None) -> QuerySet[Announcement]:
    """Current announcements with a point (the map layer, before its box)."""
    return current_announcements(now=now).filter(location__isnull=False)


def published_announcement(pk: int, *, now: dt.datetime | None = None) -> Announcement | None:
    """An announcement already published (current or expired); None if unknown or scheduled."""
    return (
        Announcement.objects.filter(pk=pk, published_at__lte=now or timezone.now())
        .select_related("kelurahan", "agency")
        .first()
    )


def kelurahan_by_code(code: str) -> Kelurahan | None:
    return Kelurahan.objects.filter(code_kemendagri=code).first()


def kelurahan_named(name: str) -> Kelurahan | None:
    return Kelurahan.objects.filter(name=name).order_by("code_kemendagri").first()


def agency(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


# Places ----------------------------------------------------------------------------------------


def places(*, category: str | None = None) -> QuerySet[Place]:
    """Places, optionally of one category, by category then name (the map layer, before its box)."""
    rows = Place.objects.select_related("kelurahan").order_by("category", "name", "id")
    if category:
        rows = rows.filter(category=category)
    return rows


def place(slug: str) -> Place | None:
    return Place.objects.select_related("kelurahan__kecamatan").filter(slug=slug).first()


def within_m(rows: QuerySet[Place], lat: float, lon: float, radius_m: float) -> QuerySet[Place]:
    """``rows`` within ``radius_m`` metres of (lat, lon), nearest first, with ``distance``."""
    here = geo.point(lat, lon)
    margin_deg = geo.degrees_margin(lat, radius_m)  # index-friendly prefilter in degrees
    return (
        rows.filter(location__dwithin=(here, margin_deg))
        .annotate(distance=Distance("location", here))
        .filter(distance__lte=D(m=radius_m))
        .order_by("distance", "name")
    )


def categories_for_word(word: str) -> list[str]:
    """The categories a search word names ("pasar", "hospital", "sekolah"...)."""
    found = []
    for category, words in CATEGORY_WORDS.items():
        labels = _category_labels(category)
        vocabulary = [*words, *(w for label in labels for w in label.split())]
        if any(w == word or (len(word) >= 3 and w.startswith(word)) for w in vocabulary):
            found.append(category)
    return found


def _category_labels(category: str) -> list[str]:
    """The category's label in Indonesian and English, lower case."""
    label = Place.Category(category).label
    labels = []
    for language in ("id", "en"):
        with translation.override(language):
            labels.append(str(label).lower())
    return labels


def words_of(text: str) -> list[str]:
    return [w for w in text.lower().split() if w][:8]


def matching_places(text: str) -> QuerySet[Place]:
    """Places where every word of ``text`` is in a name, description, address or category."""
    rows = Place.objects.select_related("kelurahan")
    for word in words_of(text):
        condition = Q(category__in=categories_for_word(word))
        for field in PLACE_TEXT_FIELDS:
            condition |= Q(**{f"{field}__icontains": word})
        rows = rows.filter(condition)
    return rows


def place_listing(
    *,
    category: str | None,
    text: str,
    position: tuple[float, float] | None,
    radius_m: float,
    limit: int = 100,
) -> list[Place]:
    """The /info/ page's places: matching ``text`` and ``category``; with a position, those
    within ``radius_m`` nearest first (with ``distance``), else by category and name."""
    rows = matching_places(text) if text else Place.objects.select_related("kelurahan")
    if category:
        rows = rows.filter(category=category)
    if position is not None:
        return list(within_m(rows, position[0], position[1], radius_m)[:limit])
    if text:
        return sorted(rows, key=lambda r: (-place_score(r, text), r.name))[:limit]
    return list(rows.order_by("category", "name", "id")[:limit])


def place_score(row: Place, text: str) -> float:
    """Text rank in [0, 1]: the name beats the category, which beats the description."""
    wanted = text.lower().strip()
    names = (row.name.lower(), row.name_en.lower())
    if not wanted:
        return 0.0
    if any(name.startswith(wanted) for name in names):
        return 1.0
    if any(wanted in name for name in names):
        return 0.9
    words = words_of(wanted)
    if all(any(w in name for name in names) for w in words):
        return 0.8
    if all(row.category in categories_for_word(w) for w in words):
        return 0.6
    return 0.4


def search_places(query: layers.SearchQuery) -> list[layers.SearchHit]:
    """The "places" layer's search: text in both languages and category names, and near me."""
    rows = matching_places(query.text)
    if query.lat is not None and query.lon is not None:
        rows = within_m(rows, query.lat, query.lon, query.radius_m)
        found = list(rows[: query.limit])
    elif query.text.strip():
        found = sorted(rows, key=lambda r: (-place_score(r, query.text), r.name))[: query.limit]
    else:
        return []
    with translation.override(query.language):
        return [_place_hit(row, query.text) for row in found]


def _place_hit(row: Place, text: str) -> layers.SearchHit:
    lat, lon = geo.lat_lon(row.location)
    distance = getattr(row, "distance", None)
    subtitle = str(row.get_category_display())
    if row.kelurahan is not None:
        subtitle += f" · {row.kelurahan.name}"
    return layers.SearchHit(
        area=layers.INFORMATION,
        layer=PLACES_LAYER,
        title=row.title,
        subtitle=subtitle,
        url=reverse("information-place", args=[row.slug]),
        lat=lat,
        lon=lon,
        distance_m=round(distance.m, 1) if distance is not None else None,
        score=place_score(row, text),
        icon=row.icon,
    )


def search_announcements(query: layers.SearchQuery) -> list[layers.SearchHit]:
    """The "announcements" layer's search: current ones by text; near me: the geo-tagged ones."""
    rows = current_announcements()
    for word in words_of(query.text):
        condition = Q()
        for field in ANNOUNCEMENT_TEXT_FIELDS:
            condition |= Q(**{f"{field}__icontains": word})
        rows = rows.filter(condition)
    found: list[Announcement]
    if query.lat is not None and query.lon is not None:
        here = geo.point(query.lat, query.lon)
        margin_deg = geo.degrees_margin(query.lat, query.radius_m)
        found = list(
            rows.filter(location__dwithin=(here, margin_deg))
            .annotate(distance=Distance("location", here))
            .filter(distance__lte=D(m=query.radius_m))
            .order_by("distance", "-published_at")[: query.limit]
        )
    elif query.text.strip():
        found = list(rows[: query.limit])
    else:
        return []
    with translation.override(query.language):
        return [_announcement_hit(row, query.text) for row in found]


def _announcement_hit(row: Announcement, text: str) -> layers.SearchHit:
    lat, lon = geo.lat_lon(row.location) if row.location else (None, None)
    distance = getattr(row, "distance", None)
    wanted = text.lower().strip()
    in_title = bool(wanted) and any(wanted in t.lower() for t in (row.title_id, row.title_en))
    return layers.SearchHit(
        area=layers.INFORMATION,
        layer=ANNOUNCEMENTS_LAYER,
        title=row.title,
        subtitle=announcement_subtitle(row),
        url=reverse("information-announcement", args=[row.pk]),
        lat=lat,
        lon=lon,
        distance_m=round(distance.m, 1) if distance is not None else None,
        score=1.0 if in_title else 0.5,
    )


def announcement_subtitle(row: Announcement) -> str:
    """ "Kelurahan X · Dinas Y" or "Whole city · ...", in the active language."""
    where = row.kelurahan.name if row.kelurahan is not None else str(Announcement.Scope.CITY.label)
    return " · ".join(part for part in (where, row.issued_by) if part)


def place_slugs(slugs: Iterable[str]) -> set[str]:
    """Which of ``slugs`` exist already (for the seed)."""
    return set(Place.objects.filter(slug__in=list(slugs)).values_list("slug", flat=True))


def announcement_codes(codes: Iterable[str]) -> set[str]:
    return {
        code
        for code in Announcement.objects.filter(code__in=list(codes)).values_list("code", flat=True)
        if code
    }
