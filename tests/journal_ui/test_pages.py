"""The journal pages: who opens what, and a constant number of queries."""

import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otmetka.school.models import Period
from tests.journal_ui.conftest import JournalWorld, add_lessons, add_students
from tests.world import PERSONAS

GRID_STATUS = {
    None: 302,
    "teacher_7a_math": 200,
    "homeroom_7a": 200,
    "deputy": 200,
    "teacher_7b": 404,
    "student_7a": 404,
    "student_7b": 404,
    "guardian_7a": 404,
    "teacher_other_school": 404,
    "outsider": 404,
}


@pytest.mark.parametrize(("persona", "status"), GRID_STATUS.items())
def test_grid_page_access(
    journal: JournalWorld, client_for: Callable[[str | None], Client], persona: str, status: int
) -> None:
    url = f"/journal/{journal.world.course_7a_math.pk}/"
    assert client_for(persona).get(url).status_code == status


def test_teacher_page_has_title_tabs_legend_and_the_module(
    journal: JournalWorld, client_for: Callable[[str | None], Client]
) -> None:
    w = journal.world
    q2 = Period.objects.get(school=w.school, number=2)
    response = client_for("teacher_7a_math").get(f"/journal/{w.course_7a_math.pk}/")
    html = response.content.decode()
    assert "Математика" in html
    assert f'data-grid-url="/api/v1/journal/{w.course_7a_math.pk}?period={q2.pk}"' in html
    assert html.count('class="period-tabs"') == 1 and html.count("?period=") >= 5
    assert "Контрольная работа" in html and "<b>оп</b>" in html
    assert "journal/grid/main.js" in html and 'type="module"' in html
    texts = json.loads(
        html.split('id="journal-messages" type="application/json">')[1].split("<")[0]
    )
    assert texts["saved"] == "Сохранено."  # the module's texts, translated on the server


def test_period_from_the_query_and_an_unknown_period(
    journal: JournalWorld, client_for: Callable[[str | None], Client]
) -> None:
    w = journal.world
    q1 = Period.objects.get(school=w.school, number=1)
    other = Period.objects.get(school=w.other_school, number=1)
    client = client_for("teacher_7a_math")
    page = client.get(f"/journal/{w.course_7a_math.pk}/?period={q1.pk}").content.decode()
    assert f"?period={q1.pk}" in page and 'aria-current="page"' in page
    assert client.get(f"/journal/{w.course_7a_math.pk}/?period={other.pk}").status_code == 404
    assert client.get(f"/journal/{w.course_7a_math.pk}/?period=x").status_code == 404


def test_substitute_opens_the_course_of_their_lesson(journal: JournalWorld, client: Client) -> None:
    client.force_login(journal.substitute)
    assert client.get(f"/journal/{journal.world.course_7a_math.pk}/").status_code == 200
    assert client.get(f"/journal/{journal.world.course_7b_russian.pk}/").status_code == 404
    listing = client.get("/journal/").content.decode()
    assert "Математика" in listing and "Русский язык" not in listing


def test_my_journals_lists_own_courses_by_class_with_the_current_period(
    journal: JournalWorld, client_for: Callable[[str | None], Client]
) -> None:
    w = journal.world
    html = client_for("teacher_7a_math").get("/journal/").content.decode()
    assert f"/journal/{w.course_7a_math.pk}/" in html
    assert f"/journal/{w.course_7b_russian.pk}/" not in html
    assert str(Period.objects.get(school=w.school, number=2)) in html
    deputy = client_for("deputy").get("/journal/").content.decode()
    assert f"/journal/{w.course_7b_russian.pk}/" in deputy
    # A student can have no journal: no list at all (and no menu link, see tests/access).
    assert client_for("student_7a").get("/journal/").status_code == 404


@pytest.mark.parametrize("persona", ["teacher_7a_math", "deputy"])
def test_page_query_counts_do_not_grow(
    journal: JournalWorld,
    client_for: Callable[[str | None], Client],
    persona: str,
) -> None:
    w = journal.world
    client = client_for(persona)
    urls = [f"/journal/{w.course_7a_math.pk}/", "/journal/"]
    for url in urls:  # the per-school cache (kinds of work, absence codes) filled once
        client.get(url)
    counts = []
    for extra_students, extra_lessons in ((1, 2), (28, 45)):
        add_students(w, extra_students)
        add_lessons(w, extra_lessons)
        row = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            row.append(len(ctx.captured_queries))
        counts.append(row)
    assert counts[0] == counts[1]
    assert counts[0][0] <= 9  # with the header's unread messages


def test_every_persona_is_covered() -> None:
    assert set(GRID_STATUS) - {None} <= set(PERSONAS)
