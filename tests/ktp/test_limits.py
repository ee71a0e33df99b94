"""КТП import caps (issue 8): a sheet declaring 200,000 × 400 cells and a table past the topic
cap are refused with a Russian error naming the limit; a page shows at most the cap."""

import io
import re
import tracemalloc
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from otmetka.curriculum import ktp
from otmetka.curriculum.models import PlannedTopic, ThematicPlan
from tests.ktp.conftest import counts, csv_file
from tests.world import World

HEADER = ["№", "Тема урока", "Кол-во часов"]
TOO_MANY_ROWS = "В таблице больше 1020 строк: в КТП не больше 1000 тем."


def _refused(world: World, upload: SimpleUploadedFile) -> list[str]:
    before = counts()
    with pytest.raises(ktp.PlanImportError) as caught:
        ktp.plan_import(
            actor=world.user("teacher_7a_math"), course=world.course_7a_math, uploaded_file=upload
        )
    assert counts() == before
    return [e.message for e in caught.value.report.errors]


def _book_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def declared_huge_xlsx() -> bytes:
    """A tiny XLSX whose sheet declares 200,000 rows × 400 columns (one cell at the far end)."""
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append([1, "Дроби", 1])
    book.active.cell(row=200_000, column=400, value="x")
    return _book_bytes(book)


def test_a_sheet_declaring_200000_by_400_cells_is_refused_unread(world: World) -> None:
    data = declared_huge_xlsx()
    assert len(data) < 10_000
    assert b'<dimension ref="A1:OJ200000"' in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )
    tracemalloc.start()
    messages = _refused(world, SimpleUploadedFile("ktp.xlsx", data))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert messages == [TOO_MANY_ROWS]
    assert peak < 20 * 2**20  # the unpatched reader built 80 million cells (hundreds of MB)


def test_the_same_sheet_without_its_dimension_is_read_lazily_and_stopped_at_the_cap(
    world: World,
) -> None:
    source = zipfile.ZipFile(io.BytesIO(declared_huge_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb"<dimension [^>]*/>", b"", body)
            target.writestr(item, body)
    assert _refused(world, SimpleUploadedFile("ktp.xlsx", buffer.getvalue())) == [TOO_MANY_ROWS]


def test_only_the_first_columns_are_read(world: World) -> None:
    book = openpyxl.Workbook()
    book.active.append([*HEADER, *[f"лишний {i}" for i in range(100)]])
    book.active.append([1, "Дроби", 1, *range(100)])
    report = ktp.plan_import(
        actor=world.user("teacher_7a_math"),
        course=world.course_7a_math,
        uploaded_file=SimpleUploadedFile("ktp.xlsx", _book_bytes(book)),
    )
    assert report.topics == 1


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_table_over_the_topic_cap_is_refused_and_nothing_is_written(
    world: World, kind: str
) -> None:
    rows = [[n, f"Тема {n}", 1] for n in range(1, 1102)]
    if kind == "xlsx":
        book = openpyxl.Workbook()
        for row in [HEADER, *rows]:
            book.active.append(row)
        upload = SimpleUploadedFile("ktp.xlsx", _book_bytes(book))
    else:
        upload = csv_file("\n".join(";".join(map(str, r)) for r in [HEADER, *rows]))
    assert _refused(world, upload) == [TOO_MANY_ROWS]


def test_1001_topics_under_the_header_are_refused_1000_are_loaded(world: World) -> None:
    rows = "\n".join(f"{n};Тема {n};1" for n in range(1, 1002))
    assert _refused(world, csv_file(f"№;Тема урока;Кол-во часов\n{rows}")) == [
        "В КТП не больше 1000 тем."
    ]
    rows = "\n".join(f"{n};Тема {n};1" for n in range(1, 1001))
    report = ktp.plan_import(
        actor=world.user("teacher_7a_math"),
        course=world.course_7a_math,
        uploaded_file=csv_file(f"№;Тема урока;Кол-во часов\n{rows}"),
    )
    assert report.topics == 1000
    with pytest.raises(ValidationError) as caught:
        ktp.plan_topic_add(actor=world.user("teacher_7a_math"), course=world.course_7a_math,
                           title="Ещё одна")  # fmt: skip
    assert caught.value.messages == ["В КТП не больше 1000 тем."]


def test_a_zip_bomb_is_refused_unopened(world: World) -> None:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    buffer = io.BytesIO(_book_bytes(book))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * (9 * 2**20))
    assert len(buffer.getvalue()) < ktp.MAX_FILE_SIZE
    assert _refused(world, SimpleUploadedFile("ktp.xlsx", buffer.getvalue())) == [
        "Файл в распакованном виде больше 8 МБ."
    ]


@pytest.mark.parametrize("page", ["", "print/"])
def test_a_plan_over_the_cap_shows_only_the_cap(
    world: World, client_for: Callable[[str], Client], page: str
) -> None:
    course = world.course_7a_math
    plan = ThematicPlan.objects.create(course=course, school=course.school)
    PlannedTopic.objects.bulk_create(
        PlannedTopic(school=course.school, plan=plan, position=n, title=f"Тема №{n}", hours=1)
        for n in range(1, 1501)
    )
    response = client_for("teacher_7a_math").get(f"/curriculum/ktp/{course.pk}/{page}")
    html = response.content.decode()
    assert "Тема №1000<" in html and "Тема №1001<" not in html
    assert "показаны только первые 1000" in html
