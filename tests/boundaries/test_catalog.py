"""Which kelurahan layer is loaded: one rule, and what is said about the layer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import override_settings

from geo_klik.boundaries import catalog, importer
from geo_klik.boundaries.sources import SourceError

SHIPPED = catalog.shipped_path()


def official_dir(tmp_path: Path) -> Path:
    """A folder with an "official" layer: a copy of the shipped file under the official name."""
    folder = tmp_path / "official"
    folder.mkdir()
    shutil.copy(SHIPPED, folder / "bukittinggi_kelurahan.geojson")
    return folder


def test_it_picks_the_official_layer_when_present(tmp_path: Path) -> None:
    folder = official_dir(tmp_path)
    with override_settings(GEO_KLIK_DATA_DIR=folder, GEO_KLIK_BOUNDARY_LAYER="auto"):
        choice = catalog.choose()
    assert choice.kind == catalog.OFFICIAL
    assert choice.path == folder / "bukittinggi_kelurahan.geojson"
    assert "present in GEO_KLIK_DATA_DIR" in choice.reason_en


def test_it_falls_back_to_the_shipped_layer_and_says_why(tmp_path: Path) -> None:
    with override_settings(GEO_KLIK_DATA_DIR=tmp_path / "nothing-here"):
        choice = catalog.choose("auto")
    assert choice.kind == catalog.SHIPPED
    assert choice.path == SHIPPED and SHIPPED.is_file()
    assert "nothing-here" in choice.reason_en and "no official layer" in choice.reason_en
    assert "tidak ada lapisan resmi" in choice.reason_id


def test_it_uses_the_shipped_layer_when_told_even_with_an_official_one(tmp_path: Path) -> None:
    with override_settings(GEO_KLIK_DATA_DIR=official_dir(tmp_path)):
        assert catalog.choose("shipped").path == SHIPPED


def test_it_refuses_a_demanded_official_layer_that_is_missing(tmp_path: Path) -> None:
    with override_settings(GEO_KLIK_DATA_DIR=tmp_path), pytest.raises(SourceError) as caught:
        catalog.choose("official")
    assert "Lapisan resmi tidak ditemukan" in caught.value.message_id
    assert "Official layer not found" in caught.value.message_en


def test_it_takes_a_configured_file_and_refuses_a_missing_or_hostile_one(tmp_path: Path) -> None:
    mine = tmp_path / "kota_saya.geojson"
    shutil.copy(SHIPPED, mine)
    assert catalog.choose(str(mine)).kind == "file"
    for value in (str(tmp_path / "hilang.geojson"), "/etc/\0passwd", "x" * 5000):
        with pytest.raises(SourceError) as caught:
            catalog.choose(value)
        assert "Boundary file not found" in caught.value.message_en
    assert catalog.choose(" ").kind == catalog.choose("auto").kind  # empty means auto


def test_it_names_the_licence_of_a_known_layer_by_its_checksum() -> None:
    info = catalog.describe(SHIPPED)
    assert info.known
    assert info.licence == "MIT" and info.notice == "Copyright (c) 2024 Cahya DSN"
    assert "830 m" in info.quality_en
    lines = "\n".join(catalog.choose("shipped").describe())
    assert "licence: MIT; Copyright (c) 2024 Cahya DSN" in lines
    assert "data/kelurahan_boundaries/bukittinggi/kelurahan.geojson" in lines


def test_it_never_guesses_the_licence_of_an_unknown_file(tmp_path: Path) -> None:
    changed = tmp_path / "diubah.geojson"
    changed.write_bytes(SHIPPED.read_bytes().replace(b"Tarok Dipo", b"Tarok Dipo "))
    info = catalog.describe(changed)
    assert not info.known
    assert "not recorded" in info.licence and info.quality_en == ""


def test_every_known_shipped_layer_matches_its_recorded_checksum() -> None:
    known = {entry["sha256"] for entry in catalog.registry()["known"]}
    assert catalog.file_sha256(SHIPPED) in known


@pytest.mark.official_layer
def test_the_official_layer_beside_the_repository_is_the_known_rtrw_layer() -> None:
    info = catalog.describe(catalog.official_path())
    assert info.known and "RTRW" in info.title
    assert info.licence == "none stated for the data"


def test_load_boundaries_names_old_and_new_layer_names_alike(tmp_path: Path) -> None:
    with override_settings(GEO_KLIK_DATA_DIR=official_dir(tmp_path)):
        assert importer.layer_path("alt") == importer.layer_path("shipped") == SHIPPED
        assert importer.layer_path("primary") == importer.layer_path("official")
        assert importer.layer_path("auto") == importer.layer_path("official")
