"""One Open311 round trip on the real Bukittinggi boundaries and seeded reference data."""

from __future__ import annotations

from django.test import Client

from geo_klik.dispatch.actions import routes, seeding
from geo_klik.dispatch.models import Assignment
from geo_klik.open311 import actions
from geo_klik.reports.models import Report
from tests.open311.conftest import BASE, json_body, xml_records

JAM_GADANG = ("-0.3051", "100.3693")


def test_it_files_and_reads_back_a_report_at_jam_gadang(
    client: Client, bukittinggi: object
) -> None:
    seeding.seed_reference_data()
    _, api_key = actions.create_api_key(name="Aplikasi uji")
    posted = client.post(
        f"{BASE}/requests.xml",
        {
            "api_key": api_key,
            "service_code": "garbage",
            "lat": JAM_GADANG[0],
            "long": JAM_GADANG[1],
            "description": "Sampah menumpuk di dekat Jam Gadang",
        },
    )
    [created] = xml_records(posted, root="service_requests", item="request")
    report = Report.objects.get(tracking_code=created["service_request_id"])
    routes.route_report(report.pk)
    primary = Assignment.objects.get(report=report, role=Assignment.Role.PRIMARY, active=True)

    [request] = json_body(client.get(f"{BASE}/requests/{report.tracking_code}.json"))

    assert request["agency_responsible"] == primary.agency.name_id
    assert request["address"].startswith("Kelurahan Benteng Pasar Atas")
    assert (request["lat"], request["long"]) == (-0.3051, 100.3693)
    assert request["service_name"] == "Sampah"
