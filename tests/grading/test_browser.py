"""The main path in a real browser, on a desktop and on a phone (390×844): the teacher opens the
period marks, accepts a suggestion and overrides one with «н/а»; the deputy opens the class's
summary gradesheet and downloads it as XLSX and PDF (the files open)."""

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from otmetka.grading.models import NA, PeriodMark
from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
from tests.grading.conftest import GradingWorld, add_students, give_marks
from tests.reports.conftest import pdf_title
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _page(browser: Any, size: str) -> Any:  # noqa: F811
    context = browser.new_context(locale="ru-RU", viewport=SIZES[size], accept_downloads=True)
    context.set_default_timeout(20_000)
    return context.new_page()


def _log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")


@pytest.mark.parametrize("size", SIZES)
def test_teacher_sets_period_marks_and_the_deputy_downloads_the_gradesheet(
    browser: Any,  # noqa: F811
    live_server: Any,
    grading: GradingWorld,
    size: str,
) -> None:
    w = grading.world
    (other,) = add_students(w, 1)
    give_marks(grading, w.pupil_7a.pk, [("5", grading.answer), ("4", grading.test)])
    give_marks(grading, other.pk, [("3", grading.answer)])
    page = _page(browser, size)
    _log_in(page, live_server.url, "math7a")
    page.goto(f"{live_server.url}/journal/{w.course_7a_math.pk}/")
    page.click("text=Итоговые отметки")
    expect(page.locator("h1")).to_contain_text("Итоговые отметки")
    first = page.locator(f"tr[data-student='{w.pupil_7a.pk}']")
    expect(first.locator(".pm-suggestion b")).to_have_text("4")  # (5 + 4·3)/4 = 4.25
    first.locator("button[data-accept]").click()  # a tap on «Принять»
    expect(page.locator(f"#v_{w.pupil_7a.pk}")).to_have_value("4")
    page.locator(f"#v_{w.pupil_7a.pk}").press("Enter")  # the keyboard moves to the next student
    expect(page.locator(f"#v_{other.pk}")).to_be_focused()
    page.keyboard.type("н/а")
    page.select_option(f"#r_{other.pk}", "invalid")
    page.locator(f"#v_{other.pk}").press("Control+Enter")
    expect(page.locator(".messages")).to_contain_text("Сохранено: 2 изменения.")
    marks = {m.student_id: m for m in PeriodMark.objects.filter(period=grading.q2)}
    assert (marks[w.pupil_7a.pk].value, marks[w.pupil_7a.pk].differs) == ("4", False)
    assert (marks[other.pk].value, marks[other.pk].na_reason) == (NA, "invalid")
    expect(page.locator(f"tr[data-student='{other.pk}']")).to_have_class("differs")
    page.context.close()

    page = _page(browser, size)
    _log_in(page, live_server.url, "deputy")
    page.goto(f"{live_server.url}/reports/")
    page.click("text=7А")
    expect(page.locator("h1")).to_contain_text("Сводная ведомость 7А")
    expect(page.locator("td.bad")).to_have_count(1)  # the «н/а»
    with page.expect_download() as caught:
        page.click("text=Скачать XLSX")
    book = load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][2] == "Математика" and {r[2] for r in rows[2:4]} == {"4", NA}
    with page.expect_download() as caught:
        page.click("text=Скачать PDF")
    pdf = Path(caught.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and "7А" in pdf_title(pdf)
    page.context.close()
