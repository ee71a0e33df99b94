"""Site-wide middleware: the UI language, no caching of answers that hold personal data, the
Content-Security-Policy header."""

from collections.abc import Callable
from typing import Any, TypeVar

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import has_vary_header
from django.utils.functional import SimpleLazyObject, empty

PRIVATE = "no-store, private"
T = TypeVar("T")


class LanguageMiddleware:
    """Russian unless the user chose another language in the footer switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a school computer with
    an English browser would show English; for a Russian school journal the default is Russian.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in _languages():
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override, not activate: the thread goes back to its language after the request
        with translation.override(language):
            response = self.get_response(request)  # the handler has rendered templates already
        response.headers.setdefault("Content-Language", language)
        return response


class PrivateCacheMiddleware:
    """`Cache-Control: no-store, private` on every answer for a logged-in user or one that depends
    on the session cookie, unless the view chose its own: no journal page or API answer is kept
    by a shared proxy or in the browser's cache of a shared school computer.

    Sits outside the session and CSRF middleware so it sees the `Vary: Cookie` they add. Static
    files never reach it (whitenoise answers them first, with their long cache).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or has_vary_header(response, "Cookie"):
            response["Cache-Control"] = PRIVATE
        return response


# The attributes by which a view changes its answer's policy (django-csp's decorators).
_CSP_PER_RESPONSE = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
    "_csp_replace_ro",
)  # fmt: skip
# What the middleware derives from the settings on every request, built once by key and
# forgotten when a test changes the settings.
_kept: dict[object, Any] = {}


def _from_settings(key: object, build: Callable[[], T]) -> T:
    found: T | None = _kept.get(key)
    if found is None:
        found = _kept[key] = build()
    return found


def _languages() -> frozenset[str]:
    """The codes of `settings.LANGUAGES`."""
    return _from_settings("languages", lambda: frozenset(c for c, _n in settings.LANGUAGES))


def _csp_exclude(name: str) -> tuple[str, ...]:
    """The path prefixes exempt from a policy (`EXCLUDE_URL_PREFIXES` of setting `name`)."""

    def build() -> tuple[str, ...]:
        return tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())

    return _from_settings(name, build)


def _csp_text(report_only: bool) -> str:
    """The settings' policy text (django-csp rebuilt it from the settings on every response)."""
    return _from_settings(("csp", report_only), lambda: build_policy(report_only=report_only))


@receiver(setting_changed)
def _csp_settings_changed(**kwargs: object) -> None:
    _kept.clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policy's text built once for an answer that carries no
    nonce and no policy of its own (every API answer): django-csp rebuilds the same text from
    the settings on every response, two deep copies of the policy each time."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # django-csp's decorators set these on the response object itself (a look-up in its
        # dict; `hasattr` raised and formatted an AttributeError for each of the six).
        own = vars(response)
        per_response = any(a in own for a in _CSP_PER_RESPONSE)
        if per_response or getattr(request, "_csp_nonce", None) is not None or settings.DEBUG:
            return super().process_response(request, response)
        path = request.path_info
        for header, report_only, exempt, name in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            text = _csp_text(report_only)
            if (
                text
                and header not in response
                and own.get(exempt, False) is False
                and not path.startswith(_csp_exclude(name))
            ):
                response[header] = text
        # As django-csp: a nonce asked after the header is written is an error, not a silent miss.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages, their storage made when a view or a template first uses it: an API
    call or a save made the cookie and session storages on every request for nothing (a
    hundredth of a mark's save), and stored them back on the way out."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        found = getattr(request, "_messages", None)
        if isinstance(found, SimpleLazyObject) and found._wrapped is empty:
            return response  # never used: nothing to store
        return super().process_response(request, response)
