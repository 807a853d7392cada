"""Serve uploaded files (report photos) from MEDIA_ROOT.

Photos are stored under the SHA-256 of their cleaned content, so a URL names exactly one
immutable file: it is unguessable and can be cached for a year. A reverse proxy may serve
MEDIA_ROOT directly instead; this view keeps `make run` and small deployments complete.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

ONE_YEAR_S = 365 * 24 * 3600


@require_safe
def serve(request: HttpRequest, path: str) -> FileResponse:
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404(path)
    content_type, _ = mimetypes.guess_type(target.name)
    response = FileResponse(
        target.open("rb"), content_type=content_type or "application/octet-stream"
    )
    response["Cache-Control"] = f"public, max-age={ONE_YEAR_S}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
