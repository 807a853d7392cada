"""The reporter's notification settings for one report: GET, PUT and DELETE, with the credential.

/api/reports/<tracking_code>/notifications/ needs the reporter's secret or the link token of a
notification (``X-Reporter-Secret``, as every reporter action). Answers never carry the contact
details back in full: the e-mail and number are masked, the push subscription is a yes/no.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from geo_klik.lib import errors
from geo_klik.notify import actions, channels, retention
from geo_klik.notify.models import ReporterContact
from geo_klik.reports import api as reports_api
from geo_klik.reports import contact as contact_rules
from geo_klik.reports import follow_up, follow_up_serializers


def masked_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if email else ""


def masked_phone(phone: str) -> str:
    return f"{phone[:5]}****{phone[-3:]}" if phone else ""


def settings_json(contact: ReporterContact | None) -> dict[str, Any]:
    """What the reporter's page shows: masked details, language, chosen and offered channels."""
    return {
        "email": masked_email(contact.email) if contact else "",
        "phone": masked_phone(contact.phone) if contact else "",
        "push": bool(contact and contact.push_subscription),
        "language": contact.language if contact else "id",
        "channels": list(contact.channels) if contact else [],
        "available_channels": sorted(channels.available_channels()),
    }


class NotificationSettingsView(reports_api.PublicView):
    """GET/PUT/DELETE /api/reports/<code>/notifications/ (the reporter only)."""

    http_method_names = ["get", "put", "delete", "options"]

    def get_throttles(self) -> list[BaseThrottle]:
        if self.request.method in ("PUT", "DELETE"):
            return reports_api.intake_throttles(bucket="reports-notify")
        return []

    @extend_schema(
        operation_id="reports_notifications_read",
        parameters=[follow_up.REPORTER_SECRET_PARAMETER],
        responses={200: dict, 403: reports_api.ERRORS, 404: reports_api.ERRORS},
    )
    def get(self, request: Request, tracking_code: str) -> Response:
        report = reports_api.report_or_404(tracking_code)
        follow_up.require_reporter(request, report)
        return Response(settings_json(ReporterContact.objects.filter(report=report).first()))

    @extend_schema(
        operation_id="reports_notifications_set",
        request=contact_rules.ContactSerializer,
        parameters=[follow_up.REPORTER_SECRET_PARAMETER],
        responses={200: dict, 400: reports_api.ERRORS, 403: reports_api.ERRORS},
    )
    def put(self, request: Request, tracking_code: str) -> Response:
        reports_api.refuse_oversize(request)
        report = reports_api.report_or_404(tracking_code)
        follow_up.require_reporter(request, report)
        body = follow_up.body_of(request)
        checked = contact_rules.ContactSerializer(data=body)
        checked.is_valid(raise_exception=True)
        given = {k: v for k, v in checked.validated_data.items() if k in body}
        try:
            contact = actions.set_contact(report, given)
        except actions.ChannelUnusable as exc:
            raise errors.invalid(
                "channels",
                "unusable",
                f"Saluran ini tidak tersedia atau datanya belum diisi: {exc}.",
                f"These channels are not available or lack their contact detail: {exc}.",
            ) from None
        return Response(settings_json(contact))

    @extend_schema(
        operation_id="reports_notifications_delete",
        parameters=[follow_up.REPORTER_SECRET_PARAMETER],
        responses={204: None, 403: reports_api.ERRORS, 404: reports_api.ERRORS},
    )
    def delete(self, request: Request, tracking_code: str) -> Response:
        report = reports_api.report_or_404(tracking_code)
        follow_up.require_reporter(request, report)
        actions.delete_contact(report)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ForgetContactView(reports_api.PublicView):
    """POST /api/reports/<code>/forget-contact/ {"confirm": true} (the reporter only).

    Deletes every contact detail of the report (``retention``): the name, phone and e-mail sent
    with it and the notification contact (e-mail, phone, push subscription). Updates stop.
    """

    http_method_names = ["post", "options"]

    def get_throttles(self) -> list[BaseThrottle]:
        return reports_api.intake_throttles(bucket="reports-notify")

    @extend_schema(
        operation_id="reports_forget_contact",
        request=follow_up_serializers.ConfirmSerializer,
        parameters=[follow_up.REPORTER_SECRET_PARAMETER],
        responses={200: dict, 400: reports_api.ERRORS, 403: reports_api.ERRORS},
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        report = reports_api.report_or_404(tracking_code)
        follow_up.require_reporter(request, report)
        checked = follow_up_serializers.ConfirmSerializer(data=follow_up.body_of(request))
        checked.is_valid(raise_exception=True)
        deleted = retention.forget_reporter(report)
        return Response({"deleted": deleted, **settings_json(None)})
