"""A browser's push subscription, checked: the endpoint is a request this server will make.

In lib (below reports) because the intake's ``notify`` object and notify's settings API both
check subscriptions with it (``reports.contact``), and notify's Web Push channel re-checks the
endpoint before each send.

The page hands us ``PushSubscription.toJSON()``: ``{"endpoint": URL, "expirationTime": ...,
"keys": {"p256dh": ..., "auth": ...}}``. Everything in it is the resident's to choose, so the
endpoint must be https to a public host (no loopback, private, link-local or reserved address,
no user name or password in the URL): otherwise "notify me" would make the server post to its
own network (SSRF). ``NOTIFY_PUSH_ALLOW_LOOPBACK`` lets tests and development use a local
receiver on 127.0.0.1 over http. A host name is checked again, resolved, just before each send
(``public_addresses``), since the name may point elsewhere by then.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import socket
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from rest_framework import serializers

from geo_klik.lib import checks, errors

MAX_ENDPOINT_CHARS = 2048
# A real subscription is about 400 characters of JSON; 4 KB leaves room for future keys.
MAX_JSON_CHARS = 4096
P256_POINT_BYTES = 65
AUTH_SECRET_BYTES = 16
# Names that never lead to a public push service.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain")


class EndpointNotPublic(Exception):
    """The endpoint's host resolves to an address this server must not post to."""


class HostUnresolved(Exception):
    """The endpoint's host could not be resolved now (DNS or the network down): try later."""


def check(name: str, raw: object) -> dict[str, Any]:
    """``raw`` as a clean subscription ``{"endpoint", "keys": {"p256dh", "auth"}}``, or refuse."""
    if not isinstance(raw, dict):
        raise _refuse(name, "invalid", "harus berupa objek JSON", "must be a JSON object")
    if len(json.dumps(raw, default=str)) > MAX_JSON_CHARS:
        raise _refuse(
            name,
            "too_large",
            f"paling banyak {MAX_JSON_CHARS} karakter JSON",
            f"must be at most {MAX_JSON_CHARS} characters of JSON",
        )
    endpoint = check_endpoint(name, raw.get("endpoint"))
    keys = raw.get("keys")
    if not isinstance(keys, dict):
        raise _refuse(name, "invalid_keys", "tidak memuat keys", "has no keys")
    p256dh = _base64url(keys.get("p256dh"))
    if p256dh is None or len(p256dh) != P256_POINT_BYTES or not _on_p256(p256dh):
        raise _refuse(
            name,
            "invalid_keys",
            "keys.p256dh bukan kunci publik P-256 yang sah",
            "keys.p256dh is not a valid P-256 public key",
        )
    auth = _base64url(keys.get("auth"))
    if auth is None or len(auth) != AUTH_SECRET_BYTES:
        raise _refuse(
            name,
            "invalid_keys",
            f"keys.auth harus {AUTH_SECRET_BYTES} byte (base64url)",
            f"keys.auth must be {AUTH_SECRET_BYTES} bytes (base64url)",
        )
    return {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}


def check_endpoint(name: str, raw: object) -> str:
    """The endpoint URL if it is https to a public host (or allowed loopback), else refuse."""
    if (
        not isinstance(raw, str)
        or not raw
        or len(raw) > MAX_ENDPOINT_CHARS
        or not checks.encodable(raw)
        or any(ord(character) <= 0x20 or ord(character) == 0x7F for character in raw)
    ):
        raise _refuse(
            name,
            "invalid_endpoint",
            f"endpoint harus berupa URL tanpa spasi (paling banyak {MAX_ENDPOINT_CHARS} karakter)",
            f"endpoint must be a URL without spaces (at most {MAX_ENDPOINT_CHARS} characters)",
        )
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").rstrip(".").lower()
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        host = ""
    if not host or parts.username is not None or parts.password is not None:
        raise _refuse(
            name,
            "invalid_endpoint",
            "endpoint bukan URL layanan push yang sah",
            "endpoint is not a valid push service URL",
        )
    if allowed_loopback(host):
        if parts.scheme not in {"https", "http"}:
            raise _not_https(name)
        return raw
    if parts.scheme != "https":
        raise _not_https(name)
    if not public_host(host):
        raise _refuse(
            name,
            "endpoint_not_public",
            "endpoint harus berada di host publik (bukan alamat lokal atau jaringan privat)",
            "endpoint must be on a public host (not a local or private-network address)",
        )
    return raw


def public_host(host: str) -> bool:
    """False for an IP literal that is not global, and for names that are local by design."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        pass
    return "." in host and host != "localhost" and not host.endswith(_LOCAL_SUFFIXES)


def allowed_loopback(host: str) -> bool:
    """A loopback endpoint, when NOTIFY_PUSH_ALLOW_LOOPBACK allows it (tests, development)."""
    if not settings.NOTIFY_PUSH_ALLOW_LOOPBACK:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_addresses(endpoint: str) -> None:
    """Raise EndpointNotPublic unless every address the endpoint's host resolves to is public
    (HostUnresolved when it cannot be resolved now: a network outage is no reason to give up).

    Checked just before sending: a name accepted at subscription time may resolve to an
    internal address later (DNS rebinding narrows but does not close this: the HTTP client
    resolves again; a proxy that enforces the rule is the complete answer).
    """
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").rstrip(".").lower()
    if allowed_loopback(host):
        return
    port = parts.port or 443
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise HostUnresolved(f"cannot resolve the push service's host: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global:
            raise EndpointNotPublic("the push service's host resolves to a non-public address")


class Subscription(checks.CheckedField, serializers.JSONField):
    """A ``PushSubscription.toJSON()`` object (``check``); absent or null is None."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def check(self, raw: Any) -> dict[str, Any] | None:
        return None if raw in (None, "") else check(self.name, raw)


def _base64url(raw: object) -> bytes | None:
    if not isinstance(raw, str) or len(raw) > 200:
        return None
    try:
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        return None


def _on_p256(point: bytes) -> bool:
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        return False
    return True


def _not_https(name: str) -> errors.Invalid:
    return _refuse(name, "endpoint_not_https", "endpoint harus https", "endpoint must be https")


def _refuse(name: str, code: str, problem_id: str, problem_en: str) -> errors.Invalid:
    return errors.invalid(
        name,
        code,
        f"Langganan notifikasi {problem_id}.",
        f"The notification subscription {problem_en}.",
    )
