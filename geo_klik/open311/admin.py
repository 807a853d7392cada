"""Admin for Open311 API keys: a new key's secret is shown once, on the page after saving it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from geo_klik.open311 import actions
from geo_klik.open311.models import ApiKey, ServiceRequest

if TYPE_CHECKING:
    ApiKeyAdminBase = admin.ModelAdmin[ApiKey]
    ServiceRequestAdminBase = admin.ModelAdmin[ServiceRequest]
else:  # ModelAdmin is only subscriptable for the type checker
    ApiKeyAdminBase = ServiceRequestAdminBase = admin.ModelAdmin

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
