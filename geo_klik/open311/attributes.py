"""``attribute[<code>]`` answers of POST requests, checked against the service's attributes.

GeoReport v2 sends one form field per answer, ``attribute[<code>]``, and repeats
``attribute[<code>][]`` (or ``attribute[<code>]``) for each value of a multivaluelist. Pure
functions: the attributes come from ``queries.service_attributes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from geo_klik.open311.models import ServiceAttribute
from geo_klik.open311.params import BadParameter, w3c_datetime

FIELD = re.compile(r"^attribute\[(?P<code>[^\[\]]{1,40})\](?P<many>\[\])?$")
MAX_ANSWERS = 50  # fields named attribute[...] in one request
MAX_VALUES = 50  # values of one multivaluelist answer
MAX_STRING = 300
MAX_TEXT = 4000
Answers = dict[str, list[str]]


def answers_in(fields: Iterable[tuple[str, list[str]]]) -> Answers:
    """The attribute[...] fields of a form, by code; BadParameter for a malformed name."""
    answers: Answers = {}
    for name, values in fields:
        if not name.startswith("attribute"):
            continue
        match = FIELD.match(name)
        if match is None:
            raise BadParameter(
                f"{name[:60]!r}: nama atribut harus attribute[kode] / "
                "an attribute is sent as attribute[code]"
            )
        answers.setdefault(match["code"], []).extend(values)
        if len(answers) > MAX_ANSWERS:
            raise BadParameter(
                f"paling banyak {MAX_ANSWERS} atribut / at most {MAX_ANSWERS} attributes"
            )
    return answers


def checked_answers(attributes: Sequence[ServiceAttribute], answers: Answers) -> dict[str, Any]:
    """The answers to store, by code; BadParameter for a missing or invalid one."""
    # Answers to attributes the service does not ask are ignored, as they always were: a
    # client such as FixMyStreet sends its own extra fields to every server.
    known = {attribute.code: attribute for attribute in attributes if attribute.variable}
    stored: dict[str, Any] = {}
    for code, attribute in known.items():
        values = [value.strip() for value in answers.get(code, []) if value.strip()]
        if not values:
            if attribute.required:
                raise BadParameter(f"attribute[{code}] wajib diisi / is required")
            continue
        stored[code] = checked_value(attribute, values)
    return stored


def refuse(code: str, text_id: str, text_en: str) -> BadParameter:
    return BadParameter(f"attribute[{code}] {text_id} / attribute[{code}] {text_en}")


def checked_value(attribute: ServiceAttribute, values: list[str]) -> Any:
    code, kind = attribute.code, attribute.datatype
    if kind == ServiceAttribute.Datatype.MULTIVALUELIST:
        if len(values) > MAX_VALUES:
            raise refuse(code, f"paling banyak {MAX_VALUES} nilai", f"takes at most {MAX_VALUES}")
        unknown = [value for value in values if value not in attribute.value_keys]
        if unknown:
            raise refuse(code, "memuat nilai yang tidak ada", "holds a value not in its list")
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise refuse(code, "hanya satu nilai", "takes one value")
    value = values[0]
    if kind == ServiceAttribute.Datatype.SINGLEVALUELIST:
        if value not in attribute.value_keys:
            raise refuse(code, "bukan nilai dari daftarnya", "is not a value of its list")
        return value
    if kind == ServiceAttribute.Datatype.NUMBER:
        return number(code, value)
    if kind == ServiceAttribute.Datatype.DATETIME:
        try:
            moment = w3c_datetime(value) if len(value) <= 40 else None
        except ValueError:
            moment = None
        if moment is None:
            raise refuse(code, "harus tanggal-waktu W3C", "must be a W3C datetime")
        return moment.isoformat()
    limit = MAX_TEXT if kind == ServiceAttribute.Datatype.TEXT else MAX_STRING
    if len(value) > limit:
        raise refuse(code, f"paling panjang {limit} karakter", f"is at most {limit} characters")
    return value


def number(code: str, value: str) -> float | int:
    if len(value) > 30:
        raise refuse(code, "harus angka", "must be a number")
    try:
        parsed = float(value)
    except ValueError:
        raise refuse(code, "harus angka", "must be a number") from None
    if parsed != parsed or parsed in (float("inf"), float("-inf")):  # NaN, infinities
        raise refuse(code, "harus angka", "must be a number")
    return int(parsed) if parsed.is_integer() and "." not in value else parsed
