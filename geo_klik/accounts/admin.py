"""Admin: the audit log (read-only); memberships are edited under agencies."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from geo_klik.accounts import views
from geo_klik.accounts.models import AuditLog

# The admin's login page goes through the login guard and says when it refuses.
admin.site.login_form = views.AdminAuthenticationForm


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "actor_username", "action", "object_type", "object_id", "agency")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "object_id", "note")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False
