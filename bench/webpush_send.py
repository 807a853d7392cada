"""Web Push: what one send costs through the channel, against a local push service.

Each send encrypts a fresh payload (an ephemeral ECDH key per message, RFC 8291), signs a VAPID
header (ES256) and posts it. Measured in the same run, as raw baselines: the encryption alone,
the VAPID signature alone and a plain HTTP POST of a body of the same size to the same
receiver, so the channel's own overhead is what is left. Every subscription has its own
endpoint path: the receiver counts each one, so a lost or doubled send shows.
"""

from __future__ import annotations

import base64
import os
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings
from pywebpush import WebPusher

from bench import common
from geo_klik.notify import vapid
from geo_klik.notify.channels import Rendered
from geo_klik.notify.channels.webpush import WebPushChannel, payload
from geo_klik.notify.models import ReporterContact

SENDS = 300
RAW = 300
RENDERED = Rendered(
    subject="Laporan KLIK-AB12CD34 sudah ditangani",
    text="Dinas PUPR: lubang jalan sudah ditambal dan dipadatkan. Apakah sudah benar-benar beres?",
    url="https://klik.example.id/lacak/KLIK-AB12CD34/#rahasia=" + "x" * 43,
    lang="id",
)


def _subscription(endpoint: str) -> dict[str, Any]:
    public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return {"endpoint": endpoint, "keys": {"p256dh": b64(public), "auth": b64(os.urandom(16))}}


def _receiver() -> tuple[ThreadingHTTPServer, Counter[str]]:
    seen: Counter[str] = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                seen[self.path] += 1
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def _rate(count: int, elapsed_s: float) -> float:
    return round(count / elapsed_s, 1)


def run() -> None:
    server, seen = _receiver()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with (
        tempfile.TemporaryDirectory() as keys,
        override_settings(NOTIFY_PUSH_ALLOW_LOOPBACK=True, NOTIFY_VAPID_DIR=Path(keys)),
    ):
        figures = _measure(base, seen)
    server.shutdown()
    server.server_close()
    common.write_result("webpush_send", figures, targets={"duplicated": 0, "lost": 0})


def _measure(base: str, seen: Counter[str]) -> dict[str, Any]:
    body = payload(RENDERED, tag="klik-report-1").encode()
    sample = _subscription(base + "/raw")
    started = time.perf_counter()
    for _ in range(RAW):
        encrypted = WebPusher(sample).encode(body)["body"]
    encrypt_s = time.perf_counter() - started
    signer = vapid.key_pair().signer()
    started = time.perf_counter()
    for _ in range(RAW):
        signer.sign({"sub": "mailto:bench@example.id", "aud": base, "exp": int(time.time()) + 60})
    sign_s = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(RAW):
        requests.post(base + "/plain", data=encrypted, timeout=5).raise_for_status()
    post_s = time.perf_counter() - started

    channel = WebPushChannel()
    contacts = [
        ReporterContact(report_id=i, push_subscription=_subscription(f"{base}/push/{i}"))
        for i in range(SENDS)
    ]
    samples = []
    started = time.perf_counter()
    for contact in contacts:
        one = time.perf_counter()
        channel.send(contact, RENDERED)
        samples.append(time.perf_counter() - one)
    send_s = time.perf_counter() - started
    pushed = {path: n for path, n in seen.items() if path.startswith("/push/")}
    return {
        "sends": SENDS,
        "raw_encrypt_per_s": _rate(RAW, encrypt_s),
        "raw_vapid_sign_per_s": _rate(RAW, sign_s),
        "raw_http_post_per_s": _rate(RAW, post_s),
        "encrypted_payload_bytes": len(encrypted),
        "payload_json_bytes": len(body),
        "channel_sends_per_s": _rate(SENDS, send_s),
        **common.summary_ms(samples),
        "received": sum(pushed.values()),
        "duplicated": sum(n - 1 for n in pushed.values() if n > 1),
        "lost": SENDS - len(pushed),
        "note": "one process, one thread, sends one after another",
    }
