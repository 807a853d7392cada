"""Loading the chosen kelurahan layer, and everything that follows a change of layer.

A first load only imports. A change of layer on a database that already serves (the official
layer appeared or disappeared, or GEO_KLIK_BOUNDARY_LAYER changed) also:

1. lets the jurisdictions built from kelurahan, kecamatan or the kota follow the new boundaries
   (a new version each; jurisdictions an administrator drew are never touched);
2. gives every report the kelurahan its point lies in under the new boundaries;
3. re-routes the open reports no agency has acknowledged yet (dispatch.actions.rerouting).

``switch(commit=False)`` does all of it in a transaction that is rolled back, so its summary is
exactly what ``commit=True`` will do; ``ensure`` (run at every start) prints that dry-run summary
first, then commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from geo_klik.boundaries import catalog, importer
from geo_klik.boundaries import queries as boundary_queries
from geo_klik.dispatch.actions import rerouting, seeding
from geo_klik.reports import actions as report_actions


@dataclass
class SwitchSummary:
    """What loading a layer did, or (dry run) would do."""

    choice: catalog.LayerChoice
    report: importer.ImportReport
    committed: bool
    first_load: bool
    jurisdiction_versions: int = 0
    reports_moved_kelurahan: int = 0
    reroute: rerouting.RerouteSummary | None = None

    @property
    def boundaries_changed(self) -> bool:
        report = self.report
        return any(level.changed for level in (report.kelurahan, report.kecamatan, report.kota))

    def as_lines(self) -> list[str]:
        report = self.report
        head = "Dilakukan / done" if self.committed else "Uji coba, belum ditulis / dry run"
        verb = ("created", "updated") if self.committed else ("to create", "to update")
        lines = [f"{head}: {importer.quality_line(importer.quality_figures(report))}"]
        if not report.ok:
            lines.append(
                f"  REFUSED: {report.refused_reason} (manage.py load_boundaries shows why)"
            )
            return lines
        for level, changes in (("kelurahan", report.kelurahan), ("kecamatan", report.kecamatan)):
            lines.append(
                f"  {level}: {len(changes.created)} {verb[0]}, {len(changes.updated)} {verb[1]}, "
                f"{len(changes.unchanged)} unchanged"
            )
        if report.not_in_source:
            lines.append(
                f"  kept although not in this layer: {', '.join(report.not_in_source)} "
                "(reports and jurisdictions may point at them)"
            )
        if self.first_load or not self.boundaries_changed:
            return lines
        would = "" if self.committed else " (would be)"
        lines.append(
            f"  jurisdiction versions following the new boundaries{would}: "
            f"{self.jurisdiction_versions}"
        )
        lines.append(f"  reports whose kelurahan changed{would}: {self.reports_moved_kelurahan}")
        if self.reroute is not None:
            lines.extend(f"  {line}" for line in self.reroute.as_lines())
        return lines


class _RollBack(Exception):
    """Raised inside the transaction of a dry run, so that everything is undone."""


def switch(choice: catalog.LayerChoice, *, commit: bool) -> SwitchSummary:
    """Load ``choice`` and make jurisdictions, reports and routing follow it (see module doc).

    Raises sources.SourceError for a missing or unreadable file.
    """
    first_load = not boundary_queries.kelurahan_loaded()
    summary: SwitchSummary | None = None
    try:
        with transaction.atomic():
            report = importer.import_layer(choice.path, commit=True, repair=choice.repair)
            summary = SwitchSummary(
                choice=choice, report=report, committed=commit, first_load=first_load
            )
            if report.ok and not first_load and summary.boundaries_changed:
                counts = seeding.seed_reference_data()
                summary.jurisdiction_versions = counts["versions"]
                summary.reports_moved_kelurahan = report_actions.reassign_kelurahan()
                summary.reroute = rerouting.reroute_open_reports(commit=True)
            if not commit:
                raise _RollBack
    except _RollBack:
        pass
    if summary is None:  # pragma: no cover - set before anything could raise _RollBack
        raise AssertionError("switch() ended without a summary")
    if not commit:
        summary.report.committed = False
        if summary.reroute is not None:
            summary.reroute.committed = False
    return summary


def ensure(choice: catalog.LayerChoice, out: Callable[[str], object]) -> SwitchSummary | None:
    """At start-up: nothing when ``choice`` is what was last loaded; else (dry run, then) load.

    Returns the committed summary, or None when nothing had to be done.
    """
    sha256 = importer.source_sha256(choice.path, repair=choice.repair)
    if importer.already_imported(sha256):
        last = boundary_queries.latest_import()
        out(f"  {importer.quality_line(last.quality if last else {})}")
        return None
    if boundary_queries.kelurahan_loaded():
        out(
            "  Lapisan (atau importer) berubah: ringkasan uji coba dulu / "
            "the layer (or the importer) changed: dry-run summary first"
        )
        for line in switch(choice, commit=False).as_lines():
            out(f"  {line}")
    summary = switch(choice, commit=True)
    for line in summary.as_lines():
        out(f"  {line}")
    return summary
