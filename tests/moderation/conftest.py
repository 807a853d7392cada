"""The business directory's people, listings and clock, reused to test ``moderate`` itself."""

from tests.business.conftest import clock, make_business, make_promotion, people

__all__ = ["clock", "make_business", "make_promotion", "people"]
