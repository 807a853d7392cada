"""JSON shapes of offices and services, in the request's language, shared by API and pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from geo_klik.lib import geo, layers, opening_hours
from geo_klik.public_services import queries
from geo_klik.public_services.models import Office, Requirement, Service, Step

LAYER_KEY = "offices"


def fee_text(service: Service) -> str:
    if service.fee_rp == 0:
        return gettext("Free")
    if service.fee_rp is None:
        return service.fee_note or gettext("Ask the office")
    return f"Rp {formats.number_format(service.fee_rp, force_grouping=True)}"


def time_text(service: Service) -> str:
    low, high = service.days_min, service.days_max
    if low is None and high is None:
        return service.time_note or gettext("Ask the office")
    if low is None or high is None or low == high:
        days = low if low is not None else high or 0
        return ngettext("%(days)d working day", "%(days)d working days", days) % {"days": days}
    return gettext("%(low)d–%(high)d working days") % {"low": low, "high": high}


def apply_at_text(kind: str) -> str:
    """Where to apply, said for a resident whose address is not known yet."""
    texts: dict[str, str] = {
        Office.Kind.KANTOR_LURAH: gettext("The kantor lurah of your kelurahan"),
        Office.Kind.KANTOR_CAMAT: gettext("The kantor camat of your kecamatan"),
        Office.Kind.PUSKESMAS: gettext("The puskesmas serving your kelurahan"),
    }
    return texts.get(kind) or str(Office.Kind(kind).label)


def office_json(office: Office, *, services: list[Service] | None = None) -> dict[str, Any]:
    lat, lon = geo.lat_lon(office.location)
    answer: dict[str, Any] = {
        "slug": office.slug,
        "kind": office.kind,
        "kind_label": str(office.get_kind_display()),
        "name": office.name,
        "address": office.address,
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "location_approximate": office.location_approximate,
        "phone": office.phone,
        "email": office.email,
        "website": office.website,
        "opening_hours": office.opening_hours,
        "hours_text": opening_hours.describe(office.opening_hours),
        "open_now": opening_hours.is_open(office.opening_hours, timezone.now()),
        "notes": office.notes,
        "kelurahan": office.kelurahan.name if office.kelurahan else None,
        "kecamatan": office.kecamatan.name if office.kecamatan else None,
        "url": reverse("services-office", args=[office.slug]),
    }
    if services is not None:
        answer["services"] = [service_link(s) for s in services]
    return answer


def service_link(service: Service) -> dict[str, str]:
    return {
        "slug": service.slug,
        "name": service.name,
        "url": reverse("services-detail", args=[service.slug]),
    }


def service_summary(service: Service) -> dict[str, Any]:
    return {
        "slug": service.slug,
        "topic": service.topic,
        "topic_label": str(service.get_topic_display()),
        "name": service.name,
        "name_id": service.name_id,
        "name_en": service.name_en,
        "summary": service.summary,
        "fee_rp": service.fee_rp,
        "fee_text": fee_text(service),
        "time_text": time_text(service),
        "url": reverse("services-detail", args=[service.slug]),
        "api_url": reverse("services-api-detail", args=[service.slug]),
    }


def requirement_json(requirement: Requirement) -> dict[str, Any]:
    return {
        "name": requirement.name,
        "name_id": requirement.name_id,
        "name_en": requirement.name_en,
        "copy_kind": requirement.copy_kind,
        "copy_label": str(requirement.get_copy_kind_display()),
        "count": requirement.count,
        "note": requirement.note,
        "condition": requirement.condition,
    }


def step_json(step: Step) -> str:
    return step.text


def service_detail(service: Service) -> dict[str, Any]:
    return {
        **service_summary(service),
        "audience": service.audience,
        "fee_note": service.fee_note,
        "days_min": service.days_min,
        "days_max": service.days_max,
        "time_note": service.time_note,
        "legal_basis": service.legal_basis_lines,
        "output": service.output,
        "online_url": service.online_url,
        "online_note": service.online_note,
        "apply_at": [
            {"kind": kind, "text": apply_at_text(kind), "depends_on_address": _local(kind)}
            for kind in service.apply_at_kinds
        ],
        "specific_offices": [office_json(o) for o in service.apply_at_offices.all() if o.active],
        "requirements": [requirement_json(r) for r in service.requirements.all()],
        "steps": [step_json(s) for s in service.steps.all()],
        "last_verified": service.last_verified.isoformat() if service.last_verified else None,
        "verify_note": service.verify_note,
    }


def _local(kind: str) -> bool:
    return kind in queries.LOCAL_KINDS


def destinations_json(destinations: list[queries.Destination]) -> list[dict[str, Any]]:
    return [
        {
            "office": office_json(d.office),
            "kind": d.kind,
            "for_address": d.for_address,
        }
        for d in destinations
    ]


def offices_at_json(at: queries.OfficesAt, *, with_services: bool = True) -> dict[str, Any]:
    by_kind = queries.services_by_office_kind() if with_services else {}

    def one(office: Office | None) -> dict[str, Any] | None:
        if office is None:
            return None
        if not with_services:
            return office_json(office)
        specific = [s for s in office.services.all() if s.active]
        offered = by_kind.get(office.kind, []) + specific
        return office_json(office, services=list(dict.fromkeys(offered)))

    return {
        "kelurahan": {
            "name": at.kelurahan.name,
            "code_kemendagri": at.kelurahan.code_kemendagri,
        },
        "kecamatan": {"name": at.kecamatan.name, "code_kemendagri": at.kecamatan.code_kemendagri},
        "kantor_lurah": one(at.kantor_lurah),
        "kantor_camat": one(at.kantor_camat),
        "city_wide": [one(o) for o in at.city_wide],
        "puskesmas": one(at.puskesmas),
        "puskesmas_is_nearest": at.puskesmas_is_nearest,
    }


class OfficeFeatureSerializer(layers.FeatureSerializer):
    """One office on the "offices" map layer."""

    layer_key = LAYER_KEY
    title = serializers.CharField(source="name", read_only=True)
    slug = serializers.ReadOnlyField()
    kind = serializers.ReadOnlyField()
    address = serializers.ReadOnlyField()
    phone = serializers.ReadOnlyField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    hours_text = serializers.SerializerMethodField()
    open_now = serializers.SerializerMethodField()

    class Meta(layers.FeatureSerializer.Meta):
        model = Office
        fields = (
            *layers.FeatureSerializer.COMMON_FIELDS,
            *("slug", "kind", "kind_label", "address", "phone", "hours_text", "open_now"),
        )

    def complete(self, office: Office, properties: dict[str, Any]) -> None:
        # Kind and hours, each computed once for its own property.
        parts = (properties["kind_label"], properties["hours_text"])
        properties["subtitle"] = " · ".join(part for part in parts if part)

    def get_url(self, office: Office) -> str:
        return reverse("services-office", args=[office.slug])

    def get_hours_text(self, office: Office) -> str:
        return opening_hours.describe(office.opening_hours) if office.opening_hours else ""

    def get_open_now(self, office: Office) -> bool | None:
        return opening_hours.is_open(office.opening_hours, self.context["now"])


# Documentation of the JSON answers (drf-spectacular).
_OFFICE_FIELDS: dict[str, serializers.Field] = {  # type: ignore[type-arg]
    "slug": serializers.CharField(),
    "kind": serializers.ChoiceField(choices=Office.Kind.choices),
    "kind_label": serializers.CharField(),
    "name": serializers.CharField(),
    "address": serializers.CharField(),
    "lat": serializers.FloatField(),
    "lon": serializers.FloatField(),
    "location_approximate": serializers.BooleanField(),
    "phone": serializers.CharField(),
    "email": serializers.CharField(),
    "hours_text": serializers.CharField(),
    "open_now": serializers.BooleanField(allow_null=True),
    "notes": serializers.CharField(),
    "url": serializers.CharField(),
}
OFFICE_DOC = inline_serializer("ServiceOffice", _OFFICE_FIELDS)
_NAMED: dict[str, serializers.Field] = {  # type: ignore[type-arg]
    "name": serializers.CharField(),
    "code_kemendagri": serializers.CharField(),
}
WHICH_OFFICE_DOC = inline_serializer(
    "WhichOffice",
    {
        "kelurahan": inline_serializer("WhichOfficeKelurahan", _NAMED),
        "kecamatan": inline_serializer("WhichOfficeKecamatan", _NAMED),
        "kantor_lurah": inline_serializer("KantorLurah", _OFFICE_FIELDS, allow_null=True),
        "kantor_camat": inline_serializer("KantorCamat", _OFFICE_FIELDS, allow_null=True),
        "city_wide": inline_serializer("CityWideOffice", _OFFICE_FIELDS, many=True),
        "puskesmas": inline_serializer("Puskesmas", _OFFICE_FIELDS, allow_null=True),
        "puskesmas_is_nearest": serializers.BooleanField(),
    },
)
_SUMMARY_FIELDS: dict[str, serializers.Field] = {  # type: ignore[type-arg]
    "slug": serializers.CharField(),
    "topic": serializers.ChoiceField(choices=Service.Topic.choices),
    "topic_label": serializers.CharField(),
    "name": serializers.CharField(),
    "summary": serializers.CharField(),
    "fee_rp": serializers.IntegerField(allow_null=True, help_text="0 = free; null = see fee_text"),
    "fee_text": serializers.CharField(),
    "time_text": serializers.CharField(),
    "url": serializers.CharField(),
}
CATALOGUE_DOC = inline_serializer(
    "ServiceCatalogue",
    {
        "count": serializers.IntegerField(),
        "services": inline_serializer("ServiceSummary", _SUMMARY_FIELDS, many=True),
    },
)
DETAIL_DOC = inline_serializer(
    "ServiceDetail",
    {
        **_SUMMARY_FIELDS,
        "legal_basis": serializers.ListField(child=serializers.CharField()),
        "requirements": inline_serializer(
            "ServiceRequirement",
            {
                "name": serializers.CharField(),
                "copy_kind": serializers.ChoiceField(choices=Requirement.Copy.choices),
                "count": serializers.IntegerField(),
                "note": serializers.CharField(),
                "condition": serializers.CharField(help_text="Only if ...; empty = always."),
            },
            many=True,
        ),
        "steps": serializers.ListField(child=serializers.CharField()),
        "address": inline_serializer(
            "ServiceAddress", {"kelurahan": serializers.CharField()}, required=False
        ),
        "go_to": inline_serializer(
            "ServiceGoTo",
            {
                "office": inline_serializer("ServiceGoToOffice", _OFFICE_FIELDS),
                "kind": serializers.CharField(),
                "for_address": serializers.BooleanField(),
            },
            many=True,
            required=False,
        ),
    },
)
