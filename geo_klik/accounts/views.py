"""Staff login and logout pages (the login guard refuses guessing with a bilingual message)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import forms as admin_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from geo_klik.accounts import login_guard, roles


class GuardedAuthenticationForm(AuthenticationForm):
    """The password is checked through the login guard: a refusal is said, never "wrong"."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_guard.authenticate(self.request, username, password)
            except login_guard.LoginRefused as refused:
                raise ValidationError(refused.message, code="locked") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class StaffAuthenticationForm(GuardedAuthenticationForm):
    """Django's login form, with bilingual errors and the login guard."""

    error_messages = {
        "invalid_login": ("Nama pengguna atau kata sandi salah. / Wrong username or password."),
        "inactive": "Akun ini tidak aktif. / This account is inactive.",
    }


class AdminAuthenticationForm(GuardedAuthenticationForm, admin_forms.AdminAuthenticationForm):
    """The admin's login form (staff only), with the login guard."""


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
