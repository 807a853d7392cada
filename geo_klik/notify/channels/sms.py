"""SMS (or WhatsApp) through a generic HTTP gateway: URL, credentials, body template from settings.

The gateway is off unless ``NOTIFY_SMS_URL`` is set. Each message is one POST to that URL whose
body is ``NOTIFY_SMS_TEMPLATE`` (JSON by default) with ``{phone}``, ``{text}`` and ``{url}``
filled in, JSON-escaped; ``NOTIFY_SMS_AUTH`` ("user:password") is sent as HTTP basic auth and
``NOTIFY_SMS_TOKEN`` as a bearer token. A 2xx answer is success, 429 and 5xx are temporary, any
other answer is a refusal.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

from django.conf import settings

from geo_klik.notify.channels.base import Channel, Refused, Rendered, Retry

if TYPE_CHECKING:
    from geo_klik.notify.models import ReporterContact

# SMS are short: the text is cut to this many characters before the link.
MAX_SMS_TEXT = 300


def _escaped(value: str) -> str:
    """``value`` as the inside of a JSON string (quotes and control characters escaped)."""
    return json.dumps(value)[1:-1]


def render_body(template: str, *, phone: str, text: str, url: str) -> bytes:
    """The gateway request body: ``template`` with the three fields filled in, JSON-escaped."""
    body = (
        template.replace("{phone}", _escaped(phone))
        .replace("{text}", _escaped(text[:MAX_SMS_TEXT]))
        .replace("{url}", _escaped(url))
    )
    return body.encode("utf-8")


class SmsGatewayChannel(Channel):
    """Posts each message to the configured HTTP SMS gateway."""

    name = "sms"

    def available(self) -> bool:
        return bool(settings.NOTIFY_SMS_URL)

    def reaches(self, contact: ReporterContact) -> bool:
        return bool(contact.phone)

    def _request(self, body: bytes) -> urllib.request.Request:
        headers = {"Content-Type": settings.NOTIFY_SMS_CONTENT_TYPE}
        if settings.NOTIFY_SMS_AUTH:
            basic = base64.b64encode(settings.NOTIFY_SMS_AUTH.encode()).decode()
            headers["Authorization"] = f"Basic {basic}"
        elif settings.NOTIFY_SMS_TOKEN:
            headers["Authorization"] = f"Bearer {settings.NOTIFY_SMS_TOKEN}"
        return urllib.request.Request(  # noqa: S310  (the URL is the operator's own setting)
            settings.NOTIFY_SMS_URL, data=body, headers=headers, method="POST"
        )

    def send(self, contact: ReporterContact, rendered: Rendered) -> None:
        body = render_body(
            settings.NOTIFY_SMS_TEMPLATE, phone=contact.phone, text=rendered.text, url=rendered.url
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                self._request(body), timeout=settings.NOTIFY_SMS_TIMEOUT_S
            ) as answer:
                answer.read(1024)
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                raise Retry(f"gateway HTTP {exc.code}") from None
            raise Refused(f"gateway HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            # Never the URL's query string or the number: the error's kind only.
            raise Retry(f"gateway unreachable: {type(exc).__name__}") from None
