"""The admin: every model editable, the offline map widget, moderation actions."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from geo_klik.business import actions
from geo_klik.business.models import Claim
from tests.business.conftest import OUTSIDE, PASSWORD, MakeBusiness, People


def admin_client(client: Client) -> tuple[Client, User]:
    admin = User.objects.create_superuser("admin", password=PASSWORD)
    client.force_login(admin)
    return client, admin


def test_it_lists_and_edits_every_model_with_the_offline_map(
    client: Client, people: People, make_business: MakeBusiness
) -> None:
    business = make_business()
    admin, _ = admin_client(client)
    for name in ("business", "claim", "revision", "promotion"):
        assert admin.get(f"/admin/business/{name}/").status_code == 200
        assert admin.get(f"/admin/business/{name}/add/").status_code == 200
    page = admin.get(f"/admin/business/business/{business.pk}/change/").content.decode()
    assert "vendor/ol/ol.js" in page and "cdn" not in page.lower()


def test_it_refuses_a_point_outside_the_city_in_the_admin(
    client: Client, people: People, make_business: MakeBusiness
) -> None:
    business = make_business()
    admin, _ = admin_client(client)
    answer = admin.post(
        f"/admin/business/business/{business.pk}/change/",
        {
            "slug": business.slug,
            "name": business.name,
            "category": business.category,
            "location": f'{{"type": "Point", "coordinates": [{OUTSIDE[1]}, {OUTSIDE[0]}]}}',
            "opening_hours": "[]",
            "status": "published",
            "claims-TOTAL_FORMS": "0",
            "claims-INITIAL_FORMS": "0",
        },
    )
    assert answer.status_code == 200
    assert "outside Kota Contoh" in answer.content.decode()


def test_it_approves_a_claim_with_an_admin_action(
    client: Client, people: People, make_business: MakeBusiness
) -> None:
    business = make_business()
    claim = actions.claim_business(
        people.resident, business, message="NIB 1", contact_phone="0812 1111 2222"
    )
    admin, _ = admin_client(client)
    admin.post(
        "/admin/business/claim/",
        {"action": "approve", "_selected_action": [claim.pk]},
    )
    claim.refresh_from_db()
    business.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED and business.owner == people.resident
