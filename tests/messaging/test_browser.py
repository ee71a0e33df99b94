"""Messaging in a real browser, at desktop and at phone width (390×844): a teacher writes to a
parent with a file; the parent sees the unread count, opens the message, downloads the file
and replies; the teacher sees the reply and the read receipt. And an announcement to the
parents of 7А with «Ознакомлен»."""

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
from tests.messaging.helpers import PDF
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SIZES))
def open_as(request: Any, browser: Any, live_server: Any) -> Iterator[Any]:  # noqa: F811
    """A function logging a user in, in their own browser context, at the size of the param."""
    contexts = []

    def log_in(username: str) -> Any:
        context = browser.new_context(
            locale="ru-RU", viewport=SIZES[request.param], accept_downloads=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        expect(page).to_have_url(f"{live_server.url}/")
        return page

    yield log_in
    for context in contexts:
        context.close()


def _fits(page: Any) -> None:
    """Nothing pushes the page sideways (phone width included)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_teacher_and_parent_exchange_a_message_with_a_file(
    open_as: Any, world: World, live_server: Any, settings: Any, tmp_path: Path, school_day: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    teacher = open_as("math7a")
    teacher.click("a.messages-link")
    teacher.click("text=Написать")
    teacher.select_option("#id_to", str(world.user("guardian_7a").pk))
    teacher.fill("#id_subject", "Контрольная по дробям")
    teacher.fill("#id_body", "Во вторник контрольная. Задачи во вложении.")
    teacher.set_input_files(
        "#id_files", files=[{"name": "Задачи.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    _fits(teacher)
    teacher.click("main form button[type=submit]")
    expect(teacher.locator(".messages")).to_contain_text("Сообщение отправлено.")

    school_day.shift(datetime.timedelta(minutes=5))  # the clock is frozen: the parent reads later
    parent = open_as("parent7a")
    expect(parent.locator("a.messages-link .badge")).to_have_text("1")
    parent.click("a.messages-link")
    parent.click("text=Контрольная по дробям")
    expect(parent.locator(".msg-body")).to_contain_text("Во вторник контрольная.")
    _fits(parent)
    with parent.expect_download() as caught:
        parent.click("text=Задачи.pdf")
    assert Path(caught.value.path()).read_bytes() == PDF
    assert caught.value.suggested_filename == "Задачи.pdf"
    expect(parent.locator("a.messages-link .badge")).to_have_count(0)
    parent.fill("#id_body", "Спасибо, подготовимся.")
    parent.click("form[action$='/reply/'] button[type=submit]")
    expect(parent.locator(".messages")).to_contain_text("Ответ отправлен.")

    teacher.goto(f"{live_server.url}/")
    expect(teacher.locator("a.messages-link .badge")).to_have_text("1")
    teacher.click("a.messages-link")
    teacher.click("text=Контрольная по дробям")
    expect(teacher.locator(".msg-body").last).to_have_text("Спасибо, подготовимся.")
    teacher.click("text=Кто прочитал")
    expect(teacher.locator(".msg-summary")).to_have_text("Прочитали: 1 из 1")
    expect(teacher.locator("tbody tr")).to_contain_text("Иванова Ирина Сергеевна")
    _fits(teacher)


def test_an_announcement_with_acknowledgement(open_as: Any, world: World, live_server: Any) -> None:
    homeroom = open_as("homeroom7a")
    homeroom.goto(f"{live_server.url}/messages/new/")
    homeroom.select_option("#id_groups", f"parents:{world.class_7a.pk}")
    homeroom.fill("#id_subject", "Родительское собрание")
    homeroom.fill("#id_body", "Собрание в четверг в 18:00, кабинет 12.")
    homeroom.check("#id_announcement")
    homeroom.check("#id_needs_ack")
    homeroom.click("main form button[type=submit]")
    expect(homeroom.locator("h1")).to_have_text("Объявление: Родительское собрание")

    parent = open_as("parent7a")
    parent.click("a.messages-link")
    parent.click("text=Родительское собрание")
    expect(parent.locator("form[action$='/reply/']")).to_have_count(0)
    parent.click("button:has-text('Ознакомлен')")
    expect(parent.locator(".status-ok")).to_contain_text("Ознакомлен")

    homeroom.click("text=Кто прочитал")
    expect(homeroom.locator(".msg-summary")).to_contain_text("Ознакомлены: 1 из 1")


def test_a_parent_chooses_notifications(open_as: Any, world: World, live_server: Any) -> None:
    parent = open_as("parent7a")
    parent.click("a.messages-link")
    parent.click("nav.msg-tabs >> text=Уведомления")
    expect(parent.locator("h1")).to_have_text("Уведомления")
    marks = parent.locator("fieldset", has_text="Новые отметки")
    expect(marks.get_by_label("в ежедневной сводке")).to_be_checked()  # a parent's default
    messages = parent.locator("fieldset", has_text="Сообщения")
    messages.get_by_label("письмом каждый раз").check()
    parent.select_option("#id_digest_hour", "7")
    _fits(parent)
    parent.click("main form button[type=submit]")
    expect(parent.locator(".messages")).to_contain_text("Сохранено")
    expect(
        parent.locator("fieldset", has_text="Сообщения").get_by_label("письмом каждый раз")
    ).to_be_checked()
    expect(parent.locator("#id_digest_hour")).to_have_value("7")
    _fits(parent)


def test_the_ctrl_advice_is_not_shown_on_a_touch_screen(
    browser: Any,  # noqa: F811
    live_server: Any,
    world: World,
) -> None:
    hint = "Удерживайте Ctrl"
    for touch, shown in ((False, True), (True, False)):
        context = browser.new_context(
            locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=touch, has_touch=touch
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "homeroom7a")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        expect(page).to_have_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/messages/new/")
        page.wait_for_load_state("load")
        assert page.get_by_text(hint).is_visible() is shown
        context.close()
