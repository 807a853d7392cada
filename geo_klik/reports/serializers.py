"""DRF serializers of the KLIK intake's answers: the receipt, the categories, the public view.

The submission's own serializer, which checks it, is ``reports.submission``.

The public view is built here field by field from an allow-list: the reporter's name, phone and
email are never read, and sensitive categories (crime) show a location rounded to about 100 m,
the kelurahan instead of a street address, and no photos.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import durations
from geo_klik.reports import actions, queries
from geo_klik.reports.models import Category, Report

# Decimals of a public location: 6 (~0.1 m) normally, 3 (~110 m) for sensitive categories.
PUBLIC_DECIMALS = 6
SENSITIVE_DECIMALS = 3


def bilingual(label: str) -> tuple[str, str]:
    """Split a "Indonesia / English" choice label into its two halves."""
    first, _, second = str(label).partition(" / ")
    return first, second or first


class KelurahanSerializer(serializers.ModelSerializer[Kelurahan]):
    kecamatan = serializers.SerializerMethodField()

    class Meta:
        model = Kelurahan
        fields = ["name", "code_kemendagri", "code_bps", "kecamatan"]

    def get_kecamatan(self, kelurahan: Kelurahan) -> dict[str, str]:
        return {
            "name": kelurahan.kecamatan.name,
            "code_kemendagri": kelurahan.kecamatan.code_kemendagri,
        }


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "code": {"type": "string", "enum": list(Report.Status.values)},
            "name_id": {"type": "string"},
            "name_en": {"type": "string"},
        },
    }
)
class StatusField(serializers.Field):  # type: ignore[type-arg]
    """A report status as its code and both labels."""

    def to_representation(self, value: str) -> dict[str, str]:
        name_id, name_en = bilingual(Report.Status(value).label)
        return {"code": value, "name_id": name_id, "name_en": name_en}


class ReportReceiptSerializer(serializers.ModelSerializer[Report]):
    """The answer to a submission (201 for a new report, 200 for a retried one)."""

    kelurahan = KelurahanSerializer(allow_null=True)
    status = StatusField()
    url = serializers.SerializerMethodField()
    reporter_secret = serializers.SerializerMethodField()
    reporter_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "tracking_code",
            "status",
            "kelurahan",
            "url",
            "created_at",
            "reporter_secret",
            "reporter_url",
        ]

    def get_url(self, report: Report) -> str:
        return public_url(self.context.get("request"), report)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reporter_secret(self, report: Report) -> str | None:
        """Only for the device that sent the report: keep it, never publish it."""
        secret = self.context.get("reporter_secret")
        return secret if isinstance(secret, str) and secret else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reporter_url(self, report: Report) -> str | None:
        """The reporter's own link to the tracking page: the secret rides in the fragment."""
        secret = self.get_reporter_secret(report)
        return None if secret is None else reporter_url(self.context.get("request"), report, secret)


# The fragment of a reporter's link (/lacak/<code>/#rahasia=<secret>): browsers never send
# a fragment to the server, so the secret stays out of access logs and Referer headers.
SECRET_FRAGMENT = "rahasia"  # noqa: S105 (a URL fragment name, not a secret)


def reporter_url(request: Any, report: Report, secret: str) -> str:
    path = reverse("residents-track", args=[report.tracking_code])
    base = str(request.build_absolute_uri(path)) if request is not None else path
    return f"{base}#{SECRET_FRAGMENT}={secret}"


def public_url(request: Any, report: Report) -> str:
    path = reverse("reports-public", args=[report.tracking_code])
    return str(request.build_absolute_uri(path)) if request is not None else path


class CategorySerializer(serializers.ModelSerializer[Category]):
    priority = serializers.SerializerMethodField()
    ack_target = serializers.SerializerMethodField()
    resolve_target = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "code",
            "name_id",
            "name_en",
            "description_id",
            "description_en",
            "icon",
            "priority",
            "ack_target",
            "resolve_target",
            "sensitive",
        ]

    def get_priority(self, category: Category) -> dict[str, Any]:
        name_id, name_en = bilingual(Category.Priority(category.priority).label)
        return {"level": category.priority, "name_id": name_id, "name_en": name_en}

    def get_ack_target(self, category: Category) -> dict[str, Any]:
        return target(category.ack_target)

    def get_resolve_target(self, category: Category) -> dict[str, Any]:
        return target(category.resolve_target)


def target(duration: Any) -> dict[str, Any]:
    text_id, text_en = durations.humanize(duration)
    return {"seconds": int(duration.total_seconds()), "text_id": text_id, "text_en": text_en}


class PublicReportBaseSerializer(serializers.ModelSerializer[Report]):
    """The intake's part of GET /api/reports/<tracking_code>/ (dispatch adds the routing)."""

    status = StatusField()
    category = serializers.SerializerMethodField()
    kelurahan = KelurahanSerializer(allow_null=True)
    address = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    expected_resolution = serializers.SerializerMethodField()
    supporters = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    reopen_until = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "tracking_code",
            "status",
            "category",
            "kelurahan",
            "address",
            "location",
            "photos",
            "created_at",
            "updated_at",
            "routed_at",
            "resolved_at",
            "expected_resolution",
            "supporters",
            "rating",
            "reopen_until",
            "timeline",
        ]

    def get_category(self, report: Report) -> dict[str, Any]:
        return category_json(report.category)

    def get_address(self, report: Report) -> str:
        if report.category.sensitive:
            # A geocoded street address would give away the exact place.
            return actions.default_address(report.kelurahan) if report.kelurahan else ""
        return report.address

    def get_location(self, report: Report) -> dict[str, Any]:
        lat, lon = queries.public_lat_lon(report)
        sensitive = report.category.sensitive
        decimals = SENSITIVE_DECIMALS if sensitive else PUBLIC_DECIMALS
        return {
            "lat": round(lat, decimals),
            "lon": round(lon, decimals),
            "rounded": sensitive,
            "precision_m": 100 if sensitive else 1,
        }

    def get_photos(self, report: Report) -> list[dict[str, Any]]:
        if report.category.sensitive:
            return []
        request = self.context.get("request")
        return [
            {
                "url": request.build_absolute_uri(p.image.url) if request else p.image.url,
                "width": p.width,
                "height": p.height,
                "content_type": p.content_type,
            }
            for p in report.photos.all()
            if p.event_id is None  # residents' later photos are on the timeline
        ]

    def get_expected_resolution(self, report: Report) -> dict[str, Any]:
        """The category's resolution target (SLA), counted from acceptance."""
        due = report.created_at + report.category.resolve_target
        return {
            **target(report.category.resolve_target),
            "due_at": serializers.DateTimeField().to_representation(due),
        }

    def get_supporters(self, report: Report) -> int:
        # Annotated by the public queries (0 included: no second query for an unsupported report).
        supporters = getattr(report, "supporters", None)
        return report.supports.count() if supporters is None else int(supporters)

    def get_rating(self, report: Report) -> dict[str, Any] | None:
        rating = getattr(report, "rating", None)
        return {"stars": rating.stars, "comment": rating.comment} if rating else None

    def get_reopen_until(self, report: Report) -> str | None:
        if report.status != Report.Status.RESOLVED or report.resolved_at is None:
            return None
        until = report.resolved_at + actions.REOPEN_WINDOW
        return str(serializers.DateTimeField().to_representation(until))

    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        return [timeline_json(entry) for entry in queries.timeline(report)]


def timeline_json(entry: queries.TimelineEntry) -> dict[str, Any]:
    status_labels = bilingual(Report.Status(entry.status_to).label) if entry.status_to else None
    return {
        "at": serializers.DateTimeField().to_representation(entry.at),
        "kind": entry.kind,
        "actor": entry.actor,
        "status": {
            "code": entry.status_to,
            "name_id": status_labels[0],
            "name_en": status_labels[1],
        }
        if status_labels
        else None,
        "note": entry.note,
        "agency": {
            "code": entry.agency.code,
            "name_id": entry.agency.name_id,
            "name_en": entry.agency.name_en,
        }
        if entry.agency
        else None,
        "photos": list(entry.photo_urls),
    }


def category_json(category: Category) -> dict[str, Any]:
    return {
        "code": category.code,
        "name_id": category.name_id,
        "name_en": category.name_en,
        "icon": category.icon,
        "sensitive": category.sensitive,
    }


def nearby_json(report: Report, request: Any) -> dict[str, Any]:
    """An open report near a new pin, as the duplicate suggestion shows it (no personal data)."""
    photo = None
    if not report.category.sensitive:
        first = next((p for p in report.photos.all() if p.event_id is None), None)
        photo = first.image.url if first else None
    status_id, status_en = bilingual(Report.Status(report.status).label)
    distance = getattr(report, "distance", None)
    return {
        "tracking_code": report.tracking_code,
        "distance_m": round(distance.m) if distance is not None else None,
        "status": {"code": report.status, "name_id": status_id, "name_en": status_en},
        "kelurahan": report.kelurahan.name if report.kelurahan else "",
        "created_at": serializers.DateTimeField().to_representation(report.created_at),
        "supporters": int(getattr(report, "supporters", 0)),
        "photo": photo,
        "url": reverse("residents-track", args=[report.tracking_code]),
    }


def map_feature(report: Report) -> dict[str, Any]:
    """A report on the public map: category, status, kelurahan, date; never personal data."""
    lat, lon = queries.public_lat_lon(report)
    sensitive = report.category.sensitive
    decimals = SENSITIVE_DECIMALS if sensitive else PUBLIC_DECIMALS - 1
    photo = None
    if not sensitive:
        first = next((p for p in report.photos.all() if p.event_id is None), None)
        photo = first.image.url if first else None
    status_id, status_en = bilingual(Report.Status(report.status).label)
    return {
        "type": "Feature",
        "id": report.tracking_code,
        "geometry": {"type": "Point", "coordinates": [round(lon, decimals), round(lat, decimals)]},
        "properties": {
            "tracking_code": report.tracking_code,
            "category": category_json(report.category),
            "status": {"code": report.status, "name_id": status_id, "name_en": status_en},
            "open": report.is_open,
            "kelurahan": report.kelurahan.name if report.kelurahan else "",
            "created_at": serializers.DateTimeField().to_representation(report.created_at),
            "rounded": sensitive,
            "photo": photo,
            "url": reverse("residents-track", args=[report.tracking_code]),
        },
    }
