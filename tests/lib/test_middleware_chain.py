"""Under ASGI the middleware chain runs as sync code in one thread, not hop by hop."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


def test_it_keeps_a_sync_only_middleware_innermost() -> None:
    """Django runs every middleware outside a sync-only one as sync code too.

    With an async-capable middleware innermost (Django's own are), Django ran those in async
    mode, each of their hooks hopping to a thread and back: about twenty hand-offs per request.
    """
    innermost = import_string(settings.MIDDLEWARE[-1])
    assert getattr(innermost, "sync_capable", True)
    assert not getattr(innermost, "async_capable", False), innermost
