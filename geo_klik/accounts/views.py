"""Staff login and logout pages (the login guard refuses guessing with a bilingual message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from geo_klik.accounts import login_guard


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
