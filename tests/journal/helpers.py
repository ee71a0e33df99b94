"""Journal test data on top of the world: lessons, kinds of work, codes, more students."""

import datetime

from otmetka.curriculum.models import Course
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import AbsenceCode, Lesson, MarkKind
from otmetka.people.models import Student
from otmetka.school.models import Enrollment, SchoolClass
from tests.world import World

TODAY = datetime.date(2026, 11, 18)
Q2_START = datetime.date(2026, 11, 5)


def school_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Monday–Friday dates from start to end."""
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def lessons_make(
    course: Course,
    count: int,
    *,
    start: datetime.date = Q2_START,
    end: datetime.date = TODAY,
) -> list[Lesson]:
    """`count` lessons of the course spread over the school days from start to end (several a
    day when needed), in date order."""
    days = school_days(start, end)
    lessons = [
        Lesson(
            school=course.school,
            course=course,
            date=days[i % len(days)],
            bell_number=i // len(days) + 1,
        )
        for i in range(count)
    ]
    Lesson.objects.bulk_create(lessons)
    return sorted(Lesson.objects.filter(course=course), key=lambda x: (x.date, x.bell_number))


def lesson_on(course: Course, day: datetime.date, **fields: object) -> Lesson:
    """One lesson of the course on a date."""
    return Lesson.objects.create(
        school=course.school, course=course, date=day, bell_number=1, **fields
    )


def students_add(
    world: World,
    school_class: SchoolClass,
    count: int,
    *,
    start: datetime.date = datetime.date(2026, 9, 1),
    end: datetime.date | None = None,
    prefix: str = "Ученик",
) -> list[Student]:
    """`count` more students enrolled in the class from `start` (to `end`)."""
    students = [
        Student.objects.create(school=world.school, last_name=f"{prefix}{i:02d}", first_name="Пётр")
        for i in range(count)
    ]
    Enrollment.objects.bulk_create(
        Enrollment(school=world.school, student=s, school_class=school_class, start=start, end=end)
        for s in students
    )
    return students


def kind(world: World, name: str = "Ответ на уроке") -> MarkKind:
    """A default kind of work of the world's school."""
    journal_defaults_ensure(school=world.school)
    return MarkKind.objects.get(school=world.school, name=name)


def code(world: World, value: str) -> AbsenceCode:
    """A default absence code of the world's school."""
    journal_defaults_ensure(school=world.school)
    return AbsenceCode.objects.get(school=world.school, code=value)
