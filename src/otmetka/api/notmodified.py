"""An app's diary poll answered 304 before the rest of the request: a middleware early in the
chain reads the token, the user, the diary access and the ETag marker in ONE hand-written
statement (its text built once per database and kind) and answers 304 when the client's
If-None-Match names the tag; the session, the auth middleware, django-ninja's routing, auth
and parameters never run.

Anything else goes on down the chain to the API's own route (api/diary.py), which answers as
before: no token or a token that does not work (it may be a session's request), no access (the
route's 404), a changed tag (the 200), a query string it does not read exactly as the route
does. So this path only ever answers what the route would have: the same 304, the same tag
(api/etag.py). The access rules are the same: `tokens` (live, not revoked, an active user) and
`access.diary` (the student's own diary, or a child's by a link in force), each condition
written beside its ORM form."""

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from otmetka.access.diary import diary_student_sql
from otmetka.accounts import tokens
from otmetka.accounts.models import ApiToken, User
from otmetka.api.diary import date_range
from otmetka.api.etag import etag_of, marker_sql, named
from otmetka.core.input import ID_MAX
from otmetka.core.middleware import PRIVATE
from otmetka.core.rows import planned_cursor

PATH = re.compile(r"/api/v1/diary/([1-9][0-9]{0,17})/(days|marks)")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ID = re.compile(r"[1-9][0-9]{0,17}")

_SQL: dict[tuple[str, bool], str] = {}


def _statement(days: bool) -> str:
    """The token (live, its user active) with the marker, when the user reads the student."""
    key = (connection.vendor, days)
    if key not in _SQL:
        marker = marker_sql(1, *((datetime.date.min,) * 2 if days else (None, None)))[0]
        _SQL[key] = (
            f"SELECT t.id, t.last_used_at, ({marker})"
            f" FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id"
            " WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s"
            f" AND u.is_active = %s AND {diary_student_sql('u.id')}"
        )
    return _SQL[key]


def _dates(request: HttpRequest, days: bool) -> tuple[Any, Any] | None:
    """The range (days) the route reads from the query string; None for anything the route
    might read otherwise (left to it)."""
    query = request.GET
    if set(query) - ({"start", "end"} if days else {"period"}):
        return None
    if any(len(query.getlist(k)) != 1 for k in query):
        return None
    if not days:
        period = query.get("period")
        ok = period is None or (ID.fullmatch(period) and int(period) <= ID_MAX)
        return (None, None) if ok else None
    texts = {k: str(query[k]) for k in query}
    if not all(DATE.fullmatch(v) for v in texts.values()):
        return None
    try:
        found = {k: datetime.date.fromisoformat(v) for k, v in texts.items()}
        return date_range(found.get("start"), found.get("end"))
    except (ValueError, ValidationError):
        return None


def _bearer(request: HttpRequest) -> str | None:
    """The token of `Authorization: Bearer …`, as django-ninja's HttpBearer reads it."""
    parts = request.META.get("HTTP_AUTHORIZATION", "").split(" ")
    return " ".join(parts[1:]) if len(parts) > 1 and parts[0].lower() == "bearer" else None


def quick_304(request: HttpRequest, student_id: int, days: bool) -> HttpResponse | None:
    """The 304 of the diary's days or marks of the student, or None (the route answers)."""
    raw = _bearer(request)
    hashed = tokens.key_hash(raw) if raw else None
    dates = _dates(request, days) if hashed else None
    if hashed is None or dates is None:
        return None
    now = timezone.now()
    ops = connection.ops
    params = [
        *marker_sql(student_id, *dates)[1],
        hashed, ops.adapt_datetimefield_value(now), True,
        student_id, ops.adapt_datefield_value(timezone.localdate()),
    ]  # fmt: skip
    with planned_cursor() as cursor:  # planned once per connection on PostgreSQL
        cursor.execute(_statement(days), params)
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, last_used, marker = row
    etag = etag_of(marker, student_id, request.get_full_path())
    if not named(request, etag):
        return None
    if isinstance(last_used, str):  # SQLite without the ORM's converters
        last_used = datetime.datetime.fromisoformat(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, datetime.UTC)
    tokens.touch(token_id, last_used, now)
    response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Cache-Control"] = PRIVATE
    return response


class DiaryNotModifiedMiddleware:
    """Early in MIDDLEWARE: `quick_304` for a GET of a diary's days or marks with a bearer
    token and If-None-Match; everything else passes on untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and "HTTP_IF_NONE_MATCH" in request.META:
            matched = PATH.fullmatch(request.path_info)
            if matched is not None and int(matched[1]) <= ID_MAX:
                answer = quick_304(request, int(matched[1]), matched[2] == "days")
                if answer is not None:
                    return answer
        return self.get_response(request)
