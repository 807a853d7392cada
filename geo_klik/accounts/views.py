"""Staff login and logout pages (the login guard refuses guessing with a bilingual message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from geo_klik.accounts import login_guard, roles


class StaffAuthenticationForm(AuthenticationForm):
    """Django's login form, with bilingual errors and the guard checked before the password."""

    error_messages = {
        "invalid_login": ("Nama pengguna atau kata sandi salah. / Wrong username or password."),
        "inactive": "Akun ini tidak aktif. / This account is inactive.",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and login_guard.is_locked(username, self.request):
            message_id, message_en = login_guard.locked_messages()
            raise ValidationError(f"{message_id} / {message_en}", code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            raise
        except Exception as exc:  # PermissionDenied from the backend: locked meanwhile
            from django.core.exceptions import PermissionDenied

            if isinstance(exc, PermissionDenied):
                message_id, message_en = login_guard.locked_messages()
                raise ValidationError(f"{message_id} / {message_en}", code="locked") from None
            raise


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True


class StaffLogoutView(auth_views.LogoutView):
    next_page = "accounts:login"


# Where each role starts after logging in without a ?next= page, first match wins. The URL
# names of other apps are looked up lazily: a page that is not installed is skipped.
HOME_BY_ROLE = (
    (roles.WORKING, "control:console"),
    (frozenset({roles.PLANNER}), "analytics:planner"),
    (frozenset({roles.MODERATOR}), "community-moderation"),
)
RESIDENT_HOME = ("community-board", "residents-report")


def home(request: HttpRequest) -> HttpResponse:
    """GET /akun/: the start page of whoever is logged in (staff by role; residents' board)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    names = [name for wanted, name in HOME_BY_ROLE if roles.has_any(request.user, wanted)]
    for name in [*names, *RESIDENT_HOME]:
        try:
            return redirect(reverse(name))
        except NoReverseMatch:
            continue
    return redirect("/")
