"""The summary gradesheet: values, totals, highlighting, exports, access, query counts."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otmetka.reports.selectors import Cell, Line, class_sheet, class_totals
from tests.reports.conftest import SheetWorld, add_students, fill, pdf_title, xlsx_rows

Clients = Callable[[str | None], Client]


def _url(sw: SheetWorld, tail: str = "") -> str:
    return f"/reports/gradesheet/{sw.world.class_7a.pk}/{tail}?period={sw.q2.pk}"


def test_the_sheet_of_a_class(sheet_world: SheetWorld) -> None:
    sw = sheet_world
    data = class_sheet(school_class=sw.world.class_7a, asked=str(sw.q2.pk))
    sheet = data["sheet"]
    assert sheet.subjects == ["Русский язык", "Математика"]  # by the subjects' position
    (line,) = sheet.lines
    russian, maths = line.cells
    assert (maths.mark, maths.average, maths.failing) == ("3", Decimal("2.75"), False)  # (5+2·3)/4
    assert (russian.mark, russian.failing, russian.differs) == ("н/а", True, True)
    assert line.counts == {"5": 0, "4": 0, "3": 1, "2": 0, "н/а": 1} and line.absences == 1
    assert sheet.totals["with_na"] == 1 and sheet.totals["success"] == Decimal("0.0")
    assert sheet.subject_totals[1] == {
        "counts": {"5": 0, "4": 0, "3": 1, "2": 0, "н/а": 0},
        "quality": Decimal("0.0"),
        "success": Decimal("100.0"),
    }


def test_class_totals_of_r36() -> None:
    def line(*marks: str) -> Line:
        return Line(0, "", cells=[Cell(mark=m) for m in marks])

    totals = class_totals([line("5", "5"), line("5", "4"), line("4", "3"), line("2", "5"),
                           line("н/а", "4"), line("осв", "5"), line()])  # fmt: skip
    assert totals["students"] == 7 and totals["marked"] == 6
    assert (totals["all5"], totals["good"], totals["one3"]) == (2, 1, 1)  # «осв» 5 is all «5»
    assert (totals["with2"], totals["with_na"]) == (1, 1)
    assert totals["quality"] == Decimal("50.0")  # 3 of 6
    assert totals["success"] == Decimal("66.7")  # 4 of 6


PAGE_STATUS = {
    None: 302, "homeroom_7a": 200, "deputy": 200, "director": 200, "admin": 200,
    "teacher_7a_math": 404, "teacher_7b": 404, "secretary": 404, "student_7a": 404,
    "guardian_7a": 404, "teacher_other_school": 404, "region_viewer": 404, "outsider": 404,
}  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), PAGE_STATUS.items())
def test_who_reads_the_sheet(
    sheet_world: SheetWorld, client_for: Clients, persona: str, status: int
) -> None:
    for tail in ("", "xlsx/", "pdf/"):
        assert client_for(persona).get(_url(sheet_world, tail)).status_code == status


def test_the_page_highlights_and_prints(sheet_world: SheetWorld, client_for: Clients) -> None:
    html = client_for("homeroom_7a").get(_url(sheet_world)).content.decode()
    assert "Сводная ведомость 7А" in html and 'class="failing"' in html
    assert 'class="bad differs"' in html and "<b>н/а</b>" in html
    assert "reports/reports.css" in html
    assert client_for("deputy").get(_url(sheet_world).replace(str(sheet_world.q2.pk), "x")
                                    ).status_code == 404  # fmt: skip


def test_the_xlsx_and_the_pdf(sheet_world: SheetWorld, client_for: Clients) -> None:
    client = client_for("deputy")
    response = client.get(_url(sheet_world, "xlsx/"))
    assert response["Content-Disposition"].startswith("attachment")
    rows = xlsx_rows(response.content)
    assert rows[0][0].startswith("Сводная ведомость 7А, 2 четверть")
    assert rows[1][:4] == ("№", "Обучающийся", "Русский язык", "Математика")
    assert rows[2][:4] == (1, "Иванов Иван", "н/а", "3")
    averages = xlsx_rows(response.content, sheet=1)
    assert averages[2][3] == 2.75
    pdf = client.get(_url(sheet_world, "pdf/")).content
    assert pdf.startswith(b"%PDF") and "7А" in pdf_title(pdf)
    year = client.get(_url(sheet_world, "pdf/").replace(str(sheet_world.q2.pk), "year")).content
    assert "год 2026/2027" in pdf_title(year)


def test_the_school_sheet(sheet_world: SheetWorld, client_for: Clients) -> None:
    html = client_for("director").get(f"/reports/gradesheet/school/?period={sheet_world.q2.pk}")
    assert html.status_code == 200
    text = html.content.decode()
    assert "7Б" in text and "Иванов Иван" in text and "Итоги по школе" in text
    for persona in ("homeroom_7a", "teacher_7a_math", "teacher_other_school", "guardian_7a"):
        assert client_for(persona).get("/reports/gradesheet/school/").status_code == 404


def test_queries_do_not_grow_with_the_class(sheet_world: SheetWorld, client_for: Clients) -> None:
    client = client_for("deputy")
    counts = []
    for extra in (1, 28):  # 2, then 30 students
        fill(sheet_world, add_students(sheet_world.world, extra))
        for tail in ("", "xlsx/", "pdf/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(_url(sheet_world, tail)).status_code == 200
            counts.append(len(ctx))
    assert counts[:3] == counts[3:]


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("deputy", True), ("director", True), ("admin", True), ("teacher_7a_math", False),
     ("homeroom_7a", True), ("guardian_7a", False)],
)  # fmt: skip
def test_the_menu_links_the_gradesheets(client_for: Clients, persona: str, shown: bool) -> None:
    page = client_for(persona).get("/").content.decode()
    assert ('href="/reports/"' in page) is shown
