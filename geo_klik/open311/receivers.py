"""open311's answers to what the apps below it announce (connected in ``Open311Config.ready``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geo_klik.open311 import outgoing


def send_to_own_servers(sender: object, *, assignments: Sequence[Any], **kwargs: Any) -> set[int]:
    """dispatch.signals.agencies_assigned: queue reports for SKPDs with an Open311 server."""
    return outgoing.claim_for(assignments)
