"""A local GeoReport v2 server for outgoing Open311 tests: it records every call it gets.

It files POST requests (ids EXT-1, EXT-2, …, or tokens), lists them on GET requests with their
descriptions, answers tokens/<token> and servicerequestupdates from what a test puts in
``updates``. ``script`` makes the next POSTs fail: "500" answers an error, "drop" files the
request and then closes the connection without answering (the answer lost on the way).
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape


@dataclass
class Call:
    method: str
    path: str
    form: dict[str, list[str]]


@dataclass
class FakeGeoReport:
    fmt: str = "xml"
    calls: list[Call] = field(default_factory=list)
    created: dict[str, dict[str, str]] = field(default_factory=dict)
    updates: list[dict[str, str]] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    answer_tokens: bool = False
    tokens: dict[str, str] = field(default_factory=dict)
    broken_answers: bool = False

    def __post_init__(self) -> None:
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.handle(self, "GET")

            def do_POST(self) -> None:
                fake.handle(self, "POST")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/open311/v2/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def posts(self) -> list[Call]:
        return [call for call in self.calls if call.method == "POST"]

    def handle(self, handler: http.server.BaseHTTPRequestHandler, method: str) -> None:
        parsed = urllib.parse.urlsplit(handler.path)
        if method == "POST":
            length = int(handler.headers.get("Content-Length", 0))
            form = urllib.parse.parse_qs(handler.rfile.read(length).decode())
        else:
            form = urllib.parse.parse_qs(parsed.query)
        self.calls.append(Call(method, parsed.path, form))
        resource = parsed.path.removeprefix("/open311/v2/").rsplit(".", 1)[0]
        if method == "POST" and resource == "requests":
            self.post_request(handler, form)
        elif resource == "requests":
            records = [{"service_request_id": i, **r} for i, r in self.created.items()]
            self.answer(handler, 200, "service_requests", "request", records)
        elif resource.startswith("tokens/"):
            token = resource.removeprefix("tokens/")
            found = self.tokens.get(token, "")
            self.answer(
                handler,
                200,
                "service_requests",
                "request",
                [{"service_request_id": found, "token": token}],
            )
        elif resource == "servicerequestupdates":
            self.answer(handler, 200, "service_request_updates", "request_update", self.updates)
        else:
            self.answer(handler, 404, "errors", "error", [{"code": "404", "description": "no"}])

    def post_request(
        self, handler: http.server.BaseHTTPRequestHandler, form: dict[str, list[str]]
    ) -> None:
        step = self.script.pop(0) if self.script else "ok"
        if step == "500":
            self.answer(handler, 500, "errors", "error", [{"code": "500", "description": "down"}])
            return
        new_id = f"EXT-{len(self.created) + 1}"
        self.created[new_id] = {"description": form.get("description", [""])[0]}
        if step == "drop":
            handler.close_connection = True
            return  # filed, but no answer at all
        if self.answer_tokens:
            token = f"TOKEN-{new_id}"
            self.tokens[token] = new_id
            self.answer(handler, 200, "service_requests", "request", [{"token": token}])
            return
        self.answer(handler, 201, "service_requests", "request", [{"service_request_id": new_id}])

    def answer(
        self,
        handler: http.server.BaseHTTPRequestHandler,
        status: int,
        root: str,
        item: str,
        records: list[dict[str, str]],
    ) -> None:
        if self.broken_answers and status < 400:
            body = b"<service_requests><request>unterminated"
        elif self.fmt == "json":
            body = json.dumps(records).encode()
        else:
            items = "".join(
                f"<{item}>"
                + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in record.items())
                + f"</{item}>"
                for record in records
            )
            body = f'<?xml version="1.0" encoding="utf-8"?><{root}>{items}</{root}>'.encode()
        handler.send_response(status)
        handler.send_header(
            "Content-Type", "application/json" if self.fmt == "json" else "text/xml"
        )
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
