"""The public figures (heat, hotspots) place a sensitive report at its public grid cell only."""

from __future__ import annotations

import pytest

from geo_klik.analytics import filters, queries
from geo_klik.lib import geo
from tests.analytics.conftest import TIMUR, History

CELL = geo.snap_to_grid(*TIMUR)


def test_it_centres_a_crime_hotspot_on_the_grid_cell_not_on_the_reports(
    history: History,
) -> None:
    # Five crimes 33 to 45 m north-east of their cell's centre: their own centroid is ~40 m away.
    for i in range(5):
        history.add((CELL[0] + 0.0003 + i * 0.00002, CELL[1] + 0.0003), "crime")
    for i in range(5):
        history.add((CELL[0] + 0.0003 + i * 0.00002, CELL[1] + 0.0003), "garbage")
    history.refresh()
    spots = {s.category: s for s in queries.hotspots(filters.last_days(7))}
    assert (spots["crime"].lat, spots["crime"].lon) == pytest.approx(CELL, abs=1e-9)
    # A category that is not sensitive keeps its exact centroid.
    assert spots["garbage"].lat == pytest.approx(CELL[0] + 0.00034, abs=1e-6)
