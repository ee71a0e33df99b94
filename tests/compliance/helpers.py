"""Deadline test data: lessons with times and entries, the verdicts the engine gives them."""

import datetime
from zoneinfo import ZoneInfo

from otmetka.compliance.deadlines import Status, verdicts
from otmetka.compliance.loading import facts_load
from otmetka.curriculum.models import Course
from otmetka.journal.models import Lesson

MSK = ZoneInfo("Europe/Moscow")


def at(day: datetime.date, hhmm: str) -> datetime.datetime:
    """An aware moment of the school's time zone."""
    return datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm), tzinfo=MSK)


def lesson(
    course: Course, day: datetime.date, start: str = "09:00", end: str = "09:45", **fields: object
) -> Lesson:
    """A lesson of the course on a day at the given times (school time)."""
    h1, m1 = (int(x) for x in start.split(":"))
    h2, m2 = (int(x) for x in end.split(":"))
    return Lesson.objects.create(
        school=course.school, course=course, date=day, starts_at=datetime.time(h1, m1),
        ends_at=datetime.time(h2, m2), bell_number=h1, **fields,
    )  # fmt: skip


def verdict(
    lesson: Lesson, entity: str, now: datetime.datetime
) -> tuple[datetime.datetime, Status]:
    """(deadline, status) of one entry of the lesson, as the engine computes them now."""
    facts = facts_load(school=lesson.school, start=lesson.date, end=lesson.date)
    found = next(f for f in facts.lessons if f.lesson_id == lesson.pk)
    for v in verdicts(found, facts.rules(found.day), facts.calendar, facts.zone, now):
        if v.entity == entity:
            return v.deadline.astimezone(MSK), v.status
    raise AssertionError(f"no verdict for {entity}")
