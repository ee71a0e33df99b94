"""Site-wide middleware: the UI language, and no caching of answers that hold personal data."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import has_vary_header

PRIVATE = "no-store, private"


class LanguageMiddleware:
    """Russian unless the user chose another language in the footer switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a school computer with
    an English browser would show English; for a Russian school journal the default is Russian.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
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
        if has_vary_header(response, "Cookie") or (user is not None and user.is_authenticated):
            response["Cache-Control"] = PRIVATE
        return response
