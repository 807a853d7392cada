"""The routing rules, as pure functions over candidates (no database access).

1. *covers*: among current jurisdictions that cover the point and serve the category, the
   primary assignment is the best-ranked one serving it as primary (highest priority, then
   smallest area, then code); every other agency serving it as supporting gets a supporting
   assignment (its own best-ranked jurisdiction).
2. *nearest*: if no jurisdiction covers the point as primary, the closest one within the
   tolerance (GPS error at the city edge), ties broken by rank; supporting agencies likewise.
3. *triage*: otherwise the Command Center's triage queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from geo_klik.dispatch.queries import Candidate


@dataclass(frozen=True)
class Choice:
    """The agencies picked for a report and the candidates they were picked from."""

    primary: Candidate | None
    supporting: list[Candidate] = field(default_factory=list)


def choose_covering(candidates: list[Candidate]) -> Choice:
    primaries = sorted((c for c in candidates if c.role == "primary"), key=lambda c: c.rank)
    if not primaries:
        return Choice(primary=None)
    primary = primaries[0]
    return Choice(primary, supporting_for(candidates, primary, key=lambda c: c.rank))


def choose_nearest(candidates: list[Candidate]) -> Choice:
    def by_distance(c: Candidate) -> tuple[float, float, float, str]:
        return (c.distance_m, *c.rank)

    primaries = sorted((c for c in candidates if c.role == "primary"), key=by_distance)
    if not primaries:
        return Choice(primary=None)
    primary = primaries[0]
    return Choice(primary, supporting_for(candidates, primary, key=by_distance))


def supporting_for(
    candidates: list[Candidate], primary: Candidate, *, key: Callable[[Candidate], Any]
) -> list[Candidate]:
    """The best supporting jurisdiction of each agency other than the primary's."""
    best: dict[int, Candidate] = {}
    for candidate in sorted((c for c in candidates if c.role == "supporting"), key=key):
        if candidate.agency_id != primary.agency_id:
            best.setdefault(candidate.agency_id, candidate)
    return sorted(best.values(), key=lambda c: c.agency_code)
