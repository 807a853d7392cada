"""SKPD agencies and the staff accounts that work for them.

An *SKPD* (Satuan Kerja Perangkat Daerah) is a city agency: a dinas, a badan, the police, a
kecamatan or kelurahan office. Reports, jurisdictions, units, announcements and the audit log all
point at one, so agencies live on the ground floor and import nothing above ``boundaries``.

Both models moved here from ``dispatch`` and ``accounts`` without touching the database: their
tables keep their first names (``db_table``), see ``migrations/0001_initial.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Agency(models.Model):
    """An SKPD, or a unit of one (a Polsek of the Polres, a kelurahan office)."""

    class Kind(models.TextChoices):
        COMMAND_CENTER = "command_center", "Command Center"
        DINAS = "dinas", "Dinas"
        BADAN = "badan", "Badan"
        POLICE = "police", "Kepolisian / Police"
        KECAMATAN_OFFICE = "kecamatan_office", "Kantor camat / Kecamatan office"
        KELURAHAN_OFFICE = "kelurahan_office", "Kantor lurah / Kelurahan office"

    code = models.SlugField(max_length=60, unique=True)
    name_id = models.CharField("nama (Indonesia)", max_length=150)
    name_en = models.CharField("name (English)", max_length=150)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    kecamatan = models.ForeignKey(
        "boundaries.Kecamatan", on_delete=models.PROTECT, null=True, blank=True
    )
    kelurahan = models.ForeignKey(
        "boundaries.Kelurahan", on_delete=models.PROTECT, null=True, blank=True
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    webhook_url = models.URLField(
        blank=True, help_text="Optional: new, transferred and escalated reports are POSTed here."
    )
    is_triage = models.BooleanField(
        default=False, help_text="Receives reports no jurisdiction covers (the Command Center)."
    )
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "dispatch_agency"  # its name from before it moved here from dispatch
        verbose_name = "SKPD / agency"
        verbose_name_plural = "SKPD / agencies"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_triage"], condition=Q(is_triage=True), name="one_triage_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name_id


class Membership(models.Model):
    """The agency (SKPD) a staff account works for.

    An SKPD staff member belongs to exactly one agency; operators and supervisors may have one
    too (the Command Center), which is then the agency their timeline events are recorded under.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "accounts_membership"  # its name from before it moved here from accounts
        verbose_name = "keanggotaan SKPD / agency membership"
        verbose_name_plural = "keanggotaan SKPD / agency memberships"

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"
