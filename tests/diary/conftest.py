"""The diary's tests share the Chromium fixtures of tests/browser."""

from tests.browser.conftest import browser, page  # noqa: F401  (the shared Chromium fixtures)
