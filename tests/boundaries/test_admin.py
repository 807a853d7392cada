"""Admin pages of kota, kecamatan and kelurahan: they list, and search finds every spelling."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import TinyCity


@pytest.mark.parametrize(
    ("url", "term", "expected"),
    [
        # Spellings only the official RTRW layer carries (BPS columns); the shipped one has none.
        pytest.param(
            "/admin/boundaries/kecamatan/",
            "Guguk",  # the BPS spelling
            "Guguak Panjang",
            marks=pytest.mark.official_layer,
        ),
        pytest.param(
            "/admin/boundaries/kelurahan/",
            "Bukit Apit",  # the BPS spelling of the RTRW's Bukik Apik Puhun
            "Bukik Apik Puhun",
            marks=pytest.mark.official_layer,
        ),
        ("/admin/boundaries/kelurahan/", "Bukik Apik", "Bukik Apik Puhun"),
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


@pytest.mark.parametrize(
    ("url", "term", "expected"),
    [
        ("/admin/boundaries/kecamatan/", "Timor", "Timur"),
        ("/admin/boundaries/kelurahan/", "Barat Lor", "Barat Utara"),
    ],
)
def test_it_finds_boundaries_by_another_spelling(
    admin_client: Client, tiny_city: TinyCity, url: str, term: str, expected: str
) -> None:
    tiny_city.kecamatan["Timur"].name_variants = ["Timur", "Timor"]
    tiny_city.kecamatan["Timur"].save()
    tiny_city.kelurahan["Barat Utara"].name_variants = ["Barat Utara", "Barat Lor"]
    tiny_city.kelurahan["Barat Utara"].save()

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
