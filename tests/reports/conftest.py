"""A 7А with two subjects in the 2nd quarter: current marks and period marks."""

import datetime
import io
import re
from dataclasses import dataclass

import pytest

from otmetka.curriculum.models import Course, Subject
from otmetka.grading.models import PeriodMark
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, MarkKind
from otmetka.school.models import Period
from tests.grading.conftest import add_students
from tests.world import World


@dataclass
class SheetWorld:
    world: World
    q2: Period
    russian: Course


def pdf_title(content: bytes) -> str:
    """The document title of a PDF made by fpdf2 (UTF-16 in hex)."""
    found = re.search(rb"/Title <([0-9a-fA-F]+)>", content)
    assert found, "no title"
    return bytes.fromhex(found.group(1).decode()).decode("utf-16")


def xlsx_rows(content: bytes, sheet: int = 0) -> list[tuple]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return list(book.worksheets[sheet].iter_rows(values_only=True))


def fill(sw: SheetWorld, students: list, value: str = "4") -> None:
    """Current marks and period marks for more students (both subjects)."""
    w = sw.world
    teacher, kind = w.user("teacher_7a_math"), MarkKind.objects.filter(school=w.school).first()
    lessons = {
        c.pk: Lesson.objects.filter(course=c).first() for c in (w.course_7a_math, sw.russian)
    }
    Mark.objects.bulk_create(
        Mark(school=w.school, lesson=lesson, student=s, value=value, kind=kind, created_by=teacher)
        for lesson in lessons.values() for s in students
    )  # fmt: skip
    PeriodMark.objects.bulk_create(
        PeriodMark(school=w.school, student=s, course_id=cid, year=w.year, period=sw.q2,
                   value=value, suggested=value, created_by=teacher, updated_by=teacher)
        for cid in lessons for s in students
    )  # fmt: skip


@pytest.fixture
def sheet_world(world: World) -> SheetWorld:
    journal_defaults_ensure(school=world.school)
    q2 = Period.objects.get(school=world.school, number=2)
    subject = Subject.objects.get(school=world.school, name="Русский язык")
    russian = Course.objects.create(
        school=world.school, year=world.year, subject=subject, school_class=world.class_7a
    )
    for course in (world.course_7a_math, russian):
        Lesson.objects.create(
            school=world.school, course=course, date=datetime.date(2026, 11, 10), bell_number=1
        )
    sw = SheetWorld(world, q2, russian)
    pupil = world.pupil_7a
    teacher, kinds = world.user("teacher_7a_math"), MarkKind.objects.filter(school=world.school)
    math_lesson = Lesson.objects.get(course=world.course_7a_math)
    for value, kind in (
        ("5", kinds.get(name="Ответ на уроке")),
        ("2", kinds.get(name="Контрольная работа")),
    ):
        Mark.objects.create(school=world.school, lesson=math_lesson, student=pupil, value=value,
                            kind=kind, created_by=teacher)  # fmt: skip
    Absence.objects.create(school=world.school, lesson=math_lesson, student=pupil,
                           code=AbsenceCode.objects.get(school=world.school, code="б"),
                           created_by=teacher)  # fmt: skip
    for course, value, suggested in ((world.course_7a_math, "3", "3"), (russian, "н/а", "4")):
        PeriodMark.objects.create(
            school=world.school, student=pupil, course=course, year=world.year, period=q2,
            value=value, na_reason="invalid" if value == "н/а" else "", suggested=suggested,
            created_by=teacher, updated_by=teacher,
        )  # fmt: skip
    return sw


__all__ = ["add_students"]
