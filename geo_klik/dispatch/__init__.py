"""Dispatch: SKPD agencies, jurisdictions, routing of reports to the responsible agencies."""
