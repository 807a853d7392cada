"""manage.py provision_local: what the local stack (stack/) runs before serving."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from geo_klik.boundaries.models import Kelurahan


@pytest.mark.django_db(transaction=True)
def test_it_migrates_collects_loads_and_ends_with_the_layer_in_use(tmp_path: Path) -> None:
    out = io.StringIO()
    with override_settings(GEO_KLIK_BOUNDARY_LAYER="shipped", STATIC_ROOT=str(tmp_path)):
        call_command("provision_local", stdout=out)

    last = out.getvalue().rstrip("\n").splitlines()[-1]
    # The shipped layer's licence, as data/kelurahan_boundaries/layers.json records it.
    assert last == "shipped layer data/kelurahan_boundaries/bukittinggi/kelurahan.geojson (MIT)"
    assert Kelurahan.objects.count() == 24
    assert (tmp_path / "admin").is_dir(), "collectstatic ran"


@pytest.mark.django_db(transaction=True)
def test_it_fails_loudly_when_the_layer_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "hilang.geojson"
    with (
        override_settings(GEO_KLIK_BOUNDARY_LAYER=str(missing), STATIC_ROOT=str(tmp_path)),
        pytest.raises(CommandError, match=r"hilang\.geojson"),
    ):
        call_command("provision_local", stdout=io.StringIO())


@pytest.mark.parametrize("argument", ["--demo=yes", "--demos", "--commit", "extra"])
def test_it_refuses_unknown_arguments(argument: str) -> None:
    with pytest.raises(CommandError):
        call_command("provision_local", argument, stdout=io.StringIO())
