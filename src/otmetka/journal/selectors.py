"""Reads of the class journal: the grid of a course in a period, JSON-ready."""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from otmetka.access import rules
from otmetka.audit.models import Event
from otmetka.core.input import ID_MAX
from otmetka.core.rows import clone, from_row, planned_cursor, select_list
from otmetka.curriculum.models import Course, Subject
from otmetka.journal.grid import SUBSTITUTION_PREFIX as SUBSTITUTION_PREFIX  # for services
from otmetka.journal.grid import (
    Grid,
    LessonRow,
    WriteRoles,
    cell_json,
    due_words,
    grid_read,
    lesson_missing,
    lesson_row_json,
)
from otmetka.journal.models import (
    Absence,
    AbsenceCode,
    HomeworkFile,
    Lesson,
    Mark,
    MarkKind,
    Substitution,
    cell_group,
)
from otmetka.school.models import (
    AcademicYear,
    Period,
    PeriodScheme,
    ReferenceVersion,
    SchoolClass,
)
from otmetka.school.refcache import school_periods, version_for


def periods_of(course: Course) -> QuerySet[Period]:
    """The periods of the course's year in its class's scheme, in order (a queryset to filter)."""
    scheme: str = PeriodScheme.QUARTERS
    # school_class_id is set, so the class is there (mypy cannot tie the two).
    if course.school_class_id and course.school_class.period_scheme:  # type: ignore[union-attr]
        scheme = course.school_class.period_scheme  # type: ignore[union-attr]
    return Period.objects.filter(year_id=course.year_id, scheme=scheme).order_by("start")


def lesson_periods(lesson: Lesson) -> QuerySet[Period]:
    """The course's periods that hold the lesson's date (one at most)."""
    return periods_of(lesson.course).filter(start__lte=lesson.date, end__gte=lesson.date)


def lesson_period(lesson: Lesson) -> Period | None:
    """The period of the course's class scheme that holds the lesson's date."""
    return lesson_periods(lesson).first()


def _scheme(course: Course) -> str:
    school_class = course.school_class if course.school_class_id else None
    if school_class is not None and school_class.period_scheme:
        return school_class.period_scheme
    return PeriodScheme.QUARTERS


def course_periods(course: Course) -> list[Period]:
    """The periods of the course's year in its class's scheme, in order: from the school's
    cached calendar when the course was read with its reference version, else one query."""
    if getattr(course, "ref_version", None) is None:
        return list(periods_of(course))
    scheme = _scheme(course)
    return [
        clone(p)  # the cached instances are the process's: the caller gets its own
        for p in school_periods(course.school_id, version_for(course))
        if p.year_id == course.year_id and p.scheme == scheme
    ]


def default_period(course: Course) -> Period | None:
    """The period containing today, else the last one begun, else the first."""
    today = timezone.localdate()
    periods = course_periods(course)
    started = [p for p in periods if p.start <= today]
    for p in periods:
        if p.start <= today <= p.end:
            return p
    return started[-1] if started else (periods[0] if periods else None)


def period_for_course(course: Course, period_id: Any) -> Period | None:
    """A period of the course's scheme by id (None when it is not one)."""
    try:
        pk = int(period_id)
    except (TypeError, ValueError):
        return None
    if getattr(course, "ref_version", None) is not None:
        return next((p for p in course_periods(course) if p.pk == pk), None)
    return periods_of(course).filter(pk=pk).first()


def lesson_json(
    lesson: Lesson,
    *,
    user: Any,
    school: Any,
    teacher_ids: set[int],
    teacher_name: str,
    closed: bool,
    today: datetime.date,
    files: list[dict[str, Any]],
    period: Period | None = None,
) -> dict[str, Any]:
    """One lesson of the grid (its substitution loaded; its homework files as `lesson_files`
    gives them; `period`: the lesson's, whose end caps a written work's marks deadline)."""
    sub = getattr(lesson, "substitution", None)
    written = bool(lesson.planned_topic and lesson.planned_topic.is_control)
    row = LessonRow(
        id=lesson.pk,
        date=lesson.date,
        number=lesson.bell_number,
        starts=lesson.starts_at.strftime("%H:%M") if lesson.starts_at else None,
        status=lesson.status,
        topic=lesson.topic,
        homework=lesson.homework,
        attendance_taken=lesson.attendance_taken_at is not None,
        planned_topic=(
            {"id": lesson.planned_topic.pk, "title": lesson.planned_topic.title}
            if lesson.planned_topic
            else None
        ),
        substitute_id=sub.substitute_id if sub else None,
        substitute_name=sub.substitute.full_name if sub else "",
        files=files,
        homework_minutes=lesson.homework_minutes,
        written_work=written,
        # A written work's marks are looked up only for one (a query of the lesson's panel).
        marked=written and Mark.objects.filter(lesson=lesson, is_deleted=False).exists(),
        period_end=period.end if period is not None else None,
    )
    missing = lesson_missing(row, today)
    due = due_words(lesson.course, teacher_ids, [(row, missing)])
    roles = WriteRoles(user, school, is_teacher=user.pk in teacher_ids, closed=closed)
    return lesson_row_json(
        row,
        roles=roles,
        teacher_name=teacher_name,
        missing=missing,
        due=due.get(lesson.pk, {}),
    )


def _lessons_qs() -> Any:
    """Lessons with their planned topic and substitute."""
    return Lesson.objects.select_related("planned_topic", "substitution__substitute")


def lesson_files(lesson_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Homework files of the lessons, in upload order, as the grid shows them (one query)."""
    files: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = HomeworkFile.objects.filter(lesson_id__in=lesson_ids).order_by("pk")
    for pk, lesson_id, name in rows.values_list("pk", "lesson_id", "name"):
        files[lesson_id].append({"name": name, "url": reverse("journal:file", args=[pk])})
    return files


def homework_file_for(*, user: Any, school: Any, pk: Any) -> HomeworkFile:
    """A homework file the user may download (404 otherwise): whoever opens the lesson's
    journal, and the students and guardians of the course's class (`scope_courses`)."""
    lessons = rules.journal_lessons(user, school)
    if rules.derived_roles(user, school) & {"student", "guardian"}:
        courses = rules.scope_courses(Course.objects.all(), user, school)
        lessons = lessons | Lesson.objects.filter(school=school, course__in=courses)
    try:
        found = (
            HomeworkFile.objects.filter(school=school, lesson__in=lessons.values("pk"))
            .filter(pk=pk)
            .first()
        )
    except (ValueError, TypeError):
        found = None
    if found is None:
        raise Http404
    return found


MARK_FIELDS = ("pk", "lesson_id", "student_id", "value", "kind_id", "comment")
ABSENCE_FIELDS = ("lesson_id", "student_id", "code__code", "minutes_late", "code__reason")


def lesson_cells(lesson: Lesson, student_ids: list[int] | None = None) -> dict[str, dict[str, Any]]:
    """The cells of one lesson (two queries), keyed "<lesson_id>:<student_id>"."""
    marks = Mark.objects.filter(lesson=lesson, is_deleted=False).order_by("created_at", "pk")
    absences = Absence.objects.filter(lesson=lesson)
    if student_ids is not None:
        marks = marks.filter(student_id__in=student_ids)
        absences = absences.filter(student_id__in=student_ids)
    return cells_from_rows(
        lesson.pk,
        marks.values_list(*MARK_FIELDS),
        absences.values_list(*ABSENCE_FIELDS),
        student_ids,
    )


def cells_from_rows(
    lesson_id: int, marks: Any, absences: Any, student_ids: list[int] | None = None
) -> dict[str, dict[str, Any]]:
    """Cells of one lesson from MARK_FIELDS rows (oldest first) and ABSENCE_FIELDS rows: every
    student with a mark or an absence, and every one of `student_ids`."""
    by_student: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for m in marks:
        by_student[m[2]].append(m)
    absent = {a[1]: a for a in absences}
    ids = set(by_student) | set(absent) | set(student_ids or ())
    return {
        f"{lesson_id}:{sid}": cell_json(by_student.get(sid, []), absent.get(sid)) for sid in ids
    }


def lesson_view(*, user: Any, lesson: Lesson) -> dict[str, Any]:
    """The lesson JSON of the grid for one lesson (after an update)."""
    lesson = _lessons_qs().select_related("course__school", "school").get(pk=lesson.pk)
    course = lesson.course
    teachers = list(course.teachers.order_by("last_name", "first_name"))
    period = lesson_period(lesson)
    return lesson_json(
        lesson,
        user=user,
        school=lesson.school,
        teacher_ids={t.pk for t in teachers},
        teacher_name=", ".join(t.full_name for t in teachers),
        closed=rules.period_is_closed(period, lesson.school),
        today=timezone.localdate(),
        files=lesson_files([lesson.pk])[lesson.pk],
        period=period,
    )


def journal_grid(*, user: Any, course: Course, period: Period) -> Grid:
    """The journal of a course in a period: lessons × students, cells, averages, absences (one
    query: `otmetka.journal.grid`)."""
    return grid_read(user=user, course=course, period=period)


@cache
def _course_sql(vendor: str, everyone: bool) -> str:
    """The course with its subject, year, class and the school's reference version, through the
    journal rights (`rules.journal_rights`, on `jc.id`). Parameters: school, course id, rights'.
    The aliases start with "j": the rights' subqueries name their own c, k, s, l and ct."""
    del vendor  # one text per database: quote_name is the backend's
    q = connection.ops.quote_name
    models = (Course, Subject, AcademicYear, SchoolClass, ReferenceVersion)
    t = {m: q(m._meta.db_table) for m in models}
    return f"""
        SELECT {select_list(Course, "jc")}, {select_list(Subject, "js")},
               {select_list(AcademicYear, "jy")}, {select_list(SchoolClass, "jk")},
               COALESCE((SELECT jv.version FROM {t[ReferenceVersion]} jv
                          WHERE jv.school_id = jc.school_id), 0)
          FROM {t[Course]} jc JOIN {t[Subject]} js ON js.id = jc.subject_id
          JOIN {t[AcademicYear]} jy ON jy.id = jc.year_id
          LEFT JOIN {t[SchoolClass]} jk ON jk.id = jc.school_class_id
         WHERE jc.school_id = %s AND jc.id = %s {"" if everyone else "AND {rights}"}"""


def journal_course_for(*, user: Any, school: Any, pk: Any) -> Course:
    """A course whose journal the user may open (404 otherwise), with what the grid needs: its
    subject, year, class and the school's reference version (`ref_version`). One hand-written query
    (the ORM compiled it on every grid request: a sixth of the grid's CPU)."""
    rights = rules.journal_rights(user, school)
    if rights is None or not isinstance(pk, int) or not 0 < pk <= ID_MAX:
        raise Http404
    condition, params = rights
    sql = _course_sql(connection.vendor, not condition).format(rights=condition.format(ref="jc.id"))
    with planned_cursor() as cursor:  # planned once per connection on PostgreSQL
        cursor.execute(sql, [school.pk, pk, *params])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    course, n = from_row(Course, row)
    course.subject, n = from_row(Subject, row, n)
    course.year, n = from_row(AcademicYear, row, n)
    course.school_class = from_row(SchoolClass, row, n)[0] if row[n] is not None else None
    course.school = school  # the row the query named: no second read
    course.ref_version = int(row[-1])  # type: ignore[attr-defined]
    return course


def journal_lesson_for(*, user: Any, school: Any, pk: Any) -> Lesson:
    """A lesson of a course whose journal the user may open (404 otherwise)."""
    try:
        lesson = (
            rules.journal_lessons(user, school)
            .select_related("course__subject", "course__school_class")
            .filter(pk=pk)
            .first()
        )
    except (ValueError, TypeError):
        lesson = None
    if lesson is None:
        raise Http404
    lesson.school = lesson.course.school = school  # the row the filter named
    return lesson


def mark_kind_rows() -> Any:
    """Kinds of work in list order (the setup pages narrow them to the school)."""
    return MarkKind.objects.order_by("position", "name")


def absence_code_rows() -> Any:
    """Absence codes in list order (the setup pages narrow them to the school)."""
    return AbsenceCode.objects.order_by("position", "code")


# --- the schedule: one-off changes, substitutions, lessons to review --------------------------


def lesson_for_change(*, school: Any, pk: Any) -> Lesson | None:
    """A lesson of the school with its course."""
    return (
        Lesson.objects.filter(school=school, pk=pk)
        .select_related("school", "course__subject", "course__school_class", "course__year")
        .first()
    )


def teacher_lessons(
    *, school: Any, teacher: Any, start: datetime.date, end: datetime.date
) -> QuerySet[Lesson]:
    """Lessons of a teacher's courses in a date range, with any substitution."""
    return (
        Lesson.objects.filter(school=school, course__teachers=teacher, date__range=(start, end))
        .select_related("course__subject", "course__school_class", "substitution__substitute")
        .order_by("date", "bell_number")
    )


def substitutions_month(*, school: Any, month: datetime.date) -> list[dict[str, Any]]:
    """Замещённые уроки за месяц: per substitute, their substituted lessons."""
    first = month.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    subs = (
        Substitution.objects.filter(school=school, lesson__date__range=(first, last))
        .select_related(
            "substitute",
            "absent_teacher",
            "lesson__course__subject",
            "lesson__course__school_class",
        )
        .order_by(
            "substitute__last_name", "substitute__first_name", "lesson__date", "lesson__bell_number"
        )
    )
    result: dict[int, dict[str, Any]] = {}
    for s in subs:
        entry = result.setdefault(s.substitute_id, {"teacher": s.substitute, "items": []})
        entry["items"].append(s)
    return list(result.values())


def lessons_to_review(*, school: Any, limit: int = 200) -> list[Lesson]:
    """Lessons the timetable no longer has but that hold data: the deputy decides."""
    return list(
        Lesson.objects.filter(school=school, needs_review=True)
        .select_related("course__subject", "course__school_class")
        .order_by("date", "bell_number")[:limit]
    )


def cell_history(*, user: Any, lesson: Lesson, student: Any) -> list[dict[str, Any]]:
    """Audit events of one cell (marks and absence of a student in a lesson), newest first: one
    indexed read by (school, cell group), whatever the size of the audit table."""
    rules.journal_course_access(user, lesson.school, lesson.course_id)
    group = cell_group(lesson.pk, getattr(student, "pk", student))
    events = (
        Event.objects.filter(school_id=lesson.school_id, group_key=group)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    return [
        {
            "at": e.at.isoformat(),
            "actor": e.actor.full_name if e.actor else "",
            "action": e.action,
            "before": e.before,
            "after": e.after,
            "reason": e.reason,
        }
        for e in events
    ]


def week_lessons(*, school_class: Any, on: datetime.date) -> dict[tuple[int, int], Any]:
    """The class's own lessons of the week holding `on`, by (weekday, lesson number): the
    timetable links each cell to its dated lesson (move, cancel). One query."""
    monday = on - datetime.timedelta(days=on.weekday())
    rows = Lesson.objects.filter(
        school=school_class.school_id,
        course__school_class=school_class,
        date__range=(monday, monday + datetime.timedelta(days=6)),
        bell_number__isnull=False,
    ).only("pk", "date", "bell_number", "status")
    return {(lesson.date.weekday(), lesson.bell_number or 0): lesson for lesson in rows}
