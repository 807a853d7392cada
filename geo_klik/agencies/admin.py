"""Admin pages of agencies and staff memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db import models

from geo_klik.agencies.models import Agency, Membership
from geo_klik.lib.admin import ValidInitialMixin

if TYPE_CHECKING:
    AgencyAdminBase = admin.ModelAdmin[Agency]
    MembershipAdminBase = admin.ModelAdmin[Membership]
else:  # ModelAdmin is only subscriptable for the type checker
    AgencyAdminBase = MembershipAdminBase = admin.ModelAdmin


@admin.register(Agency)
class AgencyAdmin(ValidInitialMixin, AgencyAdminBase):
    # A webhook typed without a scheme means https (Django 6's default; says so already).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["code", "short_name", "name_id", "kind", "is_triage", "active"]
    list_filter = ["kind", "active", "is_triage"]
    search_fields = ["code", "name_id", "name_en", "short_name"]
    autocomplete_fields = ["parent"]
    raw_id_fields = ["kecamatan", "kelurahan"]


@admin.register(Membership)
class MembershipAdmin(ValidInitialMixin, MembershipAdminBase):
    list_display = ("user", "agency", "created_at")
    search_fields = ("user__username", "agency__code", "agency__name_id")
    autocomplete_fields = ("user",)
