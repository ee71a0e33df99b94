"""The grid read model: a course's journal in a period from ONE hand-written query.

Lessons (with their planned topic's title), substitutions, homework files, the roster with its
enrolment spans, marks, absences, the course's teachers and its КТП topics come back as tagged
rows of one `UNION ALL` on the DB-API cursor (the school's kinds of work and absence codes come
from the per-school cache, `otmetka.journal.refs`, under the version read with the course)
(the SQL is composed once per shape and cached): the ORM would compile eleven queries, and
compiling them was the largest part of a grid request. Every branch filters by `school_id`
and reads by an index on (course, date), (lesson, student) or the row's parent: the unary `+`
on a `school_id` keeps SQLite, which has no statistics to tell, from reading a whole school's
rows by the school's index instead (PostgreSQL plans the same either way).

Rows are `(tag, i1, i2, i3, i4, t1, t2, t3, t4, t5, t6, i5)`: integers first, then texts (dates,
times and decimals as text, so one column type serves every branch on SQLite and PostgreSQL), then
one more integer (a lesson's homework minutes).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from otmetka.access import rules
from otmetka.core.rows import planned_cursor, table
from otmetka.curriculum.conflicts import whole_class
from otmetka.curriculum.models import Course, CourseMember, PlannedTopic, ThematicPlan
from otmetka.journal.models import (
    Absence,
    AbsenceCode,
    HomeworkFile,
    Lesson,
    Mark,
    MarkKind,
    Substitution,
)
from otmetka.journal.refs import school_codes, school_kinds
from otmetka.journal.validation import POINT_MODES
from otmetka.people.models import Student
from otmetka.school.models import Enrollment, Period
from otmetka.school.refcache import version_for

SUBSTITUTION_PREFIX = "Замещение"
TWO_PLACES = Decimal("0.01")


def q2(value: Decimal) -> str:
    return str(value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


def averages(marks: list[tuple[str, Decimal]]) -> tuple[str | None, str | None]:
    """Simple and weighted averages of (value, weight) pairs, two places, half up (whole
    values summed as integers; one Decimal division each)."""
    points = [(int(v), w) for v, w in marks if v.isdigit()]
    if not points:
        return None, None
    simple = Decimal(sum(v for v, _w in points)) / len(points)
    weighted = sum((v * w for v, w in points), Decimal(0)) / sum(
        (w for _v, w in points), Decimal(0)
    )
    return q2(simple), q2(weighted)


def cell_json(marks: list[tuple], absence: tuple | None) -> dict:
    """One cell: marks as MARK_FIELDS rows (oldest first), the absence as an ABSENCE_FIELDS row."""
    return {
        "marks": [{"id": m[0], "value": m[3], "kind": m[4], "comment": m[5]} for m in marks],
        "absence": {"code": absence[2], "minutes": absence[3]} if absence else None,
    }


@dataclass
class LessonRow:
    """What the grid shows of a lesson (from the grid's query or from a Lesson)."""

    id: int
    date: datetime.date
    number: int | None
    starts: str | None  # "HH:MM"
    status: str
    topic: str
    homework: str
    attendance_taken: bool
    planned_topic: dict | None
    substitute_id: int | None = None
    substitute_name: str = ""
    files: list[dict] = field(default_factory=list)
    homework_minutes: int | None = None
    # A written work (its КТП topic is a control work, 5.5) and whether it has live marks; the
    # end of its period (the marks are due the day before it at the latest).
    written_work: bool = False
    marked: bool = False
    period_end: datetime.date | None = None


def lesson_missing(row: LessonRow, today: datetime.date) -> list[str]:
    """What a held lesson (today or before) still lacks: "topic", "attendance", "homework",
    and "written_marks" (a written work without a mark)."""
    missing = []
    if row.status == Lesson.Status.PLANNED and row.date <= today:
        if not row.topic:
            missing.append("topic")
        if not row.attendance_taken:
            missing.append("attendance")
        if not row.homework and not row.files:
            missing.append("homework")
        if row.written_work and not row.marked:
            missing.append("written_marks")
    return missing


# What is missing → the words of its deadline («до 16:00 сегодня», «просрочено на 2 дня»). The
# deadline engine lives in `compliance`, above journal in the app order: it registers itself in
# its AppConfig.ready. Called with the course, its teachers' ids and the lessons that lack
# something; answers {lesson id: {entry: words}} (one query, none when nothing is missing).
Missing = list[tuple[LessonRow, list[str]]]
DueWords = Callable[[Course, set[int], Missing], dict[int, dict[str, str]]]
_due_words: list[DueWords] = []


def due_words_register(due_words: DueWords) -> None:
    """Register the words of the «!» markers' deadlines (compliance does, at start-up)."""
    _due_words[:] = [due_words]


def due_words(course: Course, teacher_ids: set[int], missing: Missing) -> dict[int, dict[str, str]]:
    """The deadline words of each missing entry of the lessons (empty without the engine)."""
    missing = [(row, what) for row, what in missing if what]
    if not missing or not _due_words:
        return {}
    return _due_words[0](course, teacher_ids, missing)


class WriteRoles:
    """Whether the user writes in a lesson of the course: the role depends on the lesson only
    through its substitute, so it is found once per substitute (not once per lesson)."""

    def __init__(self, user: Any, school: Any, *, is_teacher: bool, closed: bool) -> None:
        self.user, self.school, self.is_teacher, self.closed = user, school, is_teacher, closed
        self.found: dict[int | None, bool] = {}

    def can_write(self, substitute_id: int | None) -> bool:
        """The user has a write role in a lesson substituted by `substitute_id` (or none)."""
        found = self.found.get(substitute_id)
        if found is None:
            role = rules.journal_write_role(
                self.user,
                self.school,
                is_teacher=self.is_teacher,
                substitute_id=substitute_id,
                closed=self.closed,
            )
            found = self.found[substitute_id] = role is not None
        return found


def lesson_row_json(
    row: LessonRow, *, roles: WriteRoles, teacher_name: str, missing: list[str], due: dict[str, str]
) -> dict:
    """One lesson of the grid; `missing` as `lesson_missing` gives it, `due` its deadlines."""
    substituted = row.substitute_id is not None
    topic = row.topic
    if substituted:
        topic = f"{SUBSTITUTION_PREFIX}. {topic}" if topic else SUBSTITUTION_PREFIX
    return {
        "id": row.id,
        "date": row.date.isoformat(),
        "number": row.number,
        "starts": row.starts,
        "topic": topic,
        "homework": row.homework,
        "homework_minutes": row.homework_minutes,
        "planned_topic": row.planned_topic,
        "status": row.status,
        "attendance_taken": row.attendance_taken,
        "teacher": row.substitute_name if substituted else teacher_name,
        "substitution": substituted,
        "can_write": roles.can_write(row.substitute_id),
        "missing": missing,
        "due": due,
        "files": row.files,
    }


# --------------------------------------------------------------------------- the query


@cache
def _grid_sql(vendor: str, group: bool) -> str:
    """The grid's UNION ALL for a class course (roster from enrolments) or a group course
    (roster from its members). Parameters: see `_grid_params`."""
    del vendor  # one text per database: quote_name and the casts are the backend's
    q = connection.ops.quote_name
    lesson, mark, absence, code = table(Lesson), table(Mark), table(Absence), table(AbsenceCode)
    files, sub, topic = table(HomeworkFile), table(Substitution), table(PlannedTopic)
    plan, student, teachers = table(ThematicPlan), table(Student), table(Course.teachers.through)
    user = table(Course.teachers.field.related_model)
    end = q("end")
    in_period = "+l.school_id = %s AND l.course_id = %s AND l.date >= %s AND l.date <= %s"
    if group:
        roster = f"""SELECT 'r', e.student_id, NULL, NULL, NULL, CAST(e.start AS TEXT),
                CAST(e.{end} AS TEXT), s.last_name, s.first_name, NULL, NULL, NULL
           FROM {table(CourseMember)} e JOIN {student} s ON s.id = e.student_id
          WHERE +e.school_id = %s AND e.course_id = %s AND e.start <= %s
            AND (e.{end} IS NULL OR e.{end} >= %s)"""
    else:
        roster = f"""SELECT 'r', e.student_id, NULL, NULL, NULL, CAST(e.start AS TEXT),
                CAST(e.{end} AS TEXT), s.last_name, s.first_name, NULL, NULL, NULL
           FROM {table(Enrollment)} e JOIN {student} s ON s.id = e.student_id
          WHERE +e.school_id = %s AND e.school_class_id = %s AND e.start <= %s
            AND (e.{end} IS NULL OR e.{end} >= %s)"""
    return f"""
        SELECT 'l', l.id, l.bell_number,
               CASE WHEN l.attendance_taken_at IS NULL THEN 0 ELSE 1 END, l.planned_topic_id,
               CAST(l.date AS TEXT), CAST(l.starts_at AS TEXT), l.status, l.topic, l.homework,
               p.title, l.homework_minutes
          FROM {lesson} l LEFT JOIN {topic} p ON p.id = l.planned_topic_id
         WHERE {in_period}
        UNION ALL
        SELECT 's', b.lesson_id, b.substitute_id, NULL, NULL, u.last_name, u.first_name,
               u.middle_name, NULL, NULL, NULL, NULL
          FROM {sub} b JOIN {lesson} l ON l.id = b.lesson_id JOIN {user} u ON u.id = b.substitute_id
         WHERE +b.school_id = %s AND {in_period}
        UNION ALL
        SELECT 'f', f.id, f.lesson_id, NULL, NULL, f.name, NULL, NULL, NULL, NULL, NULL, NULL
          FROM {files} f JOIN {lesson} l ON l.id = f.lesson_id
         WHERE +f.school_id = %s AND {in_period}
        UNION ALL
        {roster}
        UNION ALL
        SELECT 'm', m.id, m.lesson_id, m.student_id, m.kind_id, m.value, m.comment,
               CAST(m.created_at AS TEXT), NULL, NULL, NULL, NULL
          FROM {mark} m JOIN {lesson} l ON l.id = m.lesson_id
         WHERE +m.school_id = %s AND m.is_deleted = %s AND {in_period}
        UNION ALL
        SELECT 'a', a.lesson_id, a.student_id, a.minutes_late, NULL, c.code, c.reason,
               NULL, NULL, NULL, NULL, NULL
          FROM {absence} a JOIN {lesson} l ON l.id = a.lesson_id JOIN {code} c ON c.id = a.code_id
         WHERE +a.school_id = %s AND {in_period}

        UNION ALL
        SELECT 't', u.id, NULL, NULL, NULL, u.last_name, u.first_name, u.middle_name,
               NULL, NULL, NULL, NULL
          FROM {teachers} ct JOIN {user} u ON u.id = ct.user_id WHERE ct.course_id = %s
        UNION ALL
        SELECT 'p', t.id, t.position, t.hours,
               (SELECT COUNT(*) FROM {lesson} x WHERE x.planned_topic_id = t.id),
               t.title, NULL, NULL, NULL, NULL, NULL, CASE WHEN t.is_control THEN 1 ELSE 0 END
          FROM {topic} t JOIN {plan} pl ON pl.id = t.plan_id
         WHERE pl.school_id = %s AND pl.course_id = %s
    """


def _grid_params(course: Course, period: Period) -> list[Any]:
    school, pk = course.school_id, course.pk
    start = connection.ops.adapt_datefield_value(period.start)
    end = connection.ops.adapt_datefield_value(period.end)
    in_period = [school, pk, start, end]
    roster_of = pk if is_group_course(course) else course.school_class_id
    return [
        *in_period,
        school, *in_period,
        school, *in_period,
        school, roster_of, end, start,
        school, False, *in_period,
        school, *in_period,
        pk,
        school, pk,
    ]  # fmt: skip


def is_group_course(course: Course) -> bool:
    """A group (of a class or across classes) lists its members; a class course its class."""
    return not whole_class(course)


def _date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _grid_rows(course: Course, period: Period) -> dict[str, list[tuple]]:
    """The grid's rows by tag (one query, planned once per connection on PostgreSQL: its
    planning was as long as its execution)."""
    sql = _grid_sql(connection.vendor, is_group_course(course))
    with planned_cursor() as cursor:
        cursor.execute(sql, _grid_params(course, period))
        rows = cursor.fetchall()
    tagged: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        tagged[row[0]].append(row)
    return tagged


# --------------------------------------------------------------------------- rows → JSON


def _lessons(tagged: dict[str, list[tuple]]) -> list[LessonRow]:
    """Lessons in (date, number, id) order — a lesson without a number where the database's
    ORDER BY would put it (first on SQLite, last on PostgreSQL) — with substitutes and files."""
    subs = {r[1]: (r[2], " ".join(p for p in r[5:8] if p)) for r in tagged["s"]}
    files: dict[int, list[dict]] = defaultdict(list)
    for r in sorted(tagged["f"], key=lambda r: r[1]):
        files[r[2]].append({"name": r[5], "url": reverse("journal:file", args=[r[1]])})
    lessons = []
    for r in tagged["l"]:
        sub_id, sub_name = subs.get(r[1], (None, ""))
        lessons.append(
            LessonRow(
                id=r[1], date=_date(r[5]), number=r[2], starts=r[6][:5] if r[6] else None,
                status=r[7], topic=r[8], homework=r[9], attendance_taken=bool(r[3]),
                planned_topic={"id": r[4], "title": r[10]} if r[4] is not None else None,
                substitute_id=sub_id, substitute_name=sub_name, files=files.get(r[1], []),
                homework_minutes=r[11],
            )
        )  # fmt: skip
    nulls_last = connection.features.nulls_order_largest
    missing = float("inf") if nulls_last else float("-inf")
    lessons.sort(key=lambda ls: (ls.date, missing if ls.number is None else ls.number, ls.id))
    return lessons


def _roster(rows: list[tuple], dates: list[datetime.date]) -> list[dict]:
    """Students in the course on any lesson date of the period, with their bounds, by name."""
    roster: dict[int, dict] = {}
    for _tag, sid, *_i, start_text, end_text, last_name, first_name, _a, _b, _c in rows:
        start = _date(start_text)
        end = _date(end_text) if end_text else None
        if dates and not any(start <= d and (end is None or d <= end) for d in dates):
            continue
        item = roster.setdefault(
            sid, {"id": sid, "last_name": last_name, "first_name": first_name, "start": start,
                  "end": end},
        )  # fmt: skip
        item["start"] = min(item["start"], start)
        if item["end"] is not None:
            item["end"] = None if end is None else max(item["end"], end)
    return sorted(roster.values(), key=lambda r: (r["last_name"], r["first_name"], r["id"]))


def _weight(text: Any) -> Decimal:
    places = MarkKind._meta.get_field("weight").decimal_places
    return Decimal(str(text)).quantize(Decimal(1).scaleb(-places))


def _suggestions(rows: list[tuple], lessons: list[LessonRow]) -> dict[int, dict]:
    """КТП topics suggested, in plan order, for the lessons that have neither a planned topic
    nor a topic: each topic takes as many lessons as its hours, less the lessons already
    pointing to it."""
    waiting = [
        ls
        for ls in lessons
        if ls.planned_topic is None and not ls.topic and ls.status != Lesson.Status.CANCELLED
    ]
    if not waiting:
        return {}
    topics = sorted(rows, key=lambda r: (r[2], r[1]))
    queue = [t for t in topics for _ in range(max(t[3] - t[4], 0))]
    return {
        ls.id: {"id": t[1], "title": t[5], "suggested": True}
        for ls, t in zip(waiting, queue, strict=False)
    }


def _cells(
    tagged: dict[str, list[tuple]], weight: dict[int, Decimal]
) -> tuple[dict[str, dict], dict[int, list], dict[int, int]]:
    """Cells keyed "<lesson>:<student>" in (lesson, student) order — the JSON of `cell_json`,
    built in one pass —, each student's (value, weight) marks, absence counts."""
    cells: dict[tuple[int, int], dict] = {}
    student_marks: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for _t, mid, lid, sid, kind, value, comment, *_rest in sorted(
        tagged["m"], key=lambda r: (r[7], r[1])
    ):  # oldest first
        cell = cells.get((lid, sid))
        if cell is None:
            cell = cells[(lid, sid)] = {"marks": [], "absence": None}
        cell["marks"].append({"id": mid, "value": value, "kind": kind, "comment": comment})
        student_marks[sid].append((value, weight[kind]))
    absence_count: dict[int, int] = defaultdict(int)
    late = AbsenceCode.Reason.LATE
    for _t, lid, sid, minutes, _k, code, reason, *_rest in tagged["a"]:
        cell = cells.get((lid, sid))
        if cell is None:
            cell = cells[(lid, sid)] = {"marks": [], "absence": None}
        cell["absence"] = {"code": code, "minutes": minutes}
        if reason != late:
            absence_count[sid] += 1
    ordered = {f"{lid}:{sid}": cells[(lid, sid)] for lid, sid in sorted(cells)}
    return ordered, student_marks, absence_count


def _students(
    roster: list[dict], period: Period, point_mode: bool, marks: dict, absences: dict
) -> list[dict]:
    students = []
    for number, item in enumerate(roster, start=1):
        sid = item["id"]
        avg, weighted = averages(marks.get(sid, [])) if point_mode else (None, None)
        end = item["end"]
        students.append(
            {
                "id": sid,
                "name": f"{item['last_name']} {item['first_name']}",
                "number": number,
                "from": item["start"].isoformat() if item["start"] > period.start else None,
                "to": end.isoformat() if end is not None and end < period.end else None,
                "average": avg,
                "weighted_average": weighted,
                "absences": absences.get(sid, 0),
            }
        )
    return students


class Grid(dict):
    """The grid's JSON (a dict: encoded as one) and what its read found that the JSON does not
    show: each student's whole marks (the period-mark column's counts, `grading.column`)."""

    whole_marks: dict[int, int]


def grid_read(*, user: Any, course: Course, period: Period) -> Grid:
    """The journal of a course in a period: lessons × students, cells, averages, absences."""
    school = course.school
    closed = rules.period_is_closed(period, school)
    tagged = _grid_rows(course, period)
    teachers = sorted(tagged["t"], key=lambda r: (r[5], r[6], r[7]))
    names = [" ".join(p for p in r[5:8] if p) for r in teachers]
    teacher_name = ", ".join(names)
    is_teacher = user.pk in {r[1] for r in teachers}
    version = version_for(course)
    kinds = school_kinds(course.school_id, version)
    weight = {k.id: _weight(k.weight) for k in kinds}
    lessons = _lessons(tagged)
    roster = _roster(tagged["r"], sorted({ls.date for ls in lessons}))
    cells, marks, absences = _cells(tagged, weight)
    suggested = _suggestions(tagged["p"], lessons)
    for ls in lessons:
        if ls.planned_topic is None and ls.id in suggested:
            ls.planned_topic = suggested[ls.id]
    control = {r[1] for r in tagged["p"] if r[11]}  # the course's КТП control works
    marked = {r[2] for r in tagged["m"]}
    for ls in lessons:
        if ls.planned_topic is not None and not ls.planned_topic.get("suggested"):
            ls.written_work = ls.planned_topic["id"] in control
        ls.marked, ls.period_end = ls.id in marked, period.end
    today = timezone.localdate()
    missing = {ls.id: lesson_missing(ls, today) for ls in lessons}
    teacher_ids = {r[1] for r in teachers}
    due = due_words(course, teacher_ids, [(ls, missing[ls.id]) for ls in lessons])
    roles = WriteRoles(user, school, is_teacher=is_teacher, closed=closed)
    grid = Grid(
        {
            "course": {
                "id": course.pk,
                "title": str(course),
                "class": str(course.school_class) if course.school_class_id else None,
                "subject": course.subject.name,
                "assessment": course.assessment,
                "kind": course.kind,
                "teachers": names,
                "can_write": roles.can_write(None),
                "is_teacher": is_teacher,
            },
            "period": {
                "id": period.pk,
                "name": str(period.name),
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "closed": closed,
            },
            "mark_kinds": [
                {"id": k.id, "name": k.name, "short": k.short, "weight": str(weight[k.id])}
                for k in kinds
                if k.is_active
            ],
            "absence_codes": [
                {"id": c.id, "code": c.code, "name": c.name, "reason": c.reason}
                for c in school_codes(course.school_id, version)
            ],
            "lessons": [
                lesson_row_json(
                    ls,
                    roles=roles,
                    teacher_name=teacher_name,
                    missing=missing[ls.id],
                    due=due.get(ls.id, {}),
                )
                for ls in lessons
            ],
            "students": _students(
                roster, period, course.assessment in POINT_MODES, marks, absences
            ),
            "cells": cells,
            "today": today.isoformat(),
        }
    )
    grid.whole_marks = {sid: sum(v.isdigit() for v, _w in got) for sid, got in marks.items()}
    return grid
