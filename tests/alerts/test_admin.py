"""Staff see what alerts were sent and how each fared, never a subscriber's address."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from geo_klik.alerts import actions
from geo_klik.reports.models import Category
from tests.alerts.conftest import CENTRE, EMAIL, at_distance, make_report, route, subscribe
from tests.conftest import TinyCity
from tests.notify.conftest import Queued, RecordingSMTP


def test_the_admin_shows_outcomes_without_addresses(
    tiny_city: TinyCity, garbage: Category, smtp: RecordingSMTP, queued: Queued
) -> None:
    subscribe([garbage], centre=CENTRE, radius_m=1000)
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    actions.fan_out(report.pk, "new")
    actions.send_due()
    admin = User.objects.create_superuser("admin", "admin@example.id", "pw-pw-pw-pw")
    client = Client()
    client.force_login(admin)
    for path in ("/admin/alerts/alertdelivery/", "/admin/alerts/alerttrigger/"):
        page = client.get(path)
        assert page.status_code == 200
        assert EMAIL not in page.content.decode()
    delivery = client.get("/admin/alerts/alertdelivery/")
    assert "sent" in delivery.content.decode().lower()
    assert report.tracking_code in client.get("/admin/alerts/alerttrigger/").content.decode()
