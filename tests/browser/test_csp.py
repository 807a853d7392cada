"""The main pages under the Content-Security-Policy: nothing refused, and the maps still draw."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.fixtures import OfflinePage
from tests.dispatch.conftest import (  # noqa: F401  (the fixtures the personas build on)
    categories,
    command_center,
    make_agency,
    make_jurisdiction,
    make_report,
    zones,
)
from tests.personas import PASSWORD, Personas

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("categories", "bukittinggi"),
]

# Every refusal of the policy, as the page saw it (set before any of the page's scripts run).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
# Functions, not expressions: Playwright polls an expression with eval, which the CSP refuses.
MAP_DRAWN = "() => document.querySelector('.leaflet-container .leaflet-pane') !== null"


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.__cspViolations")
    return found


def log_in(page: Page, live_server: LiveServer, username: str, start: str) -> None:
    page.goto(f"{live_server.url}/akun/masuk/?next={start}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url(live_server.url + start)


def assert_clean(offline_page: OfflinePage, page: Page, url: str) -> None:
    response = page.context.request.get(url)
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    page.wait_for_function(MAP_DRAWN)
    page.wait_for_timeout(300)  # late scripts (layers, charts) have run
    assert violations(page) == [], url
    refused = [e for e in offline_page.unexpected_console_errors() if "Content Security" in e]
    assert refused == [], url
    assert offline_page.page_errors == [], url


@pytest.mark.parametrize("url", ["/", "/peta/", "/lapor/"])
def test_it_draws_the_public_maps_with_no_csp_violation(
    offline_page: OfflinePage, live_server: LiveServer, url: str
) -> None:
    page = offline_page.page
    page.add_init_script(RECORD_VIOLATIONS)

    page.goto(live_server.url + url)

    assert_clean(offline_page, page, live_server.url + url)
    if url == "/":
        page.wait_for_function(
            "() => document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive')"
            ".length === 24"
        )


@pytest.mark.parametrize(("who", "url"), [("operator", "/control/"), ("planner", "/planner/")])
def test_it_draws_the_staff_maps_with_no_csp_violation(
    offline_page: OfflinePage, live_server: LiveServer, personas: Personas, who: str, url: str
) -> None:
    call_command("refresh_analytics", verbosity=0, stdout=io.StringIO())  # this database's
    page = offline_page.page
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server, getattr(personas, who).username, url)

    assert_clean(offline_page, page, live_server.url + url)
