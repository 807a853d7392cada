"""Signals about field units, for the apps above dispatch (the field officers' phones).

``units_dispatched`` is sent inside the dispatching transaction, with the new
``UnitAssignment`` rows: a receiver that writes rows (a push to the officers' phones) commits or
rolls back with the dispatch itself, so no dispatch goes untold and no told dispatch is undone.
"""

from django.dispatch import Signal

# kwargs: assignments (list[UnitAssignment]), report (Report)
units_dispatched = Signal()
