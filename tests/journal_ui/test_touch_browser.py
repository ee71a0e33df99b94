"""The journal by touch on a phone (issue 18): the lesson list opens first on a narrow screen; a tap
on a student opens a pad of the course's marks and absence codes; the same mark for the selected
students, «Все присутствуют», the lesson's topic and deleting work by tap, and what the server
refuses is shown with its Russian message and writes nothing."""

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.audit.models import Event
from otmetka.curriculum.models import AssessmentMode
from otmetka.journal.models import Absence, Lesson, Mark
from otmetka.people.models import Student
from otmetka.school.models import Enrollment
from tests.journal_ui.conftest import JournalWorld
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _open(page: Any, base_url: str, course_id: int) -> None:
    page.set_default_navigation_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", "math7a")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")
    page.goto(f"{base_url}/journal/{course_id}/")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)


def _row(page: Any, student: Student) -> Any:
    return page.locator(f".touch-row[data-student='{student.pk}']")


def _pad_tap(page: Any, value: str) -> None:
    page.locator(f".touch-pad button[data-value='{value}']").tap()


def test_teacher_enters_marks_and_absences_by_tap_at_phone_width(
    phone: Any, live_server: Any, journal: JournalWorld
) -> None:
    page = phone
    w = journal.world
    anna = Student.objects.create(school=w.school, last_name="Алексеева", first_name="Анна")
    Enrollment.objects.create(
        school=w.school, student=anna, school_class=w.class_7a, start=datetime.date(2026, 9, 1)
    )
    today, monday = journal.lessons[2], journal.lessons[0]
    _open(page, live_server.url, w.course_7a_math.pk)
    # A phone opens the lesson list on today's lesson; the keyboard table is one tap away.
    expect(page.locator(".touch-view")).to_be_visible()
    expect(page.locator(".journal-scroll")).to_be_hidden()
    expect(page.locator(".touch-lesson option:checked")).to_contain_text("18.11")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # A tap on a student, a tap on «5»: saved and shown in the row.
    _row(page, w.pupil_7a).locator(".touch-student").tap()
    expect(page.locator(".touch-pad")).to_be_visible()
    expect(page.locator(".touch-pad-title")).to_contain_text("18.11")
    page.fill(".touch-comment", "у доски")
    _pad_tap(page, "5")
    expect(_row(page, w.pupil_7a)).to_have_class(re.compile(r"\bsaved\b"))
    expect(_row(page, w.pupil_7a).locator(".touch-cell")).to_have_text("5")
    mark = Mark.objects.get(student=w.pupil_7a)
    assert (mark.lesson_id, mark.value, mark.comment) == (today.pk, "5", "у доски")
    # «оп» asks for the minutes in the page.
    _row(page, anna).locator(".touch-student").tap()
    _pad_tap(page, "оп")
    dialog = page.locator("dialog.grid-dialog")
    expect(dialog).to_contain_text("На сколько минут опоздал(а)?")
    dialog.locator("input[name=answer]").fill("10")
    dialog.locator("button[value=ok]").tap()
    expect(_row(page, anna).locator(".touch-cell")).to_have_text("оп 10")
    absence = Absence.objects.get(student=anna)
    assert (absence.lesson_id, absence.code.code, absence.minutes_late) == (today.pk, "оп", 10)
    # The same mark for the selected students, in one save.
    _row(page, anna).locator(".touch-pick").tap()
    _row(page, w.pupil_7a).locator(".touch-pick").tap()
    page.locator("[data-touch=mark-picked]").tap()
    expect(page.locator(".touch-pad-title")).to_contain_text("Выбрано учеников: 2")
    _pad_tap(page, "4")
    expect(page.locator(".journal-status")).to_have_text("Сохранено для учеников: 2.")
    expect(_row(page, anna).locator(".touch-cell")).to_have_text("4 · оп 10")
    assert sorted(Mark.objects.filter(lesson=today).values_list("value", flat=True)) == [
        "4",
        "4",
        "5",
    ]
    # Deleting by tap asks in the page; the last mark goes.
    _row(page, w.pupil_7a).locator(".touch-student").tap()
    page.locator("[data-touch=clear]").tap()
    expect(dialog).to_contain_text("Удалить отметку «4»?")
    dialog.locator("button[value=ok]").tap()
    expect(_row(page, w.pupil_7a).locator(".touch-cell")).to_have_text("5")
    assert list(
        Mark.objects.filter(student=w.pupil_7a, is_deleted=False).values_list("value", flat=True)
    ) == ["5"]
    # Another lesson: «Все присутствуют» and the topic, by tap.
    page.select_option(
        ".touch-lesson", label=page.locator(".touch-lesson option", has_text="16.11").inner_text()
    )
    page.locator("[data-touch=all-present]").tap()
    expect(page.locator(".journal-status")).to_have_text("Посещаемость отмечена: все присутствуют.")
    page.locator("[data-touch=lesson]").tap()
    page.fill("#lesson-topic", "Сложение дробей")
    page.locator(".lesson-panel button[type=submit]").tap()
    expect(page.locator(".lesson-panel")).to_be_hidden()
    monday.refresh_from_db()
    assert monday.topic == "Сложение дробей" and monday.attendance_taken_at is not None
    # The keyboard table shows what was tapped.
    page.locator("[data-action=view]").tap()
    expect(page.locator(".journal-scroll")).to_be_visible()
    expect(page.locator(f"tr[data-student='{anna.pk}'] td.cell[data-c='2']")).to_contain_text("оп")


def test_what_the_server_refuses_by_tap_is_shown_and_writes_nothing(
    phone: Any, live_server: Any, journal: JournalWorld
) -> None:
    page = phone
    w = journal.world
    future = Lesson.objects.create(
        school=w.school, course=w.course_7a_math, date=datetime.date(2026, 11, 19), bell_number=1
    )
    _open(page, live_server.url, w.course_7a_math.pk)
    marks, events = Mark.objects.count(), Event.objects.count()
    page.select_option(
        ".touch-lesson", label=page.locator(".touch-lesson option", has_text="19.11").inner_text()
    )
    _row(page, w.pupil_7a).locator(".touch-student").tap()
    _pad_tap(page, "5")
    expect(_row(page, w.pupil_7a)).to_have_class(re.compile(r"\bfailed\b"))
    expect(page.locator(".journal-status")).to_contain_text("Урок ещё не проведён.")
    assert (Mark.objects.count(), Event.objects.count()) == (marks, events)
    assert not Mark.objects.filter(lesson=future).exists()
    # The pad offers only the course's own marks: a pass/fail course has «зач» and «незач».
    w.course_7a_math.assessment = AssessmentMode.PASS_FAIL
    w.course_7a_math.save()
    page.reload()
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    _row(page, w.pupil_7a).locator(".touch-student").tap()
    expect(page.locator(".touch-marks button")).to_have_text(["зач", "незач"])


def test_the_substitute_taps_only_the_substituted_lesson(
    browser: Any, live_server: Any, journal: JournalWorld
) -> None:
    w = journal.world
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_navigation_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "sub")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(f"{live_server.url}/journal/{w.course_7a_math.pk}/")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    # Today's lesson is not the substitute's: its rows are read-only, a tap says so.
    expect(page.locator(".touch-lesson option:checked")).to_contain_text("18.11")
    # (aria-disabled: Playwright would wait for it to be enabled, a finger does not)
    _row(page, w.pupil_7a).locator(".touch-student").tap(force=True)
    expect(page.locator(".journal-status")).to_have_text(
        "Эту ячейку вы можете только просматривать."
    )
    expect(page.locator(".touch-pad")).to_be_hidden()
    page.select_option(
        ".touch-lesson", label=page.locator(".touch-lesson option", has_text="17.11").inner_text()
    )
    _row(page, w.pupil_7a).locator(".touch-student").tap()
    _pad_tap(page, "4")
    expect(_row(page, w.pupil_7a)).to_have_class(re.compile(r"\bsaved\b"))
    assert list(Mark.objects.values_list("lesson_id", "value")) == [(journal.substituted.pk, "4")]
    context.close()
