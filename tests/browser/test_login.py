"""Every persona logs in through the real login page in a real browser and sees their home page."""

from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.accounts.models import User
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Lesnaya-tropa-1941"

# persona of the world → the home page section their role shows
HOME_SECTIONS = {
    "admin": "admin",
    "deputy": "deputy",
    "director": "director",
    "secretary": "secretary",
    "nurse": "nurse",
    "web_editor": "web_editor",
    "teacher_7a_math": "teacher",
    "homeroom_7a": "homeroom",
    "guardian_7a": "guardian",
    "student_7a": "student",
    "region_viewer": "region_viewer",
}


def _log_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")


@pytest.mark.parametrize(("persona", "section"), HOME_SECTIONS.items())
def test_persona_logs_in_and_sees_their_home_page(
    page: Any, live_server: Any, world: World, persona: str, section: str
) -> None:
    user = world.user(persona)
    _log_in(page, live_server.url, user.username, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(f"section[data-section={section}]")).to_have_count(1)
    expect(page.locator(f"section[data-section={section}]")).to_be_visible()
    expect(page.locator("header .user-name")).to_have_text(user.short_name)


def test_wrong_password_shows_the_russian_error_and_stays_on_login(
    page: Any, live_server: Any, world: World
) -> None:
    _log_in(page, live_server.url, "math7a", "not-the-password")
    expect(page.locator("main")).to_contain_text("Неверный логин или пароль.")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("header .user-name")).to_have_count(0)


def test_issued_password_forces_a_change_then_lands_on_home(
    page: Any, live_server: Any, world: World
) -> None:
    user = world.user("student_7a")
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    _log_in(page, live_server.url, "pupil7a", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/accounts/password/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/password/")
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main")).to_contain_text("Пароль изменён.")
    expect(page.locator("section[data-section=student]")).to_be_visible()
    user = User.objects.get(pk=user.pk)
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)


def test_login_form_fits_a_phone_screen_without_sideways_scrolling(
    browser: Any, live_server: Any, world: World
) -> None:
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("main form")).to_be_visible()
    for selector in ("input[name=username]", "input[name=password]", "main form button"):
        box = page.locator(selector).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
    # The page is laid out for the device width (viewport meta), and nothing sticks out of it.
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def _session_cookie(context: Any) -> dict:
    return next(c for c in context.cookies() if c["name"] == "sessionid")


@pytest.mark.parametrize("remember", [False, True])
def test_session_cookie_lasts_for_the_browser_or_the_remembered_days(
    browser: Any, live_server: Any, world: World, remember: bool
) -> None:
    from django.conf import settings

    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "pupil7a")
    page.fill("input[name=password]", PASSWORD)
    if remember:
        page.get_by_label("Запомнить меня").check()
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")
    cookie = _session_cookie(context)
    if remember:
        now = page.evaluate("Date.now() / 1000")  # the browser's clock (the server's is frozen)
        days = (cookie["expires"] - now) / 86400
        assert settings.LOGIN_REMEMBER_DAYS - 1 < days <= settings.LOGIN_REMEMBER_DAYS
    else:
        assert cookie["expires"] == -1  # a session cookie: gone when the browser closes
    context.close()
