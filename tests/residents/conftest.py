"""The residents' tests share the intake's fixtures (categories on the tiny city)."""

from tests.reports.conftest import categories, isolated_media_and_limits

__all__ = ["categories", "isolated_media_and_limits"]
