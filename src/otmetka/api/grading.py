"""API v1, period and year marks (`/api/v1/grading/…`): read a course's period (or year)
marks with the suggestions, read a student's period and year marks, and set a course's period
marks with the same service and checks as the teacher's page (all or nothing, audited)."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from otmetka.access import grading as access
from otmetka.api.schemas import (
    IDEMPOTENT,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Id,
    InputSchema,
    Reason,
)
from otmetka.api.services import Once
from otmetka.core.input import ID_MAX
from otmetka.grading import selectors, services
from otmetka.grading.models import PeriodMark

router = Router(tags=["grading"])


class AuthRequest(HttpRequest):
    """A request ninja's session auth has passed: `auth` is the user."""

    auth: Any


PathId = Annotated[int, Path(ge=1, le=ID_MAX)]


class EntryIn(InputSchema):
    """One student's period mark: a value of the course's scale, «н/а» (with its reason:
    "valid" or "invalid"), «осв» (with its basis), or "" to clear the mark."""

    student: Id
    value: Annotated[str, Field(max_length=20)] = ""
    na_reason: Annotated[str, Field(max_length=20)] = ""
    basis: Annotated[str, Field(max_length=200)] = ""


class PeriodMarksIn(InputSchema):
    """A batch of one course's period marks: `period` an id of the course's periods, or
    `year: true` for the year marks; `reason` is required of a corrector."""

    period: Id | None = None
    year: bool = False
    entries: Annotated[list[EntryIn], Field(max_length=200)]
    reason: Reason = ""


class PeriodMarksErrorOut(Schema):
    """A refused batch: the first Russian message, and one per student id; nothing written."""

    detail: str
    errors: dict[str, str]


def _school(request: HttpRequest) -> Any:
    school = getattr(request, "school", None)
    if school is None:
        raise Http404
    return school


def _period(course: Any, period: int | None, year: bool) -> Any:
    """The period asked (None with `year`); 404 for one that is not the course's."""
    return None if year else selectors.course_period(course, period)


def _mark(mark: PeriodMark | None) -> dict[str, str]:
    if mark is None:
        return {"value": "", "na_reason": "", "basis": ""}
    return {"value": mark.value, "na_reason": mark.na_reason, "basis": mark.basis}


@router.get(
    "/courses/{course_id}/period-marks",
    url_name="grading_period_marks",
    response={200: dict, **READ_ERRORS},
)
def period_marks(
    request: AuthRequest, course_id: PathId, period: Query[Id | None] = None, year: bool = False
) -> dict[str, Any]:
    """The period (default: the current) or year marks of a course, each student's with the
    count of current marks, their mean, the suggested mark and whether the mark differs."""
    course = access.period_marks_course(request.auth, _school(request), course_id)
    found = _period(course, period, year)
    page = selectors.period_marks_page(user=request.auth, course=course, period=found)
    rows = [
        {"student": r.id, "name": r.name, "count": r.count,
         "average": str(r.average) if r.average is not None else None,
         "suggestion": r.suggestion, **_mark(r.mark), "differs": r.differs,
         "too_few": r.too_few, "periods": r.periods}
        for r in page["rows"]
    ]  # fmt: skip
    return {
        "course": course.pk, "period": found.pk if found is not None else None,
        "closed": page["closed"], "can_write": page["can_write"], "minimum": page["minimum"],
        "allowed": list(page["allowed"]), "rows": rows,
    }  # fmt: skip


@router.get(
    "/students/{student_id}/period-marks",
    url_name="grading_student_marks",
    response={200: list, **READ_ERRORS},
)
def student_marks(request: AuthRequest, student_id: PathId) -> list[dict[str, Any]]:
    """A student's period and year marks (the student, their guardians, staff who see them)."""
    return selectors.period_marks_for_student(
        user=request.auth, school=_school(request), student_id=student_id
    )


@router.post(
    "/courses/{course_id}/period-marks",
    url_name="grading_period_marks_save",
    response={200: dict, **WRITE_ERRORS, 400: ErrorOut | PeriodMarksErrorOut},
    openapi_extra=IDEMPOTENT,
)
def period_marks_save(request: AuthRequest, course_id: PathId, payload: PeriodMarksIn) -> Any:
    """Set period (or year) marks, all or nothing, as the page does; a year mark that fails
    opens an academic debt. Answers how many marks changed. With an Idempotency-Key header a
    repeat gets the first answer and writes nothing."""
    course = access.period_marks_course(request.auth, _school(request), course_id)
    found = _period(course, payload.period, payload.year)
    once = Once(request)  # type: ignore[arg-type]
    if (replayed := once.replay()) is not None:
        return Status(replayed.status, replayed.body)
    entries: dict[int, dict[str, Any]] = {}
    for e in payload.entries:
        entries[e.student] = {"value": e.value, "na_reason": e.na_reason, "basis": e.basis}
    try:
        with transaction.atomic():
            changed = services.period_marks_save(
                actor=request.auth, course=course, period=found, entries=entries,
                reason=payload.reason,
            )  # fmt: skip
            answer = {"ok": True, "changed": changed}
            if (record := once.recorder(lambda result: result)) is not None:
                record(answer)
    except services.PeriodMarksError as exc:
        errors = {str(k): v for k, v in exc.errors.items()}
        return Status(400, {"detail": next(iter(errors.values())), "errors": errors})
    return answer
