"""API v1 (django-ninja): the journal grid and its writes, for the browser (session + CSRF) and
later mobile and offline clients. Handlers: parse → access → one selector or service."""

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, NinjaAPI, Path, Query
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.security import django_auth

from otmetka.api.schemas import CellsIn, Id, LessonPatchIn
from otmetka.core.input import ID_MAX
from otmetka.journal import selectors, services
from otmetka.journal.validation import api_message

api = NinjaAPI(
    title="Otmetka API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": api_message("forbidden")}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": api_message("not_found")}, status=404)


@api.exception_handler(DjangoValidationError)
def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.messages[0]}, status=400)


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


def _school(request: HttpRequest) -> Any:
    school = getattr(request, "school", None)
    if school is None:
        raise Http404
    return school


@api.get("/journal/{course_id}", url_name="journal_grid")
def journal_grid(request: HttpRequest, course_id: PathId, period: Query[Id | None] = None) -> dict:
    """The grid of a course in a period (default: the period containing today)."""
    course = selectors.journal_course_for(user=request.auth, school=_school(request), pk=course_id)
    found = (
        selectors.default_period(course)
        if period is None
        else selectors.period_for_course(course, period)
    )
    if found is None:
        raise Http404
    return selectors.journal_grid(user=request.auth, course=course, period=found)


@api.post("/lessons/{lesson_id}/cells", url_name="lesson_cells")
def lesson_cells(request: HttpRequest, lesson_id: PathId, payload: CellsIn) -> Any:
    """Save a batch of one lesson's cells, all or nothing; the saved cells come back."""
    lesson = selectors.journal_lesson_for(user=request.auth, school=_school(request), pk=lesson_id)
    changes = []
    for c in payload.changes:
        change: dict[str, Any] = {
            "student": c.student,
            "marks": [m.dict() for m in c.marks],
            "delete_marks": c.delete_marks,
        }
        if "absence" in c.model_fields_set:  # omitted leaves the absence alone; null clears it
            change["absence"] = c.absence.dict() if c.absence and c.absence.code else None
        changes.append(change)
    student_ids = [c.student for c in payload.changes]
    try:
        cells = services.cells_save(
            actor=request.auth, lesson=lesson, changes=changes, reason=payload.reason
        )
    except services.CellsError as exc:
        body = {
            "ok": False,
            "errors": {str(k): v for k, v in exc.errors.items()},
            "cells": selectors.lesson_cells(lesson, student_ids),
        }
        return api.create_response(request, body, status=400)
    return {"ok": True, "errors": {}, "cells": cells}


@api.patch("/lessons/{lesson_id}", url_name="lesson_update")
def lesson_update(request: HttpRequest, lesson_id: PathId, payload: LessonPatchIn) -> dict:
    """Change a lesson's topic, homework, planned topic, or take attendance (all present)."""
    lesson = selectors.journal_lesson_for(user=request.auth, school=_school(request), pk=lesson_id)
    fields = payload.dict(exclude_unset=True)
    warnings: list[str] = []
    if {"topic", "homework", "planned_topic"} & set(fields):
        warnings = services.lesson_update(
            actor=request.auth,
            lesson=lesson,
            topic=fields.get("topic"),
            homework=fields.get("homework"),
            planned_topic=((fields["planned_topic"] or 0) if "planned_topic" in fields else None),
            reason=payload.reason,
        )
    if payload.all_present:
        services.attendance_mark_all_present(
            actor=request.auth, lesson=lesson, reason=payload.reason
        )
    return {**selectors.lesson_view(user=request.auth, lesson=lesson), "warnings": warnings}


@api.post("/lessons/{lesson_id}/files", url_name="lesson_files")
def lesson_files(
    request: HttpRequest, lesson_id: PathId, file: File[UploadedFile], reason: Form[str] = ""
) -> dict:
    """Attach a homework file (multipart, field "file")."""
    lesson = selectors.journal_lesson_for(user=request.auth, school=_school(request), pk=lesson_id)
    services.homework_file_add(actor=request.auth, lesson=lesson, uploaded_file=file, reason=reason)
    return selectors.lesson_view(user=request.auth, lesson=lesson)


@api.get("/lessons/{lesson_id}/history", url_name="cell_history")
def cell_history(request: HttpRequest, lesson_id: PathId, student: Query[Id]) -> list:
    """The audit events of one cell, newest first."""
    lesson = selectors.journal_lesson_for(user=request.auth, school=_school(request), pk=lesson_id)
    return services.cell_history(user=request.auth, lesson=lesson, student=student)
