"""The deploy check: with DEBUG off, NOTIFY_BASE_URL must be the site's public https address."""

from __future__ import annotations

import sys

import pytest

from geo_klik.notify import checks
from tests.ops.test_production import PRODUCTION, run


@pytest.mark.parametrize(
    ("url", "debug", "ok"),
    [
        ("https://klik.bukittinggikota.go.id", False, True),
        ("http://klik.bukittinggikota.go.id", False, False),
        ("http://localhost:8000", False, False),
        ("https://localhost", False, False),
        ("https://127.0.0.1:8443", False, False),
        ("", False, False),
        ("klik.bukittinggikota.go.id", False, False),
        ("http://localhost:8000", True, True),
    ],
)
def test_it_wants_a_public_https_base_url_in_production(url: str, debug: bool, ok: bool) -> None:
    problems = checks.base_url_problems(url, debug=debug)
    assert (problems == []) is ok
    if not ok:
        assert problems[0].id == "notify.E001"


def test_manage_check_deploy_fails_without_it() -> None:
    production = {k: v for k, v in PRODUCTION.items() if k != "NOTIFY_BASE_URL"}
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **production,
        NOTIFY_BASE_URL="http://localhost:8000",
    )
    assert result.returncode != 0
    assert "notify.E001" in result.stdout + result.stderr
