"""The current school of a request: the one chosen in the session, if the user still belongs
to it, else the first of the user's schools (which the session then remembers).

All of it comes from the session's auth context (`authctx`) while the user's `auth_version`
is the one it was built at: a request reads the session and the user (one statement:
`accounts.sessions`), nothing more.

A school where the user holds a role comes with the role memberships (one query the access
rules need anyway); any other school is one query for that school alone. The list of the user's
schools (the header's switcher) is read only when a page shows it: a region viewer oversees
hundreds of schools, and no API request needs them."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from otmetka.access import authctx
from otmetka.access.rules import current_school, schools_for

SESSION_KEY = "otmetka_school_id"


class CurrentSchoolMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.school = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            user = request.user
            session = request.session
            data = session.get(authctx.AUTH_KEY)
            if not authctx.valid(data, user, session.get(SESSION_KEY)):
                school = _remembered_school(request, user)
                data = authctx.build(user, school)
                authctx.store(session, data)
            school, schools = authctx.apply(data, user)  # type: ignore[arg-type]
            request.school = school  # type: ignore[attr-defined]
            if schools is not None:
                request.user_schools = schools  # type: ignore[attr-defined]
            else:
                request.user_schools = SimpleLazyObject(  # type: ignore[attr-defined]
                    lambda: list(schools_for(user))
                )
        return self.get_response(request)


def _remembered_school(request: HttpRequest, user: Any) -> Any:
    """The user's current school (`current_school`), which the session then remembers."""
    chosen = request.session.get(SESSION_KEY)
    school = current_school(user, chosen)
    if school is not None and school.pk != chosen:
        request.session[SESSION_KEY] = school.pk
    return school


def remember_school(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On login, the session remembers the user's school and carries their auth context, so
    that the first request reads nothing more (the login saves the session anyway)."""
    if request is not None and hasattr(request, "session"):
        user.refresh_from_db(fields=["auth_version"])  # the object may predate a bump
        authctx.store(request.session, authctx.build(user, _remembered_school(request, user)))


def event_school_id(user: Any, request: HttpRequest | None = None) -> int | None:
    """The school of a user's account events (login, password): the session's school if it is
    still theirs, else their first school; accounts calls it through its registered hook."""
    chosen = (
        request.session.get(SESSION_KEY)
        if request is not None and hasattr(request, "session")
        else None
    )
    school = current_school(user, chosen)
    return school.pk if school is not None else None
