"""The current school of a request: the one chosen in the session, if the user still belongs
to it, else the first of the user's schools."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from otmetka.access.rules import schools_for

SESSION_KEY = "otmetka_school_id"


class CurrentSchoolMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.school = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            schools = list(schools_for(request.user))
            chosen = request.session.get(SESSION_KEY)
            match = [s for s in schools if s.pk == chosen]
            request.school = (match or schools or [None])[0]  # type: ignore[attr-defined]
            request.user_schools = schools  # type: ignore[attr-defined]
        return self.get_response(request)
