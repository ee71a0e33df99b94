"""The monitoring's lists: the drill-down from a journal, teacher, class or subject to its lessons,
and the director's open academic debts (read-only, one query each)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from otmetka.curriculum.models import Course, CourseKind, Subject
from otmetka.journal.models import Lesson, Mark
from otmetka.reports.monitoring import Range, grade_letter
from otmetka.school.models import School


def drill_target(*, school: School, kind: str, pk: int) -> str:
    """The name of the school's journal, teacher, class or subject the drill-down is about;
    LookupError for another kind or one that is not the school's (one query)."""
    from otmetka.accounts.models import User
    from otmetka.school.models import SchoolClass

    if kind == "course":
        course = (
            Course.objects.filter(school=school, pk=pk)
            .select_related("school_class", "subject")
            .first()
        )
        return str(course) if course is not None else _missing(kind)
    if kind == "teacher":
        teaching = Course.teachers.through.objects.filter(course__school=school, user_id=pk)
        user = User.objects.filter(pk=pk, pk__in=teaching.values("user_id")).first()
        return user.full_name if user is not None else _missing(kind)
    model: Any = {"class": SchoolClass, "subject": Subject}.get(kind)
    row = model.objects.filter(school=school, pk=pk).first() if model else None
    return str(row) if row is not None else _missing(kind)


def _missing(kind: str) -> str:
    raise LookupError(kind)


def lesson_list(*, school: School, rng: Range, kind: str, pk: int) -> list[Any]:
    """The drill-down: the range's lessons of a journal, a teacher, a class or a subject, with
    what is entered on each (one query). LookupError for another kind."""
    filters = {
        "course": Q(course_id=pk),
        "teacher": Q(course__teachers__id=pk),
        "class": Q(course__school_class_id=pk, course__kind=CourseKind.LESSON),
        "subject": Q(course__subject_id=pk),
    }
    if kind not in filters:
        raise LookupError(kind)
    has_mark = Exists(Mark.objects.filter(lesson_id=OuterRef("pk"), is_deleted=False))
    rows = (
        Lesson.objects.filter(
            filters[kind], school=school, date__gte=rng.start, date__lte=rng.cutoff
        )
        .exclude(status=Lesson.Status.CANCELLED)
        .annotate(has_mark=has_mark)
        .values(
            "pk",
            "date",
            "bell_number",
            "course_id",
            "course__name",
            "course__subject__name",
            "course__school_class__grade",
            "course__school_class__letter",
            "topic",
            "homework",
            "homework_minutes",
            "attendance_taken_at",
            "has_mark",
            "planned_topic__is_control",
        )
        .order_by("date", "bell_number", "pk")
        .distinct()
    )
    return list(rows[:2000])


def open_debts(*, school: School) -> dict[str, Any]:
    """The school's open academic debts: how many, and per class and subject (one query)."""
    from otmetka.grading.models import AcademicDebt

    rows = list(
        AcademicDebt.objects.filter(school=school, status=AcademicDebt.Status.OPEN)
        .values(
            "course__school_class__grade", "course__school_class__letter", "course__subject__name"
        )
        .annotate(n=Count("pk"))
        .order_by(
            "course__school_class__grade", "course__school_class__letter", "course__subject__name"
        )
    )
    groups = [
        {
            "class": grade_letter(r, "course__school_class__"),
            "subject": r["course__subject__name"],
            "n": r["n"],
        }
        for r in rows
    ]
    return {"total": sum(g["n"] for g in groups), "groups": groups}
