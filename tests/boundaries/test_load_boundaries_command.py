"""manage.py load_boundaries: one call into the importer, its report printed, its exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from geo_klik.boundaries import catalog
from geo_klik.boundaries.models import Kelurahan
from tests.boundaries import layers


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_boundaries", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_it_dry_runs_the_layer_the_rule_picks_by_default() -> None:
    output = run()

    assert f"Source / sumber: {catalog.choose().path}" in output
    assert "DRY RUN - nothing written" in output
    assert "Kelurahan: 24 to create, 0 to update, 0 unchanged" in output
    assert re.search(
        r"^Total area \(union of kelurahan\): 2\d\.\d{3} km² \(measured in EPSG:32747\)$",
        output,
        re.MULTILINE,
    )
    assert not Kelurahan.objects.exists()


@pytest.mark.official_layer
@pytest.mark.django_db
def test_it_dry_runs_the_official_layer_when_it_is_present() -> None:
    output = run()

    assert "bukittinggi_kelurahan.geojson" in output
    assert "Total area (union of kelurahan): 24.840 km² (measured in EPSG:32747)" in output


@pytest.mark.django_db
def test_it_commits_then_says_unchanged_and_skips_with_if_changed() -> None:
    first = run("--commit")
    second = run("--commit")
    third = run("--commit", "--if-changed")

    assert "Kelurahan: 24 created, 0 updated, 0 unchanged" in first
    assert "Kelurahan: 0 created, 0 updated, 24 unchanged" in second
    assert "Everything unchanged" in second
    assert "Unchanged: this source was already imported" in third
    assert Kelurahan.objects.count() == 24


@pytest.mark.parametrize("name", ["alt", "shipped"])
@pytest.mark.django_db
def test_it_loads_the_shipped_layer_by_name_and_resolves_its_overlaps_and_gaps(name: str) -> None:
    output = run("--layer", name, "--commit")

    assert "data/kelurahan_boundaries/bukittinggi/kelurahan.geojson" in output
    assert "Mode: COMMIT" in output
    assert "As published / sesuai sumber:" in output
    assert "  Overlaps between kelurahan: 39 pairs, 14,523.7 m² (1.45 ha)" in output
    assert "  Gaps inside the city: 56, 10,908.9 m² (1.09 ha)" in output
    resolved = "Resolved / diselesaikan: 63 overlap piece(s), 1.45 ha, and 56 gap(s), 1.09 ha."
    assert resolved in output
    after = output[output.index("After resolution (stored)") :]
    assert "Overlaps between kelurahan: none" in after and "Gaps inside the city: none" in after
    assert Kelurahan.objects.count() == 24


@pytest.mark.django_db
def test_it_fails_a_commit_with_invalid_geometry_and_repairs_it_when_asked(tmp_path: Path) -> None:
    path = layers.write_layer(tmp_path / "kel.geojson", [layers.bowtie()])

    assert "would be refused" in run(str(path))
    with pytest.raises(CommandError) as raised:
        run(str(path), "--commit")
    assert "Impor ditolak" in str(raised.value)
    assert "Import refused, nothing written: 1 feature(s) cannot be imported" in str(raised.value)
    assert not Kelurahan.objects.exists()

    output = run(str(path), "--commit", "--repair")
    assert "Self-intersection" in output and "repaired with MakeValid" in output
    assert Kelurahan.objects.count() == 1


def test_it_explains_a_missing_required_field_in_both_languages(tmp_path: Path) -> None:
    props = {"kelurahan": "Contoh", "kota": "Kota Contoh", "kode_kemendagri": "99.01.01.1001"}
    path = layers.write_layer(
        tmp_path / "kel.geojson", [layers.feature(props, layers.metre_box(0, 0, 10, 10))]
    )

    with pytest.raises(CommandError) as raised:
        run(str(path))

    message = str(raised.value)
    assert "Kolom wajib tidak ada (kecamatan:" in message
    assert "Required field missing (kecamatan:" in message


def test_it_refuses_a_path_and_a_layer_together(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not both"):
        run(str(tmp_path / "x.geojson"), "--layer", "alt")


def test_it_exits_non_zero_with_a_bilingual_message_for_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "hilang.geojson"

    result = subprocess.run(
        [sys.executable, "manage.py", "load_boundaries", str(missing), "--no-progress"],
        cwd=settings.BASE_DIR,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert f"Berkas batas wilayah tidak ditemukan: {missing}" in result.stderr
    assert f"Boundary file not found: {missing}" in result.stderr
    assert "Traceback" not in result.stderr
