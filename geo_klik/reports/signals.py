"""What the KLIK intake announces to the apps above it, which it never imports."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once the reports are committed (from ``transaction.on_commit``), with ``report_ids``:
# the ids of the reports just accepted. ``dispatch`` routes them. Receivers must not lose work
# when Redis or PostgreSQL is down: the reports are already safe in PostgreSQL, and dispatch's
# sweep finds any whose routing never reached the broker. The intake sends it robustly: a
# failing receiver is logged and never turns an accepted report into an error answer.
report_accepted = Signal()

# Sent inside the transaction that reopens a report on the reporter's "not fixed" (``report``
# locked, ``event`` the reopening, ``escalated`` True when it was not the first "not fixed", so the
# report went to the Command Center's triage instead of back to its agency). Receivers write in
# that same transaction (the claim is released, the agency or supervisors are told): the answer
# and its consequences commit together or not at all.
report_reopened = Signal()
