"""The starting service catalogue and city-wide offices of Bukittinggi (``data/catalogue.json``).

Every entry is a *starting point* for the city to confirm: requirements follow the national rules
named in ``legal_basis`` (Perpres 96/2018 for population documents, PP 5/2021 for NIB, PP 16/2021
for PBG...), fees are only stated where a law fixes them (population documents are free by
UU 24/2013 Pasal 79A); where a Perda or the case decides, the fee is left empty and the note says
to confirm at the office. Nothing here is marked as verified.

The JSON file is the data; this module only gives it types. A requirement or a list of steps
many services share is written once under ``shared_documents`` / ``shared_steps`` and named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo_klik.public_services.models import Requirement

C = Requirement.Copy
DATA_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"


@dataclass(frozen=True)
class Doc:
    """One requirement row."""

    name_id: str
    name_en: str
    copy_kind: str = C.ORIGINAL
    count: int = 1
    note_id: str = ""
    note_en: str = ""
    condition_id: str = ""
    condition_en: str = ""


@dataclass(frozen=True)
class ServiceSeed:
    slug: str
    topic: str
    order: int
    name_id: str
    name_en: str
    summary_id: str
    summary_en: str
    audience_id: str
    audience_en: str
    apply_at: tuple[str, ...]
    documents: tuple[Doc, ...]
    legal_basis: str
    output_id: str
    output_en: str
    fee_rp: int | None = None
    fee_note_id: str = ""
    fee_note_en: str = ""
    days_min: int | None = None
    days_max: int | None = None
    time_note_id: str = ""
    time_note_en: str = ""
    online_url: str = ""
    online_note_id: str = ""
    online_note_en: str = ""
    steps: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class OfficeSeed:
    """A city-wide office at an approximate position (lat, lon)."""

    slug: str
    kind: str
    name: str
    lat: float
    lon: float
    notes_id: str
    notes_en: str


def _service(raw: dict[str, Any], docs: dict[str, Doc], steps: dict[str, Any]) -> ServiceSeed:
    """One service; a document or the steps given as a name are the shared ones."""
    fields = {k: v for k, v in raw.items() if k not in ("apply_at", "documents", "steps")}
    named = raw.get("steps", [])
    listed = steps[named] if isinstance(named, str) else named
    return ServiceSeed(
        **fields,
        apply_at=tuple(raw["apply_at"]),
        documents=tuple(docs[d] if isinstance(d, str) else Doc(**d) for d in raw["documents"]),
        steps=tuple((text_id, text_en) for text_id, text_en in listed),
    )


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


_DATA = _load()
_DOCS = {name: Doc(**raw) for name, raw in _DATA["shared_documents"].items()}
VERIFY_NOTE_ID: str = _DATA["notes"]["verify_id"]
VERIFY_NOTE_EN: str = _DATA["notes"]["verify_en"]
POSITION_NOTE_ID: str = _DATA["notes"]["position_id"]
POSITION_NOTE_EN: str = _DATA["notes"]["position_en"]
PUSKESMAS_NOTE_ID: str = _DATA["notes"]["puskesmas_id"]
PUSKESMAS_NOTE_EN: str = _DATA["notes"]["puskesmas_en"]
SERVICES: tuple[ServiceSeed, ...] = tuple(
    _service(raw, _DOCS, _DATA["shared_steps"]) for raw in _DATA["services"]
)
CITY_WIDE_OFFICES: tuple[OfficeSeed, ...] = tuple(
    OfficeSeed(**raw) for raw in _DATA["city_wide_offices"]
)
# (slug, name, kelurahan it stands in (name as loaded), kelurahan of its working area if known).
# Tigo Baleh's working area is the eight kelurahan of Aur Birugo Tigo Baleh (Pemko Bukittinggi,
# July 2024); for the others only their own kelurahan is recorded, the rest fall back to the
# nearest puskesmas until the Dinas Kesehatan confirms the wilayah kerja.
PUSKESMAS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = tuple(
    (p["slug"], p["name"], p["kelurahan"], tuple(p["working_area"])) for p in _DATA["puskesmas"]
)
