"""API token authentication whose tokens expire STAFF_TOKEN_TTL_HOURS after their log-in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication

from geo_klik.lib import errors


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token ...``, refused (401) once the token is older than its lifetime.

    Every API that takes tokens uses this class, so a stolen or forgotten phone's token stops
    working everywhere at once; each log-in issues a new one (``actions.issue_api_token``).
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        lifetime = timedelta(hours=settings.STAFF_TOKEN_TTL_HOURS)
        if token.created + lifetime <= timezone.now():
            raise errors.Invalid(
                [
                    errors.Problem(
                        "Authorization",
                        "token_expired",
                        "Token sudah kedaluwarsa; masuk lagi untuk mendapat token baru.",
                        "The token has expired; log in again for a new one.",
                    )
                ],
                status_code=401,
            )
        return user, token
