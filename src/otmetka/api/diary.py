"""API v1 of the diary (read-only, for mobile clients): the reader's children, a student's week,
marks for a period and homework. The same access as the pages (`access.diary`: a student their
own diary, a guardian their children while the link lasts; anyone else 404) and the same
selectors; the pages' "new since the last visit" is the pages' own, so the API gives each
mark's entry time instead."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Path, Query, Router, Schema

from otmetka.access.diary import diary_student_access
from otmetka.api.etag import diary_etag, marker_fields, not_modified
from otmetka.api.schemas import READ_ERRORS, Id
from otmetka.core.input import ID_MAX
from otmetka.diary import selectors

router = Router(tags=["diary"])
StudentId = Annotated[int, Path(ge=1, le=ID_MAX)]
MAX_DAYS = 120  # the longest range of one diary request: a half-year's period and a bit
CACHED: dict[int, Any] = {304: None}  # ETag / If-None-Match


class ChildOut(Schema):
    id: int
    name: str
    school: str
    current: bool


class ChildrenOut(Schema):
    children: list[ChildOut]


class FileOut(Schema):
    name: str
    url: str


class WeekMarkOut(Schema):
    value: str
    kind: str
    weight: Decimal
    comment: str
    at: datetime.datetime  # when the mark was entered


class AbsenceOut(Schema):
    code: str
    name: str
    minutes: int | None


class LessonOut(Schema):
    id: int
    number: int | None
    starts: datetime.time | None
    ends: datetime.time | None
    room: str
    subject: str
    group: str
    teacher: str
    substituted: bool
    topic: str
    homework: str
    files: list[FileOut]
    marks: list[WeekMarkOut]
    absence: AbsenceOut | None
    state: str  # "", "cancelled", "moved", "extra"


class DayOut(Schema):
    date: datetime.date
    kind: str  # school | holiday | vacation | quarantine | weekend | none
    note: str
    today: bool
    lessons: list[LessonOut]


class WeekOut(Schema):
    student: int
    monday: datetime.date
    saturday: datetime.date
    previous: datetime.date
    next: datetime.date
    days: list[DayOut]


class MarkOut(Schema):
    date: datetime.date
    value: str
    kind: str
    weight: Decimal
    comment: str


class SubjectOut(Schema):
    subject: str
    marks: list[MarkOut]
    average: str | None
    weighted: str | None
    class_average: str | None
    period_mark: str | None
    absences: int
    late: int


class PeriodOut(Schema):
    id: int
    name: str
    start: datetime.date
    end: datetime.date


class MarksOut(Schema):
    student: int
    period: PeriodOut | None
    periods: list[PeriodOut]
    subjects: list[SubjectOut]


class HomeworkItemOut(Schema):
    set_on: datetime.date
    due: datetime.date | None
    subject: str
    homework: str
    files: list[FileOut]


class HomeworkOut(Schema):
    student: int
    items: list[HomeworkItemOut]


def _period(p: Any) -> dict[str, Any]:
    return {"id": p.pk, "name": p.name, "start": p.start, "end": p.end}


@router.get("/children", url_name="diary_children", response={200: ChildrenOut, **READ_ERRORS})
def children(request: HttpRequest) -> Any:
    """The students whose diary the user reads (themself, their children in every school), the
    remembered one marked current."""
    reader = selectors.diary_reader(user=request.user)
    if not reader.students:  # as the pages: no diary to read is "not found"
        raise Http404
    current = reader.current.pk if reader.current else None
    return {
        "children": [
            {"id": s.pk, "name": s.full_name, "school": s.school.short_name or s.school.name,
             "current": s.pk == current}
            for s in reader.students
        ]
    }  # fmt: skip


@router.get("/{student_id}/week", url_name="diary_week", response={200: WeekOut, **READ_ERRORS})
def week(request: HttpRequest, student_id: StudentId, date: datetime.date | None = None) -> Any:
    """The student's week (Monday–Saturday) around `date` (default today)."""
    student = diary_student_access(request.user, student_id)
    data = selectors.diary_week(student=student, day=date or timezone.localdate())
    return {**data, "student": student.pk}


@router.get(
    "/{student_id}/marks",
    url_name="diary_marks",
    response={200: MarksOut, **CACHED, **READ_ERRORS},
)
def marks(
    request: HttpRequest,
    response: HttpResponse,
    student_id: StudentId,
    period: Query[Id | None] = None,
) -> Any:
    """The student's marks by subject for a period (default: the current one), with averages,
    the class's average and the period mark when set. With the answer's ETag in
    If-None-Match, 304 while nothing changed."""
    student = diary_student_access(request.user, student_id, marker_fields(student_id, None, None))
    etag = diary_etag(request, student)
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    response["ETag"] = etag
    data = selectors.diary_marks(student=student, chosen_period=period)
    return {
        "student": student.pk,
        "period": _period(data["period"]) if data["period"] else None,
        "periods": [_period(p) for p in data["periods"]],
        "subjects": data["subjects"],
    }


@router.get(
    "/{student_id}/homework", url_name="diary_homework", response={200: HomeworkOut, **READ_ERRORS}
)
def homework(request: HttpRequest, student_id: StudentId) -> Any:
    """Homework still to do, by due date, with file links."""
    student = diary_student_access(request.user, student_id)
    data = selectors.diary_homework(student=student, today=timezone.localdate())
    return {"student": student.pk, "items": data["items"]}


class PeriodsOut(Schema):
    student: int
    current: int | None
    periods: list[PeriodOut]


@router.get(
    "/{student_id}/periods", url_name="diary_periods", response={200: PeriodsOut, **READ_ERRORS}
)
def periods(request: HttpRequest, student_id: StudentId) -> Any:
    """The periods (quarters, half-years…) of the student's class this year, and the current
    one."""
    student = diary_student_access(request.user, student_id)
    found, current = selectors.student_periods(student)
    return {"student": student.pk, "current": current.pk if current else None,
            "periods": [_period(p) for p in found]}  # fmt: skip


class DaysOut(Schema):
    student: int
    start: datetime.date
    end: datetime.date
    days: list[DayOut]


def date_range(start: datetime.date | None, end: datetime.date | None) -> tuple[Any, Any]:
    """The range asked for (default: this week, Monday to Sunday), at most MAX_DAYS long."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    monday = selectors.week_start(timezone.localdate())
    try:
        start = start or (end - datetime.timedelta(days=6) if end else monday)
        end = end or start + datetime.timedelta(days=6)
    except OverflowError:  # a week before year 1 or after 9999
        start, end = datetime.date.max, datetime.date.min
    if end < start or (end - start).days >= MAX_DAYS:
        raise ValidationError(
            _("The date range must run forward and be at most %(days)s days long.")
            % {"days": MAX_DAYS}
        )
    return start, end


@router.get(
    "/{student_id}/days",
    url_name="diary_days",
    response={200: DaysOut, **CACHED, **READ_ERRORS},
)
def days(
    request: HttpRequest,
    response: HttpResponse,
    student_id: StudentId,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Any:
    """The student's diary from `start` to `end` (default: this week; at most 120 days): each
    day's lessons with topic, homework, files, marks and absence, days without lessons saying
    why. With the answer's ETag in If-None-Match, 304 while nothing changed."""
    start, end = date_range(start, end)
    student = diary_student_access(request.user, student_id, marker_fields(student_id, start, end))
    etag = diary_etag(request, student)
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    response["ETag"] = etag
    data = selectors.diary_days(student=student, start=start, end=end)
    return {"student": student.pk, "start": start, "end": end, "days": data["days"]}


class SlotOut(Schema):
    number: int | None
    starts: datetime.time | None
    ends: datetime.time | None
    subject: str
    group: str
    room: str
    teacher: str
    state: str


class TimetableDayOut(Schema):
    date: datetime.date
    kind: str
    note: str
    lessons: list[SlotOut]


class TimetableOut(Schema):
    student: int
    monday: datetime.date
    days: list[TimetableDayOut]


@router.get(
    "/{student_id}/timetable",
    url_name="diary_timetable",
    response={200: TimetableOut, **READ_ERRORS},
)
def timetable(
    request: HttpRequest, student_id: StudentId, date: datetime.date | None = None
) -> Any:
    """The class's lessons of the week around `date` (default today): bell, times, subject,
    room and teacher, with moves, cancellations and substitutions."""
    student = diary_student_access(request.user, student_id)
    week = selectors.diary_week(student=student, day=date or timezone.localdate())
    return {"student": student.pk, "monday": week["monday"], "days": week["days"]}
