"""The error pages (403, 404, 500) in the site's layout, in the user's language, with a way back."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

TEMPLATE = "error_page.html"


def _back_url(request: HttpRequest) -> str:
    """The page the user came from, when it is a page of this site (never another host)."""
    referer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.get_host() or parts.path == request.path:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _render(request: HttpRequest, code: int, title: str, text: str) -> HttpResponse:
    context = {
        "error_code": code,
        "error_title": title,
        "error_text": text,
        "back_url": _back_url(request),
        "support_url": settings.OTMETKA_SUPPORT_URL,
    }
    return HttpResponse(loader.render_to_string(TEMPLATE, context, request), status=code)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the page exists and the user may read it, but not change it."""
    return _render(
        request,
        403,
        _("No access"),
        _("You may look at this page but not change it. Ask the school's administrator."),
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: missing, or not the user's to see (the two look the same)."""
    return _render(
        request,
        404,
        _("Page not found"),
        _("There is no such page, or it is not available to you. Check the address."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the context processors (they may be what failed)."""
    context = {
        "error_code": 500,
        "error_title": _("Something went wrong"),
        "error_text": _(
            "The server could not finish the request. Nothing was lost: try again in a minute."
        ),
        "support_url": settings.OTMETKA_SUPPORT_URL,
    }
    return HttpResponse(loader.get_template("error_500.html").render(context), status=500)
