"""Reads of the diary (a student's and a guardian's): the children to choose from, the week, the
homework, the class's timetable. Each read runs a fixed number of queries, whatever the number of
lessons and marks; the mobile API (issue 17) is meant to call these same functions."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from otmetka.access.diary import diary_students
from otmetka.curriculum.models import Course, CourseMember
from otmetka.diary.charts import mark_chart
from otmetka.diary.dayread import days_read
from otmetka.diary.models import DiaryChoice, DiaryViewDay
from otmetka.grading.models import PeriodMark

# The grid's own averaging rule (whole values, Decimal, two places half up): one rule everywhere.
from otmetka.journal.grid import averages, q2
from otmetka.journal.models import Absence, AbsenceCode, HomeworkFile, Lesson, Mark
from otmetka.people.models import Student
from otmetka.school.calendar import Status, calendar_for
from otmetka.school.models import Enrollment, Period, PeriodScheme, SchoolClass

ONE_DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)
HOMEWORK_DAYS = 14  # the homework list looks two weeks ahead
POINT_VALUES = ("1", "2", "3", "4", "5")


# --- whose diary -------------------------------------------------------------------------------


@dataclass
class Reader:
    """The diary's reader: the students they may open and the one open now."""

    students: list[Student]
    current: Student | None

    @property
    def several(self) -> bool:
        return len(self.students) > 1


def diary_reader(*, user: Any, chosen: Any = None) -> Reader:
    """The user's diary students (with schools, two queries with the remembered choice) and the
    current one: `chosen` if it is theirs, else the one remembered, else the first by name."""
    students = list(
        diary_students(user)
        .select_related("school")
        .order_by("last_name", "first_name", "middle_name", "pk")
    )
    by_id = {s.pk: s for s in students}
    current = by_id.get(chosen) if isinstance(chosen, int) else None
    if current is None and students:
        remembered = (
            DiaryChoice.objects.filter(user_id=user.pk).values_list("student_id", flat=True).first()
        )
        current = by_id.get(remembered, students[0]) if remembered is not None else students[0]
    return Reader(students=students, current=current)


# --- the student's lessons ---------------------------------------------------------------------


class LessonRow(NamedTuple):
    """What the diary shows of a lesson (read as plain values: no model instances)."""

    pk: int
    date: datetime.date
    bell_number: int | None
    starts_at: datetime.time | None
    ends_at: datetime.time | None
    room: str
    status: str
    is_extra: bool
    slot_id: int | None
    topic: str
    homework: str
    homework_at: datetime.datetime | None
    course_id: int
    group: str
    class_id: int | None
    subject: str
    sub_last: str | None
    sub_first: str | None
    sub_middle: str | None
    teacher: str = ""


LESSON_FIELDS = (
    "pk", "date", "bell_number", "starts_at", "ends_at", "room", "status", "is_extra", "slot_id",
    "topic", "homework", "homework_entered_at", "course_id", "course__name",
    "course__school_class_id", "course__subject__name", "substitution__substitute__last_name",
    "substitution__substitute__first_name", "substitution__substitute__middle_name",
)  # fmt: skip


@dataclass
class Attendance:
    """Where the student belongs between two dates: classes and groups with their bounds."""

    classes: dict[int, list[tuple[datetime.date, datetime.date | None]]]
    groups: dict[int, list[tuple[datetime.date, datetime.date | None]]]
    school_class: SchoolClass | None = None  # the class of the last enrollment in the window

    def attends(self, lesson: LessonRow) -> bool:
        """Whether the lesson is the student's (their class's or group's) on its date."""
        if lesson.class_id and not lesson.group:
            spans = self.classes.get(lesson.class_id, [])
        else:
            spans = self.groups.get(lesson.course_id, [])
        return any(a <= lesson.date and (b is None or lesson.date <= b) for a, b in spans)


def _overlap(start: datetime.date, end: datetime.date) -> Q:
    return Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))


def student_attendance(student: Student, start: datetime.date, end: datetime.date) -> Attendance:
    """The student's enrollments and group memberships overlapping the dates (two queries)."""
    found = Attendance(classes=defaultdict(list), groups=defaultdict(list))
    enrollments = (
        Enrollment.objects.filter(_overlap(start, end), student=student, school=student.school_id)
        .select_related("school_class")
        .order_by("start")
    )
    for e in enrollments:
        found.classes[e.school_class_id].append((e.start, e.end))
        found.school_class = e.school_class
    members = CourseMember.objects.filter(
        _overlap(start, end), student=student, school=student.school_id
    ).values_list("course_id", "start", "end")
    for course_id, a, b in members:
        found.groups[course_id].append((a, b))
    return found


def student_lessons(
    student: Student, attendance: Attendance, start: datetime.date, end: datetime.date
) -> list[LessonRow]:
    """The student's lessons between the dates in day and bell order, with subject, substitute
    (one query) and the course's teachers (one more)."""
    if not attendance.classes and not attendance.groups:
        return []
    mine = Q(course__school_class_id__in=list(attendance.classes), course__name="")
    mine |= Q(course_id__in=list(attendance.groups))
    rows = (
        Lesson.objects.filter(mine, school=student.school_id, date__range=(start, end))
        .order_by("date", "bell_number", "starts_at", "pk")
        .values_list(*LESSON_FIELDS)
    )
    lessons = [ls for ls in (LessonRow(*r) for r in rows) if attendance.attends(ls)]
    names = _teacher_names({ls.course_id for ls in lessons})
    return [ls._replace(teacher=names.get(ls.course_id, "")) for ls in lessons]


def _teacher_names(course_ids: set[int]) -> dict[int, str]:
    """Course id → its teachers' full names, by surname (one query, none for no course)."""
    if not course_ids:
        return {}
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        Course.teachers.through.objects.filter(course_id__in=course_ids)
        .order_by("user__last_name", "user__first_name", "pk")
        .values_list("course_id", "user__last_name", "user__first_name", "user__middle_name")
    )
    for course_id, *parts in rows:
        names[course_id].append(" ".join(p for p in parts if p))
    return {k: ", ".join(v) for k, v in names.items()}


def period_marks(*, student_ids: list[int], period: Any) -> dict[tuple[int, int], str]:
    """(student id, course id) → the period mark (итоговая отметка) of the students in the period,
    as `grading` keeps it (the current, not deleted one); one query."""
    if period is None or not student_ids:
        return {}
    rows = PeriodMark.objects.filter(
        school_id=period.school_id, period=period, student_id__in=student_ids, is_deleted=False
    ).values_list("student_id", "course_id", "value")
    return {(student_id, course_id): value for student_id, course_id, value in rows}


# --- the week ----------------------------------------------------------------------------------


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the day's week."""
    return day - datetime.timedelta(days=day.weekday())


def _teacher(lesson: LessonRow) -> tuple[str, bool]:
    """The teacher's name as the diary shows it: the substitute's on a substituted lesson."""
    if lesson.sub_last is not None:
        parts = (lesson.sub_last, lesson.sub_first, lesson.sub_middle)
        return " ".join(p for p in parts if p), True
    return lesson.teacher, False


def _lesson_state(lesson: LessonRow) -> str:
    """ "cancelled", "moved" (to this time), "extra" (outside the timetable) or ""."""
    if lesson.status == Lesson.Status.CANCELLED:
        return "cancelled"
    if lesson.is_extra:
        return "moved" if lesson.slot_id else "extra"
    return ""


def homework_files(lesson_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    """Homework files of the lessons as diary download links, in upload order (one query)."""
    files: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows = HomeworkFile.objects.filter(lesson_id__in=lesson_ids).order_by("pk")
    for pk, lesson_id, name in rows.values_list("pk", "lesson_id", "name"):
        files[lesson_id].append({"name": name, "url": reverse("diary:file", args=[pk])})
    return files


def _is_new(at: datetime.datetime | None, since: datetime.datetime | None) -> bool:
    """Whether an entry made at `at` is new to a reader who has seen the diary up to `since`."""
    return since is not None and at is not None and at > since


@dataclass
class Day:
    """A day of the diary's week: its lessons, or why there are none."""

    date: datetime.date
    lessons: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "school"  # school | holiday | vacation | quarantine | weekend | none
    note: str = ""
    today: bool = False


def _closed_reason(
    day: datetime.date,
    school_class: SchoolClass | None,
    cal: Any,
    vacations: list[tuple[str, datetime.date, datetime.date, int, int]],
) -> tuple[str, str]:
    """Why a day without lessons has none, by the school calendar."""
    if school_class is None:
        return "none", ""
    grade = school_class.grade
    for name, start, end, low, high in vacations:
        if start <= day <= end and low <= grade <= high:
            return "vacation", name
    status = cal.status(day, grade=grade)
    if status is Status.OFF:
        return "holiday", str(_("Holiday, a day off"))
    if status is Status.WEEKEND:
        return "weekend", ""
    if not cal.is_school_day(day, grade=grade, week_days=school_class.week_days):
        return "quarantine", str(_("No classes (quarantine or outside the school year)"))
    return "none", ""


def _week_days(
    student: Student,
    school_class: SchoolClass | None,
    monday: datetime.date,
    dated: dict[datetime.date, list[dict[str, Any]]],
) -> list[Day]:
    """Monday to Saturday (Saturday only in a 6-day week or when it has lessons); the calendar is
    read only when a day has no lessons (one query then, none in an ordinary week)."""
    return _school_days(student, school_class, monday, monday + ONE_DAY * 5, dated)


def _school_days(
    student: Student,
    school_class: SchoolClass | None,
    start: datetime.date,
    end: datetime.date,
    dated: dict[datetime.date, list[dict[str, Any]]],
) -> list[Day]:
    """The days from `start` to `end` (Saturdays only in a 6-day week or with lessons, Sundays
    only with lessons), each with its lessons or why it has none."""
    six = school_class is not None and school_class.week_days == 6
    dates = [start + ONE_DAY * n for n in range((end - start).days + 1)]
    dates = [d for d in dates if d.weekday() < 5 or (six and d.weekday() == 5) or dated.get(d)]
    empty = [d for d in dates if not dated.get(d)]
    cal, vacations = None, []
    if empty and school_class is not None:
        cal = calendar_for(student.school, min(empty), max(empty))
        vacations = [(v.name, v.start, v.end, v.min_grade, v.max_grade) for v in cal.vacations]
    today = timezone.localdate()
    days = []
    for d in dates:
        day = Day(date=d, lessons=dated.get(d, []), today=d == today)
        if not day.lessons:
            day.kind, day.note = _closed_reason(d, school_class, cal, vacations)
        days.append(day)
    return days


def _lesson_row(
    lesson: LessonRow,
    marks: list[dict[str, Any]],
    absence: dict[str, Any] | None,
    files: list[dict[str, str]],
    since: datetime.datetime | None = None,
) -> dict[str, Any]:
    teacher, substituted = _teacher(lesson)
    return {
        "id": lesson.pk,
        "number": lesson.bell_number,
        "starts": lesson.starts_at,
        "ends": lesson.ends_at,
        "room": lesson.room,
        "subject": lesson.subject,
        "group": lesson.group,
        "teacher": teacher,
        "substituted": substituted,
        "topic": lesson.topic,
        "homework": lesson.homework,
        "homework_new": bool(lesson.homework) and _is_new(lesson.homework_at, since),
        "files": files,
        "marks": marks,
        "absence": absence,
        "state": _lesson_state(lesson),
    }


def diary_week(
    *, student: Student, day: datetime.date, since: datetime.datetime | None = None
) -> dict[str, Any]:
    """The student's week around `day`: each day's lessons with teacher, topic, homework and
    files, marks and absence; days without lessons say why (holiday, vacation). Marks, absences
    and homework entered after `since` (the reader's previous visit) are flagged new and
    counted. At most nine queries, whatever the number of lessons and marks."""
    monday = week_start(day)
    saturday = monday + ONE_DAY * 5
    attendance, lessons, marks, absent, files = days_read(student, monday, saturday, since)
    dated: dict[datetime.date, list[dict[str, Any]]] = defaultdict(list)
    new = 0
    for ls in lessons:
        row = _lesson_row(ls, marks.get(ls.pk, []), absent.get(ls.pk), files.get(ls.pk, []), since)
        new += sum(1 for m in row["marks"] if m["new"]) + row["homework_new"]
        new += bool(row["absence"] and row["absence"]["new"])
        dated[ls.date].append(row)
    return {
        "new_count": new,
        "student": student,
        "school_class": attendance.school_class,
        "monday": monday,
        "saturday": saturday,
        "previous": monday - WEEK,
        "next": monday + WEEK,
        "days": _week_days(student, attendance.school_class, monday, dated),
    }


def diary_days(*, student: Student, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The student's diary from `start` to `end` as `diary_week` shows a week (the API's date
    ranges): each day's lessons with teacher, topic, homework, files, marks and absence, days
    without lessons saying why. At most nine queries, whatever the range."""
    attendance, lessons, marks, absent, files = days_read(student, start, end)
    dated: dict[datetime.date, list[dict[str, Any]]] = defaultdict(list)
    for ls in lessons:
        dated[ls.date].append(
            _lesson_row(ls, marks.get(ls.pk, []), absent.get(ls.pk), files.get(ls.pk, []))
        )
    return {
        "student": student,
        "school_class": attendance.school_class,
        "days": _school_days(student, attendance.school_class, start, end, dated),
    }


def current_classes(students: list[Student]) -> dict[int, str]:
    """Student id → the name of their class today ("7А"), "" for none (one query)."""
    today = timezone.localdate()
    rows = (
        Enrollment.objects.filter(student__in=[s.pk for s in students], start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .order_by("start")
        .values_list("student_id", "school_class__grade", "school_class__letter")
    )
    return {student_id: f"{grade}{letter}" for student_id, grade, letter in rows}


def student_periods(student: Student) -> tuple[list[Period], Period | None]:
    """The periods of the student's class this year (their latest class's) and the current one
    (`pick_period`), as the marks page chooses them (two or three queries)."""
    today = timezone.localdate()
    school_class = student_attendance(student, today, today).school_class
    if school_class is None:
        school_class = latest_class(student)
    periods = class_periods(school_class)
    return periods, pick_period(periods, None, today)


def class_timetable(*, student: Student, day: datetime.date) -> dict[str, Any]:
    """The class's week as a table: bell numbers down, days across (the week's lessons, with
    moves, cancellations and substitutions)."""
    week = diary_week(student=student, day=day)
    numbers = sorted({ls["number"] or 0 for d in week["days"] for ls in d.lessons})
    rows = []
    for number in numbers:
        cells = [[ls for ls in d.lessons if (ls["number"] or 0) == number] for d in week["days"]]
        rows.append({"number": number, "cells": cells})
    return {**week, "rows": rows}


# --- homework ----------------------------------------------------------------------------------


def _due_dates(lessons: list[LessonRow]) -> dict[int, datetime.date | None]:
    """Lesson id → the date of the course's next lesson (when its homework is due)."""
    due: dict[int, datetime.date | None] = {}
    following: dict[int, datetime.date] = {}
    for ls in reversed(lessons):
        due[ls.pk] = following.get(ls.course_id)
        if ls.status != Lesson.Status.CANCELLED:
            following[ls.course_id] = ls.date
    return due


def diary_homework(*, student: Student, today: datetime.date) -> dict[str, Any]:
    """Homework still to do: set in the last week, due (the course's next lesson) from today on,
    by due date, with files (five queries)."""
    start, end = today - WEEK, today + datetime.timedelta(days=HOMEWORK_DAYS)
    attendance = student_attendance(student, start, end)
    lessons = student_lessons(student, attendance, start, end)
    files = homework_files([ls.pk for ls in lessons]) if lessons else {}
    due = _due_dates(lessons)
    items = [
        {
            "set_on": ls.date,
            "due": due[ls.pk],
            "subject": ls.subject,
            "homework": ls.homework,
            "files": files.get(ls.pk, []),
        }
        for ls in lessons
        if (ls.homework or files.get(ls.pk)) and (due[ls.pk] or ls.date) >= today
    ]
    items.sort(key=lambda i: (i["due"] or i["set_on"], i["subject"]))
    return {"student": student, "today": today, "items": items}


# --- marks for a period ------------------------------------------------------------------------


def class_periods(school_class: SchoolClass | None) -> list[Period]:
    """The periods of the class's year in its scheme (quarters by default), in order."""
    if school_class is None:
        return []
    scheme = school_class.period_scheme or PeriodScheme.QUARTERS
    return list(
        Period.objects.filter(year_id=school_class.year_id, scheme=scheme).order_by("start")
    )


def pick_period(periods: list[Period], chosen: Any, today: datetime.date) -> Period | None:
    """The period with id `chosen`, else the one holding today, else the last begun, else the
    first."""
    by_id = {p.pk: p for p in periods}
    if isinstance(chosen, int) and chosen in by_id:
        return by_id[chosen]
    for p in periods:
        if p.start <= today <= p.end:
            return p
    begun = [p for p in periods if p.start <= today]
    return begun[-1] if begun else (periods[0] if periods else None)


def _class_averages(course_ids: list[int], period: Period) -> dict[int, str]:
    """Course id → the simple mean of every point mark in the period, two places, half up."""
    rows = (
        Mark.objects.filter(
            lesson__course_id__in=course_ids,
            lesson__date__range=(period.start, period.end),
            is_deleted=False,
            value__in=POINT_VALUES,
        )
        .values("lesson__course_id")
        .annotate(total=Sum(Cast("value", IntegerField())), n=Count("pk"))
    )
    return {r["lesson__course_id"]: q2(Decimal(r["total"]) / r["n"]) for r in rows if r["n"]}


def _student_courses(attendance: Attendance, student: Student) -> list[Course]:
    mine = Q(school_class_id__in=list(attendance.classes), name="")
    mine |= Q(pk__in=list(attendance.groups))
    return list(
        Course.objects.filter(mine, school=student.school_id)
        .select_related("subject")
        .order_by("subject__position", "subject__name", "name", "pk")
    )


def diary_marks(
    *, student: Student, chosen_period: Any = None, since: datetime.datetime | None = None
) -> dict[str, Any]:
    """Every subject of the student in a period: marks in date order with kind and weight (those
    entered after `since` flagged new), the simple and weighted averages (the grid's rule), the
    class's average, the period mark when one exists, absences and lateness, and a chart (eight
    queries)."""
    today = timezone.localdate()
    school_class = student_attendance(student, today, today).school_class
    if school_class is None:
        school_class = latest_class(student)
    periods = class_periods(school_class)
    period = pick_period(periods, chosen_period, today)
    result: dict[str, Any] = {"student": student, "periods": periods, "period": period}
    if period is None:
        return {**result, "subjects": []}
    attendance = student_attendance(student, period.start, period.end)
    courses = _student_courses(attendance, student)
    ids = [c.pk for c in courses]
    marks: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Mark.objects.filter(student=student, lesson__course_id__in=ids, is_deleted=False)
        .filter(lesson__date__range=(period.start, period.end))
        .order_by("lesson__date", "created_at", "pk")
        .values_list("lesson__course_id", "lesson__date", "value", "kind__name", "kind__weight",
                     "comment", "created_at")
    )  # fmt: skip
    for course_id, day, value, kind, weight, comment, created in rows:
        marks[course_id].append(
            {"date": day, "value": value, "kind": kind, "weight": weight, "comment": comment,
             "new": _is_new(created, since)}
        )  # fmt: skip
    missed = _absence_counts(student, ids, period)
    class_avg = _class_averages(ids, period) if ids else {}
    final = period_marks(student_ids=[student.pk], period=period)
    subjects = []
    for c in courses:
        simple, weighted = averages([(m["value"], m["weight"]) for m in marks[c.pk]])
        subjects.append(
            {
                "course": c,
                "subject": c.subject.name,
                "marks": marks[c.pk],
                "average": simple,
                "weighted": weighted,
                "class_average": class_avg.get(c.pk),
                "period_mark": final.get((student.pk, c.pk)),
                "absences": missed[c.pk]["absent"],
                "late": missed[c.pk]["late"],
                "chart": mark_chart(marks[c.pk], period, class_avg.get(c.pk)),
            }
        )
    return {**result, "subjects": subjects}


def latest_class(student: Student) -> SchoolClass | None:
    """The class of the student's latest enrollment (one query)."""
    e = (
        Enrollment.objects.filter(student=student, school=student.school_id)
        .select_related("school_class")
        .order_by("-start")
        .first()
    )
    return e.school_class if e else None


def _absence_counts(student: Student, ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    """Course id → {"absent": n, "late": n} of the student in the period (one query)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"absent": 0, "late": 0})
    rows = Absence.objects.filter(
        student=student, lesson__course_id__in=ids, lesson__date__range=(period.start, period.end)
    ).values_list("lesson__course_id", "code__reason")
    for course_id, reason in rows:
        counts[course_id]["late" if reason == AbsenceCode.Reason.LATE else "absent"] += 1
    return counts


# --- guardians' views --------------------------------------------------------------------------

VIEW_DAYS = 14  # the homeroom teacher's and deputy's table of guardians' views looks two weeks back


def school_view_days(
    *, school_id: int, today: datetime.date, days: int = VIEW_DAYS
) -> list[dict[str, Any]]:
    """The school's guardians' diary views by day, newest first, over the last `days` days (days
    without views as 0; one query)."""
    start = today - ONE_DAY * (days - 1)
    counted = dict(
        DiaryViewDay.objects.filter(school_id=school_id, day__range=(start, today)).values_list(
            "day", "views"
        )
    )
    return [
        {"day": d, "views": counted.get(d, 0)} for d in (today - ONE_DAY * n for n in range(days))
    ]


# --- the year's period marks -------------------------------------------------------------------


def year_final_marks(student: Student) -> tuple[list[Period], list[tuple[str, dict[int, str]]]]:
    """The periods of the student's class this year (as `student_periods` chooses the class) and
    each subject of the year (his class's and groups' courses in any of the periods, in the
    marks page's order; one subject's courses together) with its period marks by period id.
    Four queries, whatever the number of periods and subjects."""
    today = timezone.localdate()
    enrollments = list(
        Enrollment.objects.filter(student=student, school=student.school_id)
        .select_related("school_class")
        .order_by("start")
    )
    current = [e for e in enrollments if e.start <= today and (e.end is None or e.end >= today)]
    chosen = (current or enrollments)[-1].school_class if enrollments else None
    periods = class_periods(chosen)
    if not periods:
        return periods, []
    first, last = periods[0].start, max(p.end for p in periods)
    classes = [
        e.school_class_id
        for e in enrollments
        if e.start <= last and (e.end is None or e.end >= first)
    ]
    groups = CourseMember.objects.filter(_overlap(first, last), student=student).values("course")
    courses = (
        Course.objects.filter(Q(school_class_id__in=classes, name="") | Q(pk__in=groups))
        .filter(school=student.school_id)
        .order_by("subject__position", "subject__name", "name", "pk")
        .values_list("pk", "subject__name")
    )
    subjects: dict[str, dict[int, str]] = {}
    by_course: dict[int, str] = {}
    for course_id, name in courses:
        subjects.setdefault(name, {})
        by_course[course_id] = name
    rows = PeriodMark.objects.filter(
        school_id=student.school_id, student=student, period__in=[p.pk for p in periods],
        course_id__in=list(by_course), is_deleted=False,
    ).values_list("course_id", "period_id", "value")  # fmt: skip
    for course_id, period_id, value in rows:
        if value:
            subjects[by_course[course_id]].setdefault(period_id, value)
    return periods, list(subjects.items())
