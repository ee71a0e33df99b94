"""The period-mark column of the journal grid in a real browser: the teacher sees the suggestion,
types another mark from the keyboard (one POST, patched in place, flagged as different) and
accepts a suggestion with «+»; the deputy sees the flag in the grid and in the gradesheet."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.grading.models import PeriodMark
from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
from tests.grading.conftest import GradingWorld, add_students, give_marks
from tests.grading.test_browser import _log_in, _page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_grid(page: Any, base_url: str, gw: GradingWorld) -> Any:
    page.goto(f"{base_url}/journal/{gw.world.course_7a_math.pk}/?period={gw.q2.pk}")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    return page.locator("td.period-cell")


def test_the_teacher_sets_period_marks_in_the_grid_and_the_deputy_sees_the_flag(
    browser: Any,  # noqa: F811
    live_server: Any,
    grading: GradingWorld,
) -> None:
    w = grading.world
    (first,) = add_students(w, 1)  # «Учеников00» sorts after «Иванов»
    give_marks(grading, w.pupil_7a.pk, [("5", grading.answer), ("4", grading.test)])
    give_marks(grading, first.pk, [("3", grading.answer), ("3", grading.test)])
    page = _page(browser, "desktop")
    _log_in(page, live_server.url, "math7a")
    cells = _open_grid(page, live_server.url, grading)
    expect(page.locator("th.period-col")).to_have_text("Итоговая отметка")
    ivanov, other = cells.nth(0), cells.nth(1)
    expect(ivanov.locator(".pm-suggested")).to_have_text("4")  # (5 + 4·3)/4 = 4.25
    expect(other.locator(".pm-suggested")).to_have_text("3")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    ivanov.click()
    page.keyboard.type("4-")
    expect(page.locator(".journal-status")).to_contain_text("Отметки «4-» нет")
    page.keyboard.type("5")
    page.keyboard.press("Enter")  # saves and moves down
    expect(ivanov.locator(".pm-value")).to_have_text("5")
    expect(ivanov.locator(".pm-differs")).to_have_text("≠ 4")
    expect(ivanov).to_have_class(re.compile(r"\bdiffers\b"))
    expect(other).to_be_focused()
    page.keyboard.type("+")  # accepts the suggested «3»
    expect(other.locator(".pm-value")).to_have_text("3")
    expect(page.locator(".journal-status")).to_have_text("Итоговая отметка сохранена.")
    marks = {m.student_id: m for m in PeriodMark.objects.filter(period=grading.q2)}
    assert (marks[w.pupil_7a.pk].value, marks[w.pupil_7a.pk].suggested) == ("5", "4")
    assert (marks[first.pk].value, marks[first.pk].differs) == ("3", False)
    other.click()
    for key in "на":  # «н/а» without the slash; Playwright's US keyboard has no «н»: the keydown
        other.dispatch_event("keydown", {"key": key, "bubbles": True, "cancelable": True})
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.grid-dialog")
    expect(dialog).to_contain_text("причина уважительная?")
    dialog.locator("input[name=answer]").fill("н")
    dialog.locator("input[name=answer]").press("Enter")
    expect(other.locator(".pm-value")).to_have_text("н/а")
    assert len(posts) == 3 and all("/grading/course/" in u for u in posts)  # one POST each
    na = PeriodMark.objects.get(period=grading.q2, student=first, is_deleted=False)
    assert (na.value, na.na_reason) == ("н/а", "invalid")
    page.reload()
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    expect(page.locator("td.period-cell").nth(0).locator(".pm-differs")).to_have_text("≠ 4")
    page.context.close()

    page = _page(browser, "desktop")
    _log_in(page, live_server.url, "deputy")
    cells = _open_grid(page, live_server.url, grading)
    expect(cells.nth(0).locator(".pm-differs")).to_have_text("≠ 4")
    page.goto(f"{live_server.url}/reports/")
    page.click("text=7А")
    expect(page.locator("h1")).to_contain_text("Сводная ведомость 7А")
    expect(page.locator("td.differs")).to_have_count(2)  # «5» for «4», «н/а» for «3»
    expect(page.locator("td.differs b").first).to_have_text("5")
    page.context.close()
