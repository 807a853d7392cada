"""Who handles a report: agencies' versioned jurisdictions, and routing decisions.

Agencies (SKPD) themselves live in ``geo_klik.agencies``. A *jurisdiction* is an area one
agency is responsible for, for a set of categories, with a priority. Jurisdictions are
versioned like MapIt's generations: an edit creates a new ``JurisdictionVersion`` and retires
the old one, so a routing decision, which records the versions it considered, is explained the
same way forever. Current versions are cut into small pieces (``ST_Subdivide``) for fast
point-in-polygon lookups.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db.models import Q

from geo_klik.agencies.models import Agency


class Jurisdiction(models.Model):
    """The stable identity of one agency's area of responsibility; its content is versioned."""

    code = models.SlugField(max_length=80, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="jurisdictions")
    name = models.CharField(max_length=150)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "wilayah tugas / jurisdiction"
        verbose_name_plural = "wilayah tugas / jurisdictions"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class JurisdictionVersion(models.Model):
    """One immutable state of a jurisdiction: coverage, categories served, priority."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField()
    coverage = models.MultiPolygonField(srid=4326)
    primary_categories = ArrayField(models.SlugField(max_length=40), default=list, blank=True)
    supporting_categories = ArrayField(models.SlugField(max_length=40), default=list, blank=True)
    priority = models.SmallIntegerField(
        default=0, help_text="Higher wins when several jurisdictions cover a point."
    )
    area_m2 = models.FloatField(default=0.0)
    built_from = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'kelurahan:13.75.01.1005', 'kota', 'drawn'."
    )
    is_current = models.BooleanField(default=True)
    valid_from = models.DateTimeField(auto_now_add=True)
    valid_to = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["jurisdiction_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "version"], name="jurisdiction_version"
            ),
            models.UniqueConstraint(
                fields=["jurisdiction"], condition=Q(is_current=True), name="one_current_version"
            ),
        ]
        indexes = [
            GinIndex(fields=["primary_categories"], name="jv_primary_cats_gin"),
            GinIndex(fields=["supporting_categories"], name="jv_supporting_cats_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code} v{self.version}"


class JurisdictionPiece(models.Model):
    """A small piece (ST_Subdivide) of a current version's coverage, for fast lookups."""

    version = models.ForeignKey(
        JurisdictionVersion, on_delete=models.CASCADE, related_name="pieces"
    )
    piece = models.PolygonField(srid=4326)

    class Meta:
        indexes = [models.Index(fields=["version"], name="jpiece_version_idx")]


class Assignment(models.Model):
    """An agency responsible for a report: one primary, possibly several supporting."""

    class Role(models.TextChoices):
        PRIMARY = "primary", "Utama / Primary"
        SUPPORTING = "supporting", "Pendukung / Supporting"

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=12, choices=Role.choices)
    jurisdiction_version = models.ForeignKey(
        JurisdictionVersion, on_delete=models.PROTECT, null=True, blank=True
    )
    decision = models.ForeignKey(
        "RoutingDecision", on_delete=models.CASCADE, related_name="assignments"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(active=True, role="primary"),
                name="one_active_primary_assignment",
            ),
        ]


class RoutingDecision(models.Model):
    """Why a report went where it went: the rule, every candidate, versions, time taken."""

    class Rule(models.TextChoices):
        COVERS = "covers", "Titik di dalam wilayah / Point inside the jurisdiction"
        NEAREST = "nearest", "Wilayah terdekat dalam toleransi / Nearest within tolerance"
        TRIAGE = "triage", "Antrean Command Center / Command Center triage"
        MANUAL = "manual", "Dialihkan petugas / Transferred by staff"

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="routing_decisions"
    )
    rule = models.CharField(max_length=10, choices=Rule.choices)
    candidates = models.JSONField(default=list)
    tolerance_m = models.FloatField(default=0.0)
    duration_ms = models.FloatField(default=0.0)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(is_current=True), name="one_current_decision"
            ),
        ]


class Handling(models.Model):
    """The control-room side of a report: who claimed it, merges, and its SLA flags.

    One row per report, made on first use. *Claiming* is acknowledging: the report is then
    worked by one staff member of one agency, and nobody else can acknowledge it (the claim is
    taken under the report's row lock, see ``workflow.acknowledge``). A transfer releases it.
    """

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, primary_key=True, related_name="handling"
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_handlings",
    )
    claimed_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "reports.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # SLA: the highest step of the acknowledgement ladder reached, and when.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolve_overdue_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"handling of {self.report_id}"


class EscalationStep(models.Model):
    """One step of a category's escalation ladder for unacknowledged reports.

    A report not acknowledged ``after`` its acceptance reaches this step's ``level``: it is
    flagged on the console and the ``notify`` audience is told. Categories without steps use
    one step at their ``ack_target`` that notifies supervisors (``sla.DEFAULT_LADDER``).
    """

    class Audience(models.TextChoices):
        SUPERVISORS = "supervisors", "Supervisor Command Center / Command Center supervisors"
        AGENCY = "agency", "SKPD yang ditugaskan / The assigned agency"
        BOTH = "both", "Keduanya / Both"

    category = models.ForeignKey(
        "reports.Category", on_delete=models.CASCADE, related_name="escalation_steps"
    )
    level = models.PositiveSmallIntegerField()
    after = models.DurationField(help_text="Time since acceptance without acknowledgement.")
    notify = models.CharField(max_length=12, choices=Audience.choices, default="supervisors")

    class Meta:
        verbose_name = "tingkat eskalasi / escalation step"
        verbose_name_plural = "tingkat eskalasi / escalation steps"
        ordering = ["category_id", "level"]
        constraints = [
            models.UniqueConstraint(fields=["category", "level"], name="one_step_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id} L{self.level} after {self.after}"


class Unit(models.Model):
    """A field unit of an agency (a patrol car, a PUPR crew) and where it was last seen."""

    class Kind(models.TextChoices):
        PATROL = "patrol", "Mobil patroli / Patrol car"
        MOTORBIKE = "motorbike", "Sepeda motor / Motorbike"
        CREW = "crew", "Regu lapangan / Field crew"
        TRUCK = "truck", "Truk / Truck"
        TOW = "tow", "Derek / Tow truck"
        AMBULANCE = "ambulance", "Ambulans / Ambulance"
        FIRE = "fire", "Pemadam kebakaran / Fire engine"

    class Status(models.TextChoices):
        AVAILABLE = "available", "Siaga / Available"
        DISPATCHED = "dispatched", "Ditugaskan / Dispatched"
        EN_ROUTE = "en_route", "Dalam perjalanan / En route"
        ON_SCENE = "on_scene", "Di lokasi / On scene"
        OFF_DUTY = "off_duty", "Tidak bertugas / Off duty"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="field_units")
    call_sign = models.CharField(max_length=30, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OFF_DUTY)
    location = models.PointField(srid=4326, null=True, blank=True)
    location_accuracy_m = models.FloatField(null=True, blank=True)
    location_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "unit lapangan / field unit"
        verbose_name_plural = "unit lapangan / field units"
        ordering = ["agency_id", "call_sign"]

    def __str__(self) -> str:
        return self.call_sign


class UnitAssignment(models.Model):
    """A unit sent to a report; ``released_at`` is set when the unit is free again."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="unit_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    # When this unit reached the scene (its officer or the console said so): dispatch to
    # arrival is ``arrived_at - assigned_at`` (NFPA 1225's measure), per unit.
    arrived_at = models.DateTimeField(null=True, blank=True)
    # The unit's officer asked the Command Center for another unit (cleared on release).
    support_requested_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(released_at__isnull=True), name="one_active_job"
            ),
        ]


class Shift(models.Model):
    """An officer on duty with a unit, from ``started_at`` until ``ended_at``.

    A unit is crewed by at most one officer's phone at a time and an officer is on at most one
    unit; while a shift is open the unit is on duty (not ``off_duty``) and its phone sends
    positions. Ending the shift puts the unit off duty; positions are refused after it.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="shifts")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="unit_shifts"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(ended_at__isnull=True), name="one_open_shift_per_unit"
            ),
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(ended_at__isnull=True),
                name="one_open_shift_per_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} on {self.unit_id}"


class UnitPosition(models.Model):
    """One position fix a unit's phone sent while on duty (kept ``POSITION_RETENTION``).

    ``Unit.location`` is the latest fix; these rows are the track the console draws for the
    last hour. ``recorded_at`` is the phone's clock (a fix sent late from the offline queue
    keeps its time); ``received_at`` the server's.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="positions")
    location = models.PointField(srid=4326)
    accuracy_m = models.FloatField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "recorded_at"]
        indexes = [
            models.Index(fields=["unit", "recorded_at"], name="unitposition_unit_time_idx"),
            models.Index(fields=["received_at"], name="unitposition_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} at {self.recorded_at:%H:%M:%S}"


class Notification(models.Model):
    """One message to an agency or a person (email or webhook) and how its delivery went."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"

    class State(models.TextChoices):
        PENDING = "pending", "Menunggu / Pending"
        SENT = "sent", "Terkirim / Sent"
        FAILED = "failed", "Gagal / Failed"

    dedupe_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipient = models.CharField(max_length=500)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="notification_state_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} -> {self.recipient}"
