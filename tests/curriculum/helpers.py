"""Builders for the curriculum tests: bells, slots, lessons with data."""

import datetime
from typing import Any

from otmetka.curriculum.models import Course, TimetableSlot
from otmetka.journal.models import Lesson, Mark, MarkKind
from otmetka.school.models import Bell

YEAR_START = datetime.date(2026, 9, 1)


def bells(school: Any, count: int = 6) -> dict[int, Bell]:
    """Bells 1…count of the first shift, 45 minutes each from 08:00."""
    result = {}
    for n in range(1, count + 1):
        start = datetime.time(8 + (n - 1), 0)
        end = datetime.time(8 + (n - 1), 45)
        result[n] = Bell.objects.create(school=school, number=n, start=start, end=end)
    return result


def slot(
    course: Course, weekday: int, bell: Bell, *, room: str = "", valid_from: Any = YEAR_START
) -> TimetableSlot:
    """A timetable slot of the course from the first day of the year."""
    return TimetableSlot.objects.create(
        school=course.school,
        course=course,
        weekday=weekday,
        bell=bell,
        room=room,
        valid_from=valid_from,
    )


def mark(lesson: Lesson, student: Any, user: Any, value: str = "5") -> Mark:
    """A mark in the lesson (with a kind of work created on the fly)."""
    kind, _ = MarkKind.objects.get_or_create(school=lesson.school, name="Ответ на уроке")
    return Mark.objects.create(
        school=lesson.school,
        lesson=lesson,
        student=student,
        value=value,
        kind=kind,
        created_by=user,
    )
