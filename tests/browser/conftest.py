"""Playwright on Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: tests drive `/usr/bin/chromium` (or `$OTMETKA_CHROMIUM`). Where it is
missing the tests skip with the reason; under CI (`CI=true`) a missing browser is a failure.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = Path(os.environ.get("OTMETKA_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set OTMETKA_CHROMIUM)"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium for one test."""
    reason = _missing_browser()
    if reason:
        if _in_ci():
            pytest.fail(f"CI requires the browser tests: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    # Playwright's sync API keeps an asyncio loop running in this thread while the browser
    # lives. Django then refuses ORM calls from the test (and the database teardown) as "async";
    # the flag lifts that check for the life of this browser. The live server has its own threads.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            # With a loop running Django keeps this thread's connections apart from the usual
            # ones; close them now, or PostgreSQL cannot drop the test database at the end.
            connections.close_all()
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page (own cookies) in Russian, desktop-sized."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
