"""Teacher's day on the home page: today's lessons in bell order with what is missing, recent
lessons with gaps, and a constant number of queries."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from otmetka.journal.models import Lesson
from tests.journal_ui.conftest import JournalWorld, add_lessons, add_students

# the session with its user (one read; roles and schools ride in the session), derived roles (3),
# the teacher block
# (courses, day dates, lessons), the header's unread messages; the deadlines block (issue 14:
# the teacher's lessons with first entries, the classes' day ends, their absences, "no PC" days,
# the school's rule versions)
HOME_QUERIES = 14  # was 15 with the user read apart from the session


def _teacher_block(html: str) -> str:
    return html.split('data-section="teacher"')[1].split("</section>")[0]


def test_today_lessons_in_bell_order_with_missing_items_and_links(
    journal: JournalWorld, client_for: Callable[[str | None], Client]
) -> None:
    w = journal.world
    first = Lesson.objects.create(
        school=w.school,
        course=w.course_7a_math,
        date=datetime.date(2026, 11, 18),
        bell_number=4,
        topic="Дроби",
        homework="№ 12",
        attendance_taken_at=timezone.now(),
    )
    block = _teacher_block(client_for("teacher_7a_math").get("/").content.decode())
    today = block.split("teacher-day")[1].split("</ul>")[0]
    assert today.index(f'data-lesson="{journal.lessons[2].pk}"') < today.index(
        f'data-lesson="{first.pk}"'
    )
    assert "не заполнено: тема, посещаемость, домашнее задание" in today
    assert today.count("✓") == 1
    assert f'href="/journal/{w.course_7a_math.pk}/"' in today


def test_recent_lessons_with_gaps_and_substituted_lessons(
    journal: JournalWorld, client: Client
) -> None:
    w = journal.world
    monday = journal.lessons[0]
    monday.topic, monday.homework, monday.attendance_taken_at = "Дроби", "№ 1", timezone.now()
    monday.save()
    teacher = Client()
    teacher.force_login(w.user("teacher_7a_math"))
    recent = _teacher_block(teacher.get("/").content.decode()).split("recent-gaps")[1]
    assert f'data-lesson="{journal.substituted.pk}"' in recent
    assert f'data-lesson="{monday.pk}"' not in recent
    client.force_login(journal.substitute)
    block = _teacher_block(client.get("/").content.decode())
    assert f'data-lesson="{journal.substituted.pk}"' in block.split("recent-gaps")[1]
    assert f'data-lesson="{journal.lessons[2].pk}"' not in block


def test_no_lessons_today(world: object, client_for: Callable[[str | None], Client]) -> None:
    block = _teacher_block(client_for("teacher_7b").get("/").content.decode())
    assert "Сегодня уроков нет." in block and "recent-gaps" not in block


@pytest.mark.parametrize(("students", "lessons"), [(1, 2), (29, 47)])
def test_home_query_count_is_constant(
    journal: JournalWorld,
    client_for: Callable[[str | None], Client],
    django_assert_num_queries: Callable,
    students: int,
    lessons: int,
) -> None:
    add_students(journal.world, students)
    add_lessons(journal.world, lessons, first=datetime.date(2026, 11, 9))
    client = client_for("teacher_7a_math")
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200 and "teacher-day" in response.content.decode()
