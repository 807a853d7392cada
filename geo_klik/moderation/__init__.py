"""Moderation shared by the feature apps: the review fields, the rules and ``moderate``.

A ground-floor app: it imports ``accounts`` (roles, audit log) and ``lib`` and nothing above them.
A model that moderators review inherits ``models.Moderatable`` (or ``models.Reviewed``, which adds
the review fields), declares its ``rules.Policy`` as the class attribute ``moderation`` and keeps
its own side effects in the hook methods; ``actions.moderate`` does the rest the same way for all.
"""
