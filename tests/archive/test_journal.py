"""The class journal as paper and the individual student record, read back as text."""

import datetime
import json
from pathlib import Path

from otmetka.archive import exports
from otmetka.archive.journal_pdf import journal_pdf
from otmetka.archive.selectors import class_journal, course_title, student_record
from otmetka.curriculum.models import Course
from otmetka.grading.models import PeriodMark
from otmetka.school.models import Enrollment, Period
from tests.archive.pdftext import pdf_text
from tests.world import World


def _journal_text(world: World, path: Path) -> str:
    courses, pages = class_journal(world.class_7a)
    journal_pdf(
        path,
        school=world.school.name,
        title="Журнал 7А",
        homeroom="Классная Елена",
        course_names=[course_title(c) for c in courses],
        pages=pages,
    )
    return pdf_text(path.read_bytes())


def test_journal_prints_lessons_marks_absences_and_period_marks(
    journal_world: World, tmp_path: Path
) -> None:
    text = _journal_text(journal_world, tmp_path / "7a.pdf")
    for expected in (
        "Натуральные числа",
        "№ 12, 14",
        "Дроби",
        "Числов Максим Андреевич",
        "Замещение:",
        "Буквина Мария",
        "Сентябрь 2026",
        "Октябрь 2026",
        "1. Иванов Иван",
        "1 четверть",
        "Год",
        "Директор",
        "Прошито, пронумеровано",
    ):
        assert expected in text, expected
    lines = text.splitlines()
    assert "5" in lines and "б" in lines and "4" in lines
    assert "Лист 1 из " in text


def test_journal_without_lessons_still_prints_its_courses(world: World, tmp_path: Path) -> None:
    text = _journal_text(world, tmp_path / "7a.pdf")
    assert "1. Математика" in text
    assert "Натуральные" not in text


def test_record_keeps_marks_of_both_classes_after_a_transfer(journal_world: World) -> None:
    w = journal_world
    pupil, teacher = w.pupil_7a, w.user("teacher_7a_math")
    Enrollment.objects.filter(student=pupil).update(end=datetime.date(2026, 11, 15))
    Enrollment.objects.create(
        school=w.school,
        student=pupil,
        school_class=w.class_7b,
        start=datetime.date(2026, 11, 16),
        order_ref="№ 15 от 16.11.2026",
    )
    q2 = Period.objects.get(school=w.school, number=2)
    russian = Course.objects.get(school_class=w.class_7b)
    PeriodMark.objects.create(
        school=w.school,
        student=pupil,
        course=russian,
        year=w.year,
        period=q2,
        value="3",
        created_by=teacher,
        updated_by=teacher,
    )
    record = student_record(student=pupil)
    (year,) = record.years
    assert year.classes == ["7А", "7Б"]
    assert year.periods == ["1 четверть", "2 четверть"]
    assert dict(year.rows) == {"Математика": ["4", "", "5"], "Русский язык": ["", "3", ""]}
    data = json.loads(exports.record_json(record))
    assert data["enrollments"][1]["order"] == "№ 15 от 16.11.2026"
    assert data["years"][0]["subjects"][0] == {"subject": "Математика", "marks": ["4", "", "5"]}
    text = pdf_text(exports.record_pdf(record))
    assert "Личная карточка — успеваемость: Иванов Иван Иванович" in text
    assert "Русский язык" in text and "2026/2027 (7А, 7Б)" in text
