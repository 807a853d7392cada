"""The admin of offices and services: lists, filters, the map widget, inline documents."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from geo_klik.public_services.models import Service
from tests.public_services.conftest import TinyOffices


def admin_client(django_user_model: Any, settings: Any) -> Client:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def test_it_edits_offices_on_an_offline_map(
    offices: TinyOffices, django_user_model: Any, settings: Any
) -> None:
    client = admin_client(django_user_model, settings)
    listing = client.get("/admin/public_services/office/?location_approximate__exact=1&kind=mpp")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Mal Pelayanan Publik" in html and "Kantor Lurah" not in html
    office = offices.lurah("Barat Utara")
    page = client.get(f"/admin/public_services/office/{office.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "vendor/ol/ol.js" in body and "cdn" not in body.lower()


def test_it_edits_a_service_with_its_documents_inline(
    offices: TinyOffices, django_user_model: Any, settings: Any
) -> None:
    client = admin_client(django_user_model, settings)
    service = Service.objects.get(slug="akta-kelahiran")
    page = client.get(f"/admin/public_services/service/{service.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "requirements-TOTAL_FORMS" in html and "steps-TOTAL_FORMS" in html
    assert "Surat keterangan kelahiran" in html


def test_it_refuses_malformed_opening_hours_on_the_field(offices: TinyOffices) -> None:
    office = offices.lurah("Barat Utara")
    office.opening_hours = [{"days": [0], "opens": "25:00", "closes": "16:00"}]
    with pytest.raises(ValidationError) as caught:
        office.full_clean()
    assert "opening_hours" in caught.value.message_dict
    office.opening_hours = [{"days": [4, 0], "opens": "08:00", "closes": "12:00"}]
    office.full_clean()
    assert office.opening_hours == [{"days": [0, 4], "opens": "08:00", "closes": "12:00"}]
