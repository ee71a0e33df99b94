"""A teacher loads their КТП file on a phone and sees the plan; the print view prints."""

from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.curriculum import ktp
from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
from tests.ktp.conftest import FIXTURES
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any) -> Any:  # noqa: F811
    """A fresh page in Russian on a phone-sized screen."""
    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _fits(page: Any) -> bool:
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_teacher_loads_a_ktp_file_on_a_phone(phone: Any, live_server: Any, world: World) -> None:
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=username]", "math7a")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("main form button[type=submit]")
    phone.goto(f"{live_server.url}/curriculum/ktp/{world.course_7a_math.pk}/")
    expect(phone.locator("main")).to_contain_text("В КТП пока нет тем.")
    assert _fits(phone)
    phone.click("text=Загрузить из файла")
    phone.set_input_files("input[name=file]", str(FIXTURES / "ktp_algebra_7.xlsx"))
    phone.click("main form button[type=submit]")
    expect(phone.locator("main")).to_contain_text("Загружено тем: 5.")
    expect(phone.locator("table.ktp")).to_contain_text("Входная контрольная работа")
    assert _fits(phone)
    assert len(ktp.plan_for(world.course_7a_math)) == 5
    phone.goto(f"{live_server.url}/curriculum/ktp/{world.course_7a_math.pk}/print/")
    phone.emulate_media(media="print")
    expect(phone.locator("p.noprint")).to_be_hidden()
    expect(phone.locator("h1")).to_have_text("Календарно-тематическое планирование")
