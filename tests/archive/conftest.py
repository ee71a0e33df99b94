"""A 7А journal with lessons (topics, homework, a substitution), marks, absences, period marks;
the archive's files go to a temporary OTMETKA_DATA_DIR."""

import datetime
from pathlib import Path

import pytest

from otmetka.grading.models import PeriodMark
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, MarkKind, Substitution
from otmetka.school.models import Period
from tests.world import World


@pytest.fixture(autouse=True)
def data_dir(settings: object, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def journal_world(world: World) -> World:
    journal_defaults_ensure(school=world.school)
    school, course, pupil = world.school, world.course_7a_math, world.pupil_7a
    teacher = world.user("teacher_7a_math")
    first = Lesson.objects.create(
        school=school,
        course=course,
        date=datetime.date(2026, 9, 2),
        bell_number=1,
        topic="Натуральные числа",
        homework="№ 12, 14",
    )
    second = Lesson.objects.create(
        school=school,
        course=course,
        date=datetime.date(2026, 10, 7),
        bell_number=2,
        topic="Дроби",
        homework="§ 3",
    )
    Substitution.objects.create(
        school=school, lesson=second, substitute=world.user("teacher_7b"), created_by=teacher
    )
    kind = MarkKind.objects.filter(school=school).first()
    Mark.objects.create(
        school=school, lesson=first, student=pupil, value="5", kind=kind, created_by=teacher
    )
    Absence.objects.create(
        school=school,
        lesson=second,
        student=pupil,
        created_by=teacher,
        code=AbsenceCode.objects.get(school=school, code="б"),
    )
    q1 = Period.objects.get(school=school, number=1)
    for period, value in ((q1, "4"), (None, "5")):
        PeriodMark.objects.create(
            school=school,
            student=pupil,
            course=course,
            year=world.year,
            period=period,
            value=value,
            suggested=value,
            created_by=teacher,
            updated_by=teacher,
        )
    return world
