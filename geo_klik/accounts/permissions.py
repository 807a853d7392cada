"""DRF permissions by role, with bilingual refusals."""

from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from geo_klik.accounts import roles
from geo_klik.lib import errors


class HasRole(BasePermission):
    """Allow authenticated users in one of ``allowed_roles`` (set on a subclass or the view)."""

    allowed_roles: frozenset[str] = frozenset()

    def has_permission(self, request: Request, view: APIView) -> bool:
        allowed = getattr(view, "allowed_roles", None) or self.allowed_roles
        return roles.has_any(request.user, tuple(allowed))


def role_required(*names: str) -> type[HasRole]:
    """A permission class allowing the named roles (``permission_classes = [...]``)."""
    return type("RoleRequired", (HasRole,), {"allowed_roles": frozenset(names)})


def refusal(request: Request) -> errors.Invalid:
    """The bilingual 401 (not logged in) or 403 (wrong role) a staff endpoint answers."""
    if not request.user.is_authenticated:
        problem = errors.Problem(
            None,
            "not_authenticated",
            "Masuk terlebih dahulu sebagai petugas.",
            "Log in as staff first.",
        )
        return errors.Invalid([problem], status_code=401)
    problem = errors.Problem(
        None,
        "permission_denied",
        "Peran Anda tidak diizinkan melakukan ini.",
        "Your role is not allowed to do this.",
    )
    return errors.Invalid([problem], status_code=403)
