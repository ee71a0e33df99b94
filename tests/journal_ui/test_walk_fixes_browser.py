"""Fixes of the walk through every role (issue 15), in a real browser: the lesson panel shows the
topic warnings the API returns (a wrong keyboard layout), the grid's column header links the
lesson's own page for those who keep the timetable, and the error pages are Russian, in the
site's layout, with a way back."""

from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.journal.models import Lesson
from tests.journal_ui.conftest import JournalWorld
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base_url: str, username: str) -> None:
    page.set_default_navigation_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")


def _open_grid(page: Any, base_url: str, course_id: int) -> None:
    page.goto(f"{base_url}/journal/{course_id}/")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)


def test_a_topic_in_the_wrong_layout_is_saved_and_the_panel_says_so(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    w = journal.world
    today = journal.lessons[2]
    _log_in(page, live_server.url, "math7a")
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    page.locator("button.lesson-head[data-c='2']").click()
    page.fill("#lesson-topic", "Ghfrnbxtcrjt pfyznbt")
    page.click(".lesson-panel button[type=submit]")
    warning = page.locator(".lesson-panel .lesson-warning")
    expect(warning).to_contain_text("вы имели в виду «Практическое занятие»")
    expect(page.locator(".lesson-panel")).to_be_visible()  # stays open to be corrected
    assert Lesson.objects.get(pk=today.pk).topic == "Ghfrnbxtcrjt pfyznbt"
    page.fill("#lesson-topic", "Практическое занятие")
    page.click(".lesson-panel button[type=submit]")
    expect(page.locator(".lesson-panel")).to_be_hidden()
    assert Lesson.objects.get(pk=today.pk).topic == "Практическое занятие"


def test_the_deputy_reaches_a_lessons_page_from_the_grids_column_header(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    w = journal.world
    today = journal.lessons[2]
    _log_in(page, live_server.url, "deputy")
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    page.locator(f"th[data-lesson='{today.pk}'] a.lesson-page").click()
    expect(page).to_have_url(f"{live_server.url}/journal/lessons/{today.pk}/")
    expect(page.locator("main")).to_contain_text("проводится")
    expect(page.locator("main")).not_to_contain_text("по расписанию")


def test_the_teacher_sees_no_lesson_page_link(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    _log_in(page, live_server.url, "math7a")
    _open_grid(page, live_server.url, journal.world.course_7a_math.pk)
    expect(page.locator("a.lesson-page")).to_have_count(0)


@pytest.mark.parametrize("username", ["nurse", "homeroom7a", "secretary", "director"])
def test_a_missing_page_is_russian_in_the_layout_with_a_way_back(
    page: Any, live_server: Any, journal: JournalWorld, username: str
) -> None:
    _log_in(page, live_server.url, username)
    page.goto(f"{live_server.url}/journal/{journal.world.course_7a_math.pk + 1000}/")
    expect(page.locator("h1")).to_have_text("Страница не найдена")
    expect(page.locator("header.top .brand")).to_be_visible()
    page.click("text=На главную")
    expect(page).to_have_url(f"{live_server.url}/")


def test_a_read_only_page_says_no_access_in_russian(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    _log_in(page, live_server.url, "director")
    page.goto(f"{live_server.url}/setup/class/new/", referer=f"{live_server.url}/setup/")
    expect(page.locator("h1")).to_have_text("Нет доступа")
    expect(page.locator("a.btn.secondary")).to_have_text("Назад")
    page.click("text=Назад")
    expect(page).to_have_url(f"{live_server.url}/setup/")
