"""What dispatch announces to the apps above it, which it never imports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.dispatch import Signal

if TYPE_CHECKING:  # apps import this module from AppConfig, before models can load
    from geo_klik.dispatch.models import Assignment

# Sent inside the transaction that makes primary assignments (routing, a transfer), with
# ``assignments``: the new primary Assignment rows. A receiver that delivers an agency's reports
# itself (open311: the SKPD's own GeoReport server) stores what it needs in that transaction and
# returns the ids of those agencies, which then get no e-mail or webhook. Sent with ``send``, not
# ``send_robust``: a receiver that fails rolls the assignment back and routing is tried again,
# rather than a report being routed and sent nowhere.
agencies_assigned = Signal()


def agencies_delivering_themselves(assignments: Sequence[Assignment]) -> set[int]:
    """Announce new primary assignments; the agencies whose reports a receiver delivers."""
    taken: set[int] = set()
    if assignments:
        for _, answer in agencies_assigned.send(sender="dispatch", assignments=assignments):
            agency_ids: Any = answer  # what each receiver returns: a set of agency ids
            taken.update(agency_ids or ())
    return taken
