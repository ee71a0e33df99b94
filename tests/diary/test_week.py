"""The diary's week as a parent and a student see it: lessons with teachers, topics, homework
and files, marks with kind and weight, absences; substitutions, cancellations and holidays shown
as such; a constant number of queries."""

import datetime
import re
from collections.abc import Callable

import pytest
from django.test import Client

from otmetka.diary.selectors import diary_week
from otmetka.school.models import CalendarOverride, DayKind, Vacation
from tests.diary.helpers import MONDAY, diary_world, more_lessons
from tests.world import World


def _day(html: str, date: str) -> str:
    match = re.search(rf'data-date="{date}">(.*?)</section>', html, re.S)
    assert match, f"no day {date}"
    return match.group(1)


def test_the_parent_sees_the_week_with_marks_homework_and_the_file(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    dw = diary_world(world)
    html = client_for("guardian_7a").get("/diary/").content.decode()
    monday, wednesday = _day(html, "2026-11-16"), _day(html, "2026-11-18")
    assert "Математика" in monday and "Числов Максим Андреевич" in monday
    assert "Тема 1" in monday and "Упражнение 1" in monday
    assert f'href="/diary/files/{dw.file.pk}/"' in monday and "задачи.txt" in monday
    assert ">4<" in monday and "Ответ на уроке" in monday
    assert ">5<" in wednesday and "Контрольная работа ×3" in wednesday and "Молодец" in wednesday
    assert 'class="card day day-school today" data-date="2026-11-18"' in html


def test_absence_substitution_and_cancellation_are_shown_as_such(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    diary_world(world)
    html = client_for("student_7a").get("/diary/").content.decode()
    assert 'class="absence" title="По болезни">б<' in _day(html, "2026-11-17")
    thursday = _day(html, "2026-11-19")
    assert "Замещение: Буквина Мария Сергеевна" in thursday
    assert "Числов" not in thursday
    friday = _day(html, "2026-11-20")
    assert "lesson-cancelled" in friday and "отменён" in friday


def test_the_previous_week_and_a_date_jump(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    diary_world(world)
    client = client_for("guardian_7a")
    html = client.get("/diary/?date=2026-11-11").content.decode()
    assert 'data-date="2026-11-09"' in html and "Тема 1" not in html
    assert 'href="?date=2026-11-02"' in html and 'href="?date=2026-11-16"' in html
    bad = client.get("/diary/?date=2026-13-45\x00")
    assert bad.status_code == 200 and 'data-date="2026-11-16"' in bad.content.decode()


def test_vacations_and_holidays_are_shown_instead_of_empty_days(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    Vacation.objects.create(
        school=world.school,
        year=world.year,
        name="Осенние каникулы",
        start=datetime.date(2026, 10, 26),
        end=datetime.date(2026, 11, 3),
    )
    CalendarOverride.objects.create(
        school=world.school,
        date=datetime.date(2026, 11, 12),
        kind=DayKind.DAY_OFF,
        reason="День города",
    )
    client = client_for("student_7a")
    html = client.get("/diary/?date=2026-10-28").content.decode()
    assert "Каникулы: Осенние каникулы" in _day(html, "2026-10-28")
    html = client.get("/diary/?date=2026-11-04").content.decode()
    assert "Праздник, выходной день" in _day(html, "2026-11-04")  # Народного единства
    html = client.get("/diary/?date=2026-11-12").content.decode()
    assert "Праздник, выходной день" in _day(html, "2026-11-12")
    assert "Уроков нет." in _day(html, "2026-11-13")


@pytest.mark.parametrize("extra", [0, 30])
def test_the_week_reads_a_constant_number_of_queries(
    world: World, django_assert_num_queries: Callable, extra: int
) -> None:
    dw = diary_world(world)
    more_lessons(world, extra)
    # Enrollments, groups, lessons, their teachers, marks, absences, files in one read
    # (diary/dayread.py; the calendar only in a week with a day without lessons: four more).
    with django_assert_num_queries(1):
        week = diary_week(student=dw.world.pupil_7a, day=MONDAY)
    lessons = sum(len(d.lessons) for d in week["days"])
    assert lessons == 5 + extra


# The whole page: the session with its user (one read; was two; the current school, the menu's
# diary check and the header's list of schools ride in the session's auth context), the
# reader's students and remembered choice, the week (1), the header's unread messages.
PAGE_QUERIES = 5 + 2  # … and the reader's visit (read, then moved on)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_week_page_reads_a_constant_number_of_queries(
    world: World,
    client_for: Callable[[str | None], Client],
    django_assert_num_queries: Callable,
    extra: int,
) -> None:
    diary_world(world)
    more_lessons(world, extra)
    client = client_for("guardian_7a")
    client.get("/diary/")  # the first visit ever creates the visit and the day's counter
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get("/diary/")
    assert response.content.decode().count(' data-lesson="') == 5 + extra
