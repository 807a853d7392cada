"""Durations said the way a resident reads them, in Indonesian and English."""

from __future__ import annotations

from datetime import timedelta

# (seconds, Indonesian unit, English singular, English plural), largest first.
_UNITS = (
    (86_400, "hari", "day", "days"),
    (3_600, "jam", "hour", "hours"),
    (60, "menit", "minute", "minutes"),
    (1, "detik", "second", "seconds"),
)


def humanize(duration: timedelta, *, parts: int = 2) -> tuple[str, str]:
    """("1 jam 30 menit", "1 hour 30 minutes"): at most `parts` units, largest first."""
    remaining = max(int(duration.total_seconds()), 0)
    words_id: list[str] = []
    words_en: list[str] = []
    for seconds, unit_id, one_en, many_en in _UNITS:
        count, remaining = divmod(remaining, seconds)
        if count and len(words_id) < parts:
            words_id.append(f"{count} {unit_id}")
            words_en.append(f"{count} {one_en if count == 1 else many_en}")
    if not words_id:
        return "0 detik", "0 seconds"
    return " ".join(words_id), " ".join(words_en)
