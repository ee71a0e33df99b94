"""API v1 (django-ninja): the journal grid and its writes, for the browser (session + CSRF) and
later mobile and offline clients. Handlers: parse → access → one selector or service."""

import functools
from collections.abc import Callable
from typing import Annotated, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, NinjaAPI, Path, Query, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile

from otmetka.access import rules
from otmetka.api.auth import ReadOnlyToken, session_auth, token_auth
from otmetka.api.http import ApiRequest
from otmetka.api.renderers import ORJSONRenderer
from otmetka.api.schemas import (
    IDEMPOTENT,
    READ_ERRORS,
    WRITE_ERRORS,
    CellChangeIn,
    CellsErrorOut,
    CellsIn,
    CellsOut,
    ErrorOut,
    Id,
    LessonPatchIn,
)
from otmetka.api.services import IdempotencyConflict, Once, idempotency_key
from otmetka.core.input import ID_MAX
from otmetka.grading.column import grid_column
from otmetka.journal import selectors, services
from otmetka.journal.changes import AbsenceChange, CellChange, CellsSaved, MarkChange
from otmetka.journal.models import Lesson
from otmetka.journal.validation import api_message
from otmetka.school.models import School


def _staff_only(view: Callable) -> Callable:
    """The API's documentation and OpenAPI schema: for logged-in school staff only (anonymous →
    the login page, anyone else → 404)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not rules.is_school_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


api = NinjaAPI(
    title="Otmetka API",
    version="1",
    urls_namespace="api",
    auth=[token_auth, session_auth],  # a token (apps, scripts) or the web session
    docs_url="/docs",
    docs_decorator=_staff_only,  # swagger-ui from ninja's static files: "ninja" is an app
    renderer=ORJSONRenderer(),
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": api_message("forbidden")}, status=403)


@api.exception_handler(ReadOnlyToken)
def _read_only(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": api_message("not_found")}, status=404)


@api.exception_handler(DjangoValidationError)
def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.messages[0]}, status=400)


@api.exception_handler(IdempotencyConflict)
def _conflict(request: HttpRequest, exc: IdempotencyConflict) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status)


@api.exception_handler(IntegrityError)
def _race(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    """Two requests with one Idempotency-Key at once: the second's write is rolled back (its
    answer could not be stored under the key); any other integrity error stays a server error."""
    if "api_idempotent" not in str(exc):  # the constraint's name (PostgreSQL), table (SQLite)
        raise exc
    return api.create_response(request, {"detail": api_message("idempotency_running")}, status=409)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals, in Russian: a body that is not JSON (or not UTF-8), not logged in,
    no CSRF token."""
    status = exc.status_code
    key = {400: "malformed", 401: "login_required", 403: "csrf"}.get(status)
    if status == 400 and str(exc).startswith("Cannot parse"):
        key = "not_json"
    detail = api_message(key) if key else str(exc)
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(NinjaValidationError)
def _malformed(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    body = {"detail": _malformed_detail(list(exc.errors)), "errors": exc.errors}
    return api.create_response(request, body, status=400)


def _malformed_detail(errors: list[dict]) -> str:
    """The Russian message of the first problem: our own check's text (a too long or
    unstorable text), or where the request went wrong."""
    for error in errors:
        if error.get("type") == "value_error" and error.get("ctx", {}).get("error"):
            return str(error["ctx"]["error"])
    if not errors:
        return api_message("malformed")
    loc = [str(part) for part in errors[0].get("loc", ())[1:]]
    if loc and loc[0] in ("payload", "body"):
        loc = loc[1:]
    if not loc:
        return api_message("malformed")
    return api_message("malformed_at") % {"field": ".".join(loc)}


PathId = Annotated[int, Path(ge=1, le=ID_MAX)]


def _school(request: ApiRequest) -> School:
    school = getattr(request, "school", None)
    if school is None:
        raise Http404
    return school


@api.get("/journal/{course_id}", url_name="journal_grid", response={200: dict, **READ_ERRORS})
def journal_grid(
    request: ApiRequest, course_id: PathId, period: Query[Id | None] = None
) -> HttpResponse:
    """The grid of a course in a period (default: the period containing today). Rendered as
    it is: the selector builds plain JSON, which ninja's response check would only copy."""
    course = selectors.journal_course_for(user=request.auth, school=_school(request), pk=course_id)
    found = (
        selectors.default_period(course)
        if period is None
        else selectors.period_for_course(course, period)
    )
    if found is None:
        raise Http404
    grid = selectors.journal_grid(user=request.auth, course=course, period=found)
    grid["period_column"] = grid_column(user=request.auth, course=course, period=found, grid=grid)
    return api.create_response(request, grid, status=200)


def _replayed(request: ApiRequest, once: Once) -> HttpResponse | None:
    """The first answer to a repeated Idempotency-Key, unchanged."""
    found = once.replay()
    if found is None:
        return None
    return api.create_response(request, found.body, status=found.status)


@api.post(
    "/lessons/{lesson_id}/cells",
    url_name="lesson_cells",
    response={200: CellsOut, **WRITE_ERRORS, 400: ErrorOut | CellsErrorOut},
    openapi_extra=IDEMPOTENT,
)
def lesson_cells(request: ApiRequest, lesson_id: PathId, payload: CellsIn) -> Any:
    """Save a batch of one lesson's cells, all or nothing; the answer is what the grid patches
    in place: the saved cells and the changed students' averages and absences. With an
    Idempotency-Key header a repeat gets the first answer and writes nothing."""
    school = _school(request)
    lesson: Lesson | services.LessonInScope
    if idempotency_key(request) is None:
        # The lesson's access check rides on the save's one read (Http404 from inside it).
        scope = rules.journal_lessons_sql(request.auth, school)
        lesson = services.LessonInScope(school=school, scope=scope, pk=lesson_id)
    else:  # checked before a stored answer is replayed
        lesson = selectors.journal_lesson_for(user=request.auth, school=school, pk=lesson_id)
    once = Once(request)
    if (replayed := _replayed(request, once)) is not None:
        return replayed
    changes = [_cell_change(c) for c in payload.changes]
    try:
        saved = services.cells_save(
            actor=request.auth,
            lesson=lesson,
            changes=changes,
            reason=payload.reason,
            on_saved=once.recorder(_cells_answer),
            made_at=payload.made_at,
        )
    except services.CellsError as exc:
        body = {
            "ok": False,
            "errors": {str(k): v for k, v in exc.errors.items()},
            "cells": selectors.lesson_cells(Lesson(pk=lesson.pk), [c.student for c in changes]),
        }
        return Status(400, body)
    # Rendered as it is, as the grid is: the answer is built field by field in CellsOut's shape
    # (journal.summary), which ninja's response check would only copy (tests/api compare it).
    return api.create_response(request, _cells_answer(saved), status=200)


def _cell_change(c: CellChangeIn) -> CellChange:
    """The service's typed change of one cell: an absence omitted stays as it is, null (or an
    empty code) clears it."""
    absence = c.absence if c.absence is not None and c.absence.code else None
    return CellChange(
        student=c.student,
        marks=tuple(
            MarkChange(value=m.value, kind=m.kind, comment=m.comment, id=m.id) for m in c.marks
        ),
        delete_marks=tuple(c.delete_marks),
        absence=AbsenceChange(code=absence.code, minutes=absence.minutes) if absence else None,
        clear_absence="absence" in c.model_fields_set and absence is None,
    )


def _cells_answer(saved: CellsSaved) -> dict:
    return {"ok": True, "errors": {}, "cells": saved.cells, "students": saved.students}


@api.patch(
    "/lessons/{lesson_id}",
    url_name="lesson_update",
    response={200: dict, **WRITE_ERRORS},
    openapi_extra=IDEMPOTENT,
)
def lesson_update(request: ApiRequest, lesson_id: PathId, payload: LessonPatchIn) -> Any:
    """Change a lesson's topic, homework, planned topic, or take attendance (all present)."""
    lesson = selectors.journal_lesson_for(user=request.auth, school=_school(request), pk=lesson_id)
    once = Once(request)
    if (replayed := _replayed(request, once)) is not None:
        return replayed
    fields = payload.model_dump(exclude_unset=True)
    warnings: list[str] = []

    def answer(result: Any) -> dict:
        found = result if isinstance(result, list) else warnings
        return {**selectors.lesson_view(user=request.auth, lesson=lesson), "warnings": found}

    if {"topic", "homework", "planned_topic", "homework_minutes"} & set(fields):
        warnings = services.lesson_update(
            actor=request.auth,
            lesson=lesson,
            topic=fields.get("topic"),
            homework=fields.get("homework"),
            planned_topic=((fields["planned_topic"] or 0) if "planned_topic" in fields else None),
            homework_minutes=fields.get("homework_minutes", services.KEEP),
            reason=payload.reason,
            on_saved=None if payload.all_present else once.recorder(answer),
            made_at=payload.made_at,
        )
    if payload.all_present:
        services.attendance_mark_all_present(
            actor=request.auth, lesson=lesson, reason=payload.reason, on_saved=once.recorder(answer)
        )
    return once.body if once.body is not None else answer(warnings)


@api.post(
    "/lessons/{lesson_id}/files",
    url_name="lesson_files",
    response={200: dict, **WRITE_ERRORS},
    openapi_extra=IDEMPOTENT,
)
def lesson_files(
    request: ApiRequest, lesson_id: PathId, file: File[UploadedFile], reason: Form[str] = ""
) -> Any:
    """Attach a homework file (multipart, field "file")."""
    lesson = selectors.journal_lesson_for(user=request.auth, school=_school(request), pk=lesson_id)
    once = Once(request)
    if (replayed := _replayed(request, once)) is not None:
        return replayed

    def answer(result: Any) -> dict:
        return selectors.lesson_view(user=request.auth, lesson=lesson)

    services.homework_file_add(
        actor=request.auth, lesson=lesson, uploaded_file=file, reason=reason,
        on_saved=once.recorder(answer),
    )  # fmt: skip
    return once.body if once.body is not None else answer(None)


@api.get(
    "/lessons/{lesson_id}/history", url_name="cell_history", response={200: list, **READ_ERRORS}
)
def cell_history(request: ApiRequest, lesson_id: PathId, student: Query[Id]) -> list:
    """The audit events of one cell, newest first."""
    lesson = selectors.journal_lesson_for(user=request.auth, school=_school(request), pk=lesson_id)
    return selectors.cell_history(user=request.auth, lesson=lesson, student=student)


api.add_router("/grading/", "otmetka.api.grading.router")
api.add_router("/messages", "otmetka.api.messaging.router")  # messages (issue 12)
api.add_router("/diary/", "otmetka.api.diary.router")  # issue 11: the diary, read-only
api.add_router("/", "otmetka.api.account.router")  # issue 17: token sign-in, who am I
