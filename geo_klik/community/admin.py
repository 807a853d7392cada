"""Admin pages of the forum: posts (on a map), comments, flags, bans and resident profiles.

The moderation verbs are admin actions too; they go through ``actions`` so the rules and the
audit log are the same as on the moderation page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from geo_klik.accounts import login_guard
from geo_klik.boundaries import cities
from geo_klik.boundaries import queries as boundary_queries
from geo_klik.community import actions
from geo_klik.community.models import Ban, Comment, Flag, Post, Profile
from geo_klik.lib import geo
from geo_klik.lib.widgets import OfflineOSMWidget
from geo_klik.moderation.actions import moderate

if TYPE_CHECKING:
    CommentAdminBase = admin.ModelAdmin[Comment]
    FlagAdminBase = admin.ModelAdmin[Flag]
    BanAdminBase = admin.ModelAdmin[Ban]
    ProfileAdminBase = admin.ModelAdmin[Profile]
else:  # ModelAdmin is only subscriptable for the type checker
    CommentAdminBase = FlagAdminBase = BanAdminBase = ProfileAdminBase = admin.ModelAdmin

ADMIN_REASON = "Disembunyikan lewat admin / hidden from the admin"


def _run(request: HttpRequest, rows: QuerySet[Any], verb: str, done: str) -> None:
    address = login_guard.client_address(request)
    count = 0
    try:
        for row in rows:
            if verb == "hide":
                moderate(row, "hide", request.user, ADMIN_REASON, address=address)
            elif verb == "unhide":
                moderate(row, "unhide", request.user, "admin", address=address)
            elif verb == "dismiss":
                actions.dismiss_flags(row, request.user, note="admin", address=address)
            elif verb == "ban":
                actions.ban(
                    row.author,
                    request.user,
                    reason=f"{ADMIN_REASON}: {row}",
                    until=timezone.now() + timedelta(days=7),
                    address=address,
                )
            count += 1
    except actions.CommunityError as error:
        messages.error(request, f"{error.message_id} / {error.message_en}")
    messages.success(request, f"{count} {done}")


@admin.action(description="Sembunyikan / hide")
def hide_selected(modeladmin: Any, request: HttpRequest, rows: QuerySet[Any]) -> None:
    _run(request, rows, "hide", "disembunyikan / hidden")


@admin.action(description="Tampilkan lagi / show again")
def unhide_selected(modeladmin: Any, request: HttpRequest, rows: QuerySet[Any]) -> None:
    _run(request, rows, "unhide", "ditampilkan / shown")


@admin.action(description="Abaikan laporan / dismiss flags")
def dismiss_selected(modeladmin: Any, request: HttpRequest, rows: QuerySet[Any]) -> None:
    _run(request, rows, "dismiss", "laporan diabaikan / flags dismissed")


@admin.action(description="Blokir penulis 7 hari / ban the authors for 7 days")
def ban_authors(modeladmin: Any, request: HttpRequest, rows: QuerySet[Any]) -> None:
    _run(request, rows, "ban", "penulis diblokir / authors banned")


class PostAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """A pinned post belongs to the kelurahan under the pin, as on the resident pages."""

    class Meta:
        model = Post
        fields = [
            "kind",
            "title",
            "body",
            "author",
            "kelurahan",
            "location",
            "location_approximate",
            "starts_at",
            "ends_at",
            "venue",
            "status",
            "hidden_cause",
            "hidden_reason",
            "hidden_by",
            "hidden_at",
            "needs_review",
            "is_demo",
            "demo_key",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        location = cleaned.get("location")
        if location is not None:
            lat, lon = geo.lat_lon(location)
            kelurahan = boundary_queries.kelurahan_for_point(lat, lon)
            if kelurahan is None:
                self.add_error(
                    "location",
                    f"Titik di luar {cities.served().name}. / The point is outside "
                    f"{cities.served().name}.",
                )
            cleaned["kelurahan"] = kelurahan
        return cleaned


@admin.register(Post)
class PostAdmin(GISModelAdmin):
    form = PostAdminForm
    gis_widget = OfflineOSMWidget  # type: ignore[assignment]  # stubs type it as an instance
    gis_widget_kwargs = {
        "attrs": {"default_lat": -0.305, "default_lon": 100.37, "default_zoom": 13}
    }
    list_display = [
        "title",
        "kind",
        "kelurahan",
        "author",
        "status",
        "hidden_cause",
        "needs_review",
        "is_demo",
        "created_at",
    ]
    list_filter = ["kind", "status", "hidden_cause", "needs_review", "is_demo", "kelurahan"]
    list_select_related = ["kelurahan", "author"]
    search_fields = ["title", "body", "author__username", "venue"]
    raw_id_fields = ["author", "hidden_by"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    actions = [hide_selected, unhide_selected, dismiss_selected, ban_authors]


@admin.register(Comment)
class CommentAdmin(CommentAdminBase):
    list_display = [
        "__str__",
        "post",
        "author",
        "status",
        "hidden_cause",
        "needs_review",
        "created_at",
    ]
    list_filter = ["status", "hidden_cause", "needs_review"]
    list_select_related = ["post", "author"]
    search_fields = ["body", "author__username", "post__title"]
    raw_id_fields = ["post", "author", "hidden_by"]
    readonly_fields = ["created_at", "updated_at"]
    actions = [hide_selected, unhide_selected, dismiss_selected, ban_authors]


@admin.register(Flag)
class FlagAdmin(FlagAdminBase):
    list_display = ["__str__", "reporter", "reason", "created_at", "resolution", "resolved_by"]
    list_filter = ["reason", "resolution"]
    list_select_related = ["reporter", "resolved_by"]
    search_fields = ["note", "reporter__username"]
    raw_id_fields = ["reporter", "post", "comment", "resolved_by"]
    readonly_fields = ["created_at"]


@admin.action(description="Cabut blokir / lift the bans")
def lift_bans(modeladmin: Any, request: HttpRequest, rows: QuerySet[Ban]) -> None:
    address = login_guard.client_address(request)
    for row in rows:
        actions.lift_ban(row, request.user, address=address)
    messages.success(request, f"{rows.count()} blokir dicabut / bans lifted")


@admin.register(Ban)
class BanAdmin(BanAdminBase):
    list_display = ["user", "reason", "until", "created_by", "created_at", "lifted_at", "active"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__username", "reason"]
    raw_id_fields = ["user", "created_by", "lifted_by"]
    readonly_fields = ["created_at"]
    actions = [lift_bans]

    @admin.display(boolean=True, description="berlaku / active")
    def active(self, row: Ban) -> bool:
        return row.is_active


@admin.register(Profile)
class ProfileAdmin(ProfileAdminBase):
    list_display = ["display_name", "user", "home_kelurahan", "created_at"]
    list_select_related = ["user", "home_kelurahan"]
    search_fields = ["display_name", "user__username"]
    raw_id_fields = ["user"]
