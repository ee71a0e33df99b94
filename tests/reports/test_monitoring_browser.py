"""The deputy's main path in a real browser: the monitoring from the menu, a range, the drill-down
from a teacher to the lessons, and the XLSX download (the file opens with the known figures)."""

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
from tests.reports.monitoring_world import END, START, build_monitoring
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_deputy_reads_the_monitoring_drills_down_and_downloads_it(
    browser: Any,  # noqa: F811
    live_server: Any,
    world: World,
) -> None:
    build_monitoring(world)
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 800},
                                  accept_downloads=True)  # fmt: skip
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "deputy")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")
    page.click(".main-menu >> text=Мониторинг")
    expect(page.locator("h1")).to_contain_text("Мониторинг ведения журнала")
    page.fill("input[name=start]", START.isoformat())
    page.fill("input[name=end]", END.isoformat())
    page.click("text=Показать")
    expect(page.locator("h1")).to_contain_text("09.11.2026 — 20.11.2026")
    school = page.locator("table[data-kind=school] tbody tr").first
    expect(school.locator("td").nth(2)).to_have_text("73,3")  # with topic, % (11 of 15)
    expect(page.locator("svg rect")).to_have_count(6)  # 2 weeks × 3 bars
    page.click("table[data-kind=teacher] >> text=Числов М.А.")
    expect(page.locator("h1")).to_contain_text("Числов Максим Андреевич")
    expect(page.locator("table.lesson-list tbody tr")).to_have_count(8)
    page.go_back()
    with page.expect_download() as caught:
        page.click("text=Скачать XLSX")
    book = load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[3][2:6] == (15, 73.3, 60.0, 46.7)
    context.close()
