"""Which kelurahan layer geo_klik loads, and what is known of it: one rule, said at start-up.

The rule: the city's official layer when one is configured or present, otherwise the openly
licensed layer shipped in this repository. ``GEO_KLIK_BOUNDARY_LAYER`` chooses:

* ``auto`` (the default): the official file ``GEO_KLIK_DATA_DIR/bukittinggi_kelurahan.geojson``
  when it exists (on the project's machines, the RTRW layer in ``../shared/data/bukittinggi/``),
  otherwise the shipped layer ``data/kelurahan_boundaries/bukittinggi/kelurahan.geojson``;
* ``official``: the official file, and an error when it is missing;
* ``shipped``: the shipped layer, even when an official one is present;
* any other value: the path of a kelurahan layer file (any format GDAL reads), the city's own.

What is known of a layer (title, licence, notice, quality) comes from
``data/kelurahan_boundaries/layers.json``, matched by the file's sha256; a file not listed there
is described as such, so nobody mistakes an unknown licence for a known one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from geo_klik.boundaries.sources import SourceError

AUTO, OFFICIAL, SHIPPED = "auto", "official", "shipped"
KEYWORDS = (AUTO, OFFICIAL, SHIPPED)


@dataclass(frozen=True)
class LayerInfo:
    """What is known of one layer file."""

    title: str
    licence: str
    notice: str
    quality_id: str
    quality_en: str
    known: bool


@dataclass(frozen=True)
class LayerChoice:
    """The layer to load, why this one, and what is known of it."""

    path: Path
    kind: str  # OFFICIAL, SHIPPED, or "file" (a path given in GEO_KLIK_BOUNDARY_LAYER)
    reason_id: str
    reason_en: str
    info: LayerInfo
    # Repair invalid polygons (reported one by one) instead of refusing the layer: for layers
    # cut from the national/provincial data, whose invalid polygons are kept as published.
    repair: bool = False

    @property
    def label(self) -> str:
        return {
            OFFICIAL: "lapisan resmi kota / the city's official layer",
            SHIPPED: "lapisan bawaan repositori (MIT) / the layer shipped in the repository (MIT)",
            "city": "lapisan provinsi bawaan (MIT) / the provincial layer shipped or fetched (MIT)",
        }.get(self.kind, "berkas yang dikonfigurasi / the configured file")

    def describe(self) -> list[str]:
        """The start-up lines: which layer, why, licence and known quality."""
        info = self.info
        licence = f"{info.licence}; {info.notice}" if info.notice else info.licence
        lines = [
            f"Batas wilayah / boundaries: {self.label}",
            f"  file:    {display_path(self.path)}",
            f"  why:     {self.reason_id} / {self.reason_en}",
            f"  layer:   {info.title}",
            f"  licence: {licence}",
        ]
        if info.quality_en:
            lines.append(f"  quality: {info.quality_id}")
            lines.append(f"           {info.quality_en}")
        return lines


def data_root() -> Path:
    """The repository's boundary data folder."""
    return Path(settings.BASE_DIR) / "data" / "kelurahan_boundaries"


@cache
def registry() -> dict[str, Any]:
    with open(data_root() / "layers.json", encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def shipped_path() -> Path:
    return data_root() / str(registry()["shipped"])


def official_path() -> Path:
    return Path(settings.GEO_KLIK_DATA_DIR) / str(registry()["official_file_name"])


def choose(setting: str | None = None) -> LayerChoice:
    """The layer the rule picks for ``setting`` (default: ``GEO_KLIK_BOUNDARY_LAYER``).

    Raises SourceError when the official layer is demanded but missing, or a configured file
    does not exist.
    """
    value = (setting if setting is not None else settings.GEO_KLIK_BOUNDARY_LAYER).strip() or AUTO
    official = official_path()
    if value == SHIPPED:
        return made(
            shipped_path(),
            SHIPPED,
            "GEO_KLIK_BOUNDARY_LAYER=shipped",
            "GEO_KLIK_BOUNDARY_LAYER=shipped",
        )
    if value == OFFICIAL or (value == AUTO and official.is_file()):
        if not official.is_file():
            raise SourceError(
                f"Lapisan resmi tidak ditemukan: {official} (GEO_KLIK_BOUNDARY_LAYER=official)",
                f"Official layer not found: {official} (GEO_KLIK_BOUNDARY_LAYER=official); "
                "set GEO_KLIK_DATA_DIR to its folder, or GEO_KLIK_BOUNDARY_LAYER=auto",
            )
        return made(
            official,
            OFFICIAL,
            f"ada di GEO_KLIK_DATA_DIR ({display_path(official.parent)})",
            f"present in GEO_KLIK_DATA_DIR ({display_path(official.parent)})",
        )
    if value == AUTO:
        return made(
            shipped_path(),
            SHIPPED,
            f"tidak ada lapisan resmi di {display_path(official.parent)}",
            f"no official layer in {display_path(official.parent)}",
        )
    path = Path(value).expanduser()
    if not exists(path):
        raise SourceError(
            f"Berkas batas wilayah tidak ditemukan: {path} (GEO_KLIK_BOUNDARY_LAYER)",
            f"Boundary file not found: {path} (GEO_KLIK_BOUNDARY_LAYER)",
        )
    return made(
        path, "file", "GEO_KLIK_BOUNDARY_LAYER menunjuk berkas ini", "GEO_KLIK_BOUNDARY_LAYER"
    )


def exists(path: Path) -> bool:
    """Whether ``path`` exists; False for a name the system cannot even look up (a NUL byte,
    a name too long), instead of a traceback at start-up."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def made(
    path: Path, kind: str, reason_id: str, reason_en: str, *, repair: bool = False
) -> LayerChoice:
    return LayerChoice(
        path=path,
        kind=kind,
        reason_id=reason_id,
        reason_en=reason_en,
        info=describe(path),
        repair=repair,
    )


def describe(path: Path) -> LayerInfo:
    """What layers.json knows of this file, by its sha256; an honest 'unknown' otherwise."""
    digest = file_sha256(path) if path.is_file() else ""
    for entry in registry()["known"]:
        if entry["sha256"] == digest:
            return LayerInfo(
                title=entry["title"],
                licence=entry["licence"],
                notice=entry["notice"],
                quality_id=entry["quality_id"],
                quality_en=entry["quality_en"],
                known=True,
            )
    return LayerInfo(
        title=path.name,
        licence="tidak tercatat / not recorded in data/kelurahan_boundaries/layers.json",
        notice="check the licence with the data owner before publishing maps made from it",
        quality_id="",
        quality_en="",
        known=False,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """``path`` relative to the repository when it is inside or beside it, else absolute."""
    base = Path(settings.BASE_DIR).resolve()
    resolved = path.resolve()
    for root, prefix in ((base, ""), (base.parent, "../")):
        if resolved.is_relative_to(root):
            return prefix + str(resolved.relative_to(root))
    return str(resolved)
