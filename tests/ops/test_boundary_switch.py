"""A change of kelurahan layer on a database that serves: dry run first, then jurisdictions follow,
reports get their kelurahan again and open reports are re-routed; all or nothing."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from geo_klik.boundaries import catalog
from geo_klik.boundaries.models import BoundaryImport, Kelurahan
from geo_klik.dispatch.actions import rerouting, routes, seeding
from geo_klik.dispatch.models import Assignment, Jurisdiction
from geo_klik.ops import boundary_switch
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category, Report

# Benteng Pasar Atas takes a 150 m band of its neighbour Kayu Kubu in the "new" layer.
GAINS, LOSES = "13.75.01.1005", "13.75.01.1006"


def moved_border_layer(tmp_path: Path) -> tuple[Path, tuple[float, float]]:
    """The shipped layer with a border moved, and a point in the land that changed kelurahan."""
    layer = json.loads(catalog.shipped_path().read_text())
    by_code = {f["properties"]["kode_kemendagri"]: f for f in layer["features"]}
    gains = shapely.geometry.shape(by_code[GAINS]["geometry"])
    loses = shapely.geometry.shape(by_code[LOSES]["geometry"])
    band = loses.intersection(gains.buffer(150 / 111_320))
    by_code[GAINS]["geometry"] = shapely.geometry.mapping(gains.union(band))
    by_code[LOSES]["geometry"] = shapely.geometry.mapping(loses.difference(band))
    path = tmp_path / "bukittinggi_kelurahan.geojson"
    path.write_text(json.dumps(layer))
    inside = band.buffer(-10 / 111_320).representative_point()
    return path, (inside.y, inside.x)


def office(code: str) -> str:
    return "kantor-lurah-" + code.replace(".", "-")


def primary_agency(report: Report) -> str:
    return Assignment.objects.get(report=report, active=True, role="primary").agency.code


@pytest.fixture
def serving(db: None, tmp_path: Path) -> dict[str, Any]:
    """The shipped layer loaded and seeded, with one routed and one acknowledged report in the
    land that the moved-border layer gives to the other kelurahan."""
    first = boundary_switch.switch(catalog.choose("shipped"), commit=True)
    assert first.first_load and first.report.committed
    seeding.seed_reference_data()
    path, (lat, lon) = moved_border_layer(tmp_path)
    other = Category.objects.get(code="other")
    made = []
    for key in ("11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"):
        report, _ = report_actions.create_report(
            category=other,
            lat=lat,
            lon=lon,
            description="Lampu taman mati",
            idempotency_key=uuid.UUID(key),
        )
        routes.route_report(report.pk)
        made.append(report)
    routed, acknowledged = (Report.objects.get(pk=r.pk) for r in made)
    Report.objects.filter(pk=acknowledged.pk).update(status=Report.Status.ACKNOWLEDGED)
    assert routed.kelurahan is not None and routed.kelurahan.code_kemendagri == LOSES
    assert primary_agency(routed) == office(LOSES)
    return {"path": path, "routed": routed, "acknowledged": acknowledged}


def test_a_dry_run_says_exactly_what_will_happen_and_writes_nothing(
    serving: dict[str, Any],
) -> None:
    versions_before = Jurisdiction.objects.get(code=office(GAINS)).versions.count()
    boundary_before = Kelurahan.objects.get(code_kemendagri=GAINS).boundary

    summary = boundary_switch.switch(catalog.choose(str(serving["path"])), commit=False)

    assert not summary.committed and not summary.report.committed
    assert summary.reports_moved_kelurahan == 2
    assert summary.jurisdiction_versions >= 2  # both kantor lurah (and their kecamatan's, if any)
    assert summary.reroute is not None and summary.reroute.moves == {
        (office(LOSES), office(GAINS)): 1
    }
    text = "\n".join(summary.as_lines())
    assert "dry run" in text and "would be re-routed" in text and "(would be): 2" in text
    routed = Report.objects.get(pk=serving["routed"].pk)
    assert routed.kelurahan is not None and routed.kelurahan.code_kemendagri == LOSES
    assert primary_agency(routed) == office(LOSES)
    assert Jurisdiction.objects.get(code=office(GAINS)).versions.count() == versions_before
    assert Kelurahan.objects.get(code_kemendagri=GAINS).boundary.equals_exact(boundary_before, 0)


def test_a_commit_moves_kelurahan_jurisdictions_and_open_reports_only(
    serving: dict[str, Any],
) -> None:
    dry = boundary_switch.switch(catalog.choose(str(serving["path"])), commit=False)
    done = boundary_switch.switch(catalog.choose(str(serving["path"])), commit=True)

    assert done.committed and done.reports_moved_kelurahan == dry.reports_moved_kelurahan == 2
    assert done.reroute is not None and done.reroute.moves == dry.reroute.moves  # type: ignore[union-attr]
    routed = Report.objects.get(pk=serving["routed"].pk)
    acknowledged = Report.objects.get(pk=serving["acknowledged"].pk)
    for report in (routed, acknowledged):
        assert report.kelurahan is not None and report.kelurahan.code_kemendagri == GAINS
        assert report.address.startswith("Kelurahan Benteng Pasar Atas, Kecamatan ")
    assert primary_agency(routed) == office(GAINS)
    assert primary_agency(acknowledged) == office(LOSES)  # an agency is on it: never moved
    jurisdiction = Jurisdiction.objects.get(code=office(GAINS))
    current = jurisdiction.versions.get(is_current=True)
    assert current.coverage.covers(routed.location)
    assert BoundaryImport.objects.first().quality["kelurahan"] == 24  # type: ignore[union-attr]


def test_it_is_all_or_nothing_when_a_step_fails(
    serving: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_gone(**kwargs: object) -> rerouting.RerouteSummary:
        raise RuntimeError("server closed the connection unexpectedly")

    monkeypatch.setattr(rerouting, "reroute_open_reports", database_gone)
    boundary_before = Kelurahan.objects.get(code_kemendagri=GAINS).boundary
    imports_before = BoundaryImport.objects.count()

    with pytest.raises(RuntimeError):
        boundary_switch.switch(catalog.choose(str(serving["path"])), commit=True)

    assert Kelurahan.objects.get(code_kemendagri=GAINS).boundary.equals_exact(boundary_before, 0)
    routed = Report.objects.get(pk=serving["routed"].pk)
    assert routed.kelurahan is not None and routed.kelurahan.code_kemendagri == LOSES
    assert BoundaryImport.objects.count() == imports_before


def test_start_up_says_the_layer_prints_the_dry_run_first_then_switches_once(
    serving: dict[str, Any],
) -> None:
    out = io.StringIO()
    with override_settings(GEO_KLIK_BOUNDARY_LAYER=str(serving["path"])):
        call_command("provision_data", stdout=out)
    text = out.getvalue()
    assert "boundaries: berkas yang dikonfigurasi / the configured file" in text
    assert "licence: tidak tercatat / not recorded" in text  # a file layers.json does not know
    assert text.index("dry-run summary first") < text.index("Uji coba") < text.index("Dilakukan")
    assert "1 would be re-routed" in text and "1 re-routed" in text
    again = io.StringIO()
    with override_settings(GEO_KLIK_BOUNDARY_LAYER=str(serving["path"])):
        call_command("provision_data", stdout=again)
    assert "dry-run" not in again.getvalue()
    assert "measured: 24 kelurahan" in again.getvalue()


def test_switch_boundaries_is_a_dry_run_unless_told_and_refuses_garbage(
    serving: dict[str, Any], tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command("switch_boundaries", str(serving["path"]), stdout=out)
    assert "Dry run: nothing written" in out.getvalue()
    assert Report.objects.get(pk=serving["routed"].pk).kelurahan.code_kemendagri == LOSES  # type: ignore[union-attr]
    garbage = tmp_path / "rusak.geojson"
    garbage.write_bytes(b'{"type": "FeatureCollection", "features": [\x00\xff')
    with pytest.raises(CommandError) as caught:
        call_command("switch_boundaries", str(garbage), stdout=io.StringIO())
    assert "/" in str(caught.value)  # Indonesian / English
    with pytest.raises(CommandError):
        call_command("switch_boundaries", str(tmp_path / "hilang.shp"), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "switch_boundaries", str(serving["path"]), "--layer", "shipped", stdout=io.StringIO()
        )
