"""Playwright on Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: tests drive `/usr/bin/chromium` (or `$OTMETKA_CHROMIUM`). Where it is
missing the tests skip with the reason; under CI (`CI=true`) a missing browser is a failure.
"""

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

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
def browser(
    monkeypatch: pytest.MonkeyPatch, _chromium_session: tuple[Any, asyncio.AbstractEventLoop]
) -> Iterator[Any]:
    """The process's Chromium for one test; the contexts the test opened close after it."""
    chromium, loop = _chromium_session
    # Playwright's sync API keeps an asyncio loop running in this thread while the browser
    # lives. Django then refuses ORM calls from the test (and the database teardown) as "async";
    # the flag lifts that check for the life of this test. The live server has its own threads.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    asyncio._set_running_loop(loop)
    try:
        yield chromium
    finally:
        try:
            for context in chromium.contexts:
                context.close()
        finally:
            # With a loop running Django keeps this thread's connections apart from the usual
            # ones; close them now, or PostgreSQL cannot drop the test database at the end.
            connections.close_all()
            asyncio._set_running_loop(None)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page (own cookies) in Russian, desktop-sized."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
