"""create_demo_accounts: one account per role, random passwords shown once, never in production."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from geo_klik.accounts import actions, roles
from geo_klik.agencies.models import Agency, Membership


@pytest.fixture
def agencies(db: None) -> None:
    for code in ("command-center", "polsek-guguk-panjang", "dinas-pupr"):
        Agency.objects.create(code=code, name_id=code, name_en=code, kind=Agency.Kind.DINAS)


def run(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("create_demo_accounts", "--file", str(path), *args, stdout=out)
    return out.getvalue()


@override_settings(DEBUG=False)
def test_it_refuses_to_run_without_debug_or_the_explicit_flag(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="production"):
        run(tmp_path / "demo.txt")
    assert not User.objects.exists()
    assert not (tmp_path / "demo.txt").exists()


@pytest.mark.usefixtures("agencies")
def test_it_creates_one_account_per_role_and_keeps_passwords_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "demo.txt"

    output = run(path, "--i-know-this-is-not-production")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = [line.split("\t") for line in path.read_text().splitlines() if not line.startswith("#")]
    assert {row[1] for row in rows} == set(roles.ALL)
    for username, role, _agency, password in rows:
        assert password in output  # printed once
        user = authenticate(None, username=username, password=password)
        assert user is not None
        assert roles.roles_of(user) >= {role}
    pupr = User.objects.get(username="demo-pupr")
    assert Membership.objects.get(user=pupr).agency.code == "dinas-pupr"


@pytest.mark.usefixtures("agencies")
def test_it_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "demo.txt"
    run(path, "--i-know-this-is-not-production")
    first = path.read_text()

    output = run(path, "--i-know-this-is-not-production")

    assert path.read_text() == first
    assert User.objects.filter(username__startswith="demo-").count() == len(actions.DEMO_ACCOUNTS)
    assert all(row.split("\t")[3] not in output for row in first.splitlines()[2:])


@override_settings(DEBUG=True)
@pytest.mark.usefixtures("agencies")
def test_it_runs_under_debug_and_reset_renews_passwords(tmp_path: Path) -> None:
    path = tmp_path / "demo.txt"
    run(path)
    before = path.read_text()

    run(path, "--reset")

    assert path.read_text() != before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
