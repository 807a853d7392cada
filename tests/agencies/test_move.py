"""Agency and Membership moved to the agencies app: same tables, same content types, old URLs."""

from __future__ import annotations

import importlib
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client

from geo_klik.accounts import actions, roles
from geo_klik.agencies.models import Agency, Membership

relabel_migration = importlib.import_module("geo_klik.agencies.migrations.0002_content_types")


def test_it_keeps_the_tables_they_had() -> None:
    assert Agency._meta.db_table == "dispatch_agency"
    assert Membership._meta.db_table == "accounts_membership"
    # Foreign keys from the apps above still point at the same table.
    for model in ("dispatch.Jurisdiction", "dispatch.Unit", "accounts.AuditLog"):
        field = apps.get_model(model)._meta.get_field("agency")
        assert field.related_model is Agency


def test_it_keeps_the_database_constraints(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'accounts_membership'::regclass"
            " AND contype = 'f' AND confrelid = 'dispatch_agency'::regclass"
        )
        assert cursor.fetchall(), "the membership's foreign key to the agency table is gone"
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'dispatch_agency'")
        assert "one_triage_agency" in {row[0] for row in cursor.fetchall()}


def test_it_finds_a_staff_members_agency(db: None) -> None:
    agency = Agency.objects.create(code="dinas-x", name_id="X", name_en="X", kind="dinas")
    user = actions.create_staff_user(
        "petugas", role=roles.SKPD_STAFF, password="a long password 1", agency=agency
    )
    assert roles.agency_id_of(user) == agency.pk
    assert Membership.objects.get(user_id=user.pk).agency == agency


def test_it_relabels_the_content_types_and_keeps_their_ids(db: None) -> None:
    moved = ContentType.objects.get_for_model(Agency)
    ContentType.objects.filter(pk=moved.pk).update(app_label="dispatch")  # as before the move
    relabel_migration.relabel(apps, forward=True)
    again = ContentType.objects.get(pk=moved.pk)
    assert (again.app_label, again.model) == ("agencies", "agency")
    assert Permission.objects.filter(content_type=again, codename="change_agency").exists()


def test_the_relabel_goes_back_and_forth(db: None) -> None:
    membership_type = ContentType.objects.get_for_model(Membership)
    relabel_migration.relabel(apps, forward=False)
    assert ContentType.objects.get(pk=membership_type.pk).app_label == "accounts"
    relabel_migration.relabel(apps, forward=True)
    assert ContentType.objects.get(pk=membership_type.pk).app_label == "agencies"


def test_it_leaves_both_rows_when_the_new_one_already_exists(db: None) -> None:
    new = ContentType.objects.get_for_model(Agency)
    old = ContentType.objects.create(app_label="dispatch", model="agency")
    relabel_migration.relabel(apps, forward=True)  # no unique-constraint error
    assert ContentType.objects.get(pk=old.pk).app_label == "dispatch"
    assert ContentType.objects.get(pk=new.pk).app_label == "agencies"


def test_a_user_granted_the_old_permission_keeps_it(db: None) -> None:
    user = User.objects.create_user("editor", password="a long password 1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_agency"))
    assert User.objects.get(pk=user.pk).has_perm("agencies.change_agency")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/dispatch/agency/", "/admin/agencies/agency/"),
        ("/admin/dispatch/agency/add/", "/admin/agencies/agency/add/"),
        ("/admin/dispatch/agency/12/change/", "/admin/agencies/agency/12/change/"),
        ("/admin/accounts/membership/", "/admin/agencies/membership/"),
        ("/admin/accounts/membership/3/delete/", "/admin/agencies/membership/3/delete/"),
    ],
)
def test_it_redirects_the_old_admin_addresses_for_good(client: Client, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_it_keeps_the_query_string(client: Client) -> None:
    response = client.get("/admin/dispatch/agency/", {"kind__exact": "dinas", "q": "a b"})
    assert response.status_code == 301
    assert response["Location"] == "/admin/agencies/agency/?kind__exact=dinas&q=a+b"


@pytest.mark.parametrize(
    "rest",
    [
        "%0D%0ASet-Cookie:%20x=1",
        "//evil.example/",
        "..%2F..%2Fsecret",
        "%00",
        "\u2603/",
        "a" * 3000,
    ],
)
def test_hostile_old_addresses_stay_on_the_admin(client: Client, rest: str) -> None:
    response = client.get(f"/admin/dispatch/agency/{rest}")
    assert response.status_code in {301, 400, 404}  # never a 5xx, never off the admin
    if response.status_code == 301:
        location = response["Location"]
        assert location.startswith("/admin/agencies/agency/")
        assert "\r" not in location and "\n" not in location
        assert urlsplit(location).netloc == ""  # a path on this site, never another host


def test_the_other_old_admin_pages_are_still_there(admin_client: Client) -> None:
    assert admin_client.get("/admin/dispatch/jurisdiction/").status_code == 200
    assert admin_client.get("/admin/accounts/auditlog/").status_code == 200
    assert admin_client.get("/admin/dispatch/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/admin/agencies/agency/", "/admin/agencies/membership/", "/admin/agencies/"]
)
def test_the_new_admin_pages_answer(admin_client: Client, url: str) -> None:
    assert admin_client.get(url).status_code == 200


def test_it_follows_an_old_bookmark_to_the_page(admin_client: Client, db: None) -> None:
    agency = Agency.objects.create(code="dinas-y", name_id="Y", name_en="Y", kind="dinas")
    response = admin_client.get(f"/admin/dispatch/agency/{agency.pk}/change/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/admin/agencies/agency/{agency.pk}/change/", 301)]
