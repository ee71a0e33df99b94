"""The UI language: Russian unless the user chose another in the footer switcher.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a school computer with an
English browser would show English; for a Russian school journal the default must be Russian."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        # override, not activate: the thread goes back to its language after the request
        with translation.override(language):
            response = self.get_response(request)  # the handler has rendered templates already
        response.headers.setdefault("Content-Language", language)
        return response
