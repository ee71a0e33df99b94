"""The admin's main setup path in a real browser on a phone-sized screen."""

from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.school.models import SchoolClass
from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
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


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")


def fits_the_screen(page: Any) -> bool:
    """No sideways scrolling of the whole page (wide tables scroll inside their box), measured
    once the page and its stylesheet have loaded."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_admin_adds_a_class_on_a_phone(
    phone: Any,
    live_server: Any,
    world: World,
) -> None:
    log_in(phone, live_server.url, "admin", PASSWORD)
    phone.goto(f"{live_server.url}/setup/")
    phone.click("a.setup-tile:has-text('Классы')")
    expect(phone.locator("h1")).to_contain_text("Классы")
    assert fits_the_screen(phone)
    phone.click("text=Добавить")
    phone.select_option("select[name=year]", str(world.year.pk))
    phone.fill("input[name=grade]", "8")
    phone.fill("input[name=letter]", "в")
    phone.select_option("select[name=homeroom_teacher]", str(world.user("teacher_7b").pk))
    assert fits_the_screen(phone)
    phone.click("main form button[type=submit]")
    expect(phone.locator("main")).to_contain_text("Сохранено.")
    expect(phone.locator("table")).to_contain_text("8В")
    assert fits_the_screen(phone)
    assert SchoolClass.objects.filter(year=world.year, grade=8, letter="В").exists()


def test_a_hired_teacher_logs_in_with_the_printed_password_and_must_change_it(
    phone: Any,
    live_server: Any,
    world: World,
) -> None:
    log_in(phone, live_server.url, "admin", PASSWORD)
    phone.goto(f"{live_server.url}/setup/staff/new/")
    phone.fill("input[name=last_name]", "Щукина")
    phone.fill("input[name=first_name]", "Юлия")
    phone.fill("input[name=position]", "Учитель физики")
    phone.check("input[name=roles][value=teacher]")
    phone.click("main form button[type=submit]")
    secrets = phone.locator("code.secret")
    expect(secrets).to_have_count(2)
    login, password = secrets.nth(0).inner_text(), secrets.nth(1).inner_text()
    assert login == "shchukina.y"
    phone.click("header form button[type=submit]")  # log out
    log_in(phone, live_server.url, login, password)
    expect(phone).to_have_url(f"{live_server.url}/accounts/password/")


@pytest.mark.parametrize(
    ("persona", "path", "table"),
    [
        ("admin", "/setup/status/", "table.status-table"),
        ("director", "/archive/", "main table"),
        ("director", "/compliance/rules/", "table#rules"),
    ],
)
def test_wide_tables_scroll_in_their_box_on_a_phone(
    phone: Any, live_server: Any, world: World, persona: str, path: str, table: str
) -> None:
    """Tables wider than a phone (the system status, the year archives, the deadline rules)
    scroll inside their own box; the page itself never scrolls sideways."""
    log_in(phone, live_server.url, world.user(persona).username, PASSWORD)
    phone.goto(f"{live_server.url}{path}")
    expect(phone.locator(table)).to_be_visible()
    assert phone.locator(f"{table} tbody tr").count() >= 1
    assert fits_the_screen(phone)
