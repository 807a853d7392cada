"""dispatch/data/reference.json: its durations and that every entry has the shape the seed reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from geo_klik.dispatch import reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("4h", timedelta(hours=4)),
        ("14d", timedelta(days=14)),
        ("0m", timedelta(0)),
    ],
)
def test_it_reads_a_duration(text: str, expected: timedelta) -> None:
    assert reference.duration(text) == expected


NOT_DURATIONS = ["", "4", "h", "4 h", " 4h", "4h ", "4h\n", "-1d", "1.5h", "4w", "4H", "1e3m"]


@pytest.mark.parametrize("text", [*NOT_DURATIONS, "4h30m", "٤h"])
def test_it_refuses_anything_else_as_a_duration_naming_the_file(text: str) -> None:
    with pytest.raises(ValueError, match=r"reference\.json"):
        reference.duration(text)


def test_it_reads_every_category_agency_and_coverage_with_known_codes() -> None:
    categories = {c.code for c in reference.CATEGORIES}
    agencies = {a.code for a in reference.CITY_AGENCIES}
    assert len(categories) == len(reference.CATEGORIES) == 12
    assert all(c.ack_target < c.resolve_target for c in reference.CATEGORIES)
    for coverage in reference.CITY_COVERAGE:
        assert coverage.agency in agencies
        assert set(coverage.primary) | set(coverage.supporting) <= categories
    assert set(reference.POLSEK_PRIMARY + reference.KELURAHAN_OFFICE_SUPPORTING) <= categories
