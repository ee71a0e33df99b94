"""API v1 sign-in for apps and scripts (`POST /auth/token`, `DELETE /auth/token`) and who the
caller is (`GET /me`). The sign-in is the web login's: the same throttle and lockout, the same
audit; the token answers once and is stored hashed."""

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import StringConstraints

from otmetka.access.rules import is_school_staff, school_roles
from otmetka.accounts import tokens
from otmetka.api.auth import TokenAuth, session_auth, writable_by_default
from otmetka.api.schemas import READ_ERRORS, ErrorOut, InputSchema
from otmetka.diary import selectors as diary

router = Router(tags=["account"])

Login = Annotated[str, StringConstraints(max_length=150)]
Password = Annotated[str, StringConstraints(max_length=1000)]
Device = Annotated[str, StringConstraints(max_length=tokens.NAME_MAX)]


class TokenIn(InputSchema):
    """A login and password, and a name for the device (shown on «Мои устройства»)."""

    login: Login
    password: Password
    device: Device = ""


class TokenOut(Schema):
    token: str
    expires: datetime.datetime
    writable: bool
    user: int


class RevokedOut(Schema):
    revoked: bool


SIGN_IN_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 429: ErrorOut}


def issue(request: HttpRequest, *, login: str, password: str, device: str) -> tuple[str, Any]:
    """Sign in with a password and make a token → (token, its row); SignInRefused otherwise.
    Served to /api/v1/auth/token and ЭлЖур's `auth` alike."""
    user = tokens.sign_in(request=request, login=login, password=password)
    return tokens.token_issue(user=user, name=device, writable=writable_by_default(user))


@router.post(
    "/auth/token", url_name="auth_token", auth=None, response={200: TokenOut, **SIGN_IN_ERRORS}
)
def token_create(request: HttpRequest, payload: TokenIn) -> Any:
    """Sign in with login and password → a token for `Authorization: Bearer <token>`, its
    expiry and whether it may write (staff: yes; students and parents: read-only until allowed
    on «Мои устройства»). Wrong password: 400; locked login: 429 (as on the site)."""
    try:
        raw, token = issue(
            request, login=payload.login, password=payload.password, device=payload.device
        )
    except tokens.SignInRefused as exc:
        return Status(exc.status, {"detail": exc.message})
    return {"token": raw, "expires": token.expires_at, "writable": token.writable,
            "user": token.user_id}  # fmt: skip


@router.delete(
    "/auth/token",
    url_name="auth_token_revoke",
    auth=[TokenAuth(any_token=True), session_auth],
    response={200: RevokedOut, **READ_ERRORS},
)
def token_delete(request: HttpRequest) -> Any:
    """Sign this device out: the token of the request stops working (a session: nothing)."""
    token = getattr(request, "api_token", None)
    if token is not None:
        tokens.token_revoke(actor=request.user, token_id=token.pk)  # type: ignore[arg-type]
    return {"revoked": token is not None}


class MeStudentOut(Schema):
    id: int
    name: str
    school: str
    school_class: str


class MeOut(Schema):
    id: int
    login: str
    last_name: str
    first_name: str
    middle_name: str
    roles: list[str]
    staff: bool
    school: str | None
    students: list[MeStudentOut]


def diary_students(user: Any) -> list[dict[str, Any]]:
    """The students whose diary the user reads, with their current class (two queries)."""
    reader = diary.diary_reader(user=user)
    classes = diary.current_classes(reader.students)
    return [
        {"id": s.pk, "name": s.full_name, "school": s.school.short_name or s.school.name,
         "school_class": classes.get(s.pk, "")}
        for s in reader.students
    ]  # fmt: skip


@router.get("/me", url_name="me", response={200: MeOut, **READ_ERRORS})
def me(request: HttpRequest) -> Any:
    """Who the caller is: name, roles in the current school, the students whose diary they
    read (themself, their children)."""
    user: Any = request.user
    school = getattr(request, "school", None)
    return {
        "id": user.pk, "login": user.username, "last_name": user.last_name,
        "first_name": user.first_name, "middle_name": user.middle_name,
        "roles": sorted(school_roles(user, school)), "staff": is_school_staff(user),
        "school": (school.short_name or school.name) if school else None,
        "students": diary_students(user),
    }  # fmt: skip
