"""Web Push to an officer's browser: "your unit was dispatched" (RFC 8030/8291/8292).

The same machinery as the residents' notifications (``notify.channels.webpush``): the server's
VAPID key pair (``notify.vapid``), endpoints checked as public hosts before each send
(``lib.push_subscriptions``), no redirects followed. The payload is what /petugas/sw.js shows.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from pywebpush import WebPushException

from geo_klik.lib import push_subscriptions
from geo_klik.notify.channels import webpush

GONE = frozenset({404, 410})


class Gone(Exception):
    """The subscription no longer exists (404/410) or may never be posted to."""


class TryLater(Exception):
    """The push service or its name could not be reached now."""


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
        webpush.deliver(subscription, data, urgency="high")  # an incident waits for them
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in GONE or status is None:
            raise Gone(f"push subscription unusable (HTTP {status})") from None
        raise TryLater(f"push service HTTP {status}") from None
    except requests.RequestException as exc:
        raise TryLater(f"push service unreachable: {type(exc).__name__}") from None
