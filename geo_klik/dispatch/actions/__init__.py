"""dispatch's writes, one module per noun: routes (route reports, queue and sweep them),
jurisdictions, seeding (reference data), workflow (the staff's steps), rerouting, units,
notifications and sla. Tasks call these; these send tasks by name, never import them.
"""
