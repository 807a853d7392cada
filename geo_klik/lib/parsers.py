"""Request parsers that turn every kind of unreadable body into a 400, never a 500."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, also refusing absurd nesting and unknown charsets with a ParseError.

    DRF only catches ValueError; ``[[[[...`` 100,000 deep raises RecursionError and
    ``charset=no-such-charset`` a LookupError, both of which would be a 500.
    """

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except (RecursionError, LookupError, UnicodeError) as exc:
            raise ParseError(f"JSON parse error - {type(exc).__name__}") from None
