"""The notify app's deploy check: notifications must link to the site's public https address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})  # noqa: S104 (a name list)


def base_url_problems(base_url: str, *, debug: bool) -> list[CheckMessage]:
    """With DEBUG off, NOTIFY_BASE_URL must be an https URL of a public host."""
    if debug:
        return []
    parts = urlsplit(base_url)
    if parts.scheme == "https" and parts.hostname and parts.hostname not in LOCAL_HOSTS:
        return []
    return [
        Error(
            f"NOTIFY_BASE_URL is {base_url!r}: the links in residents' notifications (with their "
            "private link token) would not reach the site, or would travel unencrypted.",
            hint="Set NOTIFY_BASE_URL to the site's public https address, "
            "e.g. https://klik.bukittinggikota.go.id.",
            id="notify.E001",
        )
    ]


def check_base_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return base_url_problems(settings.NOTIFY_BASE_URL, debug=settings.DEBUG)
