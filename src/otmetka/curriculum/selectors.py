"""Reads on the curriculum's reference data."""

import datetime
from decimal import Decimal
from typing import Any, TypedDict

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from otmetka.curriculum.models import Course, CourseKind, StudyPlanRow, Subject, TimetableSlot
from otmetka.school.models import AcademicYear, Bell, Enrollment, School, SchoolClass


def subject_rows() -> QuerySet[Subject]:
    """Subjects in the order of the school's lists."""
    return Subject.objects.order_by("position", "name")


def bell_rows() -> QuerySet[Bell]:
    """Bells of every schedule in order."""
    return Bell.objects.order_by("schedule", "number")


def current_year_or_404(*, school: School | None) -> AcademicYear:
    """The school's current year; 404 when it has none yet (or there is no school)."""
    year = current_year(school=school) if school is not None else None
    if year is None:
        raise Http404
    return year


def current_year(*, school: School) -> AcademicYear | None:
    """The academic year holding today, else the latest one."""
    today = timezone.localdate()
    years = list(AcademicYear.objects.filter(school=school).order_by("-start"))
    return next((y for y in years if y.start <= today <= y.end), years[0] if years else None)


def study_plan(*, school: School, year: AcademicYear, grade: int) -> list[dict[str, Any]]:
    """Every subject of the school with its hours a week in the grade (None: not in the plan)."""
    hours = dict(
        StudyPlanRow.objects.filter(
            school=school, year=year, grade=grade, school_class__isnull=True
        ).values_list("subject_id", "hours_per_week")
    )
    return [
        {"subject": s, "hours": hours.get(s.pk)}
        for s in Subject.objects.filter(school=school).order_by("position", "name")
    ]


def subjects_of(*, school: School) -> QuerySet[Subject]:
    """The school's subjects in list order."""
    return Subject.objects.filter(school=school).order_by("position", "name")


def course_rows(*, school: School, year: AcademicYear) -> QuerySet[Course]:
    """Courses of a year with their class, subject, teachers and member counts."""
    return (
        Course.objects.filter(school=school, year=year)
        .select_related("subject", "school_class")
        .prefetch_related("teachers")
        .annotate(member_count=Count("members", filter=Q(members__end__isnull=True)))
        .order_by("school_class__grade", "school_class__letter", "subject__position", "name")
    )


def course_for_edit(*, school: School, pk: int) -> Course | None:
    """One course of the school with its teachers and current members."""
    return (
        Course.objects.filter(school=school, pk=pk)
        .select_related("year", "subject", "school_class")
        .prefetch_related("teachers")
        .first()
    )


def course_member_ids(*, course: Course) -> list[int]:
    """Students now in a group course."""
    return list(course.members.filter(end__isnull=True).values_list("student_id", flat=True))


def students_for_groups(*, school: School, year: AcademicYear) -> QuerySet[Enrollment]:
    """Current enrollments of the year's classes (for choosing group members)."""
    today = timezone.localdate()
    return (
        Enrollment.objects.active_on(today)
        .filter(school=school, school_class__year=year)
        .select_related("student", "school_class")
        .order_by(
            "school_class__grade",
            "school_class__letter",
            "student__last_name",
            "student__first_name",
        )
    )


def classes_of(*, school: School, year: AcademicYear) -> QuerySet[SchoolClass]:
    """Classes of a year in order."""
    return SchoolClass.objects.filter(school=school, year=year).order_by("grade", "letter")


def _class_load(courses: list[Course]) -> dict[tuple[int, int], Decimal]:
    """Hours a week a class studies a subject: whole-class courses add up, parallel groups count
    once (the largest group)."""
    whole: dict[tuple[int, int], Decimal] = {}
    groups: dict[tuple[int, int], Decimal] = {}
    for c in courses:
        if not c.school_class_id or c.kind != CourseKind.LESSON:
            continue
        key = (c.school_class_id, c.subject_id)
        if c.name:
            groups[key] = max(groups.get(key, Decimal(0)), c.hours_per_week)
        else:
            whole[key] = whole.get(key, Decimal(0)) + c.hours_per_week
    return {
        k: whole.get(k, Decimal(0)) + groups.get(k, Decimal(0))
        for k in whole.keys() | groups.keys()
    }


class LoadRow(TypedDict):
    """One subject of a class on the load page: hours of the plan vs hours of the courses."""

    subject: Subject
    plan: Decimal | None
    load: Decimal | None
    mismatch: bool


class ClassLoad(TypedDict):
    """One class on the load page: its subjects and the totals."""

    school_class: SchoolClass
    rows: list[LoadRow]
    plan_total: Decimal | int  # 0 when the class has no subjects
    load_total: Decimal | int
    mismatches: int


def load_by_class(*, school: School, year: AcademicYear) -> list[ClassLoad]:
    """Per class and subject: hours of the study plan vs hours of the courses (3 queries)."""
    classes = list(classes_of(school=school, year=year))
    courses = list(Course.objects.filter(school=school, year=year).select_related("subject"))
    plan_rows = list(
        StudyPlanRow.objects.filter(school=school, year=year).select_related("subject")
    )
    subjects = {c.subject_id: c.subject for c in courses} | {
        r.subject_id: r.subject for r in plan_rows
    }
    load = _class_load(courses)
    result: list[ClassLoad] = []
    for cls in classes:
        plan = {
            r.subject_id: r.hours_per_week
            for r in plan_rows
            if r.grade == cls.grade and r.school_class_id is None
        }
        plan |= {r.subject_id: r.hours_per_week for r in plan_rows if r.school_class_id == cls.pk}
        ids = set(plan) | {s for (c, s) in load if c == cls.pk}
        rows: list[LoadRow] = []
        for sid in sorted(ids, key=lambda i: (subjects[i].position, subjects[i].name)):
            planned, given = plan.get(sid), load.get((cls.pk, sid))
            rows.append(
                {
                    "subject": subjects[sid],
                    "plan": planned,
                    "load": given,
                    "mismatch": (planned or 0) != (given or 0),
                }
            )
        result.append(
            {
                "school_class": cls,
                "rows": rows,
                "plan_total": sum((r["plan"] or 0) for r in rows),
                "load_total": sum((r["load"] or 0) for r in rows),
                "mismatches": sum(1 for r in rows if r["mismatch"]),
            }
        )
    return result


def load_by_teacher(*, school: School, year: AcademicYear) -> list[dict[str, Any]]:
    """Per teacher: their courses of the year and the hours a week they add up to (2 queries)."""
    courses = list(course_rows(school=school, year=year))
    by_teacher: dict[int, dict[str, Any]] = {}
    for course in courses:
        for teacher in course.teachers.all():
            entry = by_teacher.setdefault(
                teacher.pk, {"teacher": teacher, "courses": [], "hours": Decimal(0)}
            )
            entry["courses"].append(course)
            entry["hours"] += course.hours_per_week
    return sorted(
        by_teacher.values(),
        key=lambda e: (e["teacher"].last_name, e["teacher"].first_name, e["teacher"].pk),
    )


# --- timetable ------------------------------------------------------------------------------

WEEKDAY_NAMES = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
)


def class_courses(*, school_class: SchoolClass) -> list[Course]:
    """Courses that may take a cell of the class's timetable: its own and cross-class groups."""
    return list(
        Course.objects.filter(school=school_class.school_id, year=school_class.year_id)
        .filter(Q(school_class=school_class) | Q(school_class__isnull=True))
        .select_related("subject", "school_class")
        .order_by("subject__position", "subject__name", "name")
    )


def timetable_grid(*, school_class: SchoolClass, on: datetime.date) -> dict[str, Any]:
    """The class's week on a date: bells × weekdays → the slot (course, room), constant queries."""
    bells = list(Bell.objects.filter(school=school_class.school_id).order_by("schedule", "number"))
    slots = (
        TimetableSlot.objects.filter(
            Q(course__school_class=school_class)
            | Q(
                course__school_class__isnull=True,
                course__year=school_class.year_id,
                course__members__student__enrollments__school_class=school_class,
            ),
        )
        .active_on(on)
        .select_related("course__subject")
        .prefetch_related("course__teachers")
        .distinct()
    )
    # A class's own slot wins over a cross-class group's in the same cell.
    ordered = sorted(slots, key=lambda s: s.course.school_class_id is not None)
    by_cell = {(s.weekday, s.bell_id): s for s in ordered}
    days = range(school_class.week_days)
    rows = [
        {"bell": b, "cells": [{"weekday": w, "slot": by_cell.get((w, b.pk))} for w in days]}
        for b in bells
    ]
    return {"days": [WEEKDAY_NAMES[w] for w in days], "rows": rows}


def class_of(*, school: School, pk: int) -> SchoolClass:
    """A class of the school; 404 otherwise."""
    found = (
        SchoolClass.objects.filter(school=school, pk=pk).select_related("year", "school").first()
    )
    if found is None:
        raise Http404
    return found
