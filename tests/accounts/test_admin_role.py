"""The admin role can use the Django admin of every app, including the service areas'."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from geo_klik.accounts import actions, roles


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    user = actions.create_staff_user("kota-admin", role=roles.ADMIN, password="a long password 1")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_it_opens_every_registered_model_list(admin_client: Client) -> None:
    refused = []
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        if admin_client.get(url).status_code != 200:
            refused.append(url)
    assert refused == []


def test_it_may_add_a_public_service_office_and_a_place(admin_client: Client) -> None:
    assert admin_client.get("/admin/public_services/office/add/").status_code == 200
    assert admin_client.get("/admin/information/place/add/").status_code == 200


def test_other_staff_roles_get_no_admin(client: Client, db: None) -> None:
    user = actions.create_staff_user("perencana", role=roles.PLANNER, password="a long password 1")
    client.force_login(user)  # type: ignore[arg-type]
    assert client.get("/admin/business/business/").status_code == 302  # not staff: to the login
