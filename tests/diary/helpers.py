"""Diary test data on top of the world: a week of 7А maths (2026-11-16 … 11-20) with a topic and
homework every day, marks, an absence, a substitution, a cancelled lesson and a homework file;
and a second child of the 7А guardian in the other school."""

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile

from otmetka.journal.models import Absence, HomeworkFile, Lesson, Mark, Substitution
from otmetka.people.models import Guardian, Student
from otmetka.school.models import Enrollment
from tests.journal.helpers import code, kind
from tests.world import World

MONDAY = datetime.date(2026, 11, 16)
FILE_BYTES = "Задачи к уроку: №1–5.\n".encode()


@dataclass
class DiaryWorld:
    world: World
    lessons: list[Lesson]  # Monday … Friday, bell 1
    file: HomeworkFile
    other_child: Student  # the 7А guardian's child in the other school


def lesson_week(world: World, monday: datetime.date = MONDAY) -> list[Lesson]:
    """Monday–Friday lessons of 7А maths at bell 1 with topics and homework."""
    course = world.course_7a_math
    return [
        Lesson.objects.create(
            school=world.school,
            course=course,
            date=monday + datetime.timedelta(days=n),
            bell_number=1,
            starts_at=datetime.time(8, 0),
            ends_at=datetime.time(8, 40),
            topic=f"Тема {n + 1}",
            homework=f"Упражнение {n + 1}",
        )
        for n in range(5)
    ]


def diary_world(world: World) -> DiaryWorld:
    """The week of 7А maths with marks, an absence, a substitution, a cancellation and a file."""
    lessons = lesson_week(world)
    pupil, teacher = world.pupil_7a, world.user("teacher_7a_math")
    test = kind(world, "Контрольная работа")
    Mark.objects.create(
        school=world.school,
        lesson=lessons[2],
        student=pupil,
        value="5",
        kind=test,
        comment="Молодец",
        created_by=teacher,
    )
    Mark.objects.create(
        school=world.school,
        lesson=lessons[0],
        student=pupil,
        value="4",
        kind=kind(world),
        created_by=teacher,
    )
    Absence.objects.create(
        school=world.school,
        lesson=lessons[1],
        student=pupil,
        code=code(world, "б"),
        created_by=teacher,
    )
    Substitution.objects.create(
        school=world.school,
        lesson=lessons[3],
        substitute=world.user("teacher_7b"),
        created_by=teacher,
    )
    lessons[4].status = Lesson.Status.CANCELLED
    lessons[4].save(update_fields=["status"])
    upload = HomeworkFile(
        school=world.school,
        lesson=lessons[0],
        name="задачи.txt",
        size=len(FILE_BYTES),
        uploaded_by=teacher,
    )
    upload.file.save("zadachi.txt", ContentFile(FILE_BYTES), save=True)
    other = world.other_pupil
    Guardian.objects.create(
        school=world.other_school, student=other, user=world.user("guardian_7a")
    )
    return DiaryWorld(world=world, lessons=lessons, file=upload, other_child=other)


def more_lessons(world: World, count: int, monday: datetime.date = MONDAY) -> None:
    """`count` more 7А maths lessons in the week (bells 2, 3…), each with a mark of 7А's pupil."""
    teacher, answer = world.user("teacher_7a_math"), kind(world)
    for n in range(count):
        lesson = Lesson.objects.create(
            school=world.school,
            course=world.course_7a_math,
            date=monday + datetime.timedelta(days=n % 5),
            bell_number=2 + n // 5,
            homework="ДЗ",
        )
        Mark.objects.create(
            school=world.school,
            lesson=lesson,
            student=world.pupil_7a,
            value=str(2 + n % 4),
            kind=answer,
            created_by=teacher,
        )


def enroll(world: World, count: int) -> list[Student]:
    """`count` more students in 7А from 1 September."""
    students = [
        Student.objects.create(school=world.school, last_name=f"Ученик{i:02d}", first_name="Пётр")
        for i in range(count)
    ]
    Enrollment.objects.bulk_create(
        Enrollment(
            school=world.school,
            student=s,
            school_class=world.class_7a,
            start=datetime.date(2026, 9, 1),
        )
        for s in students
    )
    return students
