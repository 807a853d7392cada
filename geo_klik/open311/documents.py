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

from geo_klik.boundaries import cities
from geo_klik.dispatch.models import RoutingDecision
from geo_klik.lib import durations
from geo_klik.open311.models import ServiceAttribute
from geo_klik.open311.queries import PublicRequest
from geo_klik.reports import actions as report_actions
from geo_klik.reports import queries as report_queries
from geo_klik.reports.models import Category, Report, ReportEvent

Language = Literal["id", "en"]

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API (its endpoints, formats, behaviour) last changed; part of discovery.
API_CHANGESET = datetime(2026, 12, 3, tzinfo=timezone.get_fixed_timezone(7 * 60))
KEY_SERVICE = (
    "Kunci API (api_key) diberikan oleh Diskominfo {city}; hubungi Command Center. "
    "API keys (api_key) are issued by Diskominfo {city}; ask the Command Center."
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
        "contact": settings.OPEN311_CONTACT
        or (
            f"Command Center, Dinas Komunikasi dan Informatika {cities.served().name}"
            f" / {cities.served().name} Command Center (Diskominfo)"
        ),
        "key_service": KEY_SERVICE.format(city=cities.served().name),
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
        # True when the service asks attributes (its definition lists them).
        "metadata": bool(getattr(category, "has_attributes", False)),
        "type": "realtime",  # a POST returns the service_request_id at once
        "keywords": ", ".join([category.code, category.name_id, category.name_en]),
        # GeoReport's group is free text; KLIK groups categories by priority.
        "group": category.get_priority_display(),
    }


def service_definition(
    category: Category, attributes: list[ServiceAttribute], lang: Language
) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [attribute_document(attribute, lang) for attribute in attributes],
    }


def attribute_document(attribute: ServiceAttribute, lang: Language) -> dict[str, Any]:
    """One attribute of a service definition, in the specification's field order."""
    values = [
        {"key": str(value.get("key", "")), "name": value_name(value, lang)}
        for value in attribute.values
        if isinstance(value, dict)
    ]
    return {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": str(ServiceAttribute.Datatype(attribute.datatype).label),
        "order": attribute.order,
        "description": pick(lang, attribute.description_id, attribute.description_en),
        "values": values,
    }


def value_name(value: dict[str, Any], lang: Language) -> str:
    name_id = str(value.get("name_id") or value.get("name") or value.get("key", ""))
    return pick(lang, name_id, str(value.get("name_en") or ""))


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
    row: PublicRequest,
    *,
    lang: Language,
    absolute_url: Callable[[str], str],
    extensions: bool = False,
) -> dict[str, Any]:
    """The public view of one report as a GeoReport v2 service request.

    ``extensions`` adds ``extended_attributes``: where it is (kelurahan, kecamatan) and the
    public part of its routing (the rule and the SKPD, never the candidates weighed).
    """
    document = core_request(row, lang=lang, absolute_url=absolute_url)
    if extensions:
        document["extended_attributes"] = extended_attributes(row, lang)
    return document


def extended_attributes(row: PublicRequest, lang: Language) -> dict[str, Any]:
    report, decision = row.report, row.decision
    kelurahan = report.kelurahan
    return {
        "tracking_code": report.tracking_code,
        "kelurahan": None if kelurahan is None else kelurahan.name,
        "kelurahan_code": None if kelurahan is None else kelurahan.code_kemendagri,
        "kecamatan": None if kelurahan is None else kelurahan.kecamatan.name,
        "routing_rule": None if decision is None else decision.rule,
        "routing_explanation": None if decision is None else rule_label(decision.rule, lang),
        "routed_datetime": None if decision is None else w3c_datetime(decision.created_at),
    }


def rule_label(rule: str, lang: Language) -> str:
    """The rule's bilingual label ("Indonesian / English"), in the language asked."""
    label = str(RoutingDecision.Rule(rule).label)
    text_id, _, text_en = label.partition(" / ")
    return pick(lang, text_id, text_en)


def core_request(
    row: PublicRequest, *, lang: Language, absolute_url: Callable[[str], str]
) -> dict[str, Any]:
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


def update_status(event: ReportEvent) -> str:
    """open or closed, as the report stood once this update was made."""
    after = getattr(event, "status_after", None) or event.report.status
    return "open" if after in Report.OPEN_STATUSES else "closed"


def update_description(event: ReportEvent, lang: Language) -> str:
    """A status change says what it became (and which SKPD); notes and comments their text.

    A sensitive report's notes and comments are not published (they may say where it is).
    """
    if event.kind == ReportEvent.Kind.STATUS and event.status_to:
        label_id, _, label_en = str(Report.Status(event.status_to).label).partition(" / ")
        text = pick(lang, label_id, label_en)
        if event.agency is not None:
            text += f": {pick(lang, event.agency.name_id, event.agency.name_en)}"
        if event.note and not event.report.category.sensitive:
            text += f". {event.note}"
        return text
    return "" if event.report.category.sensitive else event.note


def update(
    event: ReportEvent, *, lang: Language, absolute_url: Callable[[str], str]
) -> dict[str, Any]:
    """One entry of a report's public timeline as a mySociety ``request_update``."""
    photos = [] if event.report.category.sensitive else list(event.photos.all())
    return {
        "update_id": str(event.pk),
        "service_request_id": event.report.tracking_code,
        "status": update_status(event),
        "updated_datetime": w3c_datetime(event.created_at),
        "description": update_description(event, lang),
        "media_url": absolute_url(photos[0].image.url) if photos else None,
    }
