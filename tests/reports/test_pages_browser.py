"""The director's and the deputy's pages in a real browser: the director reads the period marks
unlike the suggestion and follows one to its journal; at phone width (375 px) neither the
monitoring nor the director's page pushes the whole page sideways — their wide tables scroll
inside their own box, and the order's duties turn into cards."""

from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.grading.models import PeriodMark
from otmetka.school.models import Period
from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
from tests.reports.conftest import add_students
from tests.reports.monitoring_world import QUERY, START, MonitoringWorld, build_monitoring
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page's own width against the window's, and every wide table's box against its table.
OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  boxes: [...document.querySelectorAll('main table')].map((t) => {
    const w = window.innerWidth;
    let box = t;
    while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    return {wide: t.scrollWidth > w, boxed: !!box && box.clientWidth <= w};
  }),
})"""


def _log_in(browser: Any, base_url: str, username: str, width: int) -> Any:  # noqa: F811
    context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": 800})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")
    return page


def _period_marks(mw: MonitoringWorld) -> str:
    """The pupil's «5» where «4» is suggested (one «4» of a control work); the other pupil has no
    current marks, so no suggestion and no flag. The pupil's name."""
    w = mw.world
    quarter = Period.objects.get(school=w.school, start__lte=START, end__gte=START)
    teacher = w.user("teacher_7a_math")
    for student, value in ((w.pupil_7a, "5"), (add_students(w, 1)[0], "3")):
        PeriodMark.objects.create(
            school=w.school, student=student, course=w.course_7a_math, year=w.year,
            period=quarter, value=value, created_by=teacher, updated_by=teacher,
        )  # fmt: skip
    return f"{w.pupil_7a.last_name} {w.pupil_7a.first_name}"


def test_the_director_sees_the_period_marks_unlike_the_suggestion(
    browser: Any,  # noqa: F811
    live_server: Any,
    world: World,
) -> None:
    mw = build_monitoring(world)
    name = _period_marks(mw)
    page = _log_in(browser, live_server.url, "director", 1280)
    page.click(".main-menu >> text=Школа в целом")
    expect(page.locator(".main-menu a[aria-current=page]")).to_have_text("Школа в целом")
    page.fill("input[name=start]", START.isoformat())
    page.fill("input[name=end]", QUERY.split("end=")[1])
    page.click("text=Показать")
    expect(page.locator("#differences")).to_have_text(
        "Отметки за период, отличающиеся от предложенных"
    )
    expect(page.locator("main")).to_contain_text("1 отметка за период отличается от предложенной.")
    rows = page.locator("table.differences tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td")).to_have_text(["2 четверть", name, "5", "4"])
    rows.first.locator("a", has_text="Математика — 7А").click()
    expect(page).to_have_url(
        f"{live_server.url}/grading/course/{world.course_7a_math.pk}/?period="
        f"{Period.objects.get(school=world.school, start__lte=START, end__gte=START).pk}"
    )


@pytest.mark.parametrize(
    ("username", "path"), [("deputy", "/reports/monitoring/"), ("director", "/reports/director/")]
)
def test_at_phone_width_the_tables_scroll_inside_their_box(
    browser: Any,  # noqa: F811
    live_server: Any,
    world: World,
    username: str,
    path: str,
) -> None:
    mw = build_monitoring(world)
    _period_marks(mw)  # the differences table too
    page = _log_in(browser, live_server.url, username, 375)
    page.goto(f"{live_server.url}{path}?{QUERY}")
    expect(page.locator("table.differences tbody tr")).to_have_count(1)
    found = page.evaluate(OVERFLOW)
    assert found["page"] == 0  # nothing pushes the page sideways
    assert any(t["wide"] for t in found["boxes"])  # the metrics are wider than a phone …
    assert all(t["boxed"] for t in found["boxes"] if t["wide"])  # … and scroll in their box
    if path == "/reports/director/":  # the duties are cards, one per clause, each part named
        duty = page.locator("table.duties tbody tr").first
        expect(duty.locator("th")).to_be_visible()
        assert (
            duty.locator("td").first.evaluate("e => getComputedStyle(e, '::before').content")
            == '"Пункт: "'
        )
        assert duty.evaluate("e => e.getBoundingClientRect().right") <= 375
