"""Shared fixtures: the school world, logged-in clients, and settings that make tests fast."""

import asyncio
import datetime
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.world import PERSONAS, World, build_world

# Tests run on a fixed school day so enrollments and periods are deterministic.
TODAY = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _default_language() -> object:
    """Every test starts in the installation's language (Russian), whatever ran before it."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def school_day() -> object:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db: None, school_day: object) -> World:
    return build_world()


@pytest.fixture
def client_for(world: World) -> Callable[[str], Client]:
    """A Django test client logged in as a persona of the world (None → anonymous)."""

    def make(persona: str | None) -> Client:
        client = Client()
        if persona is not None:
            client.force_login(world.user(persona))
        return client

    return make


def pytest_report_header() -> str:
    return f"database: {os.environ.get('DATABASE_URL') or 'SQLite (default)'}"


__all__ = ["PERSONAS"]


_warmed: set[str] = set()


@pytest.fixture(autouse=True)
def _live_server_warm(request: pytest.FixtureRequest) -> None:
    """A browser test's first page waits for the live server to import every URL module and
    template it needs; on a busy machine that took most of the page's 10 s timeout. Ask the
    server for its login page once per process, with a long timeout, before the first test."""
    if "live_server" not in request.fixturenames:
        return
    url = request.getfixturevalue("live_server").url
    if url in _warmed:
        return
    _warmed.add(url)
    import urllib.request

    try:
        urllib.request.urlopen(url + "/", timeout=120).read()
    except OSError:
        pass  # the test itself reports what is wrong with the server


@pytest.fixture(scope="session")
def _chromium_session() -> Iterator[tuple[Any, asyncio.AbstractEventLoop]]:
    """One headless Chromium per test process (xdist worker), started by the first browser test
    (the `browser` fixture of tests/browser/conftest.py). Defined here so that every module that
    imports `browser` shares it.

    Starting Chromium cost ~1.6 s of CPU (10 s of wall time on a loaded machine) per test; a
    fresh context per test (the `page` fixture, or the test's own) keeps cookies and storage
    apart as before. Playwright's sync API marks its asyncio loop as running in this thread
    between calls; outside browser tests that mark is taken away (see `browser`), so the other
    tests of the process run exactly as they would without a browser."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _in_ci, _missing_browser

    reason = _missing_browser()
    if reason:
        if _in_ci():
            pytest.fail(f"CI requires the browser tests: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    loop = asyncio.get_running_loop()  # Playwright's, marked running after each sync call
    asyncio._set_running_loop(None)
    try:
        yield chromium, loop
    finally:
        asyncio._set_running_loop(loop)
        try:
            chromium.close()
        finally:
            playwright.stop()
            asyncio._set_running_loop(None)
