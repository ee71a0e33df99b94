"""The one read of a cells save: the lesson itself (through the caller's access scope) with its
course's facts and the school's reference version, the lesson's period with the write role's
facts, the batch's students (in the class on the lesson's date or not), and the students' marks
and absences in the course's lessons of the period (the lesson's own cells among them), and the
school's audit chain head (held for the events' INSERT: locked on PostgreSQL) — one UNION ALL of
typed rows, every part tied to the lesson by its id, so the answer's cells and
averages are computed from what was read and written, with no read-back. The kinds of work
(with their weights) and the absence codes come from the per-school cache
(`otmetka.journal.refs`) under the version read with the lesson."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from otmetka.audit.chain import head_sql
from otmetka.core.rows import instance, planned_cursor
from otmetka.core.rows import table as _t
from otmetka.curriculum.models import Course, CourseMember
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, MarkKind, Substitution
from otmetka.journal.refs import school_codes, school_kinds
from otmetka.journal.summary import Totals
from otmetka.people.models import Student
from otmetka.school.models import (
    Enrollment,
    Period,
    PeriodScheme,
    ReferenceVersion,
    School,
    SchoolClass,
)

# The rows' tags; the other lessons' marks come counted by (student, value, weight), their
# absences counted by student (no lateness): the answer's averages need no more, and a column of
# 29 students read ~35 rows each (~1.2 ms a row's fetch and parse on PostgreSQL) before.
PERIOD, STUDENT, MARK, ABSENCE, LESSON, HEAD, MARKS_ELSEWHERE, ABSENT_ELSEWHERE = range(8)
# An access scope: a condition on the lesson row `x` and its parameters (None: no rights).
Scope = tuple[str, list[Any]] | None
# A mark or absence in the summary's shape: (student, lesson, mark id | minutes late,
# value | code, kind | None, comment | reason, weight | None — an absence —, created at).
Row = tuple[int, int, Any, str, Any, str, Any, Any]


@dataclass
class CellsRead:
    """What the one read found."""

    lesson: Lesson | None = None  # None: not found in the scope
    period: Period | None = None
    is_teacher: bool = False
    substitute_id: int | None = None
    students: set[int] = field(default_factory=set)
    enrolled: set[int] = field(default_factory=set)
    kinds: dict[int, Decimal] = field(default_factory=dict)  # active kind id → weight
    codes: dict[str, AbsenceCode] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)  # the lesson's own marks and absences
    totals: Totals = field(default_factory=dict)  # the period's other lessons' marks, counted
    absent: dict[int, int] = field(default_factory=dict)  # … their absences (no lateness)
    version: int = 0  # the school's reference version, read with the lesson
    head: str | None = None  # the school's audit chain head, held (`audit.chain.head_sql`)
    absences: dict[int, Absence] = field(default_factory=dict)  # the lesson's, by student


def _index(model: type, fields: list[str]) -> str:
    """The name of a model's index on `fields` (named by Django from them)."""
    for index in model._meta.indexes:  # type: ignore[attr-defined]
        if list(index.fields) == fields and index.name:
            return index.name
    raise LookupError(f"{model.__name__} has no index on {fields}")


@cache
def _sql(vendor: str) -> str:
    """The read's UNION ALL, tied to the lesson by its id; `{scope}` is the access scope's
    condition on the lesson row `x`, `{ids}` the students' placeholders. Parameters: see
    `cells_read`."""
    q = connection.ops.quote_name
    lesson, course, klass, period = _t(Lesson), _t(Course), _t(SchoolClass), _t(Period)
    teachers, sub, student = _t(Course.teachers.through), _t(Substitution), _t(Student)
    enrolment, member, mark, kind = _t(Enrollment), _t(CourseMember), _t(Mark), _t(MarkKind)
    absence, code, version = _t(Absence), _t(AbsenceCode), _t(ReferenceVersion)
    end = q("end")
    the_lesson = f"""SELECT l.id, l.course_id, l.date, l.status, c.assessment, c.school_class_id,
               c.year_id, c.name, COALESCE(NULLIF(k.period_scheme, ''), %s) AS scheme
          FROM {lesson} l JOIN {course} c ON c.id = l.course_id
          LEFT JOIN {klass} k ON k.id = c.school_class_id
         WHERE l.id = %s AND l.school_id = %s"""
    the_period = f"""SELECT p.id, p.start, p.{end}, p.closed_at FROM {period} p, les
         WHERE p.year_id = les.year_id AND p.scheme = les.scheme AND p.start <= les.date
           AND p.{end} >= les.date ORDER BY p.start LIMIT 1"""
    # The course's other lessons of the period (the lesson itself is read apart, row by row).
    # SQLite is told the (course, date) index: left to choose, it took the index on Lesson(date)
    # and scanned every lesson of the period's dates in the school (~+12 ms a save on `tiny`),
    # and with the date kept off the indexes (`+x.date`) it read the course's lessons of the
    # whole year (the read 134 → 69 µs with the index's date range, `tiny`: docs/benchmarks.md).
    sqlite = vendor == "sqlite"
    x = f"{lesson} x INDEXED BY {_index(Lesson, ['course', 'date'])}" if sqlite else f"{lesson} x"
    other = f"""x.course_id = les.course_id AND x.date >= per.start AND x.date <= per.{end}
             AND x.id <> %s"""
    # The other lessons' marks and absences. SQLite: a loop over those lessons in the (course,
    # date) index, each probing its marks by (lesson, student) — the order fixed by CROSS JOIN
    # (left to choose, it took the student index and read the student's whole year: 0.9 ms);
    # a list of the lessons built first and probed (the IN form) cost a sixth more of the
    # read's instructions (one mark: 0.78 → 0.66 M; a column 1.75 → 1.63 M, `tiny`). PostgreSQL
    # plans the IN form well (docs/benchmarks.md).
    if sqlite:
        lessons = f"les CROSS JOIN per CROSS JOIN {x}"
        m_index = _index(Mark, ["lesson", "student"])
        marks_from = f"{lessons} CROSS JOIN {mark} m INDEXED BY {m_index} CROSS JOIN {kind} k"
        marks_in = f"m.lesson_id = x.id AND k.id = m.kind_id AND {other}"
        absences_from = f"{lessons} CROSS JOIN {absence} a CROSS JOIN {code} c"
        absences_in = f"a.lesson_id = x.id AND c.id = a.code_id AND {other}"
    else:
        elsewhere = f"(SELECT x.id FROM {x}, les, per WHERE {other})"
        marks_from = f"{mark} m JOIN {kind} k ON k.id = m.kind_id"
        marks_in = f"m.lesson_id IN {elsewhere}"
        absences_from = f"{absence} a JOIN {code} c ON c.id = a.code_id"
        absences_in = f"a.lesson_id IN {elsewhere}"
    return f"""
        WITH les AS ({the_lesson}), per AS ({the_period}), hd AS ({head_sql(vendor)})
        SELECT {LESSON}, COALESCE((SELECT v.version FROM {version} v WHERE v.school_id = %s), 0),
               les.id, les.school_class_id, les.status, les.course_id, les.assessment, NULL, NULL,
               CAST(les.date AS TEXT), NULL
          FROM les WHERE les.id IN (SELECT x.id FROM {lesson} x WHERE x.id = %s AND {{scope}})
        UNION ALL
        SELECT {PERIOD}, (SELECT b.substitute_id FROM {sub} b WHERE b.lesson_id = %s), NULL, per.id,
               NULL, CASE WHEN EXISTS (SELECT 1 FROM {teachers} ct, les
                                        WHERE ct.course_id = les.course_id AND ct.user_id = %s)
                          THEN 1 ELSE 0 END,
               NULL, NULL, CAST(per.closed_at AS TEXT), CAST(per.start AS TEXT),
               CAST(per.{end} AS TEXT)
          FROM per
        UNION ALL
        SELECT {STUDENT}, s.id, NULL,
               CASE WHEN EXISTS (SELECT 1 FROM les WHERE les.school_class_id IS NOT NULL
                                    AND les.name = '' AND EXISTS (
                      SELECT 1 FROM {enrolment} e WHERE e.student_id = s.id
                         AND e.school_class_id = les.school_class_id AND e.start <= les.date
                         AND (e.{end} IS NULL OR e.{end} >= les.date)))
                      OR EXISTS (SELECT 1 FROM les WHERE NOT (les.school_class_id IS NOT NULL
                                    AND les.name = '') AND EXISTS (
                      SELECT 1 FROM {member} g WHERE g.student_id = s.id
                         AND g.course_id = les.course_id AND g.start <= les.date
                         AND (g.{end} IS NULL OR g.{end} >= les.date)))
                    THEN 1 ELSE 0 END,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM {student} s WHERE s.school_id = %s AND s.id IN ({{ids}})
        UNION ALL
        SELECT {MARK}, m.student_id, m.lesson_id, m.id, m.value, m.kind_id, m.comment,
               CAST(k.weight AS TEXT), CAST(m.created_at AS TEXT), NULL, NULL
          FROM {mark} m JOIN {kind} k ON k.id = m.kind_id
         WHERE {{plus}}m.student_id IN ({{ids}}) AND m.is_deleted = %s AND m.lesson_id = %s
        UNION ALL
        SELECT {MARKS_ELSEWHERE}, m.student_id, NULL, COUNT(*), m.value, NULL, NULL,
               CAST(k.weight AS TEXT), NULL, NULL, NULL
          FROM {marks_from}
         WHERE {{plus}}m.student_id IN ({{ids}}) AND m.is_deleted = %s AND {marks_in}
         GROUP BY m.student_id, m.value, k.weight
        UNION ALL
        SELECT {ABSENCE}, a.student_id, a.lesson_id, a.minutes_late, c.code, a.code_id, c.reason,
               NULL, CAST(a.created_at AS TEXT), CAST(a.id AS TEXT),
               CAST(a.created_by_id AS TEXT)
          FROM {absence} a JOIN {code} c ON c.id = a.code_id
         WHERE {{plus}}a.student_id IN ({{ids}}) AND a.lesson_id = %s
        UNION ALL
        SELECT {ABSENT_ELSEWHERE}, a.student_id, NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL,
               NULL, NULL
          FROM {absences_from}
         WHERE {{plus}}a.student_id IN ({{ids}}) AND {absences_in} AND c.reason <> %s
         GROUP BY a.student_id
        UNION ALL
        SELECT {HEAD}, NULL, NULL, NULL, hd.hash, NULL, NULL, NULL, NULL, NULL, NULL FROM hd
    """


@lru_cache(maxsize=64)
def _text(vendor: str, scope: str, students: int) -> str:
    """The read's text for an access scope's shape and a number of students. The marks' and
    absences' index is (lesson, student): one student's cells in the period's ~50 lessons are
    ~50 probes of it (0.29 ms on SQLite, `tiny`, against 0.65 ms read lesson by lesson), while
    a column's are best read lesson by lesson, the student test kept off the index by a unary
    plus (from two students on, SQLite took the student-only index: a whole year of each
    one's marks; 1.25 → 1.74 ms for 29)."""
    plus = "" if students == 1 else "+"
    return _sql(vendor).format(scope=scope, ids=", ".join(["%s"] * students), plus=plus)


def cells_read(
    actor: Any,
    school: School,
    scope: Scope,
    lesson_id: int,
    ids: list[int],
    kind_ids: list[int],
    codes: list[str],
) -> CellsRead:
    """The batch's facts in one query (see the module's docstring); `scope` is the access scope
    the lesson must be in (the access check: `access.rules.journal_lessons_sql`'s condition on
    a lesson row `x`, None for no rights), `read.lesson` None when it is not in it."""
    if scope is None:  # no journal rights at all
        return CellsRead()
    condition, scope_params = scope
    students = ids or [0]  # no student: an empty IN list is not SQL; no student has id 0
    sql = _text(connection.vendor, condition, len(students))
    params = [
        PeriodScheme.QUARTERS, lesson_id, school.pk,  # les
        school.pk,  # hd
        school.pk, lesson_id, *scope_params,
        lesson_id, actor.pk,
        school.pk, *students,
        *students, False, lesson_id,  # the lesson's marks
        *students, False, lesson_id,  # … the other lessons'
        *students, lesson_id,  # the lesson's absences
        *students, lesson_id, AbsenceCode.Reason.LATE,  # … the other lessons'
    ]  # fmt: skip
    # Prepared on PostgreSQL (the fifth time a connection runs it): planning this UNION of a
    # column's ~120 parameters took as long as running it (7.5 ms of 19 ms, school-S, loaded).
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = _collect(rows, school, lesson_id)
    if found.lesson is None:
        return CellsRead()
    version = found.version
    wanted_kinds, wanted_codes = set(kind_ids), set(codes)
    found.kinds = {
        k.id: k.weight
        for k in school_kinds(school.pk, version)
        if k.is_active and k.id in wanted_kinds
    }
    found.codes = {
        c.code: instance(AbsenceCode, pk=c.id, school_id=school.pk, code=c.code, reason=c.reason)
        for c in school_codes(school.pk, version)
        if c.code in wanted_codes
    }
    return found


def _day(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _moment(value: Any) -> datetime.datetime | None:
    """A timestamp read as text (SQLite: naive UTC; PostgreSQL: with its offset)."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    found = parse_datetime(value)
    if found is None:
        raise ValueError(f"not a timestamp: {value!r}")
    return found if timezone.is_aware(found) else timezone.make_aware(found, datetime.UTC)


def _weight(text: Any) -> Decimal:
    places = MarkKind._meta.get_field("weight").decimal_places
    return Decimal(str(text)).quantize(Decimal(1).scaleb(-places))


def _collect(rows: Any, school: School, found_id: int) -> CellsRead:
    found = CellsRead()
    weights: dict[Any, Decimal] = {}
    for tag, sid, lesson_id, number, text, kind, note, weight, at, start, end in rows:
        if tag == LESSON:
            course = instance(
                Course, pk=kind, school_id=school.pk, school_class_id=number, assessment=note
            )
            course.school = school
            found.lesson = instance(
                Lesson,
                pk=lesson_id,
                school_id=school.pk,
                course_id=kind,
                date=_day(start),
                status=text,
            )
            found.lesson.course, found.lesson.school = course, school
            found.version = int(sid)
        elif tag == HEAD:
            found.head = str(text)
        elif tag == PERIOD:
            begins = _day(start)
            if found.period is None or begins < found.period.start:
                found.period = instance(
                    Period, pk=number, start=begins, end=_day(end), closed_at=_moment(at)
                )
                found.is_teacher, found.substitute_id = bool(kind), sid
        elif tag == STUDENT:
            found.students.add(sid)
            if number:
                found.enrolled.add(sid)
        elif tag == MARKS_ELSEWHERE:
            if weight not in weights:
                weights[weight] = _weight(weight)
            found.totals.setdefault(sid, []).append((text, weights[weight], int(number)))
        elif tag == ABSENT_ELSEWHERE:
            found.absent[sid] = int(number)
        else:  # only the lesson's own cells are ordered by their time (summary.py)
            w = None
            if tag == MARK:
                if weight not in weights:
                    weights[weight] = _weight(weight)
                w = weights[weight]
            here = lesson_id == found_id
            when = _moment(at) if here else None
            found.rows.append((sid, lesson_id, number, text, kind, note, w, when))
            if here and tag == ABSENCE and when is not None:  # for a change or clearing
                absence = instance(
                    Absence, pk=int(start), created_by_id=int(end),
                    created_at=when, school_id=school.pk, lesson_id=lesson_id, student_id=sid,
                    code_id=kind, minutes_late=number,
                )  # fmt: skip
                absence.code = instance(
                    AbsenceCode, pk=kind, school_id=school.pk, code=text, reason=note
                )
                found.absences[sid] = absence
    return found
