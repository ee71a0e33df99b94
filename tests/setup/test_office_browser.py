"""The office's main paths in a real browser: the secretary prints a class's login slips (the PDF
is downloaded and read), and the administrator imports a table with two bad rows, then the good
one."""

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from otmetka.people.models import Guardian, Student
from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
from tests.setup.test_office import pdf_text
from tests.setup.test_setup_browser import log_in
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser: Any) -> Any:  # noqa: F811
    context = browser.new_context(locale="ru-RU", accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_secretary_prints_login_slips_for_a_class(
    page: Any, live_server: Any, world: World
) -> None:
    log_in(page, live_server.url, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/setup/student/")
    page.click("text=Листки с логинами")
    expect(page.locator("h1")).to_have_text("Листки с логинами")
    page.select_option("select[name=target]", f"class:{world.class_7a.pk}")
    with page.expect_download() as download:
        page.click("main form button[type=submit]")
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "(pupil7a)" in text and "(parent7a)" in text
    assert "(pupil7b)" not in text


def _xlsx(tmp_path: Path, rows: list[list[str]]) -> str:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    path = tmp_path / "contingent.xlsx"
    path.write_bytes(data.getvalue())
    return str(path)


HEADER = ["ФИО", "Дата рождения", "Класс", "Родитель 1", "Телефон родителя 1"]
GOOD = ["Орлова Вера Андреевна", "14.02.2014", "7Б", "Орлов Андрей Петрович", "+7 978 123-45-67"]


def test_an_import_with_two_bad_rows_then_the_good_one(
    page: Any, live_server: Any, world: World, tmp_path: Path
) -> None:
    log_in(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/setup/student/")
    page.click("text=Загрузить из таблицы")
    bad = [HEADER, ["Орлова", "14.02.2014", "7Б", "", ""], GOOD, [*GOOD[:2], "9Я", "", ""]]
    page.set_input_files("input[name=file]", _xlsx(tmp_path, bad))
    page.click("button[value=import]")
    report = page.locator("#import-report")
    expect(report).to_contain_text("Ничего не импортировано")
    rows = page.locator("tr.import-error")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("2")
    expect(rows.nth(1)).to_contain_text("нет класса «9Я»")
    assert not Student.objects.filter(last_name="Орлова").exists()

    page.set_input_files("input[name=file]", _xlsx(tmp_path, [HEADER, GOOD]))
    page.click("button[value=check]")
    expect(report).to_contain_text("пока ничего не записано")
    assert not Student.objects.filter(last_name="Орлова").exists()
    page.set_input_files("input[name=file]", _xlsx(tmp_path, [HEADER, GOOD]))
    page.click("button[value=import]")
    expect(report).to_contain_text("Загружено")
    vera = Student.objects.get(last_name="Орлова", first_name="Вера")
    assert Guardian.objects.get(student=vera).phone == "+79781234567"
    page.click("text=Распечатать листки с логинами")
    expect(page.locator("h1")).to_have_text("Листки с логинами")
