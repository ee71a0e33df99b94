"""The keyboard-first grid in a real browser: attendance, marks and the topic by keyboard and the
side panel survive a reload; refusals show the Russian message; 7Б's teacher and the substitute
see only what is theirs."""

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.audit.models import Event
from otmetka.curriculum.models import AssessmentMode
from otmetka.journal.models import Absence, Lesson, Mark
from otmetka.journal.services import absence_set
from otmetka.people.models import Student
from otmetka.school.models import Enrollment
from tests.journal_ui.conftest import JournalWorld
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base_url: str, username: str) -> None:
    # The live server's first page (a new database connection, templates compiled) can take
    # longer than the default 10 s on a loaded CI machine: navigations get 30 s.
    page.set_default_navigation_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")


def _open_grid(page: Any, base_url: str, course_id: int) -> None:
    page.goto(f"{base_url}/journal/{course_id}/")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)


def _cell(page: Any, r: int, c: int) -> Any:
    return page.locator(f"td.cell[data-r='{r}'][data-c='{c}']")


def _press_cyrillic(cell: Any, key: str) -> None:
    """A key of the Russian layout: Playwright's US keyboard has no «н», so the keydown a Russian
    keyboard sends is dispatched to the focused cell."""
    cell.dispatch_event("keydown", {"key": key, "bubbles": True, "cancelable": True})


def _api_calls(page: Any) -> list[tuple[str, str]]:
    """Every request to the API from now on, (method, url): one per saved change."""
    calls: list[tuple[str, str]] = []
    page.on("request", lambda r: calls.append((r.method, r.url)) if "/api/v1/" in r.url else None)
    return calls


def _answer_dialog(page: Any, text: str) -> str:
    """Type `text` into the grid's in-page dialog and confirm it; the dialog's question."""
    dialog = page.locator("dialog.grid-dialog")
    expect(dialog).to_be_visible()
    question = dialog.locator(".grid-dialog-text").inner_text()
    dialog.locator("input[name=answer]").fill(text)
    dialog.locator("input[name=answer]").press("Enter")
    expect(dialog).to_be_hidden()
    return question


def _second_student(journal: JournalWorld) -> Student:
    """Алексеева comes first in the list, Иванов (the world's pupil) second."""
    w = journal.world
    student = Student.objects.create(school=w.school, last_name="Алексеева", first_name="Анна")
    Enrollment.objects.create(
        school=w.school, student=student, school_class=w.class_7a, start=datetime.date(2026, 9, 1)
    )
    return student


def test_teacher_fills_attendance_marks_and_topic_and_sees_them_after_reload(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    w = journal.world
    anna = _second_student(journal)
    today = journal.lessons[2]
    _log_in(page, live_server.url, "math7a")
    page.click("a[href='/journal/']")
    page.click(f"a[href^='/journal/{w.course_7a_math.pk}/']")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    expect(page.locator("h1")).to_contain_text("Математика")
    # Attendance: «н» for Иванов (row 2) on today's lesson (column 3), then Enter.
    _cell(page, 1, 2).click()
    _press_cyrillic(_cell(page, 1, 2), "н")
    page.keyboard.press("Enter")
    expect(_cell(page, 1, 2)).to_have_class(re.compile(r"\bsaved\b"))
    expect(_cell(page, 1, 2)).to_contain_text("н")
    # Marks by keyboard: 5 for Алексеева today (saved by the arrow that leaves the cell), 4 for
    # her on Monday (saved by Enter) — one request each, the row's averages patched from it.
    api_calls = _api_calls(page)
    _cell(page, 0, 2).click()
    page.keyboard.press("5")
    expect(page.locator(".journal-status")).to_contain_text("«5»: Enter, Tab или стрелка")
    page.keyboard.press("ArrowLeft")
    expect(_cell(page, 0, 2)).to_have_class(re.compile(r"\bsaved\b"))
    expect(page.locator("tr[data-student] .avg").first).to_have_text("5,00")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    expect(_cell(page, 0, 0)).to_have_class(re.compile(r"\bsaved\b"))
    expect(page.locator("tr[data-student] .avg").first).to_have_text("4,50")
    expect(page.locator("tr[data-student] .wavg").first).to_have_text("4,50")
    cells_url = f"{live_server.url}/api/v1/lessons/"
    assert [m for m, _u in api_calls] == ["POST", "POST"]
    assert all(u.startswith(cells_url) and u.endswith("/cells") for _m, u in api_calls)
    # The topic in the side panel (the header loses its "no topic" warning).
    page.locator("button.lesson-head[data-c='2']").click()
    page.fill("#lesson-topic", "Сложение дробей")
    page.click(".lesson-panel [data-action=all-present]")
    expect(page.locator(".journal-status")).to_have_text("Посещаемость отмечена: все присутствуют.")
    page.click(".lesson-panel button[type=submit]")
    expect(page.locator(".lesson-panel")).to_be_hidden()
    expect(page.locator("button.lesson-head[data-c='2']")).to_have_attribute(
        "title",
        "Сложение дробей · Числов Максим Андреевич · нет домашнего задания — до 16:00 сегодня",
    )
    page.reload()
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    expect(_cell(page, 1, 2)).to_have_text("н")
    expect(_cell(page, 0, 2)).to_contain_text("5")
    expect(_cell(page, 0, 0)).to_contain_text("4")
    expect(page.locator("button.lesson-head[data-c='2']")).to_have_attribute(
        "title",
        "Сложение дробей · Числов Максим Андреевич · нет домашнего задания — до 16:00 сегодня",
    )
    assert Absence.objects.get(lesson=today).student == w.pupil_7a
    assert sorted(Mark.objects.filter(student=anna).values_list("value", flat=True)) == ["4", "5"]
    saved = Lesson.objects.get(pk=today.pk)
    assert saved.topic == "Сложение дробей" and saved.attendance_taken_at is not None


def test_refused_inputs_show_the_russian_message_and_write_nothing(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    w = journal.world
    future = Lesson.objects.create(
        school=w.school, course=w.course_7a_math, date=datetime.date(2026, 11, 19), bell_number=1
    )
    _log_in(page, live_server.url, "math7a")
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    marks, events = Mark.objects.count(), Event.objects.count()
    # Refused in the browser: «1» is not a mark of a 2–5 course.
    _cell(page, 0, 2).click()
    page.keyboard.press("1")
    expect(page.locator(".journal-status")).to_have_text(
        "«1» — не отметка этого курса (допустимо: 2, 3, 4, 5)."
    )
    # Refused by the server: a mark for a lesson that has not taken place yet.
    column = [lesson.pk for lesson in Lesson.objects.filter(course=w.course_7a_math)].index(
        future.pk
    )
    _cell(page, 0, column).click()
    page.keyboard.press("5")
    page.keyboard.press("Enter")
    expect(_cell(page, 0, column)).to_have_class(re.compile(r"\bfailed\b"))
    expect(page.locator(".journal-status")).to_contain_text("Не сохранено: ")
    expect(_cell(page, 0, column)).to_have_attribute("title", "Урок ещё не проведён.")
    assert (Mark.objects.count(), Event.objects.count()) == (marks, events)
    # A pass/fail course refuses a point mark before it reaches the server.
    w.course_7a_math.assessment = AssessmentMode.PASS_FAIL
    w.course_7a_math.save()
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    _cell(page, 0, 2).click()
    page.keyboard.press("5")
    expect(page.locator(".journal-status")).to_have_text(
        "«5» — не отметка этого курса (допустимо: зач, незач)."
    )
    assert (Mark.objects.count(), Event.objects.count()) == (marks, events)


def test_teacher_of_7b_gets_404_for_the_7a_course(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    _log_in(page, live_server.url, "teacher7b")
    response = page.goto(f"{live_server.url}/journal/{journal.world.course_7a_math.pk}/")
    assert response.status == 404


def test_substitute_fills_only_the_substituted_lesson(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    w = journal.world
    other = journal.lessons[0]
    _log_in(page, live_server.url, "sub")
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    expect(_cell(page, 0, 0)).to_have_attribute("aria-readonly", "true")
    expect(page.locator("th.lesson-col.read-only")).to_have_count(2)
    _cell(page, 0, 0).click()
    page.keyboard.press("5")
    expect(page.locator(".journal-status")).to_have_text(
        "Эту ячейку вы можете только просматривать."
    )
    _cell(page, 0, 1).click()
    page.keyboard.press("4")
    page.keyboard.press("Tab")
    expect(_cell(page, 0, 1)).to_have_class(re.compile(r"\bsaved\b"))
    assert list(Mark.objects.values_list("lesson_id", "value")) == [(journal.substituted.pk, "4")]
    # The server refuses the other lesson even when the browser is bypassed.
    status = page.evaluate(
        """async ([lesson, student]) => {
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch(`/api/v1/lessons/${lesson}/cells`, {method: "POST",
              headers: {"Content-Type": "application/json", "X-CSRFToken": token},
              body: JSON.stringify({changes: [{student, marks: [{value: "5", kind: null}]}]})});
            return r.status;
        }""",
        [other.pk, w.pupil_7a.pk],
    )
    assert status == 403
    assert Mark.objects.count() == 1


def test_fill_a_column_in_one_request_lateness_with_minutes_and_the_cell_history(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    w = journal.world
    anna = _second_student(journal)
    boris = Student.objects.create(school=w.school, last_name="Борисов", first_name="Борис")
    Enrollment.objects.create(
        school=w.school, student=boris, school_class=w.class_7a, start=datetime.date(2026, 9, 1)
    )
    today = journal.lessons[2]
    absence_set(
        actor=w.user("teacher_7a_math"), lesson=today, student=w.pupil_7a, code="б", minutes=None
    )
    _log_in(page, live_server.url, "math7a")
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    _cell(page, 0, 2).click()
    page.click("[data-action=fill]")
    expect(page.locator("td.cell.col-selected")).to_have_count(3)
    page.keyboard.press("5")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".journal-status")).to_have_text("Заполнено пустых ячеек столбца: 2.")
    # the answer's averages are patched in place: no reload of the grid
    expect(page.locator(f"tr[data-student='{anna.pk}'] td.avg")).to_have_text("5,00")
    assert posts == [f"{live_server.url}/api/v1/lessons/{today.pk}/cells"]
    assert sorted(Mark.objects.filter(lesson=today).values_list("student_id", flat=True)) == (
        sorted([anna.pk, boris.pk])
    )
    assert Absence.objects.get(lesson=today).code.code == "б"  # the absent one kept their code
    # Lateness: «о» is enough (only «оп» starts so); Enter asks for the minutes in the page.
    _cell(page, 1, 0).click()
    _press_cyrillic(_cell(page, 1, 0), "о")
    page.keyboard.press("Enter")
    assert _answer_dialog(page, "10") == "На сколько минут опоздал(а)?"
    expect(_cell(page, 1, 0)).to_have_text(re.compile(r"^оп 10"))
    assert Absence.objects.get(lesson=journal.lessons[0]).minutes_late == 10
    # The history of a cell: «h».
    _cell(page, 0, 2).click()
    page.keyboard.press("h")
    expect(page.locator(".history-panel")).to_be_visible()
    expect(page.locator(".history-list li")).to_have_count(1)
    expect(page.locator(".history-list li")).to_contain_text("Числов Максим Андреевич")


def test_deputy_corrects_a_closed_period_stating_the_reason_once(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    from django.utils import timezone

    from otmetka.school.models import Period

    w = journal.world
    period = Period.objects.get(
        year=w.year, start__lte=datetime.date(2026, 11, 18), end__gte=datetime.date(2026, 11, 18)
    )
    period.closed_at = timezone.now()
    period.save(update_fields=["closed_at"])
    _log_in(page, live_server.url, "deputy")
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    _cell(page, 0, 0).click()
    page.keyboard.press("4")
    page.keyboard.press("ArrowRight")
    assert "Период закрыт" in _answer_dialog(page, "Исправление по заявлению учителя")
    expect(_cell(page, 0, 0)).to_have_class(re.compile(r"\bsaved\b"))
    page.keyboard.press("5")
    page.keyboard.press("Enter")
    expect(_cell(page, 0, 1)).to_have_class(re.compile(r"\bsaved\b"))
    expect(page.locator("dialog.grid-dialog")).to_be_hidden()  # asked once
    marks = Mark.objects.filter(lesson__course=w.course_7a_math, student=w.pupil_7a)
    assert sorted(marks.values_list("value", flat=True)) == ["4", "5"]
    reasons = set(Event.objects.filter(action="mark_add").values_list("reason", flat=True))
    assert reasons == {"Исправление по заявлению учителя"}


def test_every_key_either_changes_the_cell_or_says_why_not(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    """«4-» is refused whole (never saved as a 4) with the reason; «+», «.», a Latin letter or
    any other key changes nothing and says why — nothing is dropped silently; a 4 then Enter
    saves the 4 in one request."""
    w = journal.world
    _log_in(page, live_server.url, "math7a")
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    api_calls = _api_calls(page)
    status = page.locator(".journal-status")
    _cell(page, 0, 2).click()
    page.keyboard.press("4")
    page.keyboard.press("-")
    expect(status).to_have_text(
        "Отметки «4-» нет: ставятся целые отметки (2–5), без «+», «−» и дробей. "
        "Ничего не сохранено."
    )
    page.keyboard.press("Enter")  # nothing is pending any more: the cursor just moves
    _cell(page, 0, 1).click()
    for key, message in (
        ("+", "Отметки «+» нет: ставятся целые отметки (2–5)"),
        (".", "Отметки «.» нет: ставятся целые отметки (2–5)"),
        ("n", "«n» — латинская буква: переключите раскладку на русскую (на ней эта клавиша — «т»)"),
        ("*", "«*» — не отметка и не обозначение пропуска"),
        ("ж", "«ж» — не отметка и не обозначение пропуска"),
    ):
        if key == "ж":
            _press_cyrillic(_cell(page, 0, 1), key)
        else:
            page.keyboard.press(key)
        expect(status).to_contain_text(message)
        expect(status).to_have_class(re.compile(r"\bbad\b"))
    page.keyboard.press("5")
    page.keyboard.press("Escape")
    expect(status).to_have_text("Ввод «5» отменён: ничего не сохранено.")
    assert not Mark.objects.exists() and not Absence.objects.exists() and api_calls == []
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    expect(_cell(page, 0, 1)).to_have_class(re.compile(r"\bsaved\b"))
    assert list(Mark.objects.values_list("value", flat=True)) == ["4"]
    assert [m for m, _u in api_calls] == ["POST"]


def test_the_grid_works_at_phone_width(page: Any, live_server: Any, journal: JournalWorld) -> None:
    w = journal.world
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_server.url, "math7a")
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    # A phone opens the lesson list (touch); the keyboard table is one button away.
    expect(page.locator(".journal-scroll")).to_be_hidden()
    page.click("[data-action=view]")
    _cell(page, 0, 2).click()
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    expect(_cell(page, 0, 2)).to_have_class(re.compile(r"\bsaved\b"))
    expect(page.locator("tr[data-student] .avg").first).to_have_text("3,00")
    # Deleting asks in the page, not in a browser prompt.
    _cell(page, 0, 2).click()
    page.keyboard.press("Delete")
    dialog = page.locator("dialog.grid-dialog")
    expect(dialog).to_contain_text("Удалить отметку «3»?")
    dialog.locator("button[value=ok]").click()
    expect(page.locator("tr[data-student] .avg").first).to_have_text("")
    assert not Mark.objects.filter(is_deleted=False).exists()
