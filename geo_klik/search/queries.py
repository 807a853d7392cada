"""One search over the five service areas, by text and/or near a point."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from geo_klik.lib import layers

MAX_LIMIT = 50


def search(
    query: layers.SearchQuery, *, areas: Sequence[str] | None = None
) -> list[layers.SearchHit]:
    """Hits from every registered source, merged.

    With a position: nearest first (hits without a position, such as a service procedure or a
    report category, after them by relevance). Text only: by relevance. Either way the areas
    are interleaved, so one busy area (fifty shops round the market) cannot push the others
    (the community board, the offices) off the first screen.
    """
    hits: list[layers.SearchHit] = []
    for source in layers.search_sources():
        if areas and source.area not in areas:
            continue
        hits.extend(source.search(query))
    hits = _unique(hits)
    if query.near:
        located = sorted(
            (h for h in hits if h.distance_m is not None), key=lambda h: (h.distance_m, h.title)
        )
        others = sorted((h for h in hits if h.distance_m is None), key=lambda h: -h.score)
        return (_interleave(located) + others)[: query.limit]
    return _interleave(sorted(hits, key=lambda h: (-h.score, h.title.lower())))[: query.limit]


def _unique(hits: list[layers.SearchHit]) -> list[layers.SearchHit]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for hit in hits:
        key = (hit.layer, hit.url, hit.title)
        if key not in seen:
            seen.add(key)
            unique.append(hit)
    return unique


def _interleave(hits: list[layers.SearchHit]) -> list[layers.SearchHit]:
    """Keep the order, but let no area take more than 3 places before every area had a turn."""
    taken: Counter[str] = Counter()
    first: list[layers.SearchHit] = []
    rest: list[layers.SearchHit] = []
    for hit in hits:
        if taken[hit.area] < 3:
            taken[hit.area] += 1
            first.append(hit)
        else:
            rest.append(hit)
    return first + rest


def counts_by_area(hits: Sequence[layers.SearchHit]) -> dict[str, int]:
    counts = Counter(hit.area for hit in hits)
    return {area: counts[area] for area in layers.AREAS if counts[area]}
