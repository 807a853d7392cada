"""The plain-text rendering of an import report, as ``load_boundaries`` prints it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo_klik.boundaries import topology

if TYPE_CHECKING:
    from geo_klik.boundaries.importer import ImportReport, LevelChanges

LIST_LIMIT = 60  # longer lists are cut with "... and N more"


def render(report: ImportReport) -> str:
    """Every section of the report as readable lines."""
    lines = [f"Source / sumber: {report.source}"]
    if report.skipped_unchanged:
        lines.append(
            "Unchanged: this source was already imported and all its kelurahan are in the "
            "database; nothing to do. / Tidak berubah: sumber ini sudah dimuat."
        )
        return "\n".join(lines) + "\n"
    lines.append(
        f"Layer: {report.layer_name} ({report.feature_count} features, {report.srs}), "
        f"sha256 {report.sha256[:12]}"
    )
    lines.extend(f"Warning: {warning}" for warning in report.warnings)
    lines.append(mode_line(report))
    lines.append("")
    verbs = ("created", "updated") if report.committed else ("to create", "to update")
    for level, changes in (
        ("Kelurahan", report.kelurahan),
        ("Kecamatan", report.kecamatan),
        ("Kota", report.kota),
    ):
        lines.extend(level_lines(level, changes, verbs))
    if report.ok and not any(c.changed for c in (report.kelurahan, report.kecamatan, report.kota)):
        lines.append("Everything unchanged. / Semua data tidak berubah.")
    if report.not_in_source:
        lines.append(
            f"In the database but not in this source (kept, check them): "
            f"{len(report.not_in_source)}"
        )
        lines.extend(bullets("-", report.not_in_source))
    lines.append("")
    lines.extend(problem_lines(report))
    lines.extend(topology_lines(report))
    return "\n".join(lines) + "\n"


def mode_line(report: ImportReport) -> str:
    """Whether anything was written, and why not."""
    if report.committed:
        return "Mode: COMMIT - written to the database in one transaction."
    if report.commit and not report.ok:
        return f"Mode: COMMIT REFUSED - nothing written: {report.refused_reason}."
    refusal = f" The commit would be refused: {report.refused_reason}." if not report.ok else ""
    return f"Mode: DRY RUN - nothing written; add --commit to write.{refusal}"


def level_lines(level: str, changes: LevelChanges, verbs: tuple[str, str]) -> list[str]:
    """Counts for one level, then the updated rows with the fields that changed."""
    lines = [
        f"{level}: {len(changes.created)} {verbs[0]}, {len(changes.updated)} {verbs[1]}, "
        f"{len(changes.unchanged)} unchanged"
    ]
    lines.extend(bullets("~", changes.updated))
    return lines


def problem_lines(report: ImportReport) -> list[str]:
    """Invalid or unusable features, and what --repair did."""
    if not report.problems:
        return ["Invalid geometries: none"]
    lines = [f"Invalid or unusable features: {len(report.problems)}"]
    for problem in report.problems:
        outcome = "repaired with MakeValid" if problem.repaired else "REFUSED"
        lines.append(f"  ! {problem.title}: {problem.reason} [{outcome}]")
    if report.invalid and not report.repair:
        lines.append("  Fix the source, or rerun with --repair to apply MakeValid.")
    return lines


def topology_lines(report: ImportReport) -> list[str]:
    """Total area, overlaps between kelurahan and gaps inside the city, in metres.

    When overlaps or gaps were resolved, the layer as published comes first, then what was done
    with each piece, then the result (what is stored).
    """
    measured = report.topology
    if measured is None or not measured.utm_srid:
        return []
    lines = [
        f"Total area (union of kelurahan): {measured.city_area_m2 / 1e6:.3f} km² "
        f"(measured in EPSG:{measured.utm_srid})"
    ]
    published = report.published_topology
    if not report.resolutions or published is None:
        return lines + measured_lines(measured, listed=True)
    lines.append("As published / sesuai sumber:")
    lines.extend(f"  {line}" for line in measured_lines(published, listed=True))
    lines.extend(resolution_lines(report.resolutions))
    lines.append("After resolution (stored) / setelah diselesaikan (disimpan):")
    lines.extend(f"  {line}" for line in measured_lines(measured, listed=False))
    return lines


def measured_lines(measured: topology.Topology, *, listed: bool) -> list[str]:
    """Overlaps and gaps of one measurement, each listed when ``listed``."""
    lines: list[str] = []
    if measured.overlaps:
        lines.append(
            f"Overlaps between kelurahan: {len(measured.overlaps)} pairs, "
            f"{measured.overlap_area_m2:,.1f} m² ({measured.overlap_area_m2 / 1e4:.2f} ha)"
        )
        if listed:
            lines.extend(
                bullets(
                    "-",
                    [
                        f"{o.code_a} {o.name_a} / {o.code_b} {o.name_b}: {o.area_m2:,.1f} m²"
                        for o in measured.overlaps
                    ],
                )
            )
    else:
        lines.append("Overlaps between kelurahan: none")
    if measured.overlap_slivers:
        lines.append(sliver_line("overlap", measured.overlap_slivers))
    if measured.gaps:
        lines.append(
            f"Gaps inside the city: {len(measured.gaps)}, "
            f"{measured.gap_area_m2:,.1f} m² ({measured.gap_area_m2 / 1e4:.2f} ha)"
        )
        if listed:
            lines.extend(
                bullets(
                    "-",
                    [
                        f"{gap.area_m2:,.1f} m² near lat {gap.lat:.6f}, lon {gap.lon:.6f}"
                        for gap in measured.gaps
                    ],
                )
            )
    else:
        lines.append("Gaps inside the city: none")
    if measured.gap_slivers:
        lines.append(sliver_line("gap", measured.gap_slivers))
    return lines


def resolution_lines(resolutions: list[topology.Resolution]) -> list[str]:
    """What the importer did with every overlap and gap, and why."""
    overlaps = [r for r in resolutions if r.kind == "overlap"]
    gaps = [r for r in resolutions if r.kind == "gap"]
    lines = [
        f"Resolved / diselesaikan: {len(overlaps)} overlap piece(s), "
        f"{sum(r.area_m2 for r in overlaps) / 1e4:.2f} ha, and {len(gaps)} gap(s), "
        f"{sum(r.area_m2 for r in gaps) / 1e4:.2f} ha. Rule: each piece goes to the "
        "neighbouring kelurahan sharing its longest border (an overlap only to one of its "
        "claimants; ties to the lower Kemendagri code)."
    ]
    texts = []
    for r in resolutions:
        runners = ", ".join(f"{code} {length:,.1f} m" for code, length in r.border_m)
        claimed = f" claimed by {' / '.join(r.claimants)}" if r.claimants else ""
        texts.append(
            f"{r.kind} {r.area_m2:,.1f} m² near lat {r.lat:.6f}, lon {r.lon:.6f}{claimed} "
            f"-> {r.winner} (shared border: {runners})"
        )
    lines.extend(bullets(">", texts))
    return lines


def sliver_line(kind: str, slivers: list[float]) -> str:
    """Slivers are counted, not listed: they come from coordinate rounding."""
    return (
        f"  (plus {len(slivers)} {kind} sliver(s) under {topology.SLIVER_M2:g} m², "
        f"{sum(slivers):.2g} m² in total, ignored as rounding)"
    )


def bullets(marker: str, texts: list[str]) -> list[str]:
    """One indented line per text, at most LIST_LIMIT of them, then how many were left out."""
    lines = [f"  {marker} {text}" for text in texts[:LIST_LIMIT]]
    if len(texts) > LIST_LIMIT:
        lines.append(f"  ... and {len(texts) - LIST_LIMIT} more")
    return lines
