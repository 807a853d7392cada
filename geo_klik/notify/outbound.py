"""Sending one rendered message to an address or a push subscription, without a reporter.

Notify's channels send to a ``ReporterContact``; apps above notify (area alerts) have their
own recipients, and use these functions, which keep the channels' rules: the same errors
(``Retry`` temporary, ``Refused`` permanent, texts without addresses or endpoints), the same
Web Push payload, VAPID key, SSRF re-check and no redirects. A caller sending many messages
passes one open ``connection`` (SMTP) or ``session`` (push) for all of them.
"""

from __future__ import annotations

import contextlib
import json
import smtplib
from typing import Any

import requests
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from pywebpush import WebPushException

from geo_klik.lib import push_subscriptions
from geo_klik.notify.channels import webpush as webpush_channel
from geo_klik.notify.channels.base import Refused, Rendered, Retry


class Gone(Refused):
    """The push service says the subscription no longer exists (404/410): forget it."""


def email_connection() -> BaseEmailBackend:
    """An SMTP connection (Django's backend) to reuse for several messages; close it after."""
    backend: BaseEmailBackend = get_connection(timeout=settings.NOTIFY_EMAIL_TIMEOUT_S)
    return backend


def push_session() -> requests.Session:
    """An HTTP session for several pushes that never follows a redirect; close it after."""
    return webpush_channel.NoRedirects()


def send_email(
    to: str,
    rendered: Rendered,
    *,
    headers: dict[str, str] | None = None,
    footer: str = "",
    connection: BaseEmailBackend | None = None,
) -> None:
    """One plain-text e-mail (text, link, then ``footer``); Retry or Refused as notify's
    e-mail channel raises them."""
    own = connection is None
    backend = connection or email_connection()
    mail = EmailMessage(
        subject=rendered.subject,
        body=f"{rendered.text}\n\n{rendered.url}\n" + (f"\n{footer}\n" if footer else ""),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
        connection=backend,
    )
    try:
        if not own:
            backend.open()  # once: a backend opened by its caller is not closed after the send
        mail.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted({code for code, _ in exc.recipients.values()})
        if all(500 <= code < 600 for code in codes):
            raise Refused(f"SMTP recipient refused {codes}") from None
        raise Retry(f"SMTP recipient deferred {codes}") from None
    except smtplib.SMTPResponseException as exc:
        _drop(backend)
        if 500 <= exc.smtp_code < 600:
            raise Refused(f"SMTP {exc.smtp_code}") from None
        raise Retry(f"SMTP {exc.smtp_code}") from None
    except (smtplib.SMTPException, OSError) as exc:
        _drop(backend)  # a reused connection that broke is opened again by the next send
        raise Retry(f"SMTP unreachable: {type(exc).__name__}") from None
    finally:
        if own:
            backend.close()


def _drop(backend: BaseEmailBackend) -> None:
    # Closing a broken connection may fail again; there is nothing to keep.
    with contextlib.suppress(Exception):
        backend.close()


def send_push(
    subscription: dict[str, Any],
    rendered: Rendered,
    *,
    tag: str,
    extra: dict[str, str] | None = None,
    session: requests.Session | None = None,
) -> None:
    """One Web Push message (notify's payload, plus ``extra`` keys); Retry, Refused or Gone."""
    try:
        push_subscriptions.public_addresses(str(subscription.get("endpoint", "")))
    except push_subscriptions.EndpointNotPublic as exc:
        raise Refused(str(exc)) from None
    except push_subscriptions.HostUnresolved as exc:
        raise Retry(str(exc)) from None
    content = json.loads(webpush_channel.payload(rendered, tag=tag))
    data = json.dumps({**content, **(extra or {})}, ensure_ascii=False)
    try:
        webpush_channel.deliver(subscription, data, session=session)
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in webpush_channel.GONE:
            raise Gone(f"push subscription gone (HTTP {status})") from None
        if status is not None and (status == 429 or status >= 500):
            raise Retry(f"push service HTTP {status}") from None
        if status is None:
            raise Refused("push subscription unusable") from None
        raise Refused(f"push service HTTP {status}") from None
    except requests.RequestException as exc:
        raise Retry(f"push service unreachable: {type(exc).__name__}") from None
