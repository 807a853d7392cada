"""Open311 documents as XML or JSON responses, and Open311 error responses.

GeoReport v2 chooses the format by the resource's extension (``services.xml``,
``services.json``). XML is UTF-8 and starts with the XML declaration; lists are a root element
holding one element per item (``<services><service>…``); JSON lists are top-level arrays.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal
from xml.etree import ElementTree

from django.http import HttpResponse

Format = Literal["xml", "json"]
FORMATS: tuple[Format, ...] = ("xml", "json")
# Without parameters: strict clients compare the media type exactly. Both are UTF-8 all the
# same: the XML declaration says so, and JSON is UTF-8 by definition (RFC 8259).
CONTENT_TYPES: dict[Format, str] = {"xml": "text/xml", "json": "application/json"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

# The element of one item inside a list-valued field, e.g. <formats><format>…</format></formats>.
ITEM_TAGS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}

# Characters outside XML 1.0's Char production: ElementTree would write them, ill-formed.
NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Document = Mapping[str, Any]


class UnsupportedFormat(Exception):
    """The resource was asked for in a format other than xml or json."""


def parse_format(raw: str) -> Format:
    for known in FORMATS:
        if raw == known:
            return known
    raise UnsupportedFormat(raw)


def format_of_path(path: str) -> Format:
    """The format a client asked for by its path's extension, whatever else is wrong with it."""
    return "json" if path.rstrip("/").lower().endswith(".json") else "xml"


def xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # A report's text may hold control characters that XML 1.0 cannot carry at all.
    return NOT_XML_CHARACTERS.sub("", str(value))


def append_fields(parent: ElementTree.Element, document: Document) -> None:
    for name, value in document.items():
        element = ElementTree.SubElement(parent, name)
        if isinstance(value, Mapping):
            append_fields(element, value)
        elif isinstance(value, list | tuple):
            append_items(element, ITEM_TAGS.get(name, "item"), value)
        else:
            element.text = xml_text(value)


def append_items(parent: ElementTree.Element, tag: str, items: Sequence[Any]) -> None:
    for item in items:
        element = ElementTree.SubElement(parent, tag)
        if isinstance(item, Mapping):
            append_fields(element, item)
        else:
            element.text = xml_text(item)


def to_xml(root: ElementTree.Element) -> bytes:
    return (XML_DECLARATION + ElementTree.tostring(root, encoding="unicode") + "\n").encode()


def respond(
    fmt: Format,
    *,
    root: str,
    item: str | None = None,
    body: Document | Sequence[Document],
    status: int = 200,
) -> HttpResponse:
    """A document (``item`` None) or a list of documents (one ``<item>`` each) in ``fmt``."""
    if fmt == "json":
        content = json.dumps(body, ensure_ascii=False).encode()
    else:
        element = ElementTree.Element(root)
        if item is None:
            assert isinstance(body, Mapping)  # noqa: S101 - a programming error, not input
            append_fields(element, body)
        else:
            append_items(element, item, list(body))
        content = to_xml(element)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: Format, status: int, description: str) -> HttpResponse:
    """Open311 errors: an array of {code, description}, ``code`` being the HTTP status."""
    return respond(
        fmt,
        root="errors",
        item="error",
        body=[{"code": status, "description": description}],
        status=status,
    )
