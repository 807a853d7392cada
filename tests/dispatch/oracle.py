"""An independent statement of the covers rule, in shapely over the seeded coverages.

It reads the current versions (coverage, categories, priority, area) and applies the rule in
plain Python, without the ``JurisdictionPiece`` cut or any PostGIS predicate, so the tests can
check what ``route_report`` and ``reroute`` pick against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from geo_klik.dispatch.models import JurisdictionVersion


@dataclass(frozen=True)
class Version:
    code: str
    agency: str
    priority: int
    area_m2: float
    primary: frozenset[str]
    supporting: frozenset[str]
    coverage: shapely.Geometry

    @property
    def rank(self) -> tuple[float, float, str]:
        return (-self.priority, self.area_m2, self.code)


def current_versions() -> list[Version]:
    rows = JurisdictionVersion.objects.filter(
        is_current=True, jurisdiction__active=True, jurisdiction__agency__active=True
    ).select_related("jurisdiction__agency")
    return sorted(
        (
            Version(
                code=v.jurisdiction.code,
                agency=v.jurisdiction.agency.code,
                priority=v.priority,
                area_m2=v.area_m2,
                primary=frozenset(v.primary_categories),
                supporting=frozenset(v.supporting_categories),
                coverage=shapely.from_wkb(bytes(v.coverage.wkb)),
            )
            for v in rows
        ),
        key=lambda v: v.rank,
    )


def expected_agencies(
    versions: list[Version], lons: NDArray[np.float64], lats: NDArray[np.float64], category: str
) -> list[tuple[str | None, frozenset[str]]]:
    """(primary agency, supporting agencies) of each point for the covers rule."""
    points = shapely.points(lons, lats)
    primary: list[str | None] = [None] * len(points)
    for version in versions:  # best rank first: the first version covering a point wins
        if category not in version.primary:
            continue
        covered = shapely.covers(version.coverage, points)
        for i in np.flatnonzero(covered):
            if primary[i] is None:
                primary[i] = version.agency
    supporting: list[set[str]] = [set() for _ in points]
    for version in versions:
        if category not in version.supporting or category in version.primary:
            continue
        covered = shapely.covers(version.coverage, points)
        for i in np.flatnonzero(covered):
            if primary[i] is not None and version.agency != primary[i]:
                supporting[i].add(version.agency)
    return [(p, frozenset(s)) for p, s in zip(primary, supporting, strict=True)]


def random_points_inside(
    boundary: shapely.Geometry, count: int, *, seed: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """`count` uniformly random (lon, lat) points inside `boundary`, from a seeded generator."""
    rng = np.random.default_rng(seed)
    xmin, ymin, xmax, ymax = boundary.bounds
    lons: list[float] = []
    lats: list[float] = []
    shapely.prepare(boundary)
    while len(lons) < count:
        x = rng.uniform(xmin, xmax, count)
        y = rng.uniform(ymin, ymax, count)
        inside = shapely.contains_xy(boundary, x, y)
        lons.extend(x[inside])
        lats.extend(y[inside])
    return np.array(lons[:count]), np.array(lats[:count])
