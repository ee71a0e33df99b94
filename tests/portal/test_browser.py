"""The website's workflow in a real browser (desktop and phone width): the deputy drafts a
document with its file and submits it, the director approves it, an anonymous visitor finds it
on the school's public pages; a returned item stays off them and shows the director's comment."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
from tests.messaging.helpers import PDF
from tests.messaging.test_browser import open_as  # noqa: F401  (log in, desktop and phone)
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def visitor(browser: Any) -> Iterator[Any]:  # noqa: F811
    """An anonymous visitor's page at phone width (nothing is logged in)."""
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _deputy_submits(open_as: Any, title: str) -> None:  # noqa: F811
    deputy = open_as("deputy")
    deputy.click("nav.main-menu >> text=Сайт школы")
    deputy.click("text=Новый документ")
    deputy.fill("#id_title", title)
    deputy.select_option("#id_category", "regulation")
    deputy.fill("#id_doc_number", "15-ОД")
    deputy.click("main form button[type=submit]")
    expect(deputy.locator(".messages")).to_contain_text("Черновик сохранён.")
    deputy.set_input_files(
        "#id_upload",
        files=[{"name": "Положение.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    deputy.click("text=Приложить")
    expect(deputy.locator("main")).to_contain_text("Положение.pdf")
    _fits(deputy)
    deputy.click("text=Направить на согласование")
    expect(deputy.locator("#item-state")).to_have_text("На согласовании")


def test_deputy_submits_director_approves_visitor_finds_it(
    open_as: Any,  # noqa: F811
    visitor: Any,
    world: World,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _deputy_submits(open_as, "Положение о ведении электронного журнала")

    director = open_as("director")
    director.click("text=ждёт вашего утверждения")
    director.click("text=Положение о ведении электронного журнала")
    director.click("text=Утвердить и опубликовать")
    expect(director.locator("#item-state")).to_have_text("Опубликовано")
    with director.expect_navigation():  # measured once the page and its styles have loaded
        director.click("text=← Сайт школы")
    # The state filter's words stand apart (they ran together: «ЧерновикНа согласовании»).
    gaps = director.eval_on_selector_all(
        "nav.tabs a",
        "as => as.slice(1).map((a, i) => a.getBoundingClientRect().left"
        " - as[i].getBoundingClientRect().right)",
    )
    assert len(gaps) == 4 and all(gap >= 8 or gap < -100 for gap in gaps), gaps

    visitor.goto(f"{live_server.url}/s/{world.school.pk}/")
    visitor.click("header >> text=Документы")
    doc = visitor.locator("li", has_text="Положение о ведении электронного журнала")
    expect(doc).to_contain_text("Утверждено директором Лункина Ольга Леонидовна")
    _fits(visitor)
    with visitor.expect_download() as caught:
        doc.locator("text=Положение.pdf").click()
    assert Path(caught.value.path()).read_bytes() == PDF


def test_a_returned_item_is_not_public_and_shows_the_comment(
    open_as: Any,  # noqa: F811
    visitor: Any,
    world: World,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _deputy_submits(open_as, "Приказ о графике оценочных процедур")

    director = open_as("director")
    director.goto(f"{live_server.url}/portal/?state=pending")
    director.click("text=Приказ о графике оценочных процедур")
    director.fill("#id_comment", "Нет даты утверждения.")
    director.click("text=Вернуть с комментарием")
    expect(director.locator("#item-state")).to_have_text("Возвращено")

    visitor.goto(f"{live_server.url}/s/{world.school.pk}/documents/")
    expect(visitor.locator("main")).not_to_contain_text("Приказ о графике")

    deputy = open_as("deputy")
    deputy.goto(f"{live_server.url}/portal/?state=returned")
    deputy.click("text=Приказ о графике оценочных процедур")
    expect(deputy.locator("#return-comment")).to_contain_text("Нет даты утверждения.")
