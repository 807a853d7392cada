"""Web Push to the reporter's browser or installed app (RFC 8030, 8291 aes128gcm, 8292 VAPID).

The payload is JSON the service worker (residents/sw.js) shows: title, body, the tracking
page's URL, language and a tag (one per report, so a newer notification replaces an older one
on the phone). Push services answer 201; 404 and 410 mean the subscription is gone (the
resident unsubscribed or the browser dropped it): it is forgotten and the channel refuses.
429, 5xx, timeouts and unreachable services are temporary. Redirects are never followed: a
push service does not redirect, and following one would let an endpoint lead the server to an
address that was never checked (``lib.push_subscriptions``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from geo_klik.lib import push_subscriptions
from geo_klik.notify import vapid
from geo_klik.notify.channels.base import Channel, Refused, Rendered, Retry

if TYPE_CHECKING:
    from geo_klik.notify.models import ReporterContact

# Push services accept 4096 bytes of encrypted payload; aes128gcm adds 86 bytes, JSON escaping
# of non-ASCII text up to 6 bytes a character: the body text is cut to stay well under.
MAX_BODY_CHARS = 300
MAX_TITLE_CHARS = 120
GONE = frozenset({404, 410})


class NoRedirects(requests.Session):
    """A session that hands back a redirect as an answer instead of following it."""

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


def deliver(
    subscription: dict[str, Any],
    data: str,
    *,
    urgency: str = "normal",
    session: requests.Session | None = None,
) -> None:
    """Post one message encrypted to a subscription, signed with this site's VAPID key.

    Every Web Push of the project goes through here: the residents' notifications, area alerts
    (``notify.outbound``) and the field officers' dispatches (``field.push``). Check the
    endpoint with ``lib.push_subscriptions`` first; raises pywebpush's WebPushException. Without
    ``session`` a redirect-refusing one is opened and closed around the send.
    """
    http = session or NoRedirects()
    try:
        webpush(
            subscription_info=subscription,
            data=data,
            vapid_private_key=vapid.key_pair().signer(),
            vapid_claims={"sub": settings.NOTIFY_VAPID_SUBJECT},
            timeout=settings.NOTIFY_PUSH_TIMEOUT_S,
            ttl=settings.NOTIFY_PUSH_TTL_S,
            headers={"Urgency": urgency},
            requests_session=http,
        )
    finally:
        if session is None:
            http.close()  # no idle sockets left over


def payload(rendered: Rendered, *, tag: str) -> str:
    """The JSON the service worker's push handler reads."""
    body = rendered.text if len(rendered.text) <= MAX_BODY_CHARS else rendered.text[:299] + "…"
    return json.dumps(
        {
            "title": rendered.subject[:MAX_TITLE_CHARS],
            "body": body,
            "url": rendered.url,
            "lang": rendered.lang,
            "tag": tag,
        },
        ensure_ascii=False,
    )


def forget_subscription(contact: ReporterContact) -> bool:
    """Drop the contact's subscription, unless the resident subscribed again meanwhile."""
    from_model = type(contact)
    endpoint = (contact.push_subscription or {}).get("endpoint")
    return bool(
        from_model.objects.filter(pk=contact.pk, push_subscription__endpoint=endpoint).update(
            push_subscription=None
        )
    )


class WebPushChannel(Channel):
    """Encrypts each message for the subscription's keys and posts it to its push service."""

    name = "webpush"

    def reaches(self, contact: ReporterContact) -> bool:
        return bool(contact.push_subscription)

    def send(self, contact: ReporterContact, rendered: Rendered) -> None:
        subscription = contact.push_subscription
        if not subscription:
            raise Refused("no push subscription")
        try:
            push_subscriptions.public_addresses(str(subscription.get("endpoint", "")))
        except push_subscriptions.EndpointNotPublic as exc:
            raise Refused(str(exc)) from None
        except push_subscriptions.HostUnresolved as exc:
            raise Retry(str(exc)) from None
        try:
            deliver(subscription, payload(rendered, tag=f"klik-report-{contact.report_id}"))
        except WebPushException as exc:
            raise self._failure(contact, exc) from None
        except requests.RequestException as exc:
            # The kind of error only: the endpoint URL identifies the resident's browser.
            raise Retry(f"push service unreachable: {type(exc).__name__}") from None

    def _failure(self, contact: ReporterContact, exc: WebPushException) -> Exception:
        status = exc.response.status_code if exc.response is not None else None
        if status in GONE:
            forget_subscription(contact)
            return Refused(f"push subscription gone (HTTP {status}); forgotten")
        if status is not None and (status == 429 or status >= 500):
            return Retry(f"push service HTTP {status}")
        if status is None:
            return Refused("push subscription unusable")  # bad keys: pywebpush refused to encrypt
        return Refused(f"push service HTTP {status}")
