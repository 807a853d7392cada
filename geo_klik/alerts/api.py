"""The API of /peringatan/: options, subscribe, list and delete one's own, confirm, unsubscribe.

Anonymous. A subscriber is whoever holds its management key (``X-Alerts-Key``, or the link
token of a confirmation e-mail); the first subscription without one creates a subscriber and
answers its key once. Subscriptions are never found by e-mail address, and another
subscriber's ids answer 404 as if they did not exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from geo_klik.alerts import actions, credentials, inputs, queries
from geo_klik.alerts.models import MAX_RADIUS_M, MIN_RADIUS_M, AlertSubscription, Subscriber
from geo_klik.lib import checks, errors, geo
from geo_klik.notify import api as notify_api
from geo_klik.notify import vapid
from geo_klik.reports import api as reports_api
from geo_klik.reports import queries as report_queries

KEY_PARAMETER = OpenApiParameter(
    credentials.KEY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="The management key given when subscribing (or the link token of an e-mail).",
)


def forbidden() -> errors.Invalid:
    return errors.Invalid(
        [
            errors.Problem(
                credentials.KEY_HEADER,
                "forbidden",
                "Kunci pengelola tidak valid. Buka tautan kelola dari email Anda atau dari "
                "perangkat yang dipakai berlangganan.",
                "The management key is not valid. Open the manage link from your e-mail or "
                "from the device you subscribed with.",
            )
        ],
        status_code=status.HTTP_403_FORBIDDEN,
    )


def not_found() -> errors.Invalid:
    return errors.Invalid(
        [
            errors.Problem(
                "id",
                "not_found",
                "Langganan tidak ditemukan (mungkin sudah dihentikan).",
                "Subscription not found (it may have been stopped already).",
            )
        ],
        status_code=status.HTTP_404_NOT_FOUND,
    )


def too_many(what: str) -> errors.Invalid:
    if what == "email":
        message = (
            "Terlalu banyak langganan belum dikonfirmasi untuk alamat ini; konfirmasi dulu "
            "yang sudah dikirim, atau coba lagi besok.",
            "Too many unconfirmed subscriptions for this address; confirm the ones already "
            "sent, or try again tomorrow.",
        )
    else:
        limit = settings.ALERTS_MAX_SUBSCRIPTIONS
        message = (
            f"Paling banyak {limit} langganan per perangkat; hentikan yang tidak perlu dulu.",
            f"At most {limit} subscriptions per device; stop one you no longer need first.",
        )
    return errors.Invalid(
        [errors.Problem("body", "too_many", *message)],
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
    )


def subscriber_of(request: Request) -> Subscriber:
    """The subscriber the request's key names; 403 for a missing or wrong key."""
    subscriber = queries.subscriber_for(request.headers.get(credentials.KEY_HEADER))
    if subscriber is None:
        raise forbidden()
    return subscriber


def optional_subscriber(request: Request) -> Subscriber | None:
    """None without a key (a new subscriber); 403 for a wrong one (never a silent new key)."""
    if request.headers.get(credentials.KEY_HEADER) is None:
        return None
    return subscriber_of(request)


def subscription_json(subscription: AlertSubscription) -> dict[str, Any]:
    """What the manage page shows of one subscription: the e-mail masked, no push endpoint."""
    area: dict[str, Any]
    if subscription.kelurahan_id is not None and subscription.kelurahan is not None:
        area = {
            "kelurahan": {
                "code": subscription.kelurahan.code_kemendagri,
                "name": subscription.kelurahan.name,
            }
        }
    else:
        lat, lon = geo.lat_lon(subscription.center) if subscription.center else (None, None)
        area = {"lat": lat, "lon": lon, "radius_m": subscription.radius_m}
    return {
        "id": subscription.pk,
        "channel": subscription.channel,
        "email": notify_api.masked_email(subscription.email),
        "language": subscription.language,
        "area": area,
        "categories": [c.code for c in subscription.categories.all()],
        "new_reports": subscription.new_reports,
        "resolutions": subscription.resolutions,
        "frequency": subscription.frequency,
        "confirmed": subscription.confirmed_at is not None,
        "created_at": subscription.created_at,
    }


class OptionsView(reports_api.PublicView):
    """GET /api/alerts/: what a subscription may choose (categories, kelurahan, limits)."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(operation_id="alerts_options", responses={200: dict})
    def get(self, request: Request) -> Response:
        categories = report_queries.active_categories().values("code", "name_id", "name_en")
        return Response(
            {
                "categories": list(categories),
                "kelurahan": queries.kelurahan_choices(),
                "channels": list(AlertSubscription.Channel.values),
                "frequencies": list(AlertSubscription.Frequency.values),
                "min_radius_m": MIN_RADIUS_M,
                "max_radius_m": MAX_RADIUS_M,
                "vapid_public_key": vapid.public_key(),
            }
        )


class SubscriptionsView(reports_api.PublicView):
    """GET: the key holder's subscriptions; POST: a new one (creating a key if none is sent)."""

    http_method_names = ["get", "post", "options"]

    def get_throttles(self) -> list[BaseThrottle]:
        if self.request.method == "POST":
            return reports_api.intake_throttles(bucket="alerts-subscribe")
        return []

    @extend_schema(
        operation_id="alerts_subscriptions_list",
        parameters=[KEY_PARAMETER],
        responses={200: dict, 403: reports_api.ERRORS},
    )
    def get(self, request: Request) -> Response:
        subscriber = subscriber_of(request)
        rows = queries.subscriptions_of(subscriber)
        return Response({"subscriptions": [subscription_json(s) for s in rows]})

    @extend_schema(
        operation_id="alerts_subscribe",
        request=inputs.SubscribeInput,
        parameters=[KEY_PARAMETER],
        responses={201: dict, 400: reports_api.ERRORS, 403: reports_api.ERRORS},
    )
    def post(self, request: Request) -> Response:
        reports_api.refuse_oversize(request)
        subscriber = optional_subscriber(request)
        checked = inputs.SubscribeInput(data=request.data)
        checked.is_valid(raise_exception=True)
        data = checked.validated_data
        try:
            subscription, key = actions.subscribe(
                subscriber,
                channel=data["channel"],
                email=data["email"],
                push_subscription=data.get("push_subscription"),
                language=data["language"],
                area=actions.Area(
                    kelurahan=data["kelurahan"],
                    lat=data.get("lat"),
                    lon=data.get("lon"),
                    radius_m=data.get("radius_m"),
                ),
                categories=data["categories"],
                new_reports=data["new_reports"],
                resolutions=data["resolutions"],
                frequency=data["frequency"],
            )
        except actions.TooMany as exc:
            raise too_many(exc.what) from None
        body: dict[str, Any] = {"subscription": subscription_json(subscription)}
        if key:
            body["manage_key"] = key
        return Response(body, status=status.HTTP_201_CREATED)


class SubscriptionView(reports_api.PublicView):
    """DELETE /api/alerts/subscriptions/<id>/: stop one of the key holder's subscriptions."""

    http_method_names = ["delete", "options"]

    @extend_schema(
        operation_id="alerts_subscription_delete",
        parameters=[KEY_PARAMETER],
        responses={204: None, 403: reports_api.ERRORS, 404: reports_api.ERRORS},
    )
    def delete(self, request: Request, subscription_id: int) -> Response:
        subscriber = subscriber_of(request)
        if not actions.delete_subscription(subscriber, subscription_id):
            raise not_found()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenInput(checks.CheckedSerializer):
    token = checks.Text(max_length=credentials.MAX_CREDENTIAL, required=True)


class ConfirmView(reports_api.PublicView):
    """POST /api/alerts/confirm/ {"token"}: the link of a confirmation e-mail."""

    http_method_names = ["post", "options"]

    @extend_schema(
        operation_id="alerts_confirm",
        request=TokenInput,
        responses={200: dict, 404: reports_api.ERRORS},
    )
    def post(self, request: Request) -> Response:
        checked = TokenInput(data=request.data)
        checked.is_valid(raise_exception=True)
        subscription_id = credentials.confirmed_id(checked.validated_data["token"])
        subscription = actions.confirm(subscription_id) if subscription_id else None
        if subscription is None:
            raise not_found()
        return Response({"id": subscription.pk, "confirmed": True})


class UnsubscribeView(reports_api.PublicView):
    """POST /api/alerts/unsubscribe/ {"token"}: the one-click link every message carries."""

    http_method_names = ["post", "options"]

    @extend_schema(
        operation_id="alerts_unsubscribe",
        request=TokenInput,
        responses={204: None, 404: reports_api.ERRORS},
    )
    def post(self, request: Request) -> Response:
        checked = TokenInput(data=request.data)
        checked.is_valid(raise_exception=True)
        subscription_id = credentials.unsubscribed_id(checked.validated_data["token"])
        if subscription_id is None or not actions.unsubscribe(subscription_id):
            raise not_found()
        return Response(status=status.HTTP_204_NO_CONTENT)
