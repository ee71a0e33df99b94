"""Django's messages, their storage made only when a view or template uses it
(`core.middleware.LazyMessageMiddleware`): an API call builds none, a page's message still reaches
the next page."""

from collections.abc import Callable

from django.contrib import messages
from django.test import Client, RequestFactory
from django.utils.functional import empty

from otmetka.core.middleware import LazyMessageMiddleware
from tests.world import World


def test_an_api_call_builds_no_message_storage(
    world: World, client_for: Callable[[str], Client]
) -> None:
    response = client_for("teacher_7a_math").get("/api/v1/me")
    assert response.status_code == 200
    stored = response.wsgi_request._messages  # type: ignore[attr-defined]
    assert stored._wrapped is empty  # never built
    assert "messages" not in response.cookies


def test_a_message_added_is_stored_for_the_next_request() -> None:
    """The storage is built on first use and stored on the way out, as Django's middleware does."""
    from django.http import HttpResponse

    def view(request: object) -> HttpResponse:
        messages.success(request, "Сохранено.")  # type: ignore[arg-type]
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.session = {}  # type: ignore[assignment]
    response = LazyMessageMiddleware(view)(request)
    assert request._messages._wrapped is not empty  # type: ignore[attr-defined]
    stored = response.cookies["messages"].value

    seen: list[str] = []

    def next_page(request: object) -> HttpResponse:
        seen.extend(str(m) for m in messages.get_messages(request))  # type: ignore[arg-type]
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.COOKIES["messages"] = stored
    request.session = {}  # type: ignore[assignment]
    LazyMessageMiddleware(next_page)(request)
    assert seen == ["Сохранено."]
