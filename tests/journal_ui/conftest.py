"""The journal pages' world: lessons of the 7А maths course around the frozen today (18.11.2026)."""

import datetime
from dataclasses import dataclass

import pytest

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Lesson, Substitution
from otmetka.people.models import Staff, Student
from otmetka.school.models import Enrollment
from tests.browser.conftest import browser, page  # noqa: F401  (the shared Chromium fixtures)
from tests.world import PASSWORD, World

# Mon 16.11, Tue 17.11, Wed 18.11 (today): lessons 2, 3 and 1 of the day.
LESSON_DAYS = ((16, 2), (17, 3), (18, 1))


@dataclass
class JournalWorld:
    world: World
    lessons: list[Lesson]
    substitute: User
    substituted: Lesson


def add_lessons(world: World, n: int, first: datetime.date = datetime.date(2026, 11, 5)) -> None:
    """`n` more lessons of the 7А maths course on consecutive days of the 2nd quarter."""
    Lesson.objects.bulk_create(
        Lesson(
            school=world.school,
            course=world.course_7a_math,
            date=first + datetime.timedelta(days=i % 40),
            bell_number=5 + i // 40,
        )
        for i in range(n)
    )


def add_students(world: World, n: int) -> None:
    """`n` more students in 7А since the start of the year."""
    students = Student.objects.bulk_create(
        Student(school=world.school, last_name=f"Учеников{i:02d}", first_name="Пётр")
        for i in range(n)
    )
    Enrollment.objects.bulk_create(
        Enrollment(
            school=world.school,
            student=s,
            school_class=world.class_7a,
            start=datetime.date(2026, 9, 1),
        )
        for s in students
    )


@pytest.fixture
def journal(world: World) -> JournalWorld:
    journal_defaults_ensure(school=world.school)
    lessons = [
        Lesson.objects.create(
            school=world.school,
            course=world.course_7a_math,
            date=datetime.date(2026, 11, day),
            bell_number=bell,
        )
        for day, bell in LESSON_DAYS
    ]
    substitute = User(username="sub", last_name="Заменова", first_name="Зинаида")
    substitute.set_password(PASSWORD)
    substitute.save()
    RoleMembership.objects.create(user=substitute, role=Role.TEACHER, school=world.school)
    Staff.objects.create(school=world.school, user=substitute, position="teacher")
    substituted = lessons[1]
    Substitution.objects.create(
        school=world.school,
        lesson=substituted,
        substitute=substitute,
        absent_teacher=world.user("teacher_7a_math"),
        created_by=world.user("deputy"),
    )
    return JournalWorld(
        world=world, lessons=lessons, substitute=substitute, substituted=substituted
    )
