"""Production settings: HTTPS switches, a clean deploy check, CSP with a nonce, HEAD like GET."""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import Client

import stack.cli

ROOT = Path(__file__).resolve().parents[2]

# The production environment the README documents ("Production").
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "GEO_KLIK_REQUIRE_SECRET_KEY": "1",
    "ALLOWED_HOSTS": "klik.bukittinggikota.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://klik.bukittinggikota.go.id",
    "GEO_KLIK_HTTPS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "TRUSTED_PROXIES": "1",
    "NOTIFY_BASE_URL": "https://klik.bukittinggikota.go.id",
}

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
    "s.SECURE_HSTS_SECONDS, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
)


def run(args: list[str], **environ: str) -> subprocess.CompletedProcess[str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' fixtures in this process; a deployment
    # never has it (the deploy check refuses it), so neither does the child.
    leave_out = {"DEBUG", "GEO_KLIK_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in leave_out}
    return subprocess.run(
        args, env={**clean, **environ}, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_it_passes_the_deploy_check_with_the_documented_production_environment() -> None:
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_serves_plain_http_locally_and_https_only_with_the_switch() -> None:
    local = run([sys.executable, "-c", PRINT_SETTINGS])
    production = run([sys.executable, "-c", PRINT_SETTINGS], **PRODUCTION)

    assert local.stdout.split() == ["False", "False", "False", "0", "None"], local.stderr
    assert production.stdout.strip() == (
        "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"
    ), production.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GEO_KLIK_HTTPS", "sometimes"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("CSP_MODE", "loose"),
        ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https"),
    ],
)
def test_it_refuses_a_malformed_production_variable(name: str, value: str) -> None:
    result = run([sys.executable, "-c", "import django; django.setup()"], **{name: value})
    assert result.returncode != 0
    assert f"Environment variable {name}=" in result.stderr
    assert f"Variabel lingkungan {name} tidak valid" in result.stderr


def inline_scripts(html: str) -> list[str]:
    """The opening tags of the scripts a browser runs that are written in the page."""
    tags = re.findall(r"<script\b[^>]*>", html)
    return [t for t in tags if "src=" not in t and "application/json" not in t]


PAGES = ["/", "/peta/", "/lapor/", "/cari/", "/layanan/", "/info/", "/usaha/", "/komunitas/"]


@pytest.mark.parametrize("url", [*PAGES, "/transparansi/", "/api/docs/"])
def test_it_lets_only_its_own_inline_scripts_run(bukittinggi: object, url: str) -> None:
    # The planners' figures of this database (an earlier test's may name agencies gone since).
    call_command("refresh_analytics", verbosity=0, stdout=io.StringIO())
    response = Client().get(url)

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce, policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org" in policy
    for tag in inline_scripts(response.content.decode()):
        assert f'nonce="{nonce.group(1)}"' in tag, tag
    assert not re.search(r"\son[a-z]+=\"", response.content.decode())  # no onclick= etc.


def test_it_gives_each_answer_a_new_nonce_and_the_other_policies(db: None) -> None:
    first, second = Client().get("/"), Client().get("/")

    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]
    assert "geolocation=(self)" in first["Permissions-Policy"]
    assert "camera=(self)" in first["Permissions-Policy"]
    assert "microphone=()" in first["Permissions-Policy"]
    assert first["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert first["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", [*PAGES, "/healthz", "/planner/", "/control/"])
def test_it_answers_head_like_get(bukittinggi: object, url: str) -> None:
    get, head = Client().get(url), Client().head(url)

    assert head.status_code == get.status_code != 405
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


def test_it_has_no_page_that_refuses_head() -> None:
    # require_GET answers HEAD with 405; require_safe (GET and HEAD) is the rule.
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "geo_klik").rglob("*.py")
        if "require_GET" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_it_lets_django_alone_read_forwarded_headers() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    web = " ".join(compose["services"]["web"]["command"])
    source = Path(stack.cli.__file__).read_text(encoding="utf-8")

    # gunicorn trusts no address to set the scheme or client from forwarded headers (its
    # default trusts loopback): an empty list, in make run and in docker-compose alike.
    assert "--forwarded-allow-ips= " in web
    assert '"--forwarded-allow-ips="' in source
    assert "FORWARDED_ALLOW_IPS" not in web + source
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0  # the default: REMOTE_ADDR only
