"""Reference data of a kota/kabupaten: KLIK categories, SKPD agencies and who covers what.

Seeded idempotently at every `make run` by ``actions.seed_reference_data``; after that the
Django admin is where the city edits them (a seed never overwrites an admin's edit of a row
it already created, except to add what is missing). The data is ``data/reference.json``, a
template for any kota or kabupaten ({kota}, {place} and {slug} stand for the city's names, see
``CityNames``) with what is known of particular cities under "cities"; this module gives it
types. Durations there are written ``30m``, ``4h`` or ``14d``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "reference.json"
DURATION = re.compile(r"([0-9]+)([mhd])")  # [0-9]: \d would take other scripts' digits
UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}


def duration(text: str) -> timedelta:
    """``30m``, ``4h``, ``14d`` as a timedelta; anything else is a broken data file."""
    match = DURATION.fullmatch(text)
    if match is None:
        raise ValueError(f"{DATA_FILE.name}: {text!r} is not a duration like 30m, 4h or 14d")
    return int(match.group(1)) * UNITS[match.group(2)]


@dataclass(frozen=True)
class CategorySeed:
    code: str
    name_id: str
    name_en: str
    icon: str
    priority: int  # 1 critical .. 4 low
    ack_target: timedelta
    resolve_target: timedelta
    description_id: str
    description_en: str
    sensitive: bool = False


@dataclass(frozen=True)
class AgencySeed:
    code: str
    name_id: str
    name_en: str
    short_name: str
    kind: str
    parent: str = ""
    is_triage: bool = False


@dataclass(frozen=True)
class CoverageSeed:
    """A city-wide (or city-split) jurisdiction of one agency."""

    code: str
    agency: str
    name: str
    primary: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)
    priority: int = 10
    # "kota", or "split:north"/"split:south" of the city's garbage_split_lat
    area: str = "kota"
    # "split": only for a city with a collection-zone split; "no_split": only without one
    when: str = ""


@dataclass(frozen=True)
class CityNames:
    """What the template's placeholders stand for: {kota}, {place}, {slug}."""

    kota: str  # "Kota X Raya"
    place: str  # "X Raya"
    slug: str  # "x-raya"

    def fill(self, text: str) -> str:
        return text.format(kota=self.kota, place=self.place, slug=self.slug)


@dataclass(frozen=True)
class CityFacts:
    """What the data knows of one city beyond the template."""

    # Polsek per kecamatan, keyed by the kecamatan's Kemendagri code: (agency code, name).
    polsek: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The DLH collects garbage in two zones split at this latitude, not along any admin boundary.
    garbage_split_lat: float | None = None


def agencies_for(names: CityNames) -> list[AgencySeed]:
    """The template's city-wide agencies, named for one city."""
    return [
        AgencySeed(
            **{
                **seed.__dict__,
                **{key: names.fill(getattr(seed, key)) for key in _NAMED_AGENCY_FIELDS},
            }
        )
        for seed in CITY_AGENCIES
    ]


def coverage_for(names: CityNames, facts: CityFacts) -> list[CoverageSeed]:
    """The template's city-wide jurisdictions for one city (zone splits only where known)."""
    wanted = "split" if facts.garbage_split_lat is not None else "no_split"
    return [
        CoverageSeed(
            **{**seed.__dict__, "agency": names.fill(seed.agency), "name": names.fill(seed.name)}
        )
        for seed in CITY_COVERAGE
        if seed.when in ("", wanted)
    ]


def facts_for(code: str) -> CityFacts:
    raw = _DATA["cities"].get(code, {})
    return CityFacts(
        polsek={k: (agency, name) for k, (agency, name) in raw.get("polsek", {}).items()},
        garbage_split_lat=raw.get("garbage_split_lat"),
    )


def _category(raw: dict[str, Any]) -> CategorySeed:
    targets = {key: duration(raw[key]) for key in ("ack_target", "resolve_target")}
    return CategorySeed(**{**raw, **targets})


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


_DATA = _load()
CATEGORIES = [_category(raw) for raw in _DATA["categories"]]
CITY_AGENCIES = [AgencySeed(**raw) for raw in _DATA["city_agencies"]]
_NAMED_AGENCY_FIELDS = ("code", "name_id", "name_en", "short_name", "parent")
CITY_COVERAGE = [CoverageSeed(**raw) for raw in _DATA["city_coverage"]]

POLSEK_PRIMARY: list[str] = _DATA["polsek_primary"]
POLSEK_PRIORITY: int = _DATA["polsek_priority"]
KECAMATAN_OFFICE_SUPPORTING: list[str] = _DATA["kecamatan_office_supporting"]
KECAMATAN_OFFICE_PRIORITY: int = _DATA["kecamatan_office_priority"]
KELURAHAN_OFFICE_PRIMARY: list[str] = _DATA["kelurahan_office_primary"]
KELURAHAN_OFFICE_SUPPORTING: list[str] = _DATA["kelurahan_office_supporting"]
KELURAHAN_OFFICE_PRIORITY: int = _DATA["kelurahan_office_priority"]
