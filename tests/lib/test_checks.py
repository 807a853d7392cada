"""lib.checks: serializers that list every problem in the bilingual shape, fields built once."""

from __future__ import annotations

import math
import threading
from typing import Any

import pytest
from django.http import QueryDict
from rest_framework import serializers

from geo_klik.lib import checks, errors


class Echo(checks.CheckedField, serializers.CharField):
    """A field that returns its raw value, to see what reaches ``check``."""

    def check(self, raw: Any) -> Any:
        return raw


class Sample(checks.CheckedSerializer):
    title = checks.Text(required=True, max_length=5)
    note = checks.Text(max_length=3)
    lat = checks.Coordinate(limit=90.0)
    public = checks.Flag()
    plain = serializers.IntegerField(required=False)  # a stock DRF field still works
    raw = Echo(required=False)


def problems_of(data: Any) -> list[tuple[str | None, str]]:
    with pytest.raises(errors.Invalid) as refused:
        Sample(data=data).is_valid(raise_exception=True)
    return [(p.field, p.code) for p in refused.value.problems]


def test_it_returns_clean_values() -> None:
    checked = Sample(data={"title": " Hai ", "lat": "-0.3", "public": "ya", "plain": "7"})
    assert checked.is_valid(raise_exception=True)
    assert checked.validated_data == {
        "title": "Hai",
        "note": "",
        "lat": -0.3,
        "public": True,
        "plain": 7,
        "raw": None,
    }


def test_it_lists_every_problem_in_field_order() -> None:
    data = {"title": "x" * 6, "note": 5, "lat": "nan", "public": "maybe", "plain": "x"}
    assert problems_of(data) == [
        ("title", "max_length"),
        ("note", "invalid"),
        ("lat", "invalid"),
        ("public", "invalid"),
        ("plain", "invalid"),  # DRF's own message, in the same shape
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"title": None},
        {"title": ["a", "b"]},
        {"title": {"a": 1}},
        {"title": 12},
        {"title": "a\x00b"},
        {"title": "a\ud800"},
        {"title": "   "},
        {"title": "t" * 10_000_000},
    ],
)
def test_it_refuses_hostile_text_by_name(data: dict[str, Any]) -> None:
    assert [field for field, _ in problems_of({**data, "lat": 1})] == ["title"]


@pytest.mark.parametrize(
    "raw", [None, "", True, [1], {"a": 1}, "NaN", "inf", math.inf, 10**400, 91, "-90.5", "1e999"]
)
def test_it_refuses_hostile_coordinates(raw: Any) -> None:
    assert problems_of({"title": "a", "lat": raw}) == [("lat", "invalid")]


@pytest.mark.parametrize("data", [None, [], ["title"], "title", 12, True])
def test_it_refuses_a_body_that_is_not_an_object(data: Any) -> None:
    assert problems_of(data) == [("body", "not_an_object")]


def test_is_valid_without_raising_gives_the_same_body() -> None:
    checked = Sample(data={"lat": 1})
    assert checked.is_valid() is False
    assert checked.errors == {
        "errors": [
            {
                "field": "title",
                "code": "required",
                "message": "title wajib diisi.",
                "message_en": "title is required.",
            }
        ]
    }


def test_it_reads_the_last_value_of_a_repeated_form_field() -> None:
    form = QueryDict("title=a&title=b&lat=1&lat=2")
    checked = Sample(data=form)
    assert checked.is_valid(raise_exception=True)
    assert (checked.validated_data["title"], checked.validated_data["lat"]) == ("b", 2.0)


def test_it_builds_the_fields_once_and_keeps_no_request_in_them() -> None:
    first, second = Sample(data={"raw": "one"}), Sample(data={"raw": "two"}, context={"x": 1})
    assert first.fields is second.fields
    for field in first.fields.values():
        assert field.parent is not first and field.parent is not second
        assert getattr(field.parent, "initial_data", None) is None


def test_concurrent_checks_do_not_mix_their_values() -> None:
    seen: dict[int, Any] = {}

    def check(n: int) -> None:
        for _ in range(200):
            checked = Sample(data={"title": f"t{n}", "lat": n, "raw": n})
            checked.is_valid(raise_exception=True)
            if checked.validated_data["raw"] != n or checked.validated_data["lat"] != n:
                seen[n] = checked.validated_data
                return

    threads = [threading.Thread(target=check, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {}
