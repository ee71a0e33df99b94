"""Offline entry in a real Chromium (issue 18): a teacher who opened the journal online loses the
connection, enters 20 cells and a topic, reloads the page without a connection (the entries
survive, shown as not sent), and when the connection returns everything is sent once. A cell
changed on the server meanwhile is shown with both values for the teacher to choose; an entry the
server refuses (the period closed meanwhile) stays with its Russian reason until dismissed; logging
out deletes what was kept."""

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from otmetka.audit.models import Event
from otmetka.journal.changes import CellChange, MarkChange
from otmetka.journal.models import Lesson, Mark, MarkKind
from otmetka.journal.services import cells_save
from otmetka.people.models import Student
from otmetka.school.models import Period
from tests.journal_ui.conftest import JournalWorld, add_students
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Any, school_day: object) -> Iterator[tuple[Any, Any]]:
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    # The device's clock shows the server's (frozen) time: the queue sends when an entry was
    # made, and the server refuses a time in its future.
    context.clock.set_fixed_time(timezone.now())
    page = context.new_page()
    yield context, page
    context.close()


def _open_online(page: Any, base_url: str, course_id: int) -> None:
    page.set_default_navigation_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", "math7a")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")
    page.goto(f"{base_url}/journal/{course_id}/")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    # The worker is installed and controls the page once it is opened again: the page is kept.
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")


def _row(page: Any, student: Student) -> Any:
    return page.locator(f".touch-row[data-student='{student.pk}']")


def _tap_mark(page: Any, student: Student, value: str) -> None:
    _row(page, student).locator(".touch-student").tap()
    page.locator(f".touch-pad button[data-value='{value}']").tap()


def _pick_lesson(page: Any, ddmm: str) -> None:
    label = page.locator(".touch-lesson option", has_text=ddmm).inner_text()
    page.select_option(".touch-lesson", label=label)


def _students(journal: JournalWorld) -> list[Student]:
    return list(
        Student.objects.filter(enrollments__school_class=journal.world.class_7a).order_by(
            "last_name", "first_name"
        )
    )


def test_twenty_cells_and_a_topic_entered_offline_survive_a_reload_and_are_sent_once(
    phone: tuple[Any, Any], live_server: Any, journal: JournalWorld
) -> None:
    context, page = phone
    w = journal.world
    add_students(w, 19)
    students = _students(journal)
    assert len(students) >= 20
    today = journal.lessons[2]
    _open_online(page, live_server.url, w.course_7a_math.pk)
    events = Event.objects.count()

    went_offline = timezone.now()
    context.set_offline(True)
    # Two marks one by one, then the same mark for eighteen selected students, then the topic.
    _tap_mark(page, students[0], "5")
    expect(_row(page, students[0])).to_have_class(re.compile(r"\bpending\b"))
    expect(page.locator(".journal-queue")).to_contain_text("Не отправлено: 1.")
    _tap_mark(page, students[1], "4")
    for s in students[2:20]:
        _row(page, s).locator(".touch-pick").tap()
    page.locator("[data-touch=mark-picked]").tap()
    page.locator(".touch-pad button[data-value='3']").tap()
    page.locator("[data-touch=lesson]").tap()
    page.fill("#lesson-topic", "Дроби без связи")
    page.locator(".lesson-panel button[type=submit]").tap()
    expect(page.locator(".journal-queue")).to_contain_text("Не отправлено: 4.")
    assert Mark.objects.count() == 0 and Event.objects.count() == events

    # The page opens again without a connection: the kept journal with the entries on top.
    page.reload()
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    expect(page.locator(".journal-queue")).to_contain_text("Не отправлено: 4.")
    expect(page.locator(".journal-queue")).to_contain_text("Нет связи: журнал")
    expect(_row(page, students[0]).locator(".touch-cell")).to_have_text("5")
    expect(_row(page, students[19]).locator(".touch-cell")).to_have_text("3")
    expect(page.locator(".touch-row.pending")).to_have_count(20)

    # The connection returns: everything is sent once, in order, and nothing is left queued.
    came_back = timezone.now()
    context.set_offline(False)
    expect(page.locator(".journal-status")).to_have_text("Отправлено с этого устройства: 4.")
    expect(page.locator(".journal-queue")).to_be_hidden()
    marks = Mark.objects.filter(lesson=today, is_deleted=False)
    assert marks.count() == 20
    assert sorted(marks.values_list("value", flat=True)) == ["3"] * 18 + ["4", "5"]
    assert Lesson.objects.get(pk=today.pk).topic == "Дроби без связи"
    # When each entry was made offline is kept beside when it reached the server.
    for made, entered in marks.values_list("made_at", "created_at"):
        assert went_offline <= made <= came_back <= entered
    topic_made = Lesson.objects.get(pk=today.pk).topic_made_at
    assert topic_made is not None and went_offline <= topic_made <= came_back
    sent = Event.objects.filter(action__in=("mark_add", "lesson_update"), at__gte=came_back)
    assert len(sent) == 21 and all(e.after.get("made_at") for e in sent)
    written = Event.objects.count()
    assert written > events
    # Sending again (the reload's own try, the «online» event) writes nothing twice.
    page.reload()
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(".journal-queue")).to_be_hidden()
    assert Mark.objects.filter(lesson=today).count() == 20
    assert Event.objects.count() == written


def test_a_conflict_is_shown_with_both_values_and_a_refusal_stays_until_dismissed(
    phone: tuple[Any, Any], live_server: Any, journal: JournalWorld
) -> None:
    context, page = phone
    w = journal.world
    monday = journal.lessons[0]
    anna = w.pupil_7a
    _open_online(page, live_server.url, w.course_7a_math.pk)
    _pick_lesson(page, "16.11")

    # Offline, the teacher gives 5; meanwhile a 4 reaches the same cell on the server.
    context.set_offline(True)
    _tap_mark(page, anna, "5")
    expect(page.locator(".journal-queue")).to_contain_text("Не отправлено: 1.")
    kind = MarkKind.objects.filter(school=w.school).first()
    cells_save(
        actor=w.users["teacher_7a_math"],
        lesson=monday,
        changes=[
            CellChange(
                student=anna.pk, marks=(MarkChange(value="4", kind=kind.pk if kind else None),)
            )
        ],
    )
    context.set_offline(False)
    problem = page.locator(".queue-problem.conflict")
    expect(problem).to_contain_text("сейчас: 4")
    assert list(Mark.objects.filter(lesson=monday).values_list("value", flat=True)) == ["4"]
    problem.locator("[data-queue=mine]").tap()
    expect(page.locator(".journal-queue")).to_be_hidden()
    assert sorted(Mark.objects.filter(lesson=monday).values_list("value", flat=True)) == ["4", "5"]

    # Offline again; the period is closed meanwhile: the server refuses, the entry stays.
    context.set_offline(True)
    _tap_mark(page, anna, "3")
    expect(page.locator(".journal-queue")).to_contain_text("Не отправлено: 1.")
    Period.objects.filter(pk=_period_of(monday).pk).update(closed_at=timezone.now())
    context.set_offline(False)
    refused = page.locator(".queue-problem.rejected")
    expect(refused).to_contain_text("не принято")
    page.reload()
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    expect(page.locator(".queue-problem.rejected")).to_have_count(1)
    assert "3" not in Mark.objects.filter(lesson=monday).values_list("value", flat=True)
    page.locator(".queue-problem.rejected [data-queue=dismiss]").tap()
    expect(page.locator(".journal-queue")).to_be_hidden()

    # Logging out deletes the kept journals and the queue.
    page.goto(f"{live_server.url}/")
    page.click("form[action='/accounts/logout/'] button")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    names = page.evaluate("indexedDB.databases().then((dbs) => dbs.map((d) => d.name))")
    assert "otmetka-journal" not in names


def test_a_queued_entry_of_another_period_is_sent_from_any_journal_page(
    phone: tuple[Any, Any], live_server: Any, journal: JournalWorld
) -> None:
    context, page = phone
    w = journal.world
    w.school.period_close_after_days = None
    w.school.save()
    october = Lesson.objects.create(
        school=w.school, course=w.course_7a_math, date=datetime.date(2026, 10, 14), bell_number=2
    )
    first_quarter = _period_of(october)
    _open_online(page, live_server.url, w.course_7a_math.pk)
    page.goto(f"{live_server.url}/journal/{w.course_7a_math.pk}/?period={first_quarter.pk}")
    expect(page.locator("#journal[data-ready=true]")).to_have_count(1)
    _pick_lesson(page, "14.10")

    # Offline on the 1st quarter's page; the page is closed before the connection returns.
    context.set_offline(True)
    _tap_mark(page, w.pupil_7a, "5")
    expect(page.locator(".journal-queue")).to_contain_text("Не отправлено: 1.")
    page.close()
    context.set_offline(False)
    assert not Mark.objects.filter(lesson=october).exists()

    # Online again on the 2nd quarter's page: the 1st quarter's entry goes to its own lesson.
    page = context.new_page()
    page.goto(f"{live_server.url}/journal/{w.course_7a_math.pk}/")
    expect(page.locator(".journal-status")).to_have_text("Отправлено с этого устройства: 1.")
    expect(page.locator(".journal-queue")).to_be_hidden()
    mark = Mark.objects.get(lesson=october)
    assert (mark.value, mark.student_id) == ("5", w.pupil_7a.pk)
    assert mark.made_at is not None and mark.made_at <= mark.created_at


def _period_of(lesson: Lesson) -> Period:
    return Period.objects.get(school=lesson.school, start__lte=lesson.date, end__gte=lesson.date)
