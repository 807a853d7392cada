"""Admin of Open311: API keys (a new secret is shown once), attributes, SKPDs' own servers."""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from geo_klik.open311 import actions, outgoing
from geo_klik.open311.models import (
    ApiKey,
    ExternalServer,
    OutgoingRequest,
    ServiceAttribute,
    ServiceRequest,
)

if TYPE_CHECKING:
    ApiKeyAdminBase = admin.ModelAdmin[ApiKey]
    ServiceRequestAdminBase = admin.ModelAdmin[ServiceRequest]
    ServiceAttributeAdminBase = admin.ModelAdmin[ServiceAttribute]
    ExternalServerAdminBase = admin.ModelAdmin[ExternalServer]
    OutgoingRequestAdminBase = admin.ModelAdmin[OutgoingRequest]
else:  # ModelAdmin is only subscriptable for the type checker
    ApiKeyAdminBase = ServiceRequestAdminBase = admin.ModelAdmin
    ServiceAttributeAdminBase = ExternalServerAdminBase = OutgoingRequestAdminBase = (
        admin.ModelAdmin
    )

KEY_SHOWN_TEMPLATE = "admin/open311/apikey/keys_shown.html"


def show_keys_once(
    request: HttpRequest, model_admin: ApiKeyAdmin, keys: list[tuple[ApiKey, str]]
) -> TemplateResponse:
    """A page with the new secrets: rendered directly, never stored in a message or session."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Kunci API baru / New API keys",
        "keys": keys,
    }
    response = TemplateResponse(request, KEY_SHOWN_TEMPLATE, context)
    response["Cache-Control"] = "no-store"
    return response


@admin.register(ApiKey)
class ApiKeyAdmin(ApiKeyAdminBase):
    list_display = ["name", "prefix", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
    search_fields = ["name", "prefix"]
    fields = ["name", "active", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    actions = ["rotate_keys", "deactivate_keys"]

    def save_model(
        self, request: HttpRequest, obj: ApiKey, form: ModelForm[ApiKey], change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            # Kept on the request for response_add only; the database holds just the hash.
            request.open311_new_key = actions.set_new_key(obj)  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        raw_key: str | None = getattr(request, "open311_new_key", None)
        if raw_key is None:
            return super().response_add(request, obj, post_url_continue)
        return show_keys_once(request, self, [(obj, raw_key)])

    @admin.action(description="Buat kunci baru (kunci lama tidak berlaku) / Rotate: new secret")
    def rotate_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> TemplateResponse:
        keys = [(api_key, actions.set_new_key(api_key)) for api_key in queryset]
        return show_keys_once(request, self, keys)

    @admin.action(description="Nonaktifkan / Deactivate")
    def deactivate_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        count = queryset.update(active=False)
        self.message_user(request, f"{count} kunci dinonaktifkan / keys deactivated")


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ServiceRequestAdminBase):
    list_display = ["report", "api_key", "created_at"]
    list_select_related = ["report", "api_key"]
    list_filter = ["api_key"]
    search_fields = ["report__tracking_code"]
    readonly_fields = [
        "report",
        "api_key",
        "media_url",
        "address_string",
        "device_id",
        "account_id",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # made only by POST requests


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(ServiceAttributeAdminBase):
    list_display = ["category", "code", "datatype", "required", "order", "active"]
    list_filter = ["category", "datatype", "active"]
    search_fields = ["code", "description_id", "description_en"]


class ExternalServerForm(forms.ModelForm):  # type: ignore[type-arg]
    """The remote's key is written, never shown back (left blank: kept as it was)."""

    api_key = forms.CharField(
        required=False, max_length=200, widget=forms.PasswordInput(render_value=False)
    )
    endpoint_url = forms.URLField(
        max_length=500,
        assume_scheme="https",
        help_text="The endpoint of its discovery, e.g. https://host/open311/v2/",
    )

    class Meta:
        model = ExternalServer
        fields = [
            "agency",
            "endpoint_url",
            "api_key",
            "jurisdiction_id",
            "format",
            "service_codes",
            "active",
            "pull_updates",
        ]

    def clean_endpoint_url(self) -> str:
        """Not this geo_klik: its reports would come back as new reports, sent out again."""
        url = str(self.cleaned_data.get("endpoint_url") or "")
        ours = urllib.parse.urlsplit(settings.NOTIFY_BASE_URL).netloc.lower()
        if ours and urllib.parse.urlsplit(url).netloc.lower() == ours:
            raise forms.ValidationError(
                "Alamat ini geo_klik sendiri / This is geo_klik itself: reports would loop."
            )
        return url

    def clean_api_key(self) -> str:
        given = str(self.cleaned_data.get("api_key") or "")
        if not given and self.instance.pk:
            return str(self.instance.api_key)
        if not given:
            raise forms.ValidationError("Kunci API wajib diisi / The API key is required.")
        return given


@admin.register(ExternalServer)
class ExternalServerAdmin(ExternalServerAdminBase):
    """An SKPD gets its reports on its own Open311 server instead of by e-mail or webhook."""

    form = ExternalServerForm
    list_display = ["agency", "endpoint_url", "format", "active", "updates_pulled_until"]
    list_filter = ["active", "format"]


@admin.register(OutgoingRequest)
class OutgoingRequestAdmin(OutgoingRequestAdminBase):
    list_display = ["report", "server", "state", "attempts", "external_id", "sent_at", "last_error"]
    list_filter = ["state", "server"]
    list_select_related = ["report", "server__agency"]
    search_fields = ["report__tracking_code", "external_id"]
    readonly_fields = [
        "report",
        "server",
        "state",
        "attempts",
        "last_attempt_at",
        "last_error",
        "maybe_sent",
        "external_id",
        "token",
        "sent_at",
        "created_at",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # made only by routing

    @admin.action(description="Kirim lagi (yang gagal) / Send again (failed ones)")
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingRequest]) -> None:
        # Failed rows become pending with a fresh attempt count; maybe_sent is kept, so one
        # the remote may already hold is looked for there first.
        ids = list(queryset.filter(state=OutgoingRequest.State.FAILED).values_list("pk", flat=True))
        OutgoingRequest.objects.filter(pk__in=ids).update(
            state=OutgoingRequest.State.PENDING, attempts=0
        )
        queued = sum(outgoing.enqueue(pk) for pk in ids)
        self.message_user(request, f"{queued} dikirim lagi / queued again")
