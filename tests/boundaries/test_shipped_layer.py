"""The openly licensed boundaries kept in the repository: licence, provenance, derived files."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from django.conf import settings

from geo_klik.boundaries import catalog, derived

ROOT = Path(settings.BASE_DIR)
FOLDER = ROOT / "data" / "kelurahan_boundaries" / "bukittinggi"
# The unlicensed RTRW files (kelurahan, kecamatan, city) beside the repository: never in git.
RTRW_SHA256 = {
    "d4c36c6a95fb5a35058240c223816fd31f34f04577f575192c4fafe0ddb6d45d",
    "d7bdd07fb76f92baa0c25d9edb81ffee543a42769a1c68b3fbad073b32876736",
    "aba611b7fb09c344df29edd3e33ef7f648292a32f50c58b2eccd4cba6ee6313e",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_it_ships_the_licence_and_the_copyright_notice() -> None:
    licence = (FOLDER / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "Copyright (c) 2024 Cahya DSN" in licence
    provenance = (FOLDER / "PROVENANCE.md").read_text()
    assert "cahyadsn/wilayah_boundaries" in provenance
    assert "3c5a7960f4d227a38489094d84252bdbb3f978a5" in provenance


def test_its_provenance_states_the_checksum_of_every_file() -> None:
    provenance = (FOLDER / "PROVENANCE.md").read_text()
    for name in ("kelurahan.geojson", "kecamatan.geojson", "kota.geojson"):
        assert sha256(FOLDER / name) in provenance, name


def test_its_kelurahan_are_the_24_of_bukittinggi() -> None:
    layer = json.loads((FOLDER / "kelurahan.geojson").read_text())
    codes = sorted(f["properties"]["kode_kemendagri"] for f in layer["features"])
    assert len(codes) == 24 and all(code.startswith("13.75.0") for code in codes)


def test_its_derived_kecamatan_and_kota_are_what_the_importer_derives(tmp_path: Path) -> None:
    written = derived.write(FOLDER / "kelurahan.geojson", tmp_path)
    assert [p.name for p in written] == ["kecamatan.geojson", "kota.geojson"]
    for path in written:
        assert path.read_bytes() == (FOLDER / path.name).read_bytes(), (
            f"{path.name} is stale: run manage.py derive_boundaries"
        )
    kecamatan = json.loads(written[0].read_text())["features"]
    assert [f["properties"]["kode_kemendagri"] for f in kecamatan] == [
        "13.75.01",
        "13.75.02",
        "13.75.03",
    ]


def test_no_unlicensed_layer_is_in_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, tracked):
        path = ROOT / name.decode()
        if path.is_file() and path.suffix in {".geojson", ".json", ".gz", ".geojsonl", ".shp"}:
            assert sha256(path) not in RTRW_SHA256, f"{path} is the unlicensed RTRW layer"
    ignored = (ROOT / ".gitignore").read_text()
    assert "/data/official/*" in ignored


def test_the_registry_names_the_shipped_file() -> None:
    assert catalog.shipped_path() == FOLDER / "kelurahan.geojson"
