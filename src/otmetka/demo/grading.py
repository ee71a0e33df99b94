"""Demo period marks: every finished period of the demo year gets its period marks, as a teacher
would set them — mostly the suggestion of the school's (default) policy, sometimes one point
off, «н/а» where a student has too few marks. Written in bulk, around the services."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, IntegerField, Sum
from django.db.models.functions import Cast

from otmetka.curriculum.models import AssessmentMode, Course, CourseKind
from otmetka.demo.bulk import BulkWriter
from otmetka.grading.models import NA, MarkingPolicy, PeriodMark
from otmetka.grading.policy import SCALE_LOW, Rules, mean_of_sums, to_mark
from otmetka.journal.models import Mark
from otmetka.school.models import Period

COLUMNS = (
    "school_id", "student_id", "course_id", "year_id", "period_id", "value", "na_reason",
    "suggested", "created_by_id", "updated_by_id", "created_at", "updated_at",
)  # fmt: skip
OVERRIDE_SHARE = 0.06  # the teacher sets one point more or less than suggested
TOO_FEW = 2  # fewer current marks than this: «н/а»


def period_marks_generate(
    *, school: Any, today: datetime.date, writer: BulkWriter, rng: random.Random
) -> int:
    """Period marks of the school's periods that ended before `today`; how many were written."""
    courses = {
        c.pk: c
        for c in Course.objects.filter(school=school, kind=CourseKind.LESSON)
        .exclude(assessment__in=[AssessmentMode.NONE, AssessmentMode.PASS_FAIL])
        .select_related("school_class")
    }
    teacher = dict(
        Course.teachers.through.objects.filter(course__school=school).values_list(
            "course_id", "user_id"
        )
    )
    rules = Rules.of(MarkingPolicy())
    rows: list[tuple] = []
    for period in Period.objects.filter(school=school, end__lt=today):
        at = datetime.datetime.combine(period.end, datetime.time(15), datetime.UTC)
        for (course_id, sid), sums in _sums(school, period).items():
            course = courses.get(course_id)
            if course is None or course_id not in teacher or not _scheme_fits(course, period):
                continue
            value, suggested, reason = _decide(course, sums, rules, rng)
            rows.append((school.pk, sid, course_id, course.year_id, period.pk, value, reason,
                         suggested, teacher[course_id], teacher[course_id], at, at))  # fmt: skip
    written = writer.write(PeriodMark, COLUMNS, rows)
    year = school.academicyear_set.filter(start__lte=today).order_by("-start").first()
    if year is not None:
        debts_demo_add(school=school, year=year, today=today)
    return written


def _scheme_fits(course: Course, period: Period) -> bool:
    school_class = course.school_class if course.school_class_id else None
    scheme = school_class.period_scheme if school_class is not None else ""
    return (scheme or "quarters") == period.scheme and course.year_id == period.year_id


def _sums(school: Any, period: Period) -> dict[tuple[int, int], tuple]:
    """(course, student) → (count, Σ value·weight, Σ weight) of the period, one query."""
    value = Cast("value", IntegerField())
    rows = (
        Mark.objects.filter(
            school=school,
            lesson__date__gte=period.start,
            lesson__date__lte=period.end,
            is_deleted=False,
            value__in=("1", "2", "3", "4", "5"),
        )
        .values("lesson__course_id", "student_id")
        .annotate(
            n=Count("id"),
            wtotal=Sum(F("kind__weight") * value, output_field=DecimalField()),
            weight=Sum("kind__weight"),
        )
    )
    found: dict[tuple[int, int], tuple] = {}
    for r in rows:
        found[(r["lesson__course_id"], r["student_id"])] = (r["n"], r["wtotal"], r["weight"])
    return found


def _decide(course: Course, sums: tuple, rules: Rules, rng: random.Random) -> tuple[str, ...]:
    """(value, suggestion, reason of «н/а») as a teacher would decide."""
    n, wtotal, weight = sums
    average = mean_of_sums(Decimal(wtotal), Decimal(weight))
    low = SCALE_LOW.get(course.assessment, 2)
    suggested = str(to_mark(average, rules, low=low)) if average is not None else ""
    if n < TOO_FEW:
        return NA, suggested, rng.choice(["valid", "invalid"])
    if rng.random() < OVERRIDE_SHARE:
        step = 1 if average is not None and average > int(suggested) else -1
        return str(max(low, min(5, int(suggested) + step))), suggested, ""
    return suggested, suggested, ""


def debts_demo_add(*, school: Any, year: Any, today: datetime.date) -> int:
    """Two academic debts of one 8th-grade student in `year` (year «2» in the first two
    courses of the class), one with a failed first retake, and that student transferred
    conditionally; a second student with a year «н/а» without a valid reason. Written as rows,
    like the rest of the demo; how many debts. The demo puts them in the current year: the
    previous year belongs to the year-end archive's demo, and `year` is where they move."""
    from otmetka.grading.models import AcademicDebt, ConditionalTransfer, Retake
    from otmetka.school.models import Enrollment

    school_class = school.schoolclass_set.filter(year=year, grade=8).order_by("letter").first()
    if school_class is None:
        return 0
    students = list(
        Enrollment.objects.filter(school_class=school_class)
        .order_by("student__last_name", "student_id")
        .values_list("student_id", flat=True)[:2]
    )
    courses = list(
        Course.objects.filter(school_class=school_class, kind=CourseKind.LESSON, name="")
        .filter(assessment=AssessmentMode.POINTS_2_5)
        .order_by("subject__position", "pk")[:2]
    )
    teacher = Course.teachers.through.objects.filter(course__in=courses).first()
    if len(students) < 2 or len(courses) < 2 or teacher is None:
        return 0
    author = teacher.user_id
    arose = max(year.start, today - datetime.timedelta(days=60))
    rows = [(students[0], courses[0], "2", ""), (students[0], courses[1], "2", ""),
            (students[1], courses[0], NA, "invalid")]  # fmt: skip
    for sid, course, value, reason in rows:
        PeriodMark.objects.create(
            school=school, student_id=sid, course=course, year=year, value=value,
            na_reason=reason, created_by_id=author, updated_by_id=author,
        )  # fmt: skip
    debts = AcademicDebt.objects.bulk_create(
        AcademicDebt(school=school, student_id=sid, course=course, year=year, value=value,
                     arose_on=arose, created_by_id=author)
        for sid, course, value, _reason in rows
    )  # fmt: skip
    Retake.objects.create(
        debt=debts[0], number=1, date=arose + datetime.timedelta(days=20), result="2",
        created_by_id=author,
    )  # fmt: skip
    ConditionalTransfer.objects.create(
        school=school, student_id=students[0], year=year, order_number="112-у",
        order_date=arose + datetime.timedelta(days=3), created_by_id=author,
    )  # fmt: skip
    return len(debts)
