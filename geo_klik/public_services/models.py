"""Public service offices and their service catalogue: where to go, what to bring.

An *Office* is a place a resident goes to: the kantor lurah of each kelurahan, the kantor camat of
each kecamatan, the city-wide Mal Pelayanan Publik (MPP, which hosts the DPMPTSP's licensing
counters), Disdukcapil (population and civil registration) and the puskesmas (community health
centres, each serving a *wilayah kerja* of one or more kelurahan). A *Service* is one procedure
(KTP-el, akta kelahiran, surat keterangan domisili, NIB...) with the documents it requires, its fee,
time and legal basis, and the kinds of office that handle it: "kantor lurah" means the kantor lurah
of the resident's own kelurahan, so the concrete office depends on the address
(``queries.offices_for_point``).
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_klik.lib import opening_hours
from geo_klik.lib.language import pick

# Path segments of the app's own URLs that a service slug must not take (/api/services/offices/,
# /layanan/kantor-saya/...).
RESERVED_SLUGS = frozenset({"offices", "which-office", "kantor-saya", "kantor"})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            f"'{value}' dipakai oleh alamat halaman lain; pilih slug lain. / "
            f"'{value}' is used by another page address; choose another slug.",
            code="reserved_slug",
        )


class Office(models.Model):
    """A public office residents visit, with its position (often approximate) and hours."""

    class Kind(models.TextChoices):
        KANTOR_LURAH = "kantor_lurah", _("Kelurahan office (kantor lurah)")
        KANTOR_CAMAT = "kantor_camat", _("Kecamatan office (kantor camat)")
        MPP = "mpp", _("Public Service Mall / DPMPTSP")
        DUKCAPIL = "dukcapil", _("Civil registry office (Disdukcapil)")
        PUSKESMAS = "puskesmas", _("Community health centre (puskesmas)")
        OTHER = "other", _("Other office")

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=150)
    kelurahan = models.ForeignKey(
        "boundaries.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        help_text="For a kantor lurah: its kelurahan (one office per kelurahan). For others: "
        "the kelurahan the office stands in, if known.",
    )
    kecamatan = models.ForeignKey(
        "boundaries.Kecamatan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        help_text="For a kantor camat: its kecamatan (one office per kecamatan).",
    )
    service_area = models.ManyToManyField(
        "boundaries.Kelurahan",
        blank=True,
        related_name="serving_offices",
        help_text="For a puskesmas: the kelurahan of its working area (wilayah kerja). A "
        "kelurahan no puskesmas lists is sent to the nearest one.",
    )
    address = models.CharField(max_length=300, blank=True)
    location = models.PointField(srid=4326)
    location_approximate = models.BooleanField(
        default=True,
        help_text="True while the position is a guess (seeded). Move the pin to the real "
        "entrance and untick this to mark the position as checked.",
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    opening_hours = models.JSONField(
        default=list,
        blank=True,
        help_text='List of {"days": [0-6], "opens": "HH:MM", "closes": "HH:MM"}, 0 = Monday.',
    )
    notes_id = models.TextField("catatan (Indonesia)", blank=True)
    notes_en = models.TextField("notes (English)", blank=True)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "office / kantor"
        verbose_name_plural = "offices / kantor"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan"],
                condition=Q(kind="kantor_lurah"),
                name="one_kantor_lurah_per_kelurahan",
            ),
            models.UniqueConstraint(
                fields=["kecamatan"],
                condition=Q(kind="kantor_camat"),
                name="one_kantor_camat_per_kecamatan",
            ),
            models.CheckConstraint(
                condition=~Q(kind="kantor_lurah") | Q(kelurahan__isnull=False),
                name="kantor_lurah_has_kelurahan",
            ),
            models.CheckConstraint(
                condition=~Q(kind="kantor_camat") | Q(kecamatan__isnull=False),
                name="kantor_camat_has_kecamatan",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.opening_hours = opening_hours.validate(self.opening_hours)
        except ValidationError as exc:
            raise ValidationError({"opening_hours": exc.messages}) from None
        if self.kind == self.Kind.KANTOR_LURAH and self.kelurahan_id is None:
            raise ValidationError(
                {
                    "kelurahan": "Kantor lurah wajib punya kelurahan. / A kantor lurah needs its "
                    "kelurahan."
                }
            )
        if self.kind == self.Kind.KANTOR_CAMAT and self.kecamatan_id is None:
            raise ValidationError(
                {
                    "kecamatan": "Kantor camat wajib punya kecamatan. / A kantor camat needs its "
                    "kecamatan."
                }
            )

    @property
    def notes(self) -> str:
        return pick(self.notes_id, self.notes_en)


class Service(models.Model):
    """One public service procedure: who it is for, what to bring, cost, time, where to go."""

    class Topic(models.TextChoices):
        POPULATION = "kependudukan", _("Population and civil registration")
        LETTERS = "surat_keterangan", _("Certificates from the kelurahan")
        PERMITS = "perizinan", _("Business and building permits")
        HEALTH = "kesehatan", _("Health")
        OTHER = "lainnya", _("Other services")

    slug = models.SlugField(max_length=80, unique=True, validators=[validate_slug_not_reserved])
    topic = models.CharField(max_length=20, choices=Topic.choices)
    order = models.PositiveSmallIntegerField(default=100)
    name_id = models.CharField("nama (Indonesia)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200, blank=True)
    summary_id = models.TextField("ringkasan (Indonesia)", blank=True)
    summary_en = models.TextField("summary (English)", blank=True)
    audience_id = models.CharField("untuk siapa (Indonesia)", max_length=300, blank=True)
    audience_en = models.CharField("who it is for (English)", max_length=300, blank=True)
    fee_rp = models.PositiveIntegerField(
        "fee (Rp)",
        null=True,
        blank=True,
        help_text="0 = free. Leave empty when the fee depends on a Perda or on the case; "
        "then say so in the fee note.",
    )
    fee_note_id = models.CharField("catatan biaya (Indonesia)", max_length=300, blank=True)
    fee_note_en = models.CharField("fee note (English)", max_length=300, blank=True)
    days_min = models.PositiveSmallIntegerField("working days (min)", null=True, blank=True)
    days_max = models.PositiveSmallIntegerField("working days (max)", null=True, blank=True)
    time_note_id = models.CharField("catatan waktu (Indonesia)", max_length=300, blank=True)
    time_note_en = models.CharField("time note (English)", max_length=300, blank=True)
    legal_basis = models.TextField(blank=True, help_text="The regulations, one per line.")
    output_id = models.CharField("hasil (Indonesia)", max_length=300, blank=True)
    output_en = models.CharField("what you get (English)", max_length=300, blank=True)
    online_url = models.URLField(blank=True)
    online_note_id = models.CharField("layanan daring (Indonesia)", max_length=300, blank=True)
    online_note_en = models.CharField("online option (English)", max_length=300, blank=True)
    apply_at_kinds = ArrayField(
        models.CharField(max_length=20, choices=Office.Kind.choices),
        default=list,
        blank=True,
        help_text="Kinds of office that take this service, comma-separated, in the order to "
        "suggest them: kantor_lurah, kantor_camat, mpp, dukcapil, puskesmas, other. kantor_lurah / "
        "kantor_camat / puskesmas mean the one serving the resident's address.",
    )
    apply_at_offices = models.ManyToManyField(
        Office, blank=True, related_name="services", help_text="Specific offices, if any."
    )
    last_verified = models.DateField(
        null=True, blank=True, help_text="When someone checked this with the office; empty = never."
    )
    verify_note_id = models.CharField("catatan verifikasi (Indonesia)", max_length=300, blank=True)
    verify_note_en = models.CharField("verification note (English)", max_length=300, blank=True)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "service / layanan"
        verbose_name_plural = "services / layanan"
        ordering = ["topic", "order", "name_id"]

    def __str__(self) -> str:
        return self.name_id

    def clean(self) -> None:
        low, high = self.days_min, self.days_max
        if low is not None and high is not None and high < low:
            raise ValidationError(
                {"days_max": "Maksimum harus >= minimum. / The maximum must be >= the minimum."}
            )

    @property
    def name(self) -> str:
        return pick(self.name_id, self.name_en)

    @property
    def summary(self) -> str:
        return pick(self.summary_id, self.summary_en)

    @property
    def audience(self) -> str:
        return pick(self.audience_id, self.audience_en)

    @property
    def fee_note(self) -> str:
        return pick(self.fee_note_id, self.fee_note_en)

    @property
    def time_note(self) -> str:
        return pick(self.time_note_id, self.time_note_en)

    @property
    def output(self) -> str:
        return pick(self.output_id, self.output_en)

    @property
    def online_note(self) -> str:
        return pick(self.online_note_id, self.online_note_en)

    @property
    def verify_note(self) -> str:
        return pick(self.verify_note_id, self.verify_note_en)

    @property
    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]


class Requirement(models.Model):
    """One document to bring for a service, in checklist order."""

    class Copy(models.TextChoices):
        ORIGINAL = "original", _("original")
        PHOTOCOPY = "photocopy", _("photocopy")
        BOTH = "both", _("original and photocopy")
        SHOW = "show", _("original, shown only")
        FORM = "form", _("form, filled in")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField(default=0)
    name_id = models.CharField("dokumen (Indonesia)", max_length=300)
    name_en = models.CharField("document (English)", max_length=300, blank=True)
    copy_kind = models.CharField(
        "original or copy", max_length=10, choices=Copy.choices, default=Copy.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(default=1)
    note_id = models.CharField("catatan (Indonesia)", max_length=300, blank=True)
    note_en = models.CharField("note (English)", max_length=300, blank=True)
    condition_id = models.CharField(
        "hanya jika (Indonesia)", max_length=300, blank=True, help_text="Empty = always needed."
    )
    condition_en = models.CharField("only if (English)", max_length=300, blank=True)

    class Meta:
        verbose_name = "requirement / persyaratan"
        verbose_name_plural = "requirements / persyaratan"
        ordering = ["service", "order", "id"]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return pick(self.name_id, self.name_en)

    @property
    def note(self) -> str:
        return pick(self.note_id, self.note_en)

    @property
    def condition(self) -> str:
        return pick(self.condition_id, self.condition_en)


class Step(models.Model):
    """One step of a service's procedure, in order."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    text_id = models.CharField("langkah (Indonesia)", max_length=400)
    text_en = models.CharField("step (English)", max_length=400, blank=True)

    class Meta:
        verbose_name = "step / langkah"
        verbose_name_plural = "steps / langkah"
        ordering = ["service", "order", "id"]

    def __str__(self) -> str:
        return self.text_id

    @property
    def text(self) -> str:
        return pick(self.text_id, self.text_en)
