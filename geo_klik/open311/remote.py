"""A small GeoReport v2 client for SKPDs' own Open311 servers (outgoing Open311).

It speaks what geo_klik needs of another server: POST requests, tokens/<token> (servers that
answer a token before they have an id), GET requests (to find a request geo_klik may already
have filed, see ``outgoing.recover``) and mySociety's GET servicerequestupdates. Answers are
read in the server's configured format; failures say whether the server may have acted on
the request (``maybe_sent``) and whether trying again can help (``permanent``).
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from defusedxml import ElementTree  # type: ignore[import-untyped]  # no stubs installed
from django.conf import settings

from geo_klik.open311.models import ExternalServer

USER_AGENT = "geo_klik-open311"
MAX_ANSWER_BYTES = 5 * 1024 * 1024
Record = dict[str, str]


class RemoteError(Exception):
    """The remote server refused the call, or the call failed on the way."""

    def __init__(self, message: str, *, maybe_sent: bool = False, permanent: bool = False) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent  # the server may have acted on it before it failed
        self.permanent = permanent  # the same call again would be refused again


@dataclass(frozen=True)
class Created:
    """What a POST requests answered: the id, or the token to ask for it later."""

    service_request_id: str
    token: str


def resource_url(server: ExternalServer, resource: str, query: dict[str, str] | None = None) -> str:
    """``<endpoint>/<resource>.<format>``: joined with exactly one slash, whatever it ends in."""
    url = f"{server.endpoint_url.rstrip('/')}/{resource}.{server.format}"
    if server.jurisdiction_id:
        query = {**(query or {}), "jurisdiction_id": server.jurisdiction_id}
    return f"{url}?{urllib.parse.urlencode(query)}" if query else url


def records(server: ExternalServer, body: bytes) -> list[Record]:
    """A GeoReport list answer (``[{…}]`` or ``<root><item>…</item></root>``) as flat records."""
    try:
        if server.format == ExternalServer.Format.JSON:
            document: Any = json.loads(body)
            items = document if isinstance(document, list) else [document]
            return [
                {str(k): "" if v is None else str(v) for k, v in item.items()}
                for item in items
                if isinstance(item, dict)
            ]
        root = ElementTree.fromstring(body)
    except (ValueError, ElementTree.ParseError) as exc:
        raise RemoteError(f"unreadable answer: {type(exc).__name__}", maybe_sent=True) from None
    return [{field.tag: (field.text or "").strip() for field in item} for item in root]


def call(
    server: ExternalServer, url: str, *, form: list[tuple[str, str]] | None = None
) -> list[Record]:
    """GET (or POST ``form``) ``url`` and read the answer's records; RemoteError on failure."""
    data = None if form is None else urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(  # noqa: S310 - an http(s) URL an administrator set
        url, data=data, headers={"User-Agent": USER_AGENT}, method="GET" if form is None else "POST"
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.OPEN311_OUTGOING_TIMEOUT_S
        ) as response:
            body = response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        # An error answer: the server did not accept it. 4xx stays refused (except the two
        # that mean "later"); 5xx may pass next time.
        permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
        raise RemoteError(f"HTTP {exc.code}", permanent=permanent) from None
    except urllib.error.URLError as exc:
        # Refused or unresolvable: nothing reached the server. Anything else (a timeout, a
        # reset) may have come after the server read the request.
        never_arrived = isinstance(exc.reason, ConnectionRefusedError | socket.gaierror)
        raise RemoteError(f"URLError: {exc.reason}", maybe_sent=not never_arrived) from None
    except (OSError, http.client.HTTPException) as exc:
        raise RemoteError(f"{type(exc).__name__}: {exc}", maybe_sent=True) from None
    return records(server, body)


def post_request(server: ExternalServer, fields: list[tuple[str, str]]) -> Created:
    """POST requests with our API key for that server; the id or token it answered."""
    form = [("api_key", server.api_key), *fields]
    if server.jurisdiction_id:
        form.append(("jurisdiction_id", server.jurisdiction_id))
    url = f"{server.endpoint_url.rstrip('/')}/requests.{server.format}"
    answer = call(server, url, form=form)
    first = answer[0] if answer else {}
    created = Created(first.get("service_request_id", ""), first.get("token", ""))
    if not (created.service_request_id or created.token):
        # A 2xx without an id: it may well have been filed.
        raise RemoteError("answer without service_request_id or token", maybe_sent=True)
    return created


def request_id_for_token(server: ExternalServer, token: str) -> str:
    """The id a token now names ("" while the server has none yet)."""
    answer = call(server, resource_url(server, f"tokens/{urllib.parse.quote(token, safe='')}"))
    return next((r["service_request_id"] for r in answer if r.get("service_request_id")), "")


def w3c(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def requests_since(server: ExternalServer, start: datetime, *, service_code: str) -> list[Record]:
    """The server's requests of one service from ``start`` on (its first page)."""
    query = {"start_date": w3c(start), "service_code": service_code}
    return call(server, resource_url(server, "requests", query))


def updates_since(server: ExternalServer, start: datetime) -> list[Record]:
    """Updates from ``start`` on (GeoReport: up to 90 days after it; no end_date, so an update
    made within the last second, which a seconds-precision end would cut off, is included)."""
    return call(server, resource_url(server, "servicerequestupdates", {"start_date": w3c(start)}))
