"""The authentication backend: Django's ModelBackend behind the login guard.

Every way in (the staff login page, the admin, the API token endpoint) goes through
``django.contrib.auth.authenticate``, so guessing is limited everywhere at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from geo_klik.accounts import login_guard


class RateLimitedModelBackend(ModelBackend):
    """Refuse (PermissionDenied stops every backend) while the username or address is locked."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if username is None or password is None:
            return None
        if login_guard.is_locked(username, request):
            raise PermissionDenied("login locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_guard.record_failure(username, request)
        else:
            login_guard.record_success(username)
        return user
