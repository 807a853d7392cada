"""No input causes a server error: NUL and lone surrogates are refused once, for every URL.

The battery walks the URLconf to every pattern, builds a concrete path for it, and sends the
characters PostgreSQL cannot store in the path, the query string (names and values), urlencoded
and multipart forms and JSON bodies, as an anonymous client and as a logged-in superuser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.conftest import TinyCity

pytestmark = pytest.mark.django_db

# Sample values for the converters of route patterns (path("<int:pk>/")).
SAMPLES = {"int": "1", "slug": "contoh", "str": "contoh", "path": "photos/a.jpg", "uuid": ""}
SAMPLES["uuid"] = "12345678-1234-5678-1234-567812345678"
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>(?P<body>[^)]*)\)")
LONE_SURROGATE = "\ud800"
URLENCODED = "application/x-www-form-urlencoded"


def _fill_route(route: str) -> str:
    return ROUTE_PARAMETER.sub(lambda m: SAMPLES[m["converter"] or "str"], route)


def _fill_regex(regex: str) -> str:
    def sample(match: re.Match[str]) -> str:
        body = match["body"]
        # An alternation of literals (admin's app_label) gives its first word; anything else "1".
        return body.split("|")[0] if re.fullmatch(r"[\w|]+", body) else "1"

    filled = REGEX_GROUP.sub(sample, regex).lstrip("^").removesuffix("\\Z").rstrip("$")
    return re.sub(r"\\(.)", r"\1", filled)  # an escaped literal ("\\.") is the character


def _fill(pattern: RoutePattern | RegexPattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern))
    return _fill_regex(str(pattern))


def _walk(patterns: list[Any], prefix: str = "/") -> Iterator[tuple[str, str]]:
    """(a readable id, a concrete path) for every URL pattern, includes followed."""
    for entry in patterns:
        here = prefix + _fill(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, here)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), here


ALL_PATHS = sorted(dict(_walk(get_resolver().url_patterns)).items())

# The fourteen requests that answered 500 before the shared rule.
REPORTED = [
    ("GET", "/api/search/?q=%00"),
    ("GET", "/cari/?q=%00"),
    ("GET", "/api/businesses/?q=%00"),
    ("GET", "/usaha/?q=%00"),
    ("GET", "/api/services/?q=%00"),
    ("GET", "/layanan/?q=%00"),
    ("GET", "/info/?q=%00"),
    ("GET", "/api/services/which-office/?kelurahan=%00"),
    ("GET", "/layanan/kantor-saya/?kelurahan=%00"),
    ("GET", "/api/info/announcements/?kelurahan=%00"),
    ("GET", "/api/community/posts/?kelurahan=%00"),
    ("GET", "/komunitas/kelurahan/%00/"),
    ("GET", "/media/photos/a%00.jpg"),
    ("POST", "/api/staff/auth/token/"),
]


@pytest.fixture
def anonymous(tiny_city: TinyCity) -> Client:
    # The city's kelurahan exist, so map pages render (an empty database is not input).
    return Client(enforce_csrf_checks=False, raise_request_exception=False)


@pytest.fixture
def staff(settings: Any, django_user_model: Any) -> Client:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client = Client(enforce_csrf_checks=False, raise_request_exception=False)
    client.force_login(user)
    return client


def assert_refused(response: Any) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert b"NUL" in response.content  # the bilingual message, in whichever shape


def test_it_builds_a_path_that_resolves_for_every_pattern() -> None:
    assert len(ALL_PATHS) > 100
    for _, path in ALL_PATHS:
        resolve(path)  # raises Resolver404 if the battery would test the wrong view


@pytest.mark.parametrize("path", [p for _, p in ALL_PATHS], ids=[i for i, _ in ALL_PATHS])
def test_it_refuses_unstorable_text_on_every_url(
    anonymous: Client, staff: Client, path: str
) -> None:
    assert_refused(anonymous.get(path + "?q=%00&kelurahan=%00"))
    assert_refused(anonymous.get(path + "?%00=1"))
    assert_refused(anonymous.get(path.rstrip("/") + "/%00/"))
    for client in (anonymous, staff):
        assert_refused(client.get(path + "?kelurahan=a%00b"))
        form = {"q": "a\x00b", "username": "a\x00", "description": "x"}
        assert_refused(client.post(path, form))  # multipart, the test client's default
        assert_refused(client.post(path, "q=a%00b", content_type=URLENCODED))
        for text in ("a\x00b", LONE_SURROGATE):
            body = json.dumps({"username": text, "nested": [{"q": text}]})
            assert_refused(client.post(path, body, content_type="application/json"))
        assert_refused(client.post(path, json.dumps({"\x00": 1}), content_type="application/json"))
        # Invalid UTF-8 (an encoded lone surrogate) in the query becomes U+FFFD: the view
        # answers it, whatever it answers, without a 5xx.
        assert client.get(path + "?x=%ED%A0%80").status_code < 500


@pytest.mark.parametrize(("method", "url"), REPORTED)
def test_it_answers_the_reported_requests_with_a_bilingual_400(
    anonymous: Client, method: str, url: str
) -> None:
    if method == "POST":
        body = json.dumps({"username": "operator\x00", "password": "x"})
        response = anonymous.post(url, body, content_type="application/json")
    else:
        response = anonymous.get(url)
    assert_refused(response)


def test_it_answers_the_api_in_its_error_shape(anonymous: Client) -> None:
    response = anonymous.get("/api/search/?q=jalan%00")
    assert response.status_code == 400
    [problem] = response.json()["errors"]
    assert problem["field"] == "q"
    assert problem["code"] == "invalid_characters"
    assert "tidak dapat disimpan" in problem["message"]
    assert "cannot be stored" in problem["message_en"]


def test_it_answers_open311_in_the_requested_format(anonymous: Client) -> None:
    response = anonymous.get("/open311/v2/requests.json?service_code=%00")
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400
    assert "tidak dapat disimpan" in error["description"]
    assert "cannot be stored" in error["description"]
    response = anonymous.get("/open311/v2/requests.xml?service_code=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/xml")
    assert b"<errors><error><code>400</code>" in response.content


def test_it_answers_pages_with_a_bilingual_html_page(anonymous: Client) -> None:
    response = anonymous.get("/cari/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Permintaan tidak valid" in response.content.decode()
    assert "Bad request" in response.content.decode()


def test_it_lets_ordinary_text_through(anonymous: Client) -> None:
    assert anonymous.get("/api/search/?q=jalan rusak").status_code == 200
    assert anonymous.get("/cari/?q=%C3%A9t%C3%A9").status_code == 200
