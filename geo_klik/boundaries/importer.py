"""Loading a kelurahan layer into the database; kecamatan and kota are derived from it.

Dry-run unless ``commit=True``; a commit writes everything in one transaction and is idempotent:
rows are matched by Kemendagri code and only rows whose values differ are written. Kelurahan that
exist in the database but not in the new source are kept (reports and other records point at them)
and listed in the report so an administrator can decide.
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import connection, models, transaction
from tqdm import tqdm

from geo_klik.boundaries import catalog, cities, report_text, sources, topology
from geo_klik.boundaries import repair as polygon_repair
from geo_klik.boundaries.models import BoundaryImport, Kecamatan, Kelurahan, Kota
from geo_klik.lib import geo

# Bump when the import logic changes, so `--if-changed` re-imports an unchanged file once.
IMPORTER_VERSION = "3"  # 2: overlaps and gaps resolved; 3: gaps sought with cracks closed
# Serialises concurrent commits (two services starting at once); any constant bigint works.
IMPORT_LOCK_ID = 7_513_750_001
# Names of layers for load_boundaries --layer: the rule's choice, or one side of it. "primary" and
# "alt" are the names earlier versions used for the official and the MIT layer.
LAYERS = {
    catalog.AUTO: catalog.AUTO,
    catalog.OFFICIAL: catalog.OFFICIAL,
    catalog.SHIPPED: catalog.SHIPPED,
    "primary": catalog.OFFICIAL,
    "alt": catalog.SHIPPED,
}
SOURCE_MAX_LENGTH = 500
VALID_GEOMETRY = "Valid Geometry"  # what GEOSisValidReason says of a valid geometry

M = TypeVar("M", bound=models.Model)


def layer_path(layer: str = catalog.AUTO) -> Path:
    """The file of a named layer (see LAYERS); ``auto`` is what catalog.choose() picks."""
    keyword = LAYERS[layer]
    if keyword == catalog.AUTO or cities.configured().code != cities.DEFAULT_CODE:
        # The configured city's layer (GEO_KLIK_CITY); official/shipped of another city refused.
        return cities.choice_for(keyword, check=False).path
    if keyword == catalog.OFFICIAL:
        return catalog.official_path()
    if keyword == catalog.SHIPPED:
        return catalog.shipped_path()
    return catalog.choose().path


@dataclass(frozen=True)
class FeatureProblem:
    """A feature that cannot be imported as it is, and whether --repair fixed it."""

    title: str
    reason: str
    repaired: bool = False


@dataclass
class LevelChanges:
    """What an import did (or would do) to one level: names per outcome."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass
class ImportReport:
    """Everything an import found and did; ``as_text()`` is what the command prints."""

    source: Path
    sha256: str
    commit: bool
    repair: bool
    layer_name: str = ""
    srs: str = ""
    feature_count: int = 0
    committed: bool = False
    skipped_unchanged: bool = False
    refused_reason: str = ""
    warnings: list[str] = field(default_factory=list)
    problems: list[FeatureProblem] = field(default_factory=list)
    # Measured as published, then after overlaps and gaps were resolved (what is stored). Declared
    # in this order: below the field named ``topology``, the name no longer means the module.
    published_topology: topology.Topology | None = None
    resolutions: list[topology.Resolution] = field(default_factory=list)
    topology: topology.Topology | None = None
    kelurahan: LevelChanges = field(default_factory=LevelChanges)
    kecamatan: LevelChanges = field(default_factory=LevelChanges)
    kota: LevelChanges = field(default_factory=LevelChanges)
    not_in_source: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """False when the import was refused (invalid features and no --repair)."""
        return not self.refused_reason

    @property
    def invalid(self) -> list[FeatureProblem]:
        return [problem for problem in self.problems if not problem.repaired]

    def as_text(self) -> str:
        return report_text.render(self)


@dataclass
class Plan:
    """The rows a source yields, keyed by Kemendagri code, before comparing with the database."""

    kota: dict[str, dict[str, Any]] = field(default_factory=dict)
    kecamatan: dict[str, dict[str, Any]] = field(default_factory=dict)
    kelurahan: dict[str, dict[str, Any]] = field(default_factory=dict)


def import_layer(
    path: Path,
    *,
    commit: bool,
    repair: bool = False,
    progress: bool = False,
    if_changed: bool = False,
) -> ImportReport:
    """Read, check and measure a kelurahan layer; write it when ``commit`` and nothing is refused.

    Raises sources.SourceError for a missing or unreadable file or a missing required field.
    With ``if_changed``, a source identical to the last committed import is skipped unread.
    """
    report = ImportReport(
        source=path, sha256=source_sha256(path, repair=repair), commit=commit, repair=repair
    )
    if if_changed and already_imported(report.sha256):
        report.skipped_unchanged = True
        return report
    layer = sources.read_layer(path)
    report.layer_name, report.srs, report.warnings = layer.layer_name, layer.srs, layer.warnings
    report.feature_count = len(layer.features)
    usable = check_features(layer.features, report, repair=repair, progress=progress)
    resolve_topology(usable, report)
    if report.invalid:
        report.refused_reason = f"{len(report.invalid)} feature(s) cannot be imported"
    elif not usable:
        report.refused_reason = "the layer has no kelurahan"
    plan = build_plan(usable, measured_topology(report), source_name=path.name)
    if commit and report.ok:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_ID])
            apply_plan(plan, report, write=True, progress=progress)
            report.committed = True
            record_import(report)
    else:
        apply_plan(plan, report, write=False, progress=False)
    return report


def derive(path: Path) -> tuple[ImportReport, Plan]:
    """What importing ``path`` would store, without the database: the kelurahan after resolving
    overlaps and gaps, and their kecamatan and kota. For files derived from a layer.

    Raises sources.SourceError for an unreadable source, ValueError for one that would be refused.
    """
    report = ImportReport(
        source=path, sha256=source_sha256(path, repair=False), commit=False, repair=False
    )
    layer = sources.read_layer(path)
    report.layer_name, report.srs, report.warnings = layer.layer_name, layer.srs, layer.warnings
    report.feature_count = len(layer.features)
    usable = check_features(layer.features, report, repair=False, progress=False)
    if report.invalid or not usable:
        raise ValueError(f"{path}: {len(report.invalid)} feature(s) cannot be imported")
    resolve_topology(usable, report)
    return report, build_plan(usable, measured_topology(report), source_name=path.name)


def resolve_topology(usable: list[sources.SourceFeature], report: ImportReport) -> None:
    """Measure the layer as published, give each overlap and gap to one kelurahan, measure again.

    Kelurahan with a duplicate code were refused already, so codes are unique here.
    """
    parts = [(f.code_kemendagri, f.name, f.boundary) for f in usable]
    report.published_topology = topology.measure(parts)
    resolved = topology.resolve(parts)
    report.resolutions = resolved.resolutions
    if not resolved.resolutions:
        report.topology = report.published_topology
        return
    for feature in usable:
        feature.geometry = resolved.boundaries[feature.code_kemendagri]
    report.topology = topology.measure([(f.code_kemendagri, f.name, f.boundary) for f in usable])


def measured_topology(report: ImportReport) -> topology.Topology:
    if report.topology is None:
        raise AssertionError("resolve_topology() measures every import")
    return report.topology


def source_sha256(path: Path, *, repair: bool) -> str:
    """A hash of the source file(s), the importer version and the options that shape the result."""
    if not path.exists():
        raise sources.SourceError(
            f"Berkas batas wilayah tidak ditemukan: {path}", f"Boundary file not found: {path}"
        )
    digest = hashlib.sha256(f"geo_klik boundaries v{IMPORTER_VERSION} repair={repair}".encode())
    try:
        for part in sources.source_files(path):
            digest.update(part.name.encode())
            digest.update(part.read_bytes())
    except OSError as exc:
        raise sources.SourceError(
            f"Berkas tidak dapat dibaca: {path} ({exc.strerror})",
            f"File cannot be read: {path} ({exc.strerror})",
        ) from exc
    return digest.hexdigest()


def already_imported(sha256: str) -> bool:
    """Whether the last committed import had this hash and its kelurahan are all still there."""
    last = BoundaryImport.objects.first()
    return (
        last is not None
        and last.source_sha256 == sha256
        and Kelurahan.objects.count() == last.kelurahan_count
    )


def check_features(
    features: list[sources.SourceFeature], report: ImportReport, *, repair: bool, progress: bool
) -> list[sources.SourceFeature]:
    """The features fit to import; every problem (and every repair) goes into the report."""
    usable: list[sources.SourceFeature] = []
    first_index: dict[str, int] = {}
    bar = tqdm(features, desc="Kelurahan", unit="kel", disable=not progress, file=sys.stderr)
    for feature in bar:
        code = feature.code_kemendagri
        if code and code in first_index:
            feature.problems.append(
                f"duplicate Kemendagri code {code} (also feature #{first_index[code]})"
            )
        first_index.setdefault(code, feature.index)
        for reason in feature.problems:
            report.problems.append(FeatureProblem(feature.title, reason))
        if feature.problems or feature.geometry is None:
            continue
        if check_validity(feature, feature.geometry, report, repair=repair):
            usable.append(feature)
    return usable


def check_validity(
    feature: sources.SourceFeature, geometry: GEOSGeometry, report: ImportReport, *, repair: bool
) -> bool:
    """Whether ``geometry`` is valid or was made valid (then set on the feature as a MultiPolygon).

    The GEOS reason for an invalid geometry goes into the report.
    """  # valid_reason rather than .valid: the latter also logs a GEOS_NOTICE warning per feature.
    reason = geometry.valid_reason
    if reason == VALID_GEOMETRY:
        feature.geometry = topology.as_multipolygon(geometry)
        return True
    if not repair:
        report.problems.append(FeatureProblem(feature.title, f"invalid geometry: {reason}"))
        return False
    outcome = polygon_repair.checked(feature.code_kemendagri, feature.name, geometry)
    if outcome.geometry is None:
        report.problems.append(
            FeatureProblem(
                feature.title, f"invalid geometry, refused by MakeValid: {reason}; {outcome.detail}"
            )
        )
        return False
    fixed = outcome.geometry
    reason = f"{reason}; {outcome.detail}"
    report.problems.append(FeatureProblem(feature.title, f"invalid geometry: {reason}", True))
    feature.geometry = fixed
    return True


def build_plan(
    features: list[sources.SourceFeature], measured: topology.Topology, *, source_name: str
) -> Plan:
    """Row values for every kelurahan, and their kecamatan and kota derived by union."""
    plan = Plan()
    features = sorted(features, key=lambda f: f.code_kemendagri)
    for feature in features:
        boundary = feature.boundary
        plan.kelurahan[feature.code_kemendagri] = {
            "name": feature.name,
            "name_variants": [feature.name, *feature.name_variants],
            "code_bps": feature.code_bps,
            "kecamatan_code": feature.kecamatan_code_kemendagri,
            "boundary": boundary,
            "label_point": inner_label_point(boundary, feature.label_point),
            "area_m2": measured.areas_m2[feature.code_kemendagri],
            "source": (feature.source or source_name)[:SOURCE_MAX_LENGTH],
        }
    derived_source = f"union of the kelurahan in {source_name}"[:SOURCE_MAX_LENGTH]
    for code, members in group_by(features, lambda f: f.kecamatan_code_kemendagri).items():
        plan.kecamatan[code] = {
            "name": most_common(f.kecamatan for f in members),
            "name_variants": [v for f in members for v in (f.kecamatan, *f.kecamatan_variants)],
            "code_bps": most_common(f.kecamatan_code_bps for f in members),
            "kota_code": members[0].kota_code_kemendagri,
            "boundary": topology.union((f.boundary for f in members), srid=geo.WGS84),
            "boundary_derived": True,
            "source": derived_source,
        }
    for code, members in group_by(features, lambda f: f.kota_code_kemendagri).items():
        plan.kota[code] = {
            "name": most_common(f.kota for f in members),
            "province": most_common(f.province for f in members),
            "code_bps": most_common(f.kota_code_bps for f in members),
            "boundary": topology.union((f.boundary for f in members), srid=geo.WGS84),
            "boundary_derived": True,
            "source": derived_source,
        }
    return plan


def inner_label_point(boundary: MultiPolygon, proposed: Point | None) -> Point:
    """The source's label point when it lies inside the polygon, else a point on its surface."""
    if proposed is not None and boundary.covers(proposed):
        return proposed
    inside = boundary.point_on_surface
    inside.srid = geo.WGS84
    return inside


def group_by(
    features: Iterable[sources.SourceFeature], key: Any
) -> dict[str, list[sources.SourceFeature]]:
    """Features grouped by ``key(feature)``, groups in sorted key order."""
    groups: dict[str, list[sources.SourceFeature]] = {}
    for feature in features:
        groups.setdefault(key(feature), []).append(feature)
    return dict(sorted(groups.items()))


def most_common(values: Iterable[str]) -> str:
    """The most frequent non-empty value (first seen wins a tie), or ''."""
    counts = Counter(value for value in values if value)
    return counts.most_common(1)[0][0] if counts else ""


def merge_variants(name: str, *spellings: Iterable[str]) -> list[str]:
    """``name`` first, then every other spelling once (case-insensitively), sorted."""
    seen = {name.casefold()}
    others: dict[str, str] = {}
    for group in spellings:
        for spelling in group:
            if spelling and spelling.casefold() not in seen:
                seen.add(spelling.casefold())
                others[spelling.casefold()] = spelling
    return [name, *(others[key] for key in sorted(others))]


def apply_plan(plan: Plan, report: ImportReport, *, write: bool, progress: bool) -> None:
    """Compare the plan with the database, level by level; write the differences if ``write``."""
    kota_by_code = sync_kota(plan, report, write=write)
    kecamatan_by_code = sync_kecamatan(plan, report, kota_by_code, write=write)
    sync_kelurahan(plan, report, kecamatan_by_code, write=write, progress=progress)


def sync_kota(plan: Plan, report: ImportReport, *, write: bool) -> dict[str, Kota]:
    """Upsert every kota of the plan; returns them by code."""
    by_code = {k.code_kemendagri: k for k in Kota.objects.filter(code_kemendagri__in=plan.kota)}
    for code, values in plan.kota.items():
        by_code[code] = upsert(Kota, by_code.get(code), code, values, report.kota, write=write)
    return by_code


def sync_kecamatan(
    plan: Plan, report: ImportReport, kota_by_code: dict[str, Kota], *, write: bool
) -> dict[str, Kecamatan]:
    """Upsert every kecamatan of the plan under its kota; returns them by code."""
    by_code = {
        k.code_kemendagri: k for k in Kecamatan.objects.filter(code_kemendagri__in=plan.kecamatan)
    }
    for code, values in plan.kecamatan.items():
        existing = by_code.get(code)
        row = without(values, "kota_code")
        row["kota_id"] = kota_by_code[values["kota_code"]].pk
        row["name_variants"] = merge_variants(
            values["name"], existing.name_variants if existing else [], values["name_variants"]
        )
        by_code[code] = upsert(Kecamatan, existing, code, row, report.kecamatan, write=write)
    return by_code


def sync_kelurahan(
    plan: Plan,
    report: ImportReport,
    kecamatan_by_code: dict[str, Kecamatan],
    *,
    write: bool,
    progress: bool,
) -> None:
    """Upsert every kelurahan of the plan; list those in the database but not in the source."""
    by_code = {k.code_kemendagri: k for k in Kelurahan.objects.all()}
    rows = tqdm(
        plan.kelurahan.items(), desc="Saving", unit="kel", disable=not progress, file=sys.stderr
    )
    for code, values in rows:
        existing = by_code.get(code)
        row = without(values, "kecamatan_code")
        row["kecamatan_id"] = kecamatan_by_code[values["kecamatan_code"]].pk
        row["name_variants"] = merge_variants(
            values["name"], existing.name_variants if existing else [], values["name_variants"]
        )
        upsert(Kelurahan, existing, code, row, report.kelurahan, write=write)
    report.not_in_source = [
        f"{code} {kelurahan.name}"
        for code, kelurahan in sorted(by_code.items())
        if code not in plan.kelurahan
    ]


def without(values: dict[str, Any], key: str) -> dict[str, Any]:
    """A copy of ``values`` without ``key``."""
    return {k: v for k, v in values.items() if k != key}


def upsert(
    model: type[M],
    existing: M | None,
    code: str,
    values: dict[str, Any],
    changes: LevelChanges,
    *,
    write: bool,
) -> M:
    """Create or update one row by code, recording the outcome; unchanged rows are not saved."""
    label = f"{code} {values['name']}"
    if existing is None:
        row = model(code_kemendagri=code, **values)
        if write:
            row.save()
        changes.created.append(label)
        return row
    changed = [key for key, value in values.items() if not same(getattr(existing, key), value)]
    if not changed:
        changes.unchanged.append(label)
        return existing
    for key in changed:
        setattr(existing, key, values[key])
    if write:
        existing.save(update_fields=[*changed, "updated_at"])
    changes.updated.append(f"{label} ({', '.join(changed)})")
    return existing


def same(old: object, new: object) -> bool:
    """Whether a stored value equals a new one: geometries exactly, floats to rounding."""
    if isinstance(old, GEOSGeometry) or isinstance(new, GEOSGeometry):
        return (
            isinstance(old, GEOSGeometry)
            and isinstance(new, GEOSGeometry)
            and old.srid == new.srid
            and old.equals_exact(new, tolerance=0)
        )
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-6)
    return old == new


def record_import(report: ImportReport) -> None:
    """Remember this commit so an identical source can be skipped next time."""
    BoundaryImport.objects.create(
        source=str(report.source)[:SOURCE_MAX_LENGTH],
        source_sha256=report.sha256,
        layer_name=report.layer_name,
        repaired=any(problem.repaired for problem in report.problems),
        kelurahan_count=Kelurahan.objects.count(),
        summary=report.as_text(),
        quality=quality_figures(report),
    )


def quality_figures(report: ImportReport) -> dict[str, float]:
    """The measured quality of an import, as plain numbers (BoundaryImport.quality)."""
    after = report.topology
    published = report.published_topology or after
    if after is None or published is None:
        return {}
    resolved = report.resolutions
    return {
        "kelurahan": float(len(after.areas_m2)),
        "area_km2": round(after.city_area_m2 / 1e6, 3),
        "published_overlap_pairs": float(len(published.overlaps)),
        "published_overlap_ha": round(published.overlap_area_m2 / 1e4, 2),
        "published_gaps": float(len(published.gaps)),
        "published_gap_ha": round(published.gap_area_m2 / 1e4, 2),
        "resolved_overlaps": float(sum(1 for r in resolved if r.kind == "overlap")),
        "resolved_gaps": float(sum(1 for r in resolved if r.kind == "gap")),
        "overlap_pairs_after": float(len(after.overlaps)),
        "gaps_after": float(len(after.gaps)),
    }


def quality_line(figures: dict[str, float]) -> str:
    """One line of measured quality for the start-up banner (from quality_figures)."""
    if not figures:
        return "measured: not recorded (imported by an older version)"
    text = f"measured: {figures['kelurahan']:.0f} kelurahan, {figures['area_km2']:.3f} km²; "
    if figures["published_overlap_pairs"] or figures["published_gaps"]:
        text += (
            f"as published {figures['published_overlap_pairs']:.0f} overlapping pairs "
            f"({figures['published_overlap_ha']:.2f} ha) and {figures['published_gaps']:.0f} gaps "
            f"({figures['published_gap_ha']:.2f} ha), resolved into "
            f"{figures['resolved_overlaps']:.0f} overlap pieces and {figures['resolved_gaps']:.0f} "
            "gaps each given to one kelurahan (load_boundaries lists them); "
        )
        return text + (
            f"now {figures['overlap_pairs_after']:.0f} overlaps and "
            f"{figures['gaps_after']:.0f} gaps over 1 m²"
        )
    return text + "no overlaps or gaps over 1 m²"
