"""ETags of the diary's answers, per student: an app polling every minute costs the token and ONE
query (the access check, which carries the student's change marker), then a 304.

The marker is read, not maintained (no save path writes anything more for it): fingerprints of
what the answer is built from, each a scalar subquery on an index —

- the student's marks (count, last `updated_at`, and a weighted sum of id, the value's first
  letter, kind, deleted flag and comment length: an edit in place shows even when two saves
  share a timestamp) and absences (count and a weighted sum of id, code and minutes: an absence
  has no timestamp and is deleted for real) — of the lessons in the range for the diary days, all
  of them for the marks;
- for the days: the lessons of the student's courses in the range (count, last id: a lesson
  made or removed) with their last audit event (every topic, homework, attendance, status or
  move writes one), their substitutions (count, last id, the substitutes) and homework files;
- for the marks: the student's period marks (count, last `updated_at`, a weighted sum);
- the school's reference version (`school.refcache`: kinds of work, absence codes, periods,
  marking policies) and today's date (the "today" flag, the current period).

Another student's mark does not change this student's tag. What is not in it: a calendar edit
(holidays, vacations), a course's teachers or name, and for the marks the class average (other
students' marks): these show with the next change of the student's own data or the next day.
A fingerprint can in theory collide (an edit whose weighted sums cancel out); an app's
pull-to-refresh (no If-None-Match) always reads fresh."""

import datetime
import hashlib
from typing import Any

from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from otmetka.audit.models import Event
from otmetka.curriculum.models import Course, CourseMember
from otmetka.grading.models import PeriodMark
from otmetka.journal.models import Absence, HomeworkFile, Lesson, Mark, Substitution
from otmetka.people.models import Student
from otmetka.school.models import Enrollment, ReferenceVersion

# Written by hand, not built by the ORM: compiling a dozen nested subqueries cost more CPU than
# the whole 304 may (the SQL is the same on SQLite and PostgreSQL but for the letter's code).
# `{s}` is the student's id parameter, `{a}`/`{b}` the range's.
T = {m.__name__: m._meta.db_table for m in (Event, Course, CourseMember, PeriodMark, Absence,
                                           HomeworkFile, Lesson, Mark, Substitution, Student,
                                           Enrollment, ReferenceVersion)}  # fmt: skip
COURSES = (  # the student's courses: his classes' whole-class ones and his groups
    f"SELECT c.id FROM {T['Course']} c WHERE c.name = '' AND c.school_class_id IN"
    f" (SELECT e.school_class_id FROM {T['Enrollment']} e WHERE e.student_id = {{s}})"
    f" UNION SELECT m.course_id FROM {T['CourseMember']} m WHERE m.student_id = {{s}}"
)
LESSONS = (  # their lessons in the range, read once (a CTE) for every part
    f"SELECT l.id FROM {T['Lesson']} l WHERE l.course_id IN (SELECT cs.id FROM cs)"
    " AND l.date BETWEEN {a} AND {b}"
)
IN_RANGE = "SELECT ls.id FROM ls"


def _text(*parts: str) -> str:
    """The parts as one text, dot-separated (a NULL as empty)."""
    return " || '.' || ".join(f"COALESCE(CAST({p} AS TEXT), '')" for p in parts)


def _one(table: str, where: str, *parts: str) -> str:
    return f"(SELECT {_text(*parts)} FROM {T[table]} x WHERE {where})"


def _letter() -> str:
    return "ASCII" if connection.vendor == "postgresql" else "UNICODE"


def _marker_sql(days: bool) -> str:
    """The marker's SQL: the diary days' (`days`) or the marks'."""
    school = f"(SELECT st.school_id FROM {T['Student']} st WHERE st.id = {{s}})"
    marks_of = "x.student_id = {s}" + (f" AND x.lesson_id IN ({IN_RANGE})" if days else "")
    absences_of = marks_of
    letter = f"COALESCE({_letter()}(x.value), 0) * x.id"
    parts = [
        _one("ReferenceVersion", f"x.school_id = {school}", "MAX(x.version)"),
        _one(
            "Mark", marks_of, "COUNT(x.id)", "MAX(x.updated_at)",
            f"SUM(x.id + {letter} * 7919 + x.kind_id * 104729"
            " + CAST(x.is_deleted AS INTEGER) * 1299709 + LENGTH(x.comment) * 15485863)",
        ),
        _one(
            "Absence", absences_of, "COUNT(x.id)",
            "SUM(x.id + x.code_id * 7919 + COALESCE(x.minutes_late, 0) * 104729)",
        ),
    ]  # fmt: skip
    if days:
        parts += [
            _one("Lesson", f"x.id IN ({IN_RANGE})", "COUNT(x.id)", "MAX(x.id)"),
            _one(
                "Event",
                f"x.object_type = '{Lesson._meta.label_lower}' AND x.object_id IN"
                " (SELECT CAST(ls.id AS TEXT) FROM ls)",
                "MAX(x.id)",
            ),
            _one("Substitution", f"x.lesson_id IN ({IN_RANGE})",
                 "COUNT(x.id)", "MAX(x.id)", "SUM(x.substitute_id)"),
            _one("HomeworkFile", f"x.lesson_id IN ({IN_RANGE})", "COUNT(x.id)", "MAX(x.id)"),
        ]  # fmt: skip
    else:
        parts.append(
            _one(
                "PeriodMark", "x.student_id = {s}", "COUNT(x.id)", "MAX(x.updated_at)",
                f"SUM(x.id + {letter} * 7919 + CAST(x.is_deleted AS INTEGER) * 104729)",
            )
        )  # fmt: skip
    body = " || '|' || ".join(parts)
    if not days:
        return f"SELECT {body}"
    return f"WITH cs AS ({COURSES}), ls AS ({LESSONS}) SELECT {body}"


_SQL: dict[tuple[str, bool], tuple[str, list[str]]] = {}


def _compiled(days: bool) -> tuple[str, list[str]]:
    """The marker's SQL with `%s` placeholders and the names of its parameters, in order."""
    key = (connection.vendor, days)
    if key not in _SQL:
        template, names = _marker_sql(days), []
        for n, piece in enumerate(template.split("{")):
            if n:
                names.append(piece[0])
        _SQL[key] = (template.format(s="%s", a="%s", b="%s"), names)
    return _SQL[key]


def marker_sql(
    student_id: int, start: datetime.date | None, end: datetime.date | None
) -> tuple[str, list[Any]]:
    """The SQL (built once per database and kind) and parameters of the student's diary days'
    marker between the dates, or (no dates) of his marks' marker."""
    sql, names = _compiled(start is not None and end is not None)
    values: dict[str, Any] = {"s": student_id, "a": start, "b": end}
    if connection.vendor == "sqlite" and start and end:  # as the ORM sends dates there
        values |= {"a": start.isoformat(), "b": end.isoformat()}
    return sql, [values[n] for n in names]


def marker_fields(
    student_id: int, start: datetime.date | None, end: datetime.date | None
) -> dict[str, RawSQL]:
    """An annotation for the access query: the marker of `marker_sql`."""
    sql, params = marker_sql(student_id, start, end)
    return {"etag_marker": RawSQL(sql, params, output_field=TextField())}


def etag_of(marker: str, student_id: int, full_path: str) -> str:
    """The tag of the answer at `full_path` about the student with this marker, for today."""
    key = f"{marker}|{timezone.localdate()}|{student_id}|{full_path}"
    return '"' + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32] + '"'


def diary_etag(request: HttpRequest, student: Any) -> str:
    """The tag of the diary's answer to `request` about the student (read with `marker_fields`:
    the access query carries the marker)."""
    return etag_of(student.etag_marker, student.pk, request.get_full_path())


def named(request: HttpRequest, etag: str) -> bool:
    """Whether the client's If-None-Match names the tag."""
    sent = request.META.get("HTTP_IF_NONE_MATCH", "")
    return etag in [t.strip().removeprefix("W/") for t in sent.split(",")] or sent.strip() == "*"


def not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """304 when the client's If-None-Match names the current tag."""
    if named(request, etag):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    return None
