"""Web Push to an officer's browser: "your unit was dispatched" (RFC 8030/8291/8292).

The same machinery as the residents' notifications (``notify.channels.webpush``): the server's
VAPID key pair (``notify.vapid``), endpoints checked as public hosts before each send
(``lib.push_subscriptions``), no redirects followed. The payload is what /petugas/sw.js shows.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from geo_klik.lib import push_subscriptions
from geo_klik.notify import vapid

GONE = frozenset({404, 410})


class Gone(Exception):
    """The subscription no longer exists (404/410) or may never be posted to."""


class TryLater(Exception):
    """The push service or its name could not be reached now."""


class _NoRedirects(requests.Session):
    """A session that hands back a redirect as an answer instead of following it."""

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


def payload(*, title: str, body: str, url: str, tag: str) -> str:
    return json.dumps(
        {"title": title[:120], "body": body[:300], "url": url, "tag": tag, "lang": "id"},
        ensure_ascii=False,
    )


def send(subscription: dict[str, Any], data: str) -> None:
    """Post one encrypted message; raises Gone or TryLater."""
    try:
        push_subscriptions.public_addresses(str(subscription.get("endpoint", "")))
    except push_subscriptions.EndpointNotPublic as exc:
        raise Gone(str(exc)) from None
    except push_subscriptions.HostUnresolved as exc:
        raise TryLater(str(exc)) from None
    try:
        with _NoRedirects() as session:
            webpush(
                subscription_info=subscription,
                data=data,
                vapid_private_key=vapid.key_pair().signer(),
                vapid_claims={"sub": settings.NOTIFY_VAPID_SUBJECT},
                timeout=settings.NOTIFY_PUSH_TIMEOUT_S,
                ttl=settings.NOTIFY_PUSH_TTL_S,
                headers={"Urgency": "high"},  # an incident waits for this officer
                requests_session=session,
            )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in GONE or status is None:
            raise Gone(f"push subscription unusable (HTTP {status})") from None
        raise TryLater(f"push service HTTP {status}") from None
    except requests.RequestException as exc:
        raise TryLater(f"push service unreachable: {type(exc).__name__}") from None
