"""Admin pages of kota, kecamatan and kelurahan: they list, and search finds every spelling."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client


@pytest.mark.parametrize(
    ("url", "term", "expected"),
    [
        ("/admin/boundaries/kecamatan/", "Guguk", "Guguak Panjang"),  # the BPS spelling
        ("/admin/boundaries/kelurahan/", "Bukit Apit", "Bukik Apik Puhun"),  # the RTRW spelling
        ("/admin/boundaries/kelurahan/", "13.75.02.1008", "Garegeh"),
        ("/admin/boundaries/kelurahan/", "1375030005", "Pakan Labuah"),
        ("/admin/boundaries/kota/", "1375", "Kota Bukittinggi"),
    ],
)
def test_it_finds_boundaries_by_any_name_or_code(
    admin_client: Client, bukittinggi: object, url: str, term: str, expected: str
) -> None:
    response = admin_client.get(url, {"q": term})

    assert response.status_code == 200
    assert expected in response.content.decode()
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("model", ["kota", "kecamatan", "kelurahan", "boundaryimport"])
def test_it_lists_and_opens_each_model(
    admin_client: Client, bukittinggi: object, model: str
) -> None:
    changelist = admin_client.get(f"/admin/boundaries/{model}/")
    assert changelist.status_code == 200

    row = apps.get_model("boundaries", model).objects.first()
    assert admin_client.get(f"/admin/boundaries/{model}/{row.pk}/change/").status_code == 200
