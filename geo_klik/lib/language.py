"""The active language of a request: Bahasa Indonesia by default, English on request."""

from __future__ import annotations

from django.utils.translation import get_language


def english() -> bool:
    """Is the active language English (else Indonesian, the default)?"""
    return (get_language() or "id").startswith("en")


def pick(indonesian: str, english_text: str) -> str:
    """The text in the active language; English falls back to Indonesian when blank."""
    return english_text if english() and english_text else indonesian
