"""Content-Security-Policy (with a per-request script nonce) and Permissions-Policy headers.

Every asset is served by the app itself (no CDN), so everything is ``'self'``, except:

- scripts: the few inline scripts (folium's map script, the pages' small start-up scripts)
  carry ``nonce="{{ csp_nonce }}"``; an injected script has no nonce and does not run.
- styles: ``'unsafe-inline'``. folium writes ``<style>`` blocks and Leaflet positions every
  tile and marker through style attributes; a style cannot run script.
- images: ``data:``/``blob:`` (Leaflet's icons, photo previews) and the map tile servers of
  ``CSP_IMG_ORIGINS`` (OpenStreetMap's when there is internet).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

NONCE_ATTRIBUTE = "csp_nonce"


def policy(nonce: str) -> str:
    img = " ".join(["'self'", "data:", "blob:", *settings.CSP_IMG_ORIGINS])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {img}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",  # as X-Frame-Options: DENY
        ]
    )


# Geolocation ("near me", the report pin) and the camera (report photos) for the app only;
# every other powerful feature for nobody.
PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=(self)",
        "microphone=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "midi=()",
        "display-capture=()",
    ]
)


class SecurityHeadersMiddleware:
    """Give each request a fresh nonce; add the CSP and Permissions-Policy to each answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(18)
        setattr(request, NONCE_ATTRIBUTE, nonce)
        response = self.get_response(request)
        header = {
            "enforce": "Content-Security-Policy",
            "report-only": "Content-Security-Policy-Report-Only",
        }.get(settings.CSP_MODE)
        if header and header not in response:
            response[header] = policy(nonce)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def nonce(request: HttpRequest) -> dict[str, str]:
    """Template context processor: ``{{ csp_nonce }}`` for the page's inline scripts."""
    return {NONCE_ATTRIBUTE: str(getattr(request, NONCE_ATTRIBUTE, ""))}
