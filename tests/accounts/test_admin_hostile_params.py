"""Every admin add page survives hostile initial values in its query string.

The admin pre-fills a new object's fields from the query string (``?kelurahan=3``). A value that
is not a valid key (text, a number too large for the column, another model's key) must leave the
field empty, never raise: autocomplete widgets look the value up in the database and used to
answer 500 for ``/admin/public_services/office/add/?kelurahan=garbage``.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client

from geo_klik.boundaries.models import Kelurahan

HOSTILE = ["garbage", "99999999999999999999", "-1", "1,2,x", "' OR 1=1 --", "1e9999"]


def _add_pages() -> list[tuple[str, list[str]]]:
    pages = []
    for model in admin.site._registry:
        meta = model._meta
        fields = [
            field.name
            for field in meta.get_fields()
            if isinstance(field, models.ForeignKey | models.ManyToManyField)
            and not field.auto_created
        ]
        if fields:
            pages.append((f"/admin/{meta.app_label}/{meta.model_name}/add/", fields))
    return pages


ADD_PAGES = _add_pages()


def test_the_battery_covers_the_autocomplete_pages() -> None:
    urls = {url for url, _ in ADD_PAGES}
    assert "/admin/public_services/office/add/" in urls
    assert "/admin/agencies/membership/add/" in urls
    assert "/admin/dispatch/jurisdiction/add/" in urls


@pytest.mark.parametrize(("url", "fields"), ADD_PAGES, ids=[url for url, _ in ADD_PAGES])
def test_hostile_initial_values_never_cause_a_server_error(
    admin_client: Client, bukittinggi: object, url: str, fields: list[str]
) -> None:
    for value in HOSTILE:
        response = admin_client.get(url, dict.fromkeys(fields, value))
        # 403 for admins that allow no adding (read-only logs); never a 5xx.
        assert response.status_code in {200, 403}, (url, value, response.status_code)


def test_a_valid_initial_value_is_still_used(admin_client: Client, bukittinggi: object) -> None:
    kelurahan = Kelurahan.objects.order_by("pk").first()
    assert kelurahan is not None
    response = admin_client.get(
        "/admin/public_services/office/add/", {"kelurahan": str(kelurahan.pk)}
    )

    assert response.status_code == 200
    assert f'<option value="{kelurahan.pk}" selected>' in response.content.decode()
