"""A small previous year for the demo school and its signed archive (issue 13: "last year's
archive exists and verifies"): this year's 8th grade as last year's 7th, the same students and
subjects, quarter and year marks; then `archive_create` over it."""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from otmetka.archive.models import Archive
from otmetka.archive.services import archive_create
from otmetka.curriculum.models import Course, CourseKind
from otmetka.grading.models import PeriodMark
from otmetka.school.models import AcademicYear, Enrollment, Period, SchoolClass


def _shift(day: datetime.date) -> datetime.date:
    return (
        day.replace(year=day.year - 1)
        if (day.month, day.day) != (2, 29)
        else day.replace(year=day.year - 1, day=28)
    )


def _previous_year(school: Any, current: AcademicYear) -> AcademicYear:
    year = AcademicYear.objects.create(
        school=school,
        name=f"{current.start.year - 1}/{current.start.year}",
        start=_shift(current.start),
        end=_shift(current.end),
    )
    Period.objects.bulk_create(
        Period(
            school=school,
            year=year,
            scheme=p.scheme,
            number=p.number,
            start=_shift(p.start),
            end=_shift(p.end),
        )
        for p in Period.objects.filter(year=current)
    )
    return year


def _marks(school: Any, year: AcademicYear, rng: random.Random, actor: Any) -> None:
    """Quarter marks 3–5 and the year mark (their rounded mean) for every student × course."""
    periods = list(Period.objects.filter(year=year, scheme="quarters").order_by("number"))
    rows = []
    for course in Course.objects.filter(year=year).select_related("school_class"):
        students = Enrollment.objects.filter(school_class=course.school_class)
        for sid in students.values_list("student_id", flat=True):
            values = [rng.choice("3444555") for _ in periods]
            mean = Decimal(sum(map(int, values))) / len(values)
            year_value = str(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            for period, value in [*zip(periods, values, strict=True), (None, year_value)]:
                rows.append(
                    PeriodMark(
                        school=school,
                        student_id=sid,
                        course=course,
                        year=year,
                        period=period,
                        value=value,
                        suggested=value,
                        created_by=actor,
                        updated_by=actor,
                    )
                )
    PeriodMark.objects.bulk_create(rows)


def demo_archive_add(*, school: Any, seed: int = 2026) -> Archive | None:
    """Last year (a 7th grade of this year's 8th-graders) and its archive; None if the demo has
    no 8th grade or no teacher to sign the marks."""
    current = AcademicYear.objects.filter(school=school).order_by("-start").first()
    eighth = list(SchoolClass.objects.filter(year=current, grade=8))
    courses = list(
        Course.objects.filter(school_class__in=eighth, kind=CourseKind.LESSON).prefetch_related(
            "teachers"
        )
    )
    actor = next((t for c in courses for t in c.teachers.all()), None)
    if current is None or not eighth or actor is None:
        return None
    rng = random.Random(seed)
    with transaction.atomic():
        year = _previous_year(school, current)
        classes = {}
        for c in eighth:
            classes[c.pk] = SchoolClass.objects.create(
                school=school,
                year=year,
                grade=7,
                letter=c.letter,
                homeroom_teacher_id=c.homeroom_teacher_id,
                period_scheme=c.period_scheme,
            )
            Enrollment.objects.bulk_create(
                Enrollment(
                    school=school,
                    student_id=sid,
                    school_class=classes[c.pk],
                    start=year.start,
                    end=year.end,
                )
                for sid in Enrollment.objects.filter(school_class=c).values_list(
                    "student_id", flat=True
                )
            )
        for course in courses:
            old = Course.objects.create(
                school=school,
                year=year,
                subject_id=course.subject_id,
                kind=course.kind,
                school_class=classes[course.school_class_id or 0],
                name=course.name,
                assessment=course.assessment,
                hours_per_week=course.hours_per_week,
            )
            old.teachers.set(course.teachers.all())
        _marks(school, year, rng, actor)
        Period.objects.filter(year=year).update(closed_at=datetime.datetime.now(datetime.UTC))
    return archive_create(actor=None, year=year)
