"""ETags of the diary's answers, per student: an app polling every minute costs the token and ONE
query (the access check, which carries the student's change marker), then a 304.

The marker is read, not maintained (no save path writes anything more for it): fingerprints of
what the answer is built from, each a scalar subquery on an index —

- the student's marks (count, last `updated_at`: a change or soft delete stamps it) and
  absences (count and a weighted sum of id, code and minutes: an absence has no timestamp and is
  deleted for real) — of the lessons in the range for the diary days, all of them for the marks;
- for the days: the lessons of the student's courses in the range (count, last id: a lesson
  made or removed) with their last audit event (every topic, homework, attendance, status or
  move writes one), their substitutions (count, last id, the substitutes) and homework files;
- for the marks: the student's period marks (count, last `updated_at`);
- the school's reference version (`school.refcache`: kinds of work, absence codes, periods,
  marking policies) and today's date (the "today" flag, the current period).

Another student's mark does not change this student's tag. What is not in it: a calendar edit
(holidays, vacations), a course's teachers or name, and for the marks the class average (other
students' marks): these show with the next change of the student's own data or the next day.
Two saves of the same student's mark racing in the same microsecond could keep a tag; an app's
pull-to-refresh (no If-None-Match) always reads fresh."""

import datetime
import hashlib
from typing import Any

from django.db.models import (
    CharField,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Length, Ord
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from otmetka.audit.models import Event
from otmetka.curriculum.models import Course, CourseMember
from otmetka.grading.models import PeriodMark
from otmetka.journal.models import Absence, HomeworkFile, Lesson, Mark, Substitution
from otmetka.school.models import Enrollment, ReferenceVersion

LESSON = Lesson._meta.label_lower
SUBSTITUTION = Substitution._meta.label_lower


def _outer(name: str, depth: int) -> Any:
    """`OuterRef` to the student query's field from `depth` subqueries down."""
    ref: Any = name
    for _ in range(depth):
        ref = OuterRef(ref)
    return ref


def _sql(function: str, field: str) -> Func:
    """An aggregate written as a plain function: no GROUP BY, one row per subquery."""
    return Func(F(field), function=function)


def _text(expr: Expression | Func) -> Cast:
    return Cast(Coalesce(Cast(expr, CharField()), Value("")), CharField())


def _scalar(rows: QuerySet[Any], *parts: Func) -> Subquery:
    """One text value from a subquery: its aggregates joined by dots."""
    joined: list[Any] = []
    for part in parts:
        joined += [_text(part), Value(".")]
    marker = Concat(*joined[:-1]) if len(parts) > 1 else joined[0]
    return Subquery(rows.order_by().annotate(marker=marker).values("marker")[:1])


def _courses(level: int) -> QuerySet[Course, Any]:
    """The student's courses, as a subquery at nesting `level`: his classes' (whole-class) and
    his groups' (any dates: a few more lessons in the fingerprint never make a tag stale)."""
    student = _outer("pk", level + 1)
    classes = Enrollment.objects.filter(student_id=student).values("school_class")
    groups = CourseMember.objects.filter(student_id=student).values("course")
    return Course.objects.filter(Q(school_class_id__in=classes, name="") | Q(pk__in=groups)).values(
        "pk"
    )


def _lessons(level: int, start: datetime.date, end: datetime.date) -> QuerySet[Lesson]:
    """The lessons of the student's courses between the dates, as a subquery at `level`."""
    return Lesson.objects.filter(course_id__in=_courses(level + 1), date__range=(start, end))


def _weighted(*terms: Any) -> Func:
    """A content fingerprint of the rows: the sum of each row's id and fields, weighted apart
    (an edit in place with the clock standing still changes it too)."""
    total: Any = F("id")
    for term, weight in zip(terms, (7919, 104729, 1299709, 15485863), strict=False):
        total = total + Coalesce(term, 0) * weight
    return Func(total, function="SUM", output_field=IntegerField())


def _flag(field: str) -> Cast:
    return Cast(field, IntegerField())


def _value(field: str) -> Any:
    """A mark's value as a number: its first letter's code (5, 4, н, зач, незач differ)."""
    return Coalesce(Ord(field), 0) * F("id")


def marker_fields(start: datetime.date | None, end: datetime.date | None) -> dict[str, Subquery]:
    """Annotations for a Student query: the diary days' marker between the dates, or (no dates)
    the marks' marker."""
    me = _outer("pk", 1)
    version = ReferenceVersion.objects.filter(school_id=_outer("school_id", 1))
    fields = {"etag_ref": _scalar(version, _sql("MAX", "version"))}
    if start is None or end is None:
        marks = Mark.objects.filter(student_id=me)
        absences = Absence.objects.filter(student_id=me)
        period = PeriodMark.objects.filter(student_id=me)
        fields["etag_period"] = _scalar(
            period,
            _sql("COUNT", "id"),
            _sql("MAX", "updated_at"),
            _weighted(_value("value"), _flag("is_deleted")),
        )
    else:
        lessons = _lessons(1, start, end)
        in_range = _lessons(2, start, end).values("pk")
        marks = Mark.objects.filter(student_id=me, lesson_id__in=in_range)
        absences = Absence.objects.filter(student_id=me, lesson_id__in=in_range)
        ids = _lessons(2, start, end).annotate(key=Cast("pk", CharField())).values("key")
        events = Event.objects.filter(object_type=LESSON, object_id__in=ids)
        subs = Substitution.objects.filter(lesson_id__in=in_range)
        files = HomeworkFile.objects.filter(lesson_id__in=in_range)
        fields |= {
            "etag_lessons": _scalar(lessons, _sql("COUNT", "id"), _sql("MAX", "id")),
            "etag_events": _scalar(events, _sql("MAX", "id")),
            "etag_subs": _scalar(
                subs, _sql("COUNT", "id"), _sql("MAX", "id"), _sql("SUM", "substitute_id")
            ),
            "etag_files": _scalar(files, _sql("COUNT", "id"), _sql("MAX", "id")),
        }
    fields["etag_marks"] = _scalar(
        marks,
        _sql("COUNT", "id"),
        _sql("MAX", "updated_at"),
        _weighted(_value("value"), F("kind_id"), _flag("is_deleted"), Length("comment")),
    )
    fields["etag_absences"] = _scalar(
        absences, _sql("COUNT", "id"), _weighted(F("code_id"), F("minutes_late"))
    )
    return fields


def diary_etag(request: HttpRequest, student: Any) -> str:
    """The tag of the diary's answer to `request` about the student (read with `marker_fields`:
    the access query carries the marker), for today."""
    marker = "|".join(str(getattr(student, k)) for k in sorted(vars(student)) if k[:5] == "etag_")
    key = f"{marker}|{timezone.localdate()}|{student.pk}|{request.get_full_path()}"
    return '"' + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32] + '"'


def not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """304 when the client's If-None-Match names the current tag."""
    sent = request.headers.get("If-None-Match", "")
    if etag in [t.strip().removeprefix("W/") for t in sent.split(",")] or sent.strip() == "*":
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    return None
