"""The authentication backend: Django's ModelBackend behind the login guard.

Every way in (the staff login page, the admin, the API token endpoint) goes through
``django.contrib.auth.authenticate``, so guessing is limited everywhere at once.

The admin role holds every model permission (the Django admin of every app, including apps
added later), without a permission row to keep in step.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from geo_klik.accounts import login_guard, roles


class RateLimitedModelBackend(ModelBackend):
    """Refuse (PermissionDenied stops every backend) while the login guard refuses.

    Django's ``authenticate`` turns that into None: callers that must tell "locked" from
    "wrong password" use ``login_guard.authenticate``, which asks the guard first.
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if username is None or password is None:
            return None
        if login_guard.refusal(username, request) is not None:
            raise PermissionDenied("login locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_guard.record_failure(username, request)
        else:
            login_guard.record_success(username, request)
        return user

    def get_all_permissions(
        self, user_obj: AbstractBaseUser | AnonymousUser, obj: Any = None
    ) -> set[str]:
        if obj is None and roles.ADMIN in roles.roles_of(user_obj):
            cached: set[str] | None = getattr(user_obj, "_geo_klik_all_permissions", None)
            if cached is None:
                cached = {
                    f"{app_label}.{codename}"
                    for app_label, codename in Permission.objects.values_list(
                        "content_type__app_label", "codename"
                    )
                }
                user_obj._geo_klik_all_permissions = cached  # type: ignore[union-attr]
            return cached
        return super().get_all_permissions(user_obj, obj)  # type: ignore[arg-type]
