"""Headless Debian chromium (Playwright) with every request that leaves the live server blocked.

A plugin of the root conftest (``pytest_plugins``), so every test folder shares the one
session-wide browser: two Playwright instances in one process refuse to start.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright
from pytest_django.live_server_helper import LiveServer

ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (`make test` installs it: apt chromium)")
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django would refuse
    # the test's own ORM calls (fixtures, flush) as "async unsafe" while the browser is open.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@dataclass
class OfflinePage:
    """A page that can reach only the live server, and what it tried and logged."""

    page: Page
    blocked_urls: list[str] = field(default_factory=list)
    console_errors: list[ConsoleMessage] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def unexpected_console_errors(self) -> list[str]:
        """Console errors other than the failed loads of requests we blocked on purpose."""
        return [
            f"{message.text} ({message.location.get('url', '')})"
            for message in self.console_errors
            if message.location.get("url") not in self.blocked_urls
        ]


@pytest.fixture
def offline_page(browser: Browser, live_server: LiveServer) -> Iterator[OfflinePage]:
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    offline = OfflinePage(page=page)
    origin = live_server.url.rstrip("/") + "/"

    def only_live_server(route: Route) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            offline.blocked_urls.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_live_server)
    page.on(
        "console",
        lambda message: offline.console_errors.append(message) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: offline.page_errors.append(str(error)))
    yield offline
    context.close()


@pytest.fixture
def artifacts_dir() -> Path:
    """tests/artifacts/ (gitignored): screenshots to look at after a run."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
