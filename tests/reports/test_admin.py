"""Categories are edited in the admin; reports are only read there."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from geo_klik.dispatch.actions import seeding
from geo_klik.reports import actions
from geo_klik.reports.models import Category, Report


def test_it_edits_a_category_but_not_its_code(admin_client: Client, bukittinggi: object) -> None:
    seeding.seed_reference_data()
    category = Category.objects.get(code="garbage")
    url = f"/admin/reports/category/{category.pk}/change/"

    response = admin_client.post(
        url,
        {
            "code": "sampah",
            "name_id": "Sampah menumpuk",
            "name_en": "Garbage",
            "description_id": "",
            "description_en": "",
            "icon": "🗑️",
            "priority": 3,
            "ack_target": "04:00:00",
            "resolve_target": "1 00:00:00",
            "active": "on",
            "sort_order": 50,
        },
    )

    assert response.status_code == 302
    category.refresh_from_db()
    assert category.code == "garbage"
    assert category.name_id == "Sampah menumpuk"
    assert category.ack_target == timedelta(hours=4)


def test_it_shows_reports_read_only(admin_client: Client, bukittinggi: object) -> None:
    seeding.seed_reference_data()
    report, _ = actions.create_report(
        category=Category.objects.get(code="road_damage"),
        lat=-0.3051,
        lon=100.3693,
        description="Lubang besar",
    )

    assert admin_client.get("/admin/reports/report/").status_code == 200
    page = admin_client.get(f"/admin/reports/report/{report.pk}/change/")
    assert page.status_code == 200
    assert report.tracking_code in page.content.decode()
    assert admin_client.get("/admin/reports/report/add/").status_code == 403
    assert admin_client.post(f"/admin/reports/report/{report.pk}/delete/").status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()
