"""Period marks' world: 7А maths lessons in the 2nd quarter with current marks."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from otmetka.curriculum.models import Course, Subject
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Lesson, Mark, MarkKind
from otmetka.people.models import Student
from otmetka.school.models import Enrollment, Period
from tests.world import World


@dataclass
class GradingWorld:
    world: World
    q1: Period
    q2: Period
    lessons: list[Lesson]
    answer: MarkKind  # weight 1
    test: MarkKind  # weight 3


def give_marks(gw: GradingWorld, student_id: int, values: list[tuple[str, MarkKind]]) -> None:
    """Marks of a student on consecutive lessons of the fixture."""
    Mark.objects.bulk_create(
        Mark(
            school=gw.world.school, lesson=gw.lessons[i], student_id=student_id, value=v,
            kind=k, created_by=gw.world.user("teacher_7a_math"),
        )
        for i, (v, k) in enumerate(values)
    )  # fmt: skip


def add_students(world: World, n: int, school_class: object = None) -> list[Student]:
    """`n` more students in 7А (or the class) since the start of the year."""
    students = Student.objects.bulk_create(
        Student(school=world.school, last_name=f"Учеников{i:02d}", first_name="Пётр")
        for i in range(n)
    )
    Enrollment.objects.bulk_create(
        Enrollment(
            school=world.school, student=s, school_class=school_class or world.class_7a,
            start=datetime.date(2026, 9, 1),
        )
        for s in students
    )  # fmt: skip
    return students


def mastery_course(world: World) -> Any:
    """«Робототехника» for 7А, extracurricular, without marks; taught by 7А's maths teacher."""
    subject, _new = Subject.objects.get_or_create(
        school=world.school, name="Робототехника", defaults={"position": 90}
    )
    course, new = Course.objects.get_or_create(
        school=world.school, year=world.year, subject=subject, school_class=world.class_7a,
        defaults={"kind": "extracurricular", "assessment": "none"},
    )  # fmt: skip
    if new:
        course.teachers.add(world.user("teacher_7a_math"))
    return course


@pytest.fixture
def grading(world: World) -> GradingWorld:
    journal_defaults_ensure(school=world.school)
    q1 = Period.objects.get(school=world.school, number=1)
    q2 = Period.objects.get(school=world.school, number=2)
    lessons = Lesson.objects.bulk_create(
        Lesson(school=world.school, course=world.course_7a_math, bell_number=1,
               date=datetime.date(2026, 11, 5) + datetime.timedelta(days=i))
        for i in range(10)
    )  # fmt: skip
    kinds = {k.name: k for k in MarkKind.objects.filter(school=world.school)}
    return GradingWorld(
        world, q1, q2, lessons, kinds["Ответ на уроке"], kinds["Контрольная работа"]
    )
