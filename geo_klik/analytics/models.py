"""Planner analytics: which reports are synthetic demo history, and the per-report fact view.

*Demo* reports are written by ``manage.py seed_demo`` to show the planner pages with a
realistic history; a ``DemoReport`` row marks each one so ``seed_demo --remove`` deletes
exactly them. The marker lives here rather than as a flag on ``Report`` so that the reports
app does not learn about demos, and removal is one indexed join.

``ReportFact`` is a read-only view of the materialized view ``analytics_report_facts``: one
narrow row per report with what the planner figures need (primary SKPD, first
acknowledgement, last resolution, reopened, rating), so a year of a million reports is
aggregated without touching the timeline table. It is refreshed by ``actions.refresh_facts``,
and with it the SKPD rollups computed from it (``analytics_skpd_daily``,
``analytics_skpd_durations``, ``analytics_skpd_durations_monthly``: see
``migrations/_facts.py``), read with raw SQL by ``queries.performance``.
"""

from __future__ import annotations

from django.contrib.gis.db import models


class DemoReport(models.Model):
    """A report written by seed_demo (synthetic history, never a resident's)."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    batch = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"demo {self.report_id}"


class ReportFact(models.Model):
    """One report as the planner figures see it (a row of analytics_report_facts)."""

    report = models.OneToOneField(
        "reports.Report",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    created_at = models.DateTimeField()
    category = models.ForeignKey(
        "reports.Category", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    kelurahan = models.ForeignKey(
        "boundaries.Kelurahan",
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    status = models.CharField(max_length=20)
    location = models.PointField(srid=4326)
    lat = models.FloatField()
    lon = models.FloatField()
    ack_s = models.FloatField(null=True)
    resolve_s = models.FloatField(null=True)
    ack_target_s = models.FloatField()
    resolve_target_s = models.FloatField()
    reopened = models.BooleanField()
    stars = models.SmallIntegerField(null=True)

    class Meta:
        managed = False
        db_table = "analytics_report_facts"

    def __str__(self) -> str:
        return f"fact {self.report_id}"


class FactsRefresh(models.Model):
    """When the fact view was last rebuilt (one row): the figures' cache generation."""

    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"facts refreshed {self.refreshed_at}"
