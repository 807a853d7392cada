"""GeoReport v2 documents (discovery, services, service requests) built from geo_klik's models.

Pure functions from rows to plain dicts in the specification's field order; ``formats`` turns
them into XML or JSON. A public request document never carries the reporter's name, phone or
e-mail, nor the client's ``device_id`` or ``account_id``; a sensitive category (crime) is shown
about 100 m from where it happened, with the kelurahan as its address, without its description
and without media.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone

from geo_klik.lib import durations
from geo_klik.open311.queries import PublicRequest
from geo_klik.reports import actions as report_actions
from geo_klik.reports import queries as report_queries
from geo_klik.reports.models import Category, Report

Language = Literal["id", "en"]

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API (its endpoints, formats, behaviour) last changed; part of discovery.
API_CHANGESET = datetime(2026, 11, 28, tzinfo=timezone.get_fixed_timezone(7 * 60))
KEY_SERVICE = (
    "Kunci API (api_key) diberikan oleh Diskominfo Kota Bukittinggi; hubungi Command Center. "
    "API keys (api_key) are issued by Diskominfo Kota Bukittinggi; ask the Command Center."
)
# About 110 m at the equator: the public precision of a sensitive report.
SENSITIVE_DECIMALS = 3
# About 0.1 m: finer digits would only be GPS noise.
PUBLIC_DECIMALS = 6


def w3c_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 / W3C with the WIB offset, e.g. 2026-11-28T09:30:00+07:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def pick(lang: Language, text_id: str, text_en: str) -> str:
    return text_en if lang == "en" and text_en else text_id


def discovery(*, endpoint_url: str) -> dict[str, Any]:
    changeset = w3c_datetime(API_CHANGESET)
    return {
        "changeset": changeset,
        "contact": settings.OPEN311_CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service(category: Category, lang: Language) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": pick(lang, category.name_id, category.name_en),
        "description": pick(lang, category.description_id, category.description_en),
        "metadata": False,  # no extra attributes: the service definition's list is empty
        "type": "realtime",  # a POST returns the service_request_id at once
        "keywords": ", ".join([category.code, category.name_id, category.name_en]),
        # GeoReport's group is free text; KLIK groups categories by priority.
        "group": category.get_priority_display(),
    }


def service_definition(category: Category) -> dict[str, Any]:
    return {"service_code": category.code, "attributes": []}


def service_notice(category: Category, lang: Language) -> str:
    ack_id, ack_en = durations.humanize(category.ack_target)
    resolve_id, resolve_en = durations.humanize(category.resolve_target)
    if lang == "en":
        notice = (
            "The report goes to the responsible agency (SKPD). "
            f"Target: acknowledged within {ack_en}, resolved within {resolve_en}."
        )
        emergency = "In an emergency call 112. "
    else:
        notice = (
            "Laporan diteruskan ke SKPD yang berwenang. "
            f"Target: ditanggapi dalam {ack_id}, selesai dalam {resolve_id}."
        )
        emergency = "Dalam keadaan darurat hubungi 112. "
    if category.priority == Category.Priority.CRITICAL:
        return emergency + notice
    return notice


def created_request(report: Report, *, account_id: str, lang: Language) -> dict[str, Any]:
    """The answer to a POST: the id to follow the request by (its KLIK tracking code)."""
    return {
        "service_request_id": report.tracking_code,
        "service_notice": service_notice(report.category, lang),
        "account_id": account_id or None,
    }


def status(report: Report) -> str:
    """GeoReport has two statuses; resolved, closed, rejected and duplicate reports are closed."""
    return "open" if report.is_open else "closed"


def public_address(report: Report) -> str:
    """The address, or only the kelurahan for a sensitive report (a street address is precise)."""
    if report.category.sensitive:
        return "" if report.kelurahan is None else report_actions.default_address(report.kelurahan)
    return report.address


def media_url(row: PublicRequest, absolute_url: Callable[[str], str]) -> str | None:
    if row.report.category.sensitive:
        return None
    if row.photo is not None:
        return absolute_url(row.photo.image.url)
    return row.client_media_url or None


def request(
    row: PublicRequest, *, lang: Language, absolute_url: Callable[[str], str]
) -> dict[str, Any]:
    """The public view of one report as a GeoReport v2 service request."""
    report, category = row.report, row.report.category
    lat, lon = report_queries.public_lat_lon(report)
    decimals = SENSITIVE_DECIMALS if category.sensitive else PUBLIC_DECIMALS
    return {
        "service_request_id": report.tracking_code,
        "status": status(report),
        "status_notes": report.get_status_display(),
        "service_name": pick(lang, category.name_id, category.name_en),
        "service_code": category.code,
        # A crime's own words can say exactly where it happened: not published.
        "description": "" if category.sensitive else report.description,
        "agency_responsible": (
            None if row.agency is None else pick(lang, row.agency.name_id, row.agency.name_en)
        ),
        "service_notice": service_notice(category, lang),
        "requested_datetime": w3c_datetime(report.created_at),
        "updated_datetime": w3c_datetime(report.updated_at),
        "expected_datetime": w3c_datetime(report.created_at + category.resolve_target),
        "address": public_address(report),
        "address_id": None,
        "zipcode": None,
        "lat": round(lat, decimals),
        "long": round(lon, decimals),
        "media_url": media_url(row, absolute_url),
    }
