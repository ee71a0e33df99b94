"""Reads of the archive: a class journal course by course, the individual student record across
years (R11), the archives a school made."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from otmetka.archive.models import Archive
from otmetka.curriculum.models import Course, CourseMember
from otmetka.grading.models import PeriodMark
from otmetka.journal.models import Absence, Lesson, Mark
from otmetka.people.models import Student
from otmetka.reports.selectors import class_periods
from otmetka.school.models import AcademicYear, Enrollment, Period, School, SchoolClass


def year_mark_label() -> str:
    """The year-mark column's head («Год», as the paper journal has it)."""
    return _("Year (mark)")


@dataclass
class LessonLine:
    """A held lesson of the journal."""

    id: int
    date: datetime.date
    topic: str
    homework: str
    substitute: str


@dataclass
class CoursePages:
    """What one course's pages print: lessons, the grid's cells, period and year marks."""

    title: str
    teachers: str
    lessons: list[LessonLine]
    students: list[tuple[int, str]]
    cells: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    period_names: list[str] = field(default_factory=list)
    period_marks: dict[int, list[str]] = field(default_factory=dict)

    def months(self) -> list[tuple[tuple[int, int], list[LessonLine]]]:
        """The lessons grouped by (year, month), in date order."""
        key = lambda x: (x.date.year, x.date.month)  # noqa: E731
        return [(k, list(g)) for k, g in itertools.groupby(self.lessons, key=key)]

    def cell(self, lesson_id: int, student_id: int) -> str:
        """A student's marks and absence code on a lesson, as printed («н», «5/4»)."""
        return "/".join(self.cells.get((lesson_id, student_id), ()))


def journal_classes(*, year: AcademicYear) -> QuerySet[SchoolClass]:
    """The classes of a year, by grade and letter."""
    rows = SchoolClass.objects.filter(year=year).select_related("homeroom_teacher", "school")
    return rows.order_by("grade", "letter")


def journal_courses(*, school_class: SchoolClass) -> list[Course]:
    """The class's journals (whole class and its groups) of its year, by subject."""
    rows = Course.objects.filter(school_class=school_class, year_id=school_class.year_id)
    rows = rows.select_related("subject", "school_class").prefetch_related("teachers")
    return list(rows.order_by("subject__position", "subject__name", "name", "pk"))


def course_title(course: Course) -> str:
    """«Математика» or «Английский язык (группа 1)»."""
    return f"{course.subject.name} ({course.name})" if course.name else course.subject.name


def _roster(course: Course, school_class: SchoolClass) -> list[tuple[int, str]]:
    year = school_class.year
    overlap = Q(start__lte=year.end) & (Q(end__isnull=True) | Q(end__gte=year.start))
    fields = ("student_id", "student__last_name", "student__first_name")
    members = CourseMember.objects.filter(overlap, course=course)
    enrolled = Enrollment.objects.filter(overlap, school_class=school_class)
    names = list((members if course.name else enrolled).values_list(*fields))
    found = {sid: f"{last} {first}" for sid, last, first in names}
    return sorted(found.items(), key=lambda item: (item[1], item[0]))


def _lessons(course: Course) -> list[LessonLine]:
    rows = (
        Lesson.objects.filter(course=course)
        .exclude(status=Lesson.Status.CANCELLED)
        .order_by("date", "bell_number", "pk")
        .values_list(
            "id",
            "date",
            "topic",
            "homework",
            "substitution__substitute__last_name",
            "substitution__substitute__first_name",
            "substitution__substitute__middle_name",
        )
    )
    return [
        LessonLine(pk, day, topic, homework, " ".join(p for p in (last, first, mid) if p))
        for pk, day, topic, homework, last, first, mid in rows
    ]


def _cells(course: Course) -> dict[tuple[int, int], list[str]]:
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    absences = Absence.objects.filter(lesson__course=course)
    for lesson_id, sid, code in absences.values_list("lesson_id", "student_id", "code__code"):
        found[(lesson_id, sid)].append(code)
    marks = Mark.objects.filter(lesson__course=course, is_deleted=False).order_by("pk")
    for lesson_id, sid, value in marks.values_list("lesson_id", "student_id", "value"):
        found[(lesson_id, sid)].append(value)
    return found


def _period_marks(course: Course, periods: list[Period]) -> dict[int, list[str]]:
    columns = {p.pk: n for n, p in enumerate(periods)}
    found: dict[int, list[str]] = defaultdict(lambda: [""] * (len(periods) + 1))
    rows = PeriodMark.objects.filter(course=course, is_deleted=False)
    for sid, period_id, value in rows.values_list("student_id", "period_id", "value"):
        index = len(periods) if period_id is None else columns.get(period_id)
        if index is not None:
            found[sid][index] = value
    return dict(found)


def course_pages(
    *, course: Course, school_class: SchoolClass, periods: list[Period]
) -> CoursePages:
    """Everything one course prints (five queries, whatever the school's size)."""
    teachers = ", ".join(t.full_name for t in course.teachers.all())
    page = CoursePages(
        course_title(course), teachers, _lessons(course), _roster(course, school_class)
    )
    page.cells = _cells(course)
    page.period_names = [*(p.name for p in periods), year_mark_label()]
    page.period_marks = _period_marks(course, periods)
    return page


def class_journal(school_class: SchoolClass) -> tuple[list[Course], Iterator[CoursePages]]:
    """The class's courses and a generator of their pages, read one course at a time."""
    courses = journal_courses(school_class=school_class)
    periods = class_periods(school_class)

    def pages() -> Iterator[CoursePages]:
        for course in courses:
            yield course_pages(course=course, school_class=school_class, periods=periods)

    return courses, pages()


# --- the individual student record (R11) ------------------------------------------------------


@dataclass
class RecordYear:
    """One school year of a student's record: classes, periods and a row per subject."""

    name: str
    classes: list[str]
    periods: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class Record:
    """Личная карточка — успеваемость: the student, enrolments and every period and year mark."""

    student: Student
    school: str
    enrollments: list[dict[str, Any]]
    years: list[RecordYear]

    def as_json(self) -> dict[str, Any]:
        """The record as plain data (the JSON export on departure)."""
        s = self.student
        return {
            "format": "otmetka-student-record/1",
            "school": self.school,
            "student": {
                "id": s.pk,
                "last_name": s.last_name,
                "first_name": s.first_name,
                "middle_name": s.middle_name,
                "birth_date": s.birth_date.isoformat() if s.birth_date else None,
            },
            "enrollments": self.enrollments,
            "years": [
                {
                    "year": y.name,
                    "classes": y.classes,
                    "periods": [*y.periods, year_mark_label()],
                    "subjects": [{"subject": name, "marks": marks} for name, marks in y.rows],
                }
                for y in self.years
            ],
        }


def _enrollments(student: Student) -> list[Any]:
    rows = Enrollment.objects.filter(student=student).select_related("school_class__year")
    return list(rows.order_by("start", "pk"))


def _year_block(year: AcademicYear, classes: list[str], marks: list[PeriodMark]) -> RecordYear:
    periods = sorted({m.period for m in marks if m.period is not None}, key=lambda p: p.start)
    columns = {p.pk: n for n, p in enumerate(periods)}
    by_subject: dict[str, list[str]] = {}
    for m in marks:
        row = by_subject.setdefault(m.course.subject.name, [""] * (len(periods) + 1))
        row[len(periods) if m.period_id is None else columns[m.period_id]] = m.value
    rows = sorted(by_subject.items())
    return RecordYear(year.name, classes, [p.name for p in periods], rows)


def student_record(*, student: Student) -> Record:
    """Every period and year mark of the student in every year and class (transfers between
    classes survive: the marks belong to the student, not the class)."""
    enrollments = _enrollments(student)
    marks = (
        PeriodMark.objects.filter(student=student, is_deleted=False)
        .select_related("course__subject", "year", "period")
        .order_by("year__start", "course__subject__position", "course__subject__name")
    )
    by_year: dict[int, list[PeriodMark]] = defaultdict(list)
    years: dict[int, AcademicYear] = {}
    for m in marks:
        by_year[m.year_id].append(m)
        years[m.year_id] = m.year
    classes: dict[int, list[str]] = defaultdict(list)
    for e in enrollments:
        classes[e.school_class.year_id].append(str(e.school_class))
        years.setdefault(e.school_class.year_id, e.school_class.year)
    ordered = sorted(years.values(), key=lambda y: y.start)
    school = School.objects.filter(pk=student.school_id).values_list("name", flat=True).first()
    return Record(
        student=student,
        school=school or "",
        enrollments=[
            {
                "class": str(e.school_class),
                "year": e.school_class.year.name,
                "from": e.start.isoformat(),
                "to": e.end.isoformat() if e.end else None,
                "order": e.order_ref,
            }
            for e in enrollments
        ],
        years=[_year_block(y, classes.get(y.pk, []), by_year.get(y.pk, [])) for y in ordered],
    )


def school_archives(*, school: School | None) -> QuerySet[Archive]:
    """The school's archives, newest first."""
    return Archive.objects.filter(school=school).select_related("year", "created_by")


def school_years(*, school: School | None) -> QuerySet[AcademicYear]:
    """The school's years, newest first."""
    return AcademicYear.objects.filter(school=school).order_by("-start")


def record_students(*, students: QuerySet[Student], query: str) -> list[Student]:
    """Up to 50 of the readable students, by last name starting with `query`."""
    if query:
        students = students.filter(last_name__istartswith=query)
    return list(students.order_by("last_name", "first_name", "pk")[:50])
