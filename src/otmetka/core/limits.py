"""The request-size guard: refuse an oversized body or an anonymous upload before anything reads
the body (Django spools a multipart upload to disk as soon as request.POST or FILES is touched,
and CsrfViewMiddleware touches request.POST on every POST)."""

from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# A form without files (the login form, even sent as multipart) is far smaller; anything larger
# from a visitor without a session is an upload, refused before Django would spool it to disk.
ANONYMOUS_MULTIPART_MAX = 64 * 1024


def max_body_bytes() -> int:
    """The largest request body accepted (OTMETKA_MAX_UPLOAD_MB)."""
    return settings.OTMETKA_MAX_UPLOAD_MB * 1024 * 1024


def declared_length(request: HttpRequest) -> int:
    """The body length the client declared (0 when absent or malformed)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def session_user_is_authenticated(request: HttpRequest) -> bool:
    """Whether the session cookie names an active user, read without touching the body."""
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    return auth.get_user(request).is_authenticated


class RequestLimitMiddleware:
    """FIRST in MIDDLEWARE: 401 (API) or the login page for a multipart upload (over 64 KB)
    without a valid session, then 413 for a body over the upload limit; neither reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        upload = multipart and declared_length(request) > ANONYMOUS_MULTIPART_MAX
        if upload and not session_user_is_authenticated(request):
            response: HttpResponse
            if request.path.startswith("/api/"):
                response = JsonResponse({"detail": _("Log in first.")}, status=401)
            else:
                response = redirect_to_login(request.get_full_path())
            return _closing(request, response)
        if declared_length(request) > max_body_bytes():
            text = _("The request is too large: at most %(mb)s MB.") % {
                "mb": settings.OTMETKA_MAX_UPLOAD_MB
            }
            response = HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
            return _closing(request, response)
        return self.get_response(request)


def _closing(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Under gunicorn, close the connection after a refusal: a kept-alive connection would
    first drain the unread body. (wsgiref, the development server, refuses hop-by-hop headers
    from the application and drains the body itself.) The length is set here: the middleware
    that would set it never sees this response."""
    response["Content-Length"] = str(len(response.content))
    if request.META.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
        response["Connection"] = "close"
    return response
