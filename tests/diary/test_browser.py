"""The diary in a real browser, at a desktop's width and at a phone's (390×844): a parent logs
in, sees the week with a mark and homework, downloads the homework file, switches to another
child, goes to the previous week; a homeroom teacher opens the class summary."""

import datetime
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from otmetka.accounts.models import User
from otmetka.journal.models import Lesson
from otmetka.people.models import Guardian
from tests.diary.helpers import FILE_BYTES, diary_world
from tests.factories import UserFactory
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")


def _family(world: World, settings: Any, tmp_path: Path) -> None:
    """The diary's week, and a second child of the parent in 7Б with a Russian lesson."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    diary_world(world)
    Guardian.objects.create(
        school=world.school, student=world.pupil_7b, user=world.user("guardian_7a")
    )
    Lesson.objects.create(
        school=world.school,
        course=world.course_7b_russian,
        date=datetime.date(2026, 11, 17),
        bell_number=2,
        topic="Причастный оборот",
        homework="Упр. 245",
    )


def _parent_path(page: Any, base_url: str) -> None:
    _log_in(page, base_url, "parent7a")
    page.click("a.btn[href='/diary/']")  # the home page leads to the diary
    wednesday = page.locator("section.day.today")
    expect(wednesday).to_contain_text("Контрольная работа")
    expect(wednesday.locator(".mark")).to_have_text("5")
    monday = page.locator("section[data-date='2026-11-16']")
    expect(monday).to_contain_text("Упражнение 1")
    with page.expect_download() as caught:
        monday.locator("a.file").click()
    download = caught.value
    assert download.suggested_filename == "задачи.txt"
    assert Path(download.path()).read_bytes() == FILE_BYTES
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.select_option("#child-select", label="Петрова Дарья — Столбовская СШ")
    expect(page.locator(".diary-who")).to_contain_text("Петрова Дарья Олеговна")
    expect(page.locator("section[data-date='2026-11-17']")).to_contain_text("Упр. 245")
    page.click("a[rel=prev]")
    expect(page).to_have_url(f"{base_url}/diary/?date=2026-11-09")
    expect(page.locator("section[data-date='2026-11-09']")).to_be_visible()
    expect(page.locator(".diary-who")).to_contain_text("Петрова Дарья")  # the choice stays


def test_a_parent_reads_the_diary_on_a_desktop(
    page: Any, live_server: Any, world: World, settings: Any, tmp_path: Path
) -> None:
    _family(world, settings, tmp_path)
    _parent_path(page, live_server.url)


def test_a_parent_reads_the_diary_on_a_phone(
    browser: Any, live_server: Any, world: World, settings: Any, tmp_path: Path
) -> None:
    _family(world, settings, tmp_path)
    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    _parent_path(context.new_page(), live_server.url)
    context.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE])
def test_the_homeroom_teacher_sorts_exports_enters_a_reason_and_prints_slips(
    browser: Any, live_server: Any, world: World, settings: Any, tmp_path: Path, viewport: dict
) -> None:
    _family(world, settings, tmp_path)
    father = UserFactory(last_name="Иванов", first_name="Сергей")  # has never logged in
    Guardian.objects.create(school=world.school, student=world.pupil_7a, user=father)
    User.objects.filter(pk=world.user("guardian_7a").pk).update(last_login=timezone.now())
    context = browser.new_context(locale="ru-RU", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    _log_in(page, live_server.url, "homeroom7a")
    page.click("text=Сводка отметок и пропусков")
    expect(page.locator("h1")).to_contain_text("Класс 7А: отметки и пропуски")
    row = page.locator(f"tr[data-student='{world.pupil_7a.pk}']")
    expect(row).to_contain_text("4.75")
    expect(row.locator(".tag-bad")).to_have_text("риск неаттестации")
    page.click("text=сначала слабые")
    expect(page).to_have_url(re.compile(r"sort=mean"))
    with page.expect_download() as caught:
        page.click("a.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()))
    assert book.active.title == "Сводка 7А" and book.active["B2"].value == "Иванов Иван Иванович"
    page.click("text=Список класса")
    expect(page.locator("table.class-roster")).to_contain_text("Иванова Ирина Сергеевна")
    # Attendance: Tuesday's «б» becomes «у» by the mother's note.
    page.click("a.btn:has-text('Посещаемость')")
    page.goto(f"{live_server.url}/diary/class/{world.class_7a.pk}/attendance/?date=2026-11-16")
    row = page.locator(f"tr[data-student='{world.pupil_7a.pk}']")
    expect(row).to_contain_text("б")
    page.select_option("select[name=student]", str(world.pupil_7a.pk))
    page.fill("input[name=date]", "2026-11-17")
    page.select_option("select[name=code]", "у")
    page.fill("input[name=note]", "Записка мамы")
    page.click("text=Сохранить причину")
    expect(page.locator("body")).to_contain_text("Причина записана: изменён 1 пропуск.")
    expect(row.locator(".absence")).to_have_text("у")
    # The login slips of the parents who have never logged in, printed in one go.
    page.goto(f"{live_server.url}/diary/class/{world.class_7a.pk}/")
    page.click("text=Напечатать логины для родителей, ни разу не входивших")
    expect(page.locator(".slip")).to_have_count(1)
    expect(page.locator(".slip")).to_contain_text("Иванов Сергей")
    expect(page.locator(".slip svg")).to_be_visible()
    context.close()
