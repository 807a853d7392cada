"""Administrative areas of the city: kota > kecamatan > kelurahan.

A *kelurahan* is the smallest urban administrative unit (an urban village, led by a lurah);
kelurahan group into a *kecamatan* (district, led by a camat), and kecamatan into the *kota*
(city). Each carries two official codes: Kemendagri's (Ministry of Home Affairs, dotted, e.g.
13.75.01.1001) and BPS's (Statistics Indonesia, 10 digits, e.g. 1375010002). The two agencies
number kelurahan in different orders, so their last digits do not correspond. Names are
spelled differently across sources (Guguak/Guguk Panjang); every spelling seen is kept in
``name_variants`` so imports and searches match them.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField


class Kota(models.Model):
    """A city (kota) or regency (kabupaten); geo_klik serves the one GEO_KLIK_CITY names."""

    name = models.CharField(max_length=100)
    province = models.CharField(max_length=100, blank=True)
    code_kemendagri = models.CharField(max_length=16, unique=True)
    code_bps = models.CharField(max_length=16, blank=True)
    boundary = models.MultiPolygonField(srid=4326)
    boundary_derived = models.BooleanField(
        default=False, help_text="True when the polygon is the union of its kelurahan."
    )
    source = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kota"
        verbose_name_plural = "kota"
        ordering = ["code_kemendagri"]

    def __str__(self) -> str:
        return self.name


class Kecamatan(models.Model):
    """A district of the city, made of kelurahan."""

    kota = models.ForeignKey(Kota, on_delete=models.PROTECT, related_name="kecamatan")
    name = models.CharField(max_length=100)
    name_variants = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    code_kemendagri = models.CharField(max_length=16, unique=True)
    code_bps = models.CharField(max_length=16, blank=True)
    boundary = models.MultiPolygonField(srid=4326)
    boundary_derived = models.BooleanField(
        default=False, help_text="True when the polygon is the union of its kelurahan."
    )
    source = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kecamatan"
        verbose_name_plural = "kecamatan"
        ordering = ["code_kemendagri"]

    def __str__(self) -> str:
        return f"Kecamatan {self.name}"


class Kelurahan(models.Model):
    """An urban village, the unit residents know their address by."""

    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="kelurahan")
    name = models.CharField(max_length=100)
    name_variants = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    code_kemendagri = models.CharField(max_length=16, unique=True)
    code_bps = models.CharField(max_length=16, blank=True)
    boundary = models.MultiPolygonField(srid=4326)
    label_point = models.PointField(
        srid=4326, null=True, blank=True, help_text="A point inside the polygon for its label."
    )
    area_m2 = models.FloatField(default=0.0)
    source = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kelurahan"
        verbose_name_plural = "kelurahan"
        ordering = ["code_kemendagri"]

    def __str__(self) -> str:
        return f"Kelurahan {self.name}"


class BoundaryImport(models.Model):
    """One committed run of the kelurahan importer, kept so an unchanged source can be skipped.

    ``source_sha256`` hashes the source file(s) together with the importer version and options,
    so ``load_boundaries --commit --if-changed`` at every start costs one small query.
    """

    source = models.CharField(max_length=500)
    source_sha256 = models.CharField(max_length=64, db_index=True)
    layer_name = models.CharField(max_length=200, blank=True)
    repaired = models.BooleanField(default=False)
    kelurahan_count = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    # The figures the start-up line repeats (importer.quality_figures): kelurahan, area, overlaps
    # and gaps as published, and what is left after resolving them.
    quality = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "boundary import"
        verbose_name_plural = "boundary imports"
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} ({self.imported_at:%Y-%m-%d %H:%M})"


class NeighbourRegion(models.Model):
    """A kab/kota next to (or near) the city: where a point outside the city may lie, and whom
    to contact there. Never routed to: geo_klik's agencies serve the city only.

    The contact is seeded from ``data/cities/neighbour_contacts.json`` when it names one, else
    it is the regional government itself; an administrator edits it in the admin and a reload
    of the boundaries never overwrites it.
    """

    code_kemendagri = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=100)
    province = models.CharField(max_length=100, blank=True)
    boundary = models.MultiPolygonField(srid=4326)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=100, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_url = models.URLField(blank=True)
    source = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code_kemendagri"]

    def __str__(self) -> str:
        return self.name


class NeighbourDesa(models.Model):
    """A kelurahan, desa or nagari of a neighbouring kab/kota (its own table, so routing and
    every city listing never see it)."""

    region = models.ForeignKey(NeighbourRegion, on_delete=models.CASCADE, related_name="desa")
    code_kemendagri = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=100)
    kecamatan_name = models.CharField(max_length=100, blank=True)
    boundary = models.MultiPolygonField(srid=4326)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code_kemendagri"]
        verbose_name_plural = "neighbour desa"

    def __str__(self) -> str:
        return self.name
