"""Information services: city announcements and places of interest (with opening hours).

An *announcement* is a notice of the city (a road closure, a vaccination day, a market day
moved) for the whole city or for one kelurahan, visible from ``published_at`` until
``expires_at`` (open-ended when blank); an important one is listed first.

A *place* is somewhere residents and visitors go: sights (Jam Gadang, Lobang Jepang), markets,
hospitals and clinics, schools, places of worship, parks, the bus terminal. Puskesmas and
government offices are not places here: they belong to the public-services app's offices. A
place's ``kelurahan`` is derived from its point on save (``actions.save_place``); it is null
outside the city, which is allowed for sights on the edge such as the floor of Ngarai Sianok or
the Koto Gadang side of the Janjang Koto Gadang.
"""

from __future__ import annotations

import datetime as dt
import math

from django.contrib.gis.db import models
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo_klik.boundaries import queries as boundary_queries
from geo_klik.lib import geo, opening_hours
from geo_klik.lib.language import pick

# A place or announcement must lie within this distance of the city (the loaded Kota
# boundary; before boundaries are loaded, of Jam Gadang, the centre of Bukittinggi).
MAX_DISTANCE_FROM_CITY_M = 10_000.0
CITY_CENTRE_LAT = -0.3051
CITY_CENTRE_LON = 100.3693
MAX_DISTANCE_FROM_CENTRE_M = 15_000.0


def check_location(point: Point | None, field: str = "location") -> None:
    """A point in or near the city (catches swapped lat/lon and points in other cities)."""
    if point is None:
        return
    lat, lon = geo.lat_lon(point)
    valid = -90 <= lat <= 90 and -180 <= lon <= 180
    if valid:
        to_city_m = boundary_queries.distance_to_city_m(lat, lon)
        if to_city_m is not None:
            valid = to_city_m <= MAX_DISTANCE_FROM_CITY_M
        else:
            valid = distance_from_centre_m(lat, lon) <= MAX_DISTANCE_FROM_CENTRE_M
    if not valid:
        raise ValidationError(
            {
                field: ValidationError(
                    "Lokasi harus di dalam atau dekat kota (paling jauh 10 km dari batas kota); "
                    "periksa apakah lintang dan bujur tertukar. / The location must be in or "
                    "near the city (at most 10 km outside its boundary); check that latitude "
                    "and longitude are not swapped.",
                    code="far_from_city",
                )
            }
        )


def distance_from_centre_m(lat: float, lon: float) -> float:
    """Great-circle metres from Jam Gadang (haversine; exact enough for a sanity check)."""
    p1, p2 = math.radians(CITY_CENTRE_LAT), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lon - CITY_CENTRE_LON)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(a)))


class Announcement(models.Model):
    """A city notice for the whole city or one kelurahan, shown while it is current."""

    class Scope(models.TextChoices):
        CITY = "city", _("Whole city")
        KELURAHAN = "kelurahan", _("One kelurahan")

    code = models.SlugField(
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable key of seeded rows (seed_information); blank for announcements "
        "written here.",
    )
    title_id = models.CharField("judul (Indonesia)", max_length=200)
    title_en = models.CharField("title (English)", max_length=200, blank=True)
    body_id = models.TextField("isi (Indonesia)")
    body_en = models.TextField("body (English)", blank=True)
    published_at = models.DateTimeField(
        default=timezone.now, help_text="Shown from this moment (a future time schedules it)."
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Hidden from this moment; blank: until removed."
    )
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.CITY)
    kelurahan = models.ForeignKey(
        "boundaries.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
        help_text="Required when the scope is one kelurahan.",
    )
    location = models.PointField(
        srid=4326, null=True, blank=True, help_text="Optional: where it happens, for the map."
    )
    location_approximate = models.BooleanField(default=False)
    is_important = models.BooleanField(
        "important", default=False, help_text="Listed first and highlighted."
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
        help_text="The SKPD that issues it, if any.",
    )
    issuer = models.CharField(
        max_length=150, blank=True, help_text="Who issues it, when not an SKPD in the list."
    )
    is_demo = models.BooleanField(default=False, help_text="Synthetic example: the pages say so.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pengumuman / announcement"
        verbose_name_plural = "pengumuman / announcements"
        ordering = ["-is_important", "-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="city", kelurahan__isnull=True))
                | Q(scope="kelurahan", kelurahan__isnull=False),
                name="announcement_scope_matches_kelurahan",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("published_at")),
                name="announcement_expires_after_publication",
            ),
        ]
        indexes = [models.Index(fields=["published_at", "expires_at"], name="ann_window_idx")]

    def __str__(self) -> str:
        return self.title_id

    def clean(self) -> None:
        problems: dict[str, str] = {}
        if self.scope == self.Scope.KELURAHAN and self.kelurahan_id is None:
            problems["kelurahan"] = (
                "Pilih kelurahan untuk pengumuman satu kelurahan. / Choose the kelurahan of an "
                "announcement for one kelurahan."
            )
        if self.scope == self.Scope.CITY and self.kelurahan_id is not None:
            problems["kelurahan"] = (
                "Pengumuman untuk seluruh kota tidak memakai kelurahan; kosongkan atau ubah "
                "cakupan. / A whole-city announcement has no kelurahan; clear it or change the "
                "scope."
            )
        if self.expires_at and self.published_at and self.expires_at <= self.published_at:
            problems["expires_at"] = (
                "Waktu berakhir harus setelah waktu terbit. / The expiry must be after the "
                "publication time."
            )
        if problems:
            raise ValidationError(problems)
        check_location(self.location)

    @property
    def title(self) -> str:
        return pick(self.title_id, self.title_en)

    @property
    def body(self) -> str:
        return pick(self.body_id, self.body_en)

    @property
    def issued_by(self) -> str:
        return str(self.agency) if self.agency_id else self.issuer

    def state(self, now: dt.datetime | None = None) -> str:
        """'scheduled', 'current' or 'expired' at ``now``."""
        now = now or timezone.now()
        if self.published_at > now:
            return "scheduled"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "current"


class Place(models.Model):
    """A place of interest with a description, opening hours and a (possibly approximate) point."""

    class Category(models.TextChoices):
        TOURISM = "tourism", _("Tourism")
        MARKET = "market", _("Market")
        HEALTH = "health", _("Hospital or clinic")
        SCHOOL = "school", _("School or university")
        WORSHIP = "worship", _("Place of worship")
        PARK = "park", _("Park and recreation")
        TRANSPORT = "transport", _("Transport")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField("nama", max_length=150, help_text="The local name (Indonesian).")
    name_en = models.CharField(
        "name (English)", max_length=150, blank=True, help_text="Blank: the local name is used."
    )
    category = models.CharField(max_length=12, choices=Category.choices)
    description_id = models.TextField("deskripsi (Indonesia)", blank=True)
    description_en = models.TextField("description (English)", blank=True)
    address = models.CharField(max_length=250, blank=True)
    location = models.PointField(srid=4326)
    location_approximate = models.BooleanField(
        default=True, help_text="The point is a guess, not surveyed: pages say 'approximate'."
    )
    kelurahan = models.ForeignKey(
        "boundaries.Kelurahan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="places",
        editable=False,
        help_text="Derived from the point on save; empty outside the city.",
    )
    opening_hours = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"days": [0,1,2,3,4], "opens": "08:00", "closes": "16:00"}] with 0 = Monday, '
        "WIB; [] = unknown; closes before opens = past midnight.",
    )
    hours_confirmed = models.BooleanField(
        default=False,
        help_text="Checked with the place; otherwise the pages say 'to be confirmed'.",
    )
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    price_note_id = models.CharField("catatan harga (Indonesia)", max_length=250, blank=True)
    price_note_en = models.CharField("price note (English)", max_length=250, blank=True)
    is_demo = models.BooleanField(default=False, help_text="Synthetic example: pages say so.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tempat / place of interest"
        verbose_name_plural = "tempat / places of interest"
        ordering = ["category", "name"]
        indexes = [models.Index(fields=["category"], name="place_category_idx")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.opening_hours = opening_hours.validate(self.opening_hours)
        except ValidationError as exc:
            raise ValidationError({"opening_hours": exc}) from None
        check_location(self.location)

    @property
    def title(self) -> str:
        return pick(self.name, self.name_en)

    @property
    def description(self) -> str:
        return pick(self.description_id, self.description_en)

    @property
    def price_note(self) -> str:
        return pick(self.price_note_id, self.price_note_en)

    @property
    def icon(self) -> str:
        return CATEGORY_ICONS[self.category]

    def is_open(self, at: dt.datetime | None = None) -> bool | None:
        """Open at ``at`` (now by default)? None when the hours are unknown."""
        return opening_hours.is_open(self.opening_hours, at or timezone.now())

    def hours_text(self) -> str:
        return opening_hours.describe(self.opening_hours)


CATEGORY_ICONS: dict[str, str] = {
    Place.Category.TOURISM: "📷",
    Place.Category.MARKET: "🛒",
    Place.Category.HEALTH: "🏥",
    Place.Category.SCHOOL: "🏫",
    Place.Category.WORSHIP: "🛐",
    Place.Category.PARK: "🌳",
    Place.Category.TRANSPORT: "🚌",
}
