"""The deadlines in a real browser: a teacher sees a deadline on the home page and meets it; the
deputy records an illness and sees the window move; the region viewer opens the dashboard."""

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.compliance.models import DayRollup
from otmetka.compliance.rollups import compliance_tick, rollups_recompute
from otmetka.compliance.selectors import teacher_gaps
from otmetka.journal.models import Lesson
from tests.browser.conftest import browser, page  # noqa: F401  (the shared Chromium fixtures)
from tests.journal_ui.conftest import JournalWorld, journal  # noqa: F401
from tests.journal_ui.test_grid_browser import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = datetime.date(2026, 11, 18)


def test_a_teacher_sees_a_deadline_and_meets_it(
    page: Any,  # noqa: F811
    live_server: Any,
    journal: JournalWorld,  # noqa: F811
) -> None:
    w = journal.world
    _log_in(page, live_server.url, "math7a")
    due_today = page.locator("#deadlines tr.due", has_text="до 16:00 сегодня")
    expect(due_today.filter(has_text="Нет темы урока")).to_have_count(1)
    expect(page.locator("#deadlines tr.overdue").first).to_contain_text(
        "просрочено на 1 день"
    )  # 16.11 16:00 → 18.11 03:00
    page.goto(f"{live_server.url}/journal/{w.course_7a_math.pk}/")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    head = page.locator("button.lesson-head[data-c='2']")  # today's lesson
    # The «!» marker names each missing entry's deadline (the engine's words, through the grid).
    expect(head.locator(".lesson-warn")).to_have_attribute(
        "title", re.compile("нет темы — до 16:00 сегодня")
    )
    past = page.locator("button.lesson-head[data-c='0'] .lesson-warn")  # Monday's, overdue
    expect(past).to_have_attribute("title", re.compile("нет темы — просрочено на 1 день"))
    head.click()
    page.fill("#lesson-topic", "Сложение дробей")
    page.fill("#lesson-homework", "№ 12, 14")
    page.fill("#lesson-homework-minutes", "25")  # R38's load, shown on the monitoring
    page.click(".lesson-panel [data-action=all-present]")
    expect(page.locator(".journal-status")).to_contain_text("все присутствуют")
    page.click(".lesson-panel button[type=submit]")
    expect(page.locator(".lesson-panel")).to_be_hidden()
    expect(head.locator(".lesson-warn")).to_have_count(0)  # everything entered: no marker
    assert Lesson.objects.get(pk=journal.lessons[2].pk).homework_minutes == 25
    page.goto(f"{live_server.url}/")
    expect(page.locator("#deadlines tr.due")).to_have_count(0)  # today's entries are made
    compliance_tick()  # the worker's minute
    today = DayRollup.objects.get(course=w.course_7a_math, day=TODAY)
    assert (today.topic_on_time, today.attendance_on_time) == (1, 1)


def test_the_deputy_records_an_illness_and_sees_the_window_move(
    page: Any,  # noqa: F811
    live_server: Any,
    journal: JournalWorld,  # noqa: F811
) -> None:
    w = journal.world
    teacher = w.user("teacher_7a_math")
    monday = next(g for g in teacher_gaps(user=teacher, school=w.school) if g.day.day == 16)
    assert monday.overdue
    _log_in(page, live_server.url, "deputy")
    page.click("a[href='/compliance/absences/']")
    form = page.locator("#absence-form")
    form.locator("select[name=teacher]").select_option(str(teacher.pk))
    form.locator("input[name=start]").fill("2026-11-16")
    form.locator("input[name=end]").fill("2026-11-17")
    form.locator("select[name=reason]").select_option("illness")
    form.locator("button[type=submit]").click()
    expect(page.locator("ul.messages")).to_contain_text("Отсутствие записано.")
    row = page.locator("#absences tbody tr").first
    expect(row).to_contain_text("Числов")
    expect(row.locator(".window")).to_have_text("24.11.2026")  # Tue 17.11 + 5 working days
    monday = next(g for g in teacher_gaps(user=teacher, school=w.school) if g.day.day == 16)
    assert not monday.overdue and monday.when == "до 23:59 24.11.2026"


def test_the_region_viewer_opens_the_dashboard(
    page: Any,  # noqa: F811
    live_server: Any,
    journal: JournalWorld,  # noqa: F811
) -> None:
    rollups_recompute(school=journal.world.school, start=datetime.date(2026, 11, 9), end=TODAY)
    _log_in(page, live_server.url, "region")
    page.click("a[href='/compliance/region/']")
    expect(page.locator("h1")).to_have_text("Своевременность заполнения журналов")
    schools = page.locator("#schools tbody tr")
    expect(schools).to_have_count(2)
    page.click("#schools thead a:has-text('Тема вовремя')")
    expect(page).to_have_url(f"{live_server.url}/compliance/region/?week=2026-11-09&sort=topic")
    page.click("#schools tbody a:has-text('Столбовская СШ')")
    expect(page.locator("#trend tbody tr")).to_have_count(8)


def test_the_written_work_marker_goes_once_its_marks_are_entered(
    page: Any,  # noqa: F811
    live_server: Any,
    world: Any,
) -> None:
    """5.5 in the grid: the «!» of a written work without marks names its deadline; the first
    mark typed into the grid clears it at once (the grid patches cells, it does not reload), and
    removing that mark brings it back."""
    from otmetka.journal.defaults import journal_defaults_ensure
    from tests.journal.test_grid import _control_work

    journal_defaults_ensure(school=world.school)
    _control_work(world, datetime.date(2026, 11, 16))  # topic, homework, attendance: all entered
    _log_in(page, live_server.url, "math7a")
    page.goto(f"{live_server.url}/journal/{world.course_7a_math.pk}/")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    warn = page.locator("button.lesson-head[data-c='0'] .lesson-warn")
    expect(warn).to_have_attribute(
        "title", "нет отметок за письменную работу — до 23:59 23.11.2026"
    )
    cell = page.locator("td.cell[data-r='0'][data-c='0']")
    cell.click()
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    expect(cell).to_have_class(re.compile(r"\bsaved\b"))
    expect(warn).to_have_count(0)  # no reload: the save's answer cleared it
    cell.click()
    page.keyboard.press("Delete")
    page.locator("dialog.grid-dialog button[value=ok]").click()  # «Удалить отметку 4?»
    expect(cell).not_to_contain_text("4")
    expect(warn).to_have_attribute("title", re.compile("нет отметок за письменную работу"))


def test_the_region_viewer_follows_the_menu_link_to_the_dashboard(
    page: Any,  # noqa: F811
    live_server: Any,
    journal: JournalWorld,  # noqa: F811
) -> None:
    rollups_recompute(school=journal.world.school, start=datetime.date(2026, 11, 9), end=TODAY)
    _log_in(page, live_server.url, "region")
    link = page.locator(".main-menu a", has_text="Своевременность по школам")
    expect(link).to_have_attribute("href", "/compliance/region/")
    link.click()
    expect(page).to_have_url(f"{live_server.url}/compliance/region/")
    expect(page.locator("h1")).to_have_text("Своевременность заполнения журналов")
    expect(page.locator(".main-menu a[aria-current=page]")).to_have_text(
        "Своевременность по школам"
    )
    expect(page.locator("#schools tbody tr")).to_have_count(2)


def test_on_a_phone_the_written_work_marker_goes_with_the_first_tapped_mark(
    browser: Any,  # noqa: F811
    live_server: Any,
    world: Any,
) -> None:
    """The lesson list of the phone view says «! нет отметок за письменную работу …» and drops
    it once a mark is tapped in (the list is redrawn after the save)."""
    from otmetka.journal.defaults import journal_defaults_ensure
    from tests.journal.test_grid import _control_work

    journal_defaults_ensure(school=world.school)
    _control_work(world, datetime.date(2026, 11, 16))
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    phone = context.new_page()
    _log_in(phone, live_server.url, "math7a")
    phone.goto(f"{live_server.url}/journal/{world.course_7a_math.pk}/")
    expect(phone.locator("#journal[data-ready=true]")).to_have_count(1)
    option = phone.locator(".touch-lesson option:checked")
    expect(option).to_contain_text("16.11")  # the only lesson
    expect(option).to_contain_text("! нет отметок за письменную работу — до 23:59 23.11.2026")
    phone.locator(f".touch-row[data-student='{world.pupil_7a.pk}'] .touch-student").tap()
    phone.locator(".touch-pad button[data-value='4']").tap()
    expect(phone.locator(".touch-row .touch-cell").first).to_have_text("4")
    expect(option).not_to_contain_text("!")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
