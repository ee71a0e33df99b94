"""The one read of a student's days (the diary's week, the API's ranges, ЭлЖур's getdiary): his
enrollments and group memberships in the range, his lessons with subject and substitute, their
courses' teachers, his marks and absences at them and their homework files — one UNION ALL of
typed rows, its text built once per database (as journal/cellread.py reads a save). It replaces
seven ORM queries whose building and compiling cost more CPU than the database's work.

Every value is read as an integer or as text (PostgreSQL's UNION wants one type a column); the
rows that have an order carry their number (`ROW_NUMBER()`: the database's own collation and
NULL order, as the ORM's `order_by` had them)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import cache
from typing import Any, NamedTuple

from django.db import connection
from django.urls import reverse

from otmetka.core.rows import table as _t
from otmetka.curriculum.models import Course, CourseMember, Subject
from otmetka.journal.cellread import _moment, _weight
from otmetka.journal.models import (
    Absence,
    AbsenceCode,
    HomeworkFile,
    Lesson,
    Mark,
    MarkKind,
    Substitution,
)
from otmetka.people.models import Student
from otmetka.school.models import Enrollment, SchoolClass

ENROLLED, MEMBER, LESSON, TEACHER, MARK, ABSENCE, FILE = range(7)  # the rows' tags
WIDTH = 6, 13  # integer and text columns after the tag and the order number


def _row(tag: int, n: str, ints: list[str], texts: list[str]) -> str:
    """A branch's select list: the tag, its order, integers, texts (padded with NULLs)."""
    # typed NULLs: PostgreSQL types a column of two NULL branches as text before the next one
    ints = ints + ["CAST(NULL AS BIGINT)"] * (WIDTH[0] - len(ints))
    texts = [f"CAST({t} AS TEXT)" for t in texts + ["NULL"] * (WIDTH[1] - len(texts))]
    return f"SELECT {tag}, {n}, {', '.join(ints + texts)}"


@cache
def _sql(vendor: str) -> str:
    """The read; parameters: student, school, end, start (enrollments), the same for the groups,
    school, start, end (lessons), student, False (marks), student (absences)."""
    del vendor  # one text per database: quote_name is the backend's
    end = connection.ops.quote_name("end")
    teachers, user = _t(Course.teachers.through), _t(Course.teachers.field.related_model)
    spans = (
        f"x.student_id = %s AND x.school_id = %s AND x.start <= %s"
        f" AND (x.{end} IS NULL OR x.{end} >= %s)"
    )
    lessons = f"""SELECT l.id, l.course_id FROM {_t(Lesson)} l WHERE l.school_id = %s
        AND l.date BETWEEN %s AND %s AND l.course_id IN (
          SELECT c.id FROM {_t(Course)} c WHERE c.name = '' AND c.school_class_id IN
            (SELECT en.school_class_id FROM en)
          UNION SELECT gm.course_id FROM gm)"""
    return f"""
        WITH en AS (SELECT x.* FROM {_t(Enrollment)} x WHERE {spans}),
             gm AS (SELECT x.* FROM {_t(CourseMember)} x WHERE {spans}),
             ls AS ({lessons})
        {_row(ENROLLED, "ROW_NUMBER() OVER (ORDER BY en.start)",
              ["k.id", "k.grade", "k.week_days", "k.year_id", "k.homeroom_teacher_id"],
              ["en.start", f"en.{end}", "k.letter", "k.period_scheme"])}
          FROM en JOIN {_t(SchoolClass)} k ON k.id = en.school_class_id
        UNION ALL
        {_row(MEMBER, "0", ["gm.course_id"], ["gm.start", f"gm.{end}"])} FROM gm
        UNION ALL
        {_row(LESSON, "ROW_NUMBER() OVER (ORDER BY l.date, l.bell_number, l.starts_at, l.id)",
              ["l.id", "l.bell_number", "l.slot_id", "l.course_id", "c.school_class_id",
               "CASE WHEN l.is_extra THEN 1 ELSE 0 END"],
              ["l.date", "l.starts_at", "l.ends_at", "l.room", "l.status", "l.topic",
               "l.homework", "l.homework_entered_at", "c.name", "s.name", "u.last_name",
               "u.first_name", "u.middle_name"])}
          FROM {_t(Lesson)} l JOIN {_t(Course)} c ON c.id = l.course_id
          JOIN {_t(Subject)} s ON s.id = c.subject_id
          LEFT JOIN {_t(Substitution)} b ON b.lesson_id = l.id
          LEFT JOIN {user} u ON u.id = b.substitute_id
         WHERE l.id IN (SELECT ls.id FROM ls)
        UNION ALL
        {_row(TEACHER, "ROW_NUMBER() OVER (ORDER BY u.last_name, u.first_name, t.id)",
              ["t.course_id"], ["u.last_name", "u.first_name", "u.middle_name"])}
          FROM {teachers} t JOIN {user} u ON u.id = t.user_id
         WHERE t.course_id IN (SELECT ls.course_id FROM ls)
        UNION ALL
        {_row(MARK, "ROW_NUMBER() OVER (ORDER BY m.created_at, m.id)", ["m.lesson_id"],
              ["m.value", "k.name", "k.weight", "m.comment", "m.created_at"])}
          FROM {_t(Mark)} m JOIN {_t(MarkKind)} k ON k.id = m.kind_id
         WHERE m.student_id = %s AND m.is_deleted = %s AND m.lesson_id IN (SELECT ls.id FROM ls)
        UNION ALL
        {_row(ABSENCE, "0", ["a.lesson_id", "a.minutes_late"],
              ["o.code", "o.name", "a.created_at"])}
          FROM {_t(Absence)} a JOIN {_t(AbsenceCode)} o ON o.id = a.code_id
         WHERE a.student_id = %s AND a.lesson_id IN (SELECT ls.id FROM ls)
        UNION ALL
        {_row(FILE, "f.id", ["f.lesson_id", "f.id"], ["f.name"])}
          FROM {_t(HomeworkFile)} f WHERE f.lesson_id IN (SELECT ls.id FROM ls)
    """  # fmt: skip


class DaysRead(NamedTuple):
    """What the read found, in the shapes of the diary's selectors."""

    attendance: Any  # selectors.Attendance
    lessons: list[Any]  # selectors.LessonRow, the student's only, in day and bell order
    marks: dict[int, list[dict[str, Any]]]
    absent: dict[int, dict[str, Any]]
    files: dict[int, list[dict[str, str]]]


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text[:10])


def _until(text: str | None) -> datetime.date | None:
    return _day(text) if text else None


def _time(text: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(text) if text else None


def _rows(student: Student, start: datetime.date, end: datetime.date) -> list[tuple[Any, ...]]:
    a, b = (connection.ops.adapt_datefield_value(d) for d in (start, end))
    school = student.school_id
    params = [student.pk, school, b, a, student.pk, school, b, a, school, a, b,
              student.pk, False, student.pk]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor), params)
        return sorted(cursor.fetchall(), key=lambda r: (r[0], r[1]))


def days_read(
    student: Student,
    start: datetime.date,
    end: datetime.date,
    since: datetime.datetime | None = None,
) -> DaysRead:
    """The student's days between the dates in one query (see the module's docstring), marks
    and absences flagged new when entered after `since`."""
    from otmetka.diary.selectors import Attendance, LessonRow, _is_new

    attendance = Attendance(classes=defaultdict(list), groups=defaultdict(list))
    lessons: list[LessonRow] = []
    names: dict[int, list[str]] = defaultdict(list)
    marks: dict[int, list[dict[str, Any]]] = defaultdict(list)
    absent: dict[int, dict[str, Any]] = {}
    files: dict[int, list[dict[str, str]]] = defaultdict(list)
    for tag, _n, i1, i2, i3, i4, i5, i6, *t in _rows(student, start, end):
        if tag == ENROLLED:
            attendance.classes[i1].append((_day(t[0]), _until(t[1])))
            attendance.school_class = SchoolClass(
                pk=i1, school_id=student.school_id, year_id=i4, grade=i2, letter=t[2],
                homeroom_teacher_id=i5, period_scheme=t[3], week_days=i3,
            )  # fmt: skip
        elif tag == MEMBER:
            attendance.groups[i1].append((_day(t[0]), _until(t[1])))
        elif tag == LESSON:
            lesson = LessonRow(
                i1, _day(t[0]), i2, _time(t[1]), _time(t[2]), t[3], t[4], bool(i6), i3, t[5],
                t[6], _moment(t[7]), i4, t[8], i5, t[9], t[10], t[11], t[12],
            )  # fmt: skip
            if attendance.attends(lesson):
                lessons.append(lesson)
        elif tag == TEACHER:
            names[i1].append(" ".join(p for p in t[:3] if p))
        elif tag == MARK:
            at = _moment(t[4])
            marks[i1].append(
                {"value": t[0], "kind": t[1], "weight": _weight(t[2]), "comment": t[3], "at": at,
                 "new": _is_new(at, since)}
            )  # fmt: skip
        elif tag == ABSENCE:
            at = _moment(t[2])
            absent[i1] = {"code": t[0], "name": t[1], "minutes": i2, "new": _is_new(at, since)}
        else:
            files[i1].append({"name": t[0], "url": reverse("diary:file", args=[i2])})
    teachers = {k: ", ".join(v) for k, v in names.items()}
    lessons = [ls._replace(teacher=teachers.get(ls.course_id, "")) for ls in lessons]
    return DaysRead(attendance, lessons, marks, absent, files)
