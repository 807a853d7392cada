"""The kelurahan importer: dry-run, commit, idempotence, validity, overlaps, gaps, formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon

from geo_klik.boundaries import importer, sources
from geo_klik.boundaries.models import BoundaryImport, Kecamatan, Kelurahan, Kota
from geo_klik.lib import geo
from tests.boundaries import layers

PRIMARY = importer.layer_path("primary")
ALT = importer.layer_path("alt")


def counts(changes: importer.LevelChanges) -> tuple[int, int, int]:
    return len(changes.created), len(changes.updated), len(changes.unchanged)


@pytest.mark.django_db
def test_it_writes_nothing_on_a_dry_run() -> None:
    report = importer.import_layer(PRIMARY, commit=False)

    assert counts(report.kelurahan) == (24, 0, 0)
    assert counts(report.kecamatan) == (3, 0, 0)
    assert counts(report.kota) == (1, 0, 0)
    assert not report.committed
    assert "DRY RUN" in report.as_text()
    assert Kelurahan.objects.count() == Kecamatan.objects.count() == Kota.objects.count() == 0
    assert not BoundaryImport.objects.exists()


@pytest.mark.django_db
def test_it_commits_24_kelurahan_3_kecamatan_and_the_kota() -> None:
    report = importer.import_layer(PRIMARY, commit=True)

    assert report.committed and report.ok
    assert (Kelurahan.objects.count(), Kecamatan.objects.count(), Kota.objects.count()) == (
        24,
        3,
        1,
    )
    kota = Kota.objects.get()
    assert (kota.name, kota.code_kemendagri, kota.code_bps) == ("Kota Bukittinggi", "13.75", "1375")
    assert kota.province == "Sumatera Barat"
    assert kota.boundary_derived
    guguak = Kecamatan.objects.get(code_kemendagri="13.75.01")
    assert guguak.name == "Guguak Panjang"
    assert guguak.name_variants == ["Guguak Panjang", "Guguk Panjang"]
    assert (guguak.code_bps, guguak.boundary_derived) == ("1375010", True)
    assert guguak.kelurahan.count() == 7
    tarok = Kelurahan.objects.get(code_kemendagri="13.75.01.1001")
    assert (tarok.name, tarok.code_bps) == ("Tarok Dipo", "1375010002")
    assert tarok.area_m2 == pytest.approx(139.21 * 10_000, abs=50)  # the source's LUAS_HA
    assert isinstance(tarok.boundary, MultiPolygon)
    assert tarok.label_point is not None and tarok.boundary.covers(tarok.label_point)
    assert geo.lat_lon(tarok.label_point) == (-0.311955, 100.382641)
    bukik = Kelurahan.objects.get(code_kemendagri="13.75.01.1007")
    assert bukik.name_variants == ["Bukik Apik Puhun", "Bukit Apit Puhun"]
    total_m2 = sum(Kelurahan.objects.values_list("area_m2", flat=True))
    assert total_m2 == pytest.approx(24.840e6, rel=1e-4)
    assert report.topology is not None
    assert report.topology.city_area_m2 == pytest.approx(24.840e6, rel=1e-4)
    assert BoundaryImport.objects.get().kelurahan_count == 24


@pytest.mark.django_db
def test_it_changes_nothing_when_the_same_file_is_imported_again() -> None:
    importer.import_layer(PRIMARY, commit=True)
    stamps = dict(Kelurahan.objects.values_list("code_kemendagri", "updated_at"))

    again = importer.import_layer(PRIMARY, commit=True)

    assert counts(again.kelurahan) == (0, 0, 24)
    assert counts(again.kecamatan) == (0, 0, 3)
    assert counts(again.kota) == (0, 0, 1)
    assert "Everything unchanged" in again.as_text()
    assert dict(Kelurahan.objects.values_list("code_kemendagri", "updated_at")) == stamps


@pytest.mark.django_db
def test_it_skips_an_already_imported_source_only_if_asked_and_still_complete() -> None:
    importer.import_layer(PRIMARY, commit=True)

    skipped = importer.import_layer(PRIMARY, commit=True, if_changed=True)
    assert skipped.skipped_unchanged and skipped.ok
    assert "Unchanged" in skipped.as_text()

    Kelurahan.objects.filter(code_kemendagri="13.75.03.1008").delete()
    reloaded = importer.import_layer(PRIMARY, commit=True, if_changed=True)
    assert not reloaded.skipped_unchanged
    assert counts(reloaded.kelurahan) == (1, 0, 23)


@pytest.mark.django_db
def test_it_reimports_with_if_changed_when_another_source_was_loaded_since() -> None:
    importer.import_layer(PRIMARY, commit=True)
    importer.import_layer(ALT, commit=True)

    report = importer.import_layer(PRIMARY, commit=True, if_changed=True)

    assert not report.skipped_unchanged
    assert counts(report.kelurahan) == (0, 24, 0)


@pytest.mark.django_db
def test_it_refuses_an_invalid_geometry_and_names_it(tmp_path: Path) -> None:
    square = layers.metre_box(0, 0, 100, 100)
    path = layers.write_layer(
        tmp_path / "kel.geojson",
        [layers.bowtie(), layers.feature(layers.properties("99.01.01.1002", "Lurus"), square)],
    )

    dry = importer.import_layer(path, commit=False)
    committed = importer.import_layer(path, commit=True)

    for report in (dry, committed):
        assert not report.ok
        assert [(p.title, p.repaired) for p in report.problems] == [
            ("99.01.01.1001 Kupu Kupu", False)
        ]
        assert "Self-intersection" in report.problems[0].reason
    assert not committed.committed
    assert "COMMIT REFUSED" in committed.as_text()
    assert "--repair" in committed.as_text()
    assert not Kelurahan.objects.exists()


@pytest.mark.django_db
def test_it_repairs_an_invalid_geometry_with_make_valid_when_asked(tmp_path: Path) -> None:
    path = layers.write_layer(tmp_path / "kel.geojson", [layers.bowtie()])

    report = importer.import_layer(path, commit=True, repair=True)

    assert report.committed and report.ok
    assert [(p.title, p.repaired) for p in report.problems] == [("99.01.01.1001 Kupu Kupu", True)]
    assert "repaired with MakeValid" in report.as_text()
    kelurahan = Kelurahan.objects.get()
    assert kelurahan.boundary.valid
    assert len(kelurahan.boundary) == 2  # the two wings of the bow tie
    assert kelurahan.kecamatan.code_kemendagri == "99.01.01"
    assert kelurahan.kecamatan.kota.code_kemendagri == "99.01"


@pytest.mark.django_db
def test_it_measures_overlaps_and_gaps_in_square_metres(tmp_path: Path) -> None:
    # A: a 200 x 100 m strip; B: the same strip 110 m higher; C and D fill the 10 m band between
    # them except a 10 x 10 m hole; D also reaches 5 m down into A (95 x 5 = 475 m² overlap).
    boxes = {
        "99.01.01.1001": layers.metre_box(0, 0, 200, 100),
        "99.01.01.1002": layers.metre_box(0, 110, 200, 210),
        "99.01.01.1003": layers.metre_box(0, 100, 95, 110),
        "99.01.01.1004": layers.metre_box(105, 95, 200, 110),
    }
    path = layers.write_layer(
        tmp_path / "kel.geojson",
        [
            layers.feature(layers.properties(code, f"K{code[-1]}"), box)
            for code, box in boxes.items()
        ],
    )

    report = importer.import_layer(path, commit=False)

    measured = report.topology
    assert measured is not None and measured.utm_srid == 32747
    assert [(o.code_a, o.code_b) for o in measured.overlaps] == [("99.01.01.1001", "99.01.01.1004")]
    assert measured.overlaps[0].area_m2 == pytest.approx(475.0, abs=0.01)
    assert len(measured.gaps) == 1
    assert measured.gaps[0].area_m2 == pytest.approx(100.0, abs=0.01)
    assert measured.city_area_m2 == pytest.approx(200 * 210 - 100, abs=0.1)
    assert measured.areas_m2["99.01.01.1004"] == pytest.approx(95 * 15, abs=0.01)
    text = report.as_text()
    assert "Overlaps between kelurahan: 1 pairs, 475.0 m²" in text
    assert "99.01.01.1001 K1 / 99.01.01.1004 K4: 475.0 m²" in text
    assert "Gaps inside the city: 1, 100.0 m²" in text


@pytest.mark.django_db
def test_it_reports_no_overlap_or_gap_on_the_primary_layer_beyond_rounding() -> None:
    report = importer.import_layer(PRIMARY, commit=False)

    assert report.topology is not None
    assert report.topology.overlaps == [] and report.topology.gaps == []
    assert sum(report.topology.overlap_slivers) < 0.01  # PROVENANCE.md: 0.004 m² from rounding
    assert "Overlaps between kelurahan: none" in report.as_text()


@pytest.mark.django_db
def test_it_loads_the_alternative_layer_over_the_primary_and_reports_its_overlaps_and_gaps() -> (
    None
):
    importer.import_layer(PRIMARY, commit=True)

    report = importer.import_layer(ALT, commit=True)

    assert report.committed
    assert counts(report.kelurahan) == (0, 24, 0)
    assert counts(report.kecamatan) == (0, 3, 0)
    measured = report.topology
    assert measured is not None
    assert len(measured.overlaps) == 39
    assert measured.overlap_area_m2 == pytest.approx(14_524, abs=5)  # ≈ 1.45 ha
    assert len(measured.gaps) == 56  # PROVENANCE.md counts 57: one is a 1e-8 m² sliver
    assert len(measured.gap_slivers) == 1
    assert measured.gap_area_m2 == pytest.approx(10_909, abs=5)  # ≈ 1.09 ha
    text = report.as_text()
    assert "39 pairs, 14,523.7 m² (1.45 ha)" in text
    assert "Gaps inside the city: 56, 10,909.5 m² (1.09 ha)" in text
    alt = json.loads(ALT.read_text())["features"][0]
    tarok = Kelurahan.objects.get(code_kemendagri=alt["properties"]["kode_kemendagri"])
    assert tarok.area_m2 == pytest.approx(128.11 * 10_000, abs=50)
    # The alt layer has no BPS spellings; those the primary brought are kept.
    assert "Guguk Panjang" in Kecamatan.objects.get(code_kemendagri="13.75.01").name_variants


@pytest.mark.django_db
def test_it_keeps_and_reports_kelurahan_missing_from_a_new_source(tmp_path: Path) -> None:
    importer.import_layer(PRIMARY, commit=True)
    collection = json.loads(PRIMARY.read_text())
    collection["features"] = [
        f for f in collection["features"] if f["properties"]["kelurahan"] != "Garegeh"
    ]
    smaller = tmp_path / "23.geojson"
    smaller.write_text(json.dumps(collection))

    report = importer.import_layer(smaller, commit=True)

    assert report.not_in_source == ["13.75.02.1008 Garegeh"]
    assert "not in this source (kept, check them): 1" in report.as_text()
    assert Kelurahan.objects.count() == 24


@pytest.mark.django_db
def test_it_reads_a_shapefile_in_utm_with_truncated_field_names(tmp_path: Path) -> None:
    shapefile = layers.to_shapefile(PRIMARY, tmp_path / "kelurahan.shp")

    report = importer.import_layer(shapefile, commit=True)

    assert report.ok and report.srs == "EPSG:32747"
    assert counts(report.kelurahan) == (24, 0, 0)
    benteng = Kelurahan.objects.get(name="Benteng Pasar Atas")
    assert benteng.code_kemendagri == "13.75.01.1005"
    assert benteng.area_m2 == pytest.approx(26.73 * 10_000, abs=50)
    assert benteng.boundary.covers(geo.point(-0.3051, 100.3693))
    bukik = Kelurahan.objects.get(code_kemendagri="13.75.01.1007")
    assert bukik.name_variants == ["Bukik Apik Puhun", "Bukit Apit Puhun"]
    assert Kecamatan.objects.get(code_kemendagri="13.75.01").name_variants == [
        "Guguak Panjang",
        "Guguk Panjang",
    ]


@pytest.mark.django_db
def test_it_maps_big_style_field_names_and_undotted_codes(tmp_path: Path) -> None:
    props = {"NAMOBJ": "Contoh", "WADMKC": "Barat", "WADMKK": "Kota Contoh", "KDEPUM": "9901011001"}
    path = layers.write_layer(
        tmp_path / "rbi.geojson", [layers.feature(props, layers.metre_box(0, 0, 100, 100))]
    )

    report = importer.import_layer(path, commit=True)

    assert report.committed
    kelurahan = Kelurahan.objects.select_related("kecamatan__kota").get()
    assert (kelurahan.name, kelurahan.code_kemendagri) == ("Contoh", "99.01.01.1001")
    assert kelurahan.area_m2 == pytest.approx(10_000, abs=0.01)
    assert kelurahan.kecamatan.name == "Barat"
    assert kelurahan.kecamatan.kota.name == "Kota Contoh"


def test_it_names_the_required_field_that_is_missing(tmp_path: Path) -> None:
    props = {"kelurahan": "Contoh", "kecamatan": "Barat", "kota": "Kota Contoh"}
    path = layers.write_layer(
        tmp_path / "nocode.geojson", [layers.feature(props, layers.metre_box(0, 0, 10, 10))]
    )

    with pytest.raises(sources.SourceError) as raised:
        sources.read_layer(path)

    assert "code_kemendagri: kode_kemendagri" in raised.value.message_en
    assert raised.value.message_id.startswith("Kolom wajib tidak ada")


@pytest.mark.django_db
def test_it_refuses_duplicate_codes_and_bad_attributes(tmp_path: Path) -> None:
    box = layers.metre_box(0, 0, 10, 10)
    path = layers.write_layer(
        tmp_path / "dup.geojson",
        [
            layers.feature(layers.properties("99.01.01.1001", "Satu"), box),
            layers.feature(layers.properties("99.01.01.1001", "Dua"), box),
            layers.feature(layers.properties("99.01", "Pendek"), box),
            layers.feature(layers.properties("99.01.01.1003", "Kosong"), None),
        ],
    )

    report = importer.import_layer(path, commit=True)

    assert not report.committed
    reasons = [(p.title, p.reason) for p in report.problems]
    assert ("99.01.01.1001 Dua", "duplicate Kemendagri code 99.01.01.1001 (also feature #1)") in (
        reasons
    )
    assert any(title == "99.01 Pendek" and "not of the form" in r for title, r in reasons)
    assert any(title == "99.01.01.1003 Kosong" for title, _ in reasons)
    assert not Kelurahan.objects.exists()


def test_it_reports_a_missing_file_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(sources.SourceError) as raised:
        importer.import_layer(tmp_path / "nope.geojson", commit=False)

    assert "tidak ditemukan" in raised.value.message_id
    assert "not found" in raised.value.message_en


def test_it_reports_a_file_gdal_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "garbage.geojson"
    path.write_text("this is not geojson")

    with pytest.raises(sources.SourceError) as raised:
        sources.read_layer(path)

    assert "cannot be read as a GIS layer" in raised.value.message_en


@pytest.mark.django_db
def test_it_refuses_utm_coordinates_when_the_shapefile_has_no_prj(tmp_path: Path) -> None:
    shapefile = layers.to_shapefile(PRIMARY, tmp_path / "kelurahan.shp")
    shapefile.with_suffix(".prj").unlink()

    report = importer.import_layer(shapefile, commit=True)

    assert not report.committed
    assert "no coordinate system" in report.warnings[0]
    assert len(report.invalid) == 24
    assert "is the Shapefile's .prj missing?" in report.invalid[0].reason


@pytest.mark.django_db
def test_it_shows_a_progress_bar_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    importer.import_layer(PRIMARY, commit=True, progress=True)
    shown = capsys.readouterr().err
    importer.import_layer(PRIMARY, commit=True, progress=False)
    hidden = capsys.readouterr().err

    assert "Kelurahan: 100%" in shown and "24/24" in shown
    assert "Saving: 100%" in shown
    assert hidden == ""
