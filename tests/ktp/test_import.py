"""КТП import: real XLSX and CSV files in both encodings, every broken-row kind, replace."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from otmetka.audit.models import Event
from otmetka.curriculum import ktp
from otmetka.curriculum.models import PlannedTopic
from tests.ktp.conftest import counts, csv_file, lesson, sample, xlsx
from tests.world import World

HEADER = ["№", "Тема урока", "Кол-во часов", "Дата", "Вид работы"]


def _import(world: World, upload: SimpleUploadedFile, replace: bool = False) -> ktp.ImportReport:
    return ktp.plan_import(
        actor=world.user("teacher_7a_math"),
        course=world.course_7a_math,
        uploaded_file=upload,
        replace=replace,
    )


def _refused(world: World, upload: SimpleUploadedFile) -> list[tuple[int, str, str]]:
    before = counts()
    with pytest.raises(ktp.PlanImportError) as caught:
        _import(world, upload)
    assert counts() == before
    return [(e.row, e.column, e.message) for e in caught.value.report.errors]


@pytest.mark.parametrize(
    "name", ["ktp_algebra_7.xlsx", "ktp_utf8_bom_semicolon.csv", "ktp_cp1251_comma.csv"]
)
def test_sample_files_load_all_topics_in_order(world: World, name: str) -> None:
    report = _import(world, sample(name))
    assert report.topics == 5
    topics = ktp.plan_for(world.course_7a_math)
    assert [t.position for t in topics] == [1, 2, 3, 4, 5]
    assert topics[0].title == "Повторение курса 6 класса. Действия с рациональными числами"
    assert topics[0].hours == 2
    assert topics[2].planned_date == datetime.date(2026, 9, 9)
    assert topics[2].work_kind == "Контрольная работа" and topics[2].is_control
    assert not topics[1].is_control
    event = Event.objects.get(action="ktp_import")
    assert event.after["topics"] == 5 and event.actor == world.user("teacher_7a_math")


def test_csv_utf8_without_bom_and_header_case_and_spacing(world: World) -> None:
    text = (
        "  НОМЕР ;  тема   урока ;ЧАСЫ;Дата проведения\n1;Углы;1;05.09.2026\n\n2;Треугольники;3;\n"
    )
    assert _import(world, csv_file(text)).topics == 2
    assert [(t.title, t.hours) for t in ktp.plan_for(world.course_7a_math)] == [
        ("Углы", 1),
        ("Треугольники", 3),
    ]


def test_excel_serial_date_is_read(world: World) -> None:
    upload = xlsx([HEADER, [1, "Дроби", 1, 46270, ""]])  # 46270 = 05.09.2026
    _import(world, upload)
    assert ktp.plan_for(world.course_7a_math)[0].planned_date == datetime.date(2026, 9, 5)


def test_every_bad_row_is_reported_and_nothing_is_written(world: World) -> None:
    rows = [
        ["КТП по математике"],
        HEADER,
        [1, "", 1, "", ""],
        [2, "Дроби", 0, "", ""],
        [3, "Проценты", "1,5", "", ""],
        [4, "Степени", 1, "32.13.2026", ""],
        [5, "Корни", 1, datetime.date(2025, 5, 1), ""],
        [5, "Повтор", 1, "", ""],
        [6, "Хорошая тема", 1, "", ""],
    ]
    problems = _refused(world, xlsx(rows))
    assert problems == [
        (3, "Тема урока", "Не указана тема урока."),
        (4, "Часы", "Количество часов — не целое положительное число."),
        (5, "Часы", "Количество часов — не целое положительное число."),
        (6, "Дата", "Это не дата: пишите ДД.ММ.ГГГГ."),
        (7, "Дата", "Дата 01.05.2025 вне учебного года 2026/2027."),
        (8, "№", "Номер 5 уже есть в строке 7."),
    ]


def test_csv_bad_rows_in_cp1251(world: World) -> None:
    text = "№,Тема,Часы\n1,Углы,один\n2,,1\n"
    assert _refused(world, csv_file(text, "cp1251")) == [
        (2, "Часы", "Количество часов — не целое положительное число."),
        (3, "Тема урока", "Не указана тема урока."),
    ]


def test_file_that_is_not_a_table(world: World) -> None:
    upload = SimpleUploadedFile("plan.docx", b"PK\x03\x04 not really a workbook")
    assert _refused(world, upload) == [(0, "Файл", "Файл не является таблицей XLSX или CSV.")]
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\x00\x01\x02")
    assert _refused(world, upload) == [(0, "Файл", "Файл не является таблицей XLSX или CSV.")]


def test_too_large_file(world: World) -> None:
    upload = csv_file("№;Тема;Часы\n" + "1;Тема;1\n" * 300_000)
    assert upload.size > 2 * 1024 * 1024
    assert _refused(world, upload) == [(0, "Файл", "Файл больше 2 МБ.")]


def test_no_header(world: World) -> None:
    problems = _refused(world, csv_file("1;Углы;1\n2;Треугольники;1\n"))
    assert problems[0][0] == 0
    assert problems[0][2].startswith("Не найдена строка заголовков")


def test_second_import_needs_replace(world: World) -> None:
    _import(world, sample("ktp_algebra_7.xlsx"))
    before = counts()
    with pytest.raises(ValidationError) as caught:
        _import(world, csv_file("№;Тема;Часы\n1;Новая тема;1\n"))
    assert "В плане уже есть темы" in caught.value.messages[0]
    assert counts() == before


def test_replace_updates_in_place_keeps_lesson_links_and_drops_the_rest(world: World) -> None:
    _import(world, sample("ktp_algebra_7.xlsx"))
    first = ktp.plan_for(world.course_7a_math)[0]
    held = lesson(world.course_7a_math, datetime.date(2026, 9, 2), first)
    report = _import(world, csv_file("№;Тема;Часы\n1;Новая первая;1\n2;Новая вторая;2\n"), True)
    assert (report.topics, report.replaced) == (2, 5)
    topics = ktp.plan_for(world.course_7a_math)
    assert [(t.position, t.title, t.hours) for t in topics] == [
        (1, "Новая первая", 1),
        (2, "Новая вторая", 2),
    ]
    held.refresh_from_db()
    assert held.planned_topic_id == first.pk


def test_replace_refused_when_a_dropped_topic_has_lessons(world: World) -> None:
    _import(world, sample("ktp_algebra_7.xlsx"))
    last = ktp.plan_for(world.course_7a_math)[-1]
    lesson(world.course_7a_math, datetime.date(2026, 9, 16), last)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        _import(world, csv_file("№;Тема;Часы\n1;Одна тема;1\n"), True)
    assert "уже ссылаются уроки" in caught.value.messages[0]
    assert counts() == before
    assert PlannedTopic.objects.get(pk=last.pk).title == "Уравнение и его корни"
