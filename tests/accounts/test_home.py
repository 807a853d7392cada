"""/akun/: after logging in without ?next=, everyone lands on the page of their role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from geo_klik.accounts import actions, roles
from geo_klik.agencies.models import Agency


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (roles.OPERATOR, "/control/"),
        (roles.SUPERVISOR, "/control/"),
        (roles.ADMIN, "/control/"),
        (roles.PLANNER, "/planner/"),
    ],
)
def test_it_sends_staff_to_their_page(client: Client, db: None, role: str, page: str) -> None:
    user = actions.create_staff_user("someone", role=role, password="a long password 1")
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get("/akun/")
    assert response.status_code == 302
    assert response["Location"] == page


def test_it_sends_skpd_staff_to_the_console(client: Client, db: None) -> None:
    agency = Agency.objects.create(
        code="dinas-x", name_id="Dinas X", name_en="Agency X", kind=Agency.Kind.DINAS
    )
    user = actions.create_staff_user(
        "petugas", role=roles.SKPD_STAFF, password="a long password 1", agency=agency
    )
    client.force_login(user)  # type: ignore[arg-type]
    assert client.get("/akun/")["Location"] == "/control/"


def test_it_sends_a_resident_to_the_residents_pages(client: Client, db: None) -> None:
    client.force_login(User.objects.create_user("warga", password="a long password 1"))
    location = client.get("/akun/")["Location"]
    assert location in ("/komunitas/", "/lapor/")


def test_it_sends_a_visitor_to_the_login(client: Client, db: None) -> None:
    assert client.get("/akun/")["Location"] == "/akun/masuk/"


def test_logging_in_without_next_lands_on_the_role_page(client: Client, db: None) -> None:
    actions.create_staff_user("perencana", role=roles.PLANNER, password="a long password 1")
    response = client.post(
        "/akun/masuk/", {"username": "perencana", "password": "a long password 1"}
    )
    assert response["Location"] == "/akun/"


def test_the_login_page_offers_residents_the_sign_up(client: Client, db: None) -> None:
    html = client.get("/akun/masuk/", {"next": "/komunitas/"}).content.decode()
    assert 'href="/komunitas/daftar/?next=/komunitas/"' in html
