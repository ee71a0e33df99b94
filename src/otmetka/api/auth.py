"""Token auth of the API: `Authorization: Bearer <token>` beside the web session, and the
request it makes look like a page's (the user, their current school). A read-only token (a
family's, by default) may read everything its user reads and write nothing."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import LazyObject, SimpleLazyObject
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from otmetka.access.rules import current_school, is_school_staff, schools_for
from otmetka.accounts import tokens
from otmetka.accounts.models import ApiToken, User

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
DIARY = "/api/v1/diary/"  # api/diary.py: access by student (access.diary), no current school


class ReadOnlyToken(Exception):
    """A write with a read-only token (403)."""

    def __str__(self) -> str:
        return _("This device may only read. Allow it to send messages on the «My devices» page.")


def chosen_school(raw: str | None) -> int | None:
    """The school id a client names (header `X-Otmetka-School`, ЭлЖур's `school`), if any."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


def token_request(
    request: HttpRequest, raw: str, school: int | None = None, *, needs_school: bool = True
) -> ApiToken | None:
    """Authenticate `request` by the token `raw`: its user becomes `request.user` with their
    current school (`school` if it is theirs, else their first, as the pages choose; None when
    the call `needs_school` not: the diary's access is by student, in every school), or None
    for a token that does not work (unknown, expired, revoked, its user deactivated)."""
    token = tokens.token_user(raw)
    if token is None:
        return None
    user = token.user
    request.user = user
    found = current_school(user, school) if needs_school else None
    request.school = found  # type: ignore[attr-defined]
    request.user_schools = SimpleLazyObject(lambda: list(schools_for(user)))  # type: ignore[attr-defined]
    request.api_token = token  # type: ignore[attr-defined]
    return token


def writable_by_default(user: User) -> bool:
    """Staff tokens write (as their pages do); a family's token is read-only until its owner
    allows it on «Мои устройства»."""
    return is_school_staff(user)


class TokenAuth(HttpBearer):
    """ninja's bearer auth on our tokens; without the header the session auth is tried.
    `any_token`: a read-only token may call the route too (signing itself out)."""

    def __init__(self, *, any_token: bool = False) -> None:
        super().__init__()
        self.any_token = any_token

    def __call__(self, request: HttpRequest) -> Any:
        """ninja's, without building `request.headers` (a dict of every header) for a request
        with no Authorization header: the web session's requests."""
        if not request.META.get("HTTP_AUTHORIZATION"):
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        school = chosen_school(request.headers.get("X-Otmetka-School"))
        diary = request.path.startswith(DIARY)  # two queries fewer for an app's polling
        found = token_request(request, token, school, needs_school=not diary)
        if found is None:
            return None
        if request.method not in SAFE_METHODS and not (found.writable or self.any_token):
            raise ReadOnlyToken
        return found.user


token_auth = TokenAuth()


class SessionUserAuth(SessionAuth):
    """ninja's session auth (the CSRF check included), with `request.auth` the user itself
    rather than `request.user`'s lazy proxy: a handler's every `request.auth.<attribute>` and
    every model it is put on would otherwise go through `SimpleLazyObject` (about 170 proxied
    lookups in one mark's save)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        return user._wrapped if isinstance(user, LazyObject) else user


session_auth = SessionUserAuth()
