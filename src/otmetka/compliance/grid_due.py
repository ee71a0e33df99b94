"""The deadlines of the grid's «!» markers: what a lesson lacks, with the engine's words for when
it is due («нет темы — до 16:00 сегодня», «нет домашнего задания — просрочено на 2 дня»).

Journal draws the grid and sits below compliance in the app order: it offers a hook
(`journal.grid.due_words_register`) that `apps.ComplianceConfig.ready` fills with
`grid_due_words`. The facts come back in ONE query (a `UNION ALL` of the lessons with their
class's last lesson end, the school's rule versions, and the teachers' "no PC" days and absences
around the lessons); the school calendar is read only when such a day or absence extends a
deadline by working days.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from otmetka.compliance.deadlines import (
    DEFAULT_RULES,
    LessonFacts,
    RuleSpec,
    classify,
    rules_in_force,
)
from otmetka.compliance.deadlines import deadlines as engine_deadlines
from otmetka.compliance.loading import LazyCalendar
from otmetka.compliance.models import DeadlineRule, NoPcDay, TeacherAbsence
from otmetka.compliance.selectors import deadline_words
from otmetka.core.rows import planned_cursor
from otmetka.core.rows import table as _t
from otmetka.curriculum.models import Course
from otmetka.journal.grid import LessonRow
from otmetka.journal.models import Lesson


@lru_cache(maxsize=256)
def _sql(lessons: int, teachers: int, of_class: bool) -> str:
    """Parameters: lesson ids…, school, [class], school, school, teacher ids…, start, end,
    school, teacher ids…, end, start."""
    q = connection.ops.quote_name
    lesson, course = _t(Lesson), _t(Course)
    ids = ", ".join(["%s"] * lessons)
    who = ", ".join(["%s"] * max(teachers, 1))
    # The class's last lesson of the day through its courses' (course, date) index: by the
    # school's (school, date) index it read every lesson of the school that day, each joined to
    # its course (2 of the grid's 4 ms of SQL on `school-S`).
    last_end = (
        f"""SELECT CAST(MAX(x.ends_at) AS TEXT) FROM {lesson} x
             WHERE +x.school_id = %s AND x.date = l.date AND x.status <> %s
               AND x.course_id IN (SELECT c.id FROM {course} c WHERE c.school_class_id = %s)"""
        if of_class
        else f"""SELECT CAST(MAX(x.ends_at) AS TEXT) FROM {lesson} x
                  WHERE x.school_id = %s AND x.date = l.date AND x.status <> %s"""
    )
    return f"""
        SELECT 'l', l.id, NULL, NULL, CAST(l.date AS TEXT), CAST(l.starts_at AS TEXT),
               CAST(l.ends_at AS TEXT), ({last_end}), NULL, NULL
          FROM {lesson} l WHERE l.id IN ({ids})
        UNION ALL
        SELECT 'r', r.offset_value, CASE WHEN r.is_limit THEN 1 ELSE 0 END,
               CASE WHEN r.is_active THEN 1 ELSE 0 END, CAST(r.valid_from AS TEXT), r.{q("key")},
               r.entity, r.anchor, r.offset_kind, r.course_kinds
          FROM {_t(DeadlineRule)} r WHERE r.school_id = %s
        UNION ALL
        SELECT 'n', n.teacher_id, NULL, NULL, CAST(n.day AS TEXT), NULL, NULL, NULL, NULL, NULL
          FROM {_t(NoPcDay)} n
         WHERE n.school_id = %s AND n.revoked_at IS NULL AND n.teacher_id IN ({who})
           AND n.day >= %s AND n.day <= %s
        UNION ALL
        SELECT 'a', a.teacher_id, NULL, NULL, CAST(a.start AS TEXT), CAST(a.{q("end")} AS TEXT),
               NULL, NULL, NULL, NULL
          FROM {_t(TeacherAbsence)} a
         WHERE a.school_id = %s AND a.is_cancelled = %s AND a.teacher_id IN ({who})
           AND a.start <= %s AND a.{q("end")} >= %s
    """


def _time(text: Any) -> datetime.time | None:
    if text is None or isinstance(text, datetime.time):
        return text
    return datetime.time.fromisoformat(str(text)[:8])


def _date(text: Any) -> datetime.date:
    return text if isinstance(text, datetime.date) else datetime.date.fromisoformat(str(text)[:10])


def grid_due_words(
    course: Course, teacher_ids: set[int], missing: list[tuple[LessonRow, list[str]]]
) -> dict[int, dict[str, str]]:
    """{lesson id: {entry: «до 16:00 сегодня» / «просрочено на 2 дня»}} for what the lessons
    lack, by the rules in force on each lesson's day (one query)."""
    school = course.school
    days = [row.date for row, _what in missing]
    start, end = min(days), max(days)
    who = {row.substitute_id for row, _w in missing if row.substitute_id} | set(teacher_ids)
    people = sorted(who) or [0]
    d = connection.ops.adapt_datefield_value
    of_class = course.school_class_id is not None
    params: list[Any] = [school.pk, Lesson.Status.CANCELLED]
    if of_class:
        params.append(course.school_class_id)
    params += [row.id for row, _w in missing]
    params += [school.pk]
    params += [school.pk, *people, d(start), d(end)]
    params += [school.pk, False, *people, d(end), d(start)]
    with planned_cursor() as cursor:  # planned once per connection (and shape) on PostgreSQL
        cursor.execute(_sql(len(missing), len(people), of_class), params)
        rows = cursor.fetchall()
    zone = ZoneInfo(school.time_zone)
    lessons = tuple(
        (row.id, row.date, row.substitute_id, row.period_end, row.written_work, tuple(what))
        for row, what in missing
    )
    key = (course.pk, course.kind, zone.key, tuple(sorted(teacher_ids)), lessons, tuple(rows))
    dues = _kept.get(key)
    if dues is None:
        calendar = LazyCalendar(school, start, end)
        dues = _deadlines(course, teacher_ids, missing, rows, calendar, zone)
        if not calendar.loaded:  # else the calendar's tables are not in the key
            if len(_kept) >= KEPT_MAX:
                _kept.clear()
            _kept[key] = dues
    now = timezone.now()
    found: dict[int, dict[str, str]] = {}
    for row, _what in missing:
        # The grid's lessons carry no entry times; the words are translated once per process.
        words = {
            entity: deadline_words(classify(entity, None, due, now), now, zone)
            for entity, due in dues.get(row.id, ())
        }
        if words:
            found[row.id] = words
    return found


# Each lesson's deadlines are a function of the query's rows and of what the grid passes (the
# lessons' days, substitutes, period end, written work, what each lacks) — unless a rule
# counted working days and read the school calendar. So they are kept in the process under all
# of that (not under a version: the query runs on every request and its rows are the key), and
# a request finds them without the engine (a sixth of a small grid's request). Emptied when full.
_kept: dict[tuple[Any, ...], dict[int, list[tuple[str, datetime.datetime]]]] = {}
KEPT_MAX = 512


def _deadlines(
    course: Course,
    teacher_ids: set[int],
    missing: list[tuple[LessonRow, list[str]]],
    rows: list[tuple[Any, ...]],
    calendar: LazyCalendar,
    zone: ZoneInfo,
) -> dict[int, list[tuple[str, datetime.datetime]]]:
    """{lesson id: [(entry, deadline)]} of what the lessons lack, by the rules in force on each
    lesson's day, from the query's rows."""
    times: dict[int, tuple[Any, ...]] = {}
    versions = [(datetime.date.min, True, spec) for spec in DEFAULT_RULES]
    no_pc: set[tuple[int, datetime.date]] = set()
    away: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for tag, i1, i2, i3, t1, t2, t3, t4, t5, t6 in rows:
        if tag == "l":
            times[i1] = (_time(t2), _time(t3), _time(t4))
        elif tag == "r":
            kinds = frozenset(k for k in (t6 or "").split(",") if k)
            spec = RuleSpec(t2, t3, t4, t5, i1, kinds, bool(i2))
            versions.append((_date(t1), bool(i3), spec))
        elif tag == "n":
            no_pc.add((i1, _date(t1)))
        else:
            away[i1].append((_date(t1), _date(t2)))
    found: dict[int, list[tuple[str, datetime.datetime]]] = {}
    in_force: dict[datetime.date, list[RuleSpec]] = {}
    for row, what in missing:
        starts, ends, last = times.get(row.id, (None, None, None))
        responsible = {row.substitute_id} if row.substitute_id else set(teacher_ids)
        back = [
            last_day for t in ([] if row.substitute_id else responsible)
            for first, last_day in away.get(t, ()) if first <= row.date <= last_day
        ]  # fmt: skip
        facts = LessonFacts(
            lesson_id=row.id,
            course_id=course.pk,
            course_kind=course.kind,
            day=row.date,
            starts_at=starts,
            ends_at=ends,
            day_last_end=last,
            students_last_end=last,
            no_pc=any((t, row.date) in no_pc for t in responsible),
            absence_end=max(back) if back else None,
            period_end=row.period_end,
            has_written_work=row.written_work,  # 5.5: the marks within a week
        )
        rules = in_force.get(row.date)
        if rules is None:
            rules = in_force[row.date] = rules_in_force(versions, row.date)
        found[row.id] = engine_deadlines(facts, rules, calendar, zone, what)
    return found
