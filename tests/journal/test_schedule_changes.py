"""One-off lesson changes and the substitutions pages."""

import datetime

import pytest

from otmetka.audit.models import Event
from otmetka.curriculum.models import Course
from otmetka.journal.models import Lesson, Substitution
from otmetka.journal.schedule import lessons_generate
from tests.curriculum.helpers import bells, mark, slot
from tests.world import World

NOV_1, NOV_30 = datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)
MONDAY_23 = datetime.date(2026, 11, 23)


@pytest.fixture
def lessons(world: World) -> dict:
    b = bells(world.school)
    slot(world.course_7a_math, 0, b[1], room="12")
    slot(world.course_7b_russian, 0, b[2], room="7")
    lessons_generate(actor=world.user("deputy"), school=world.school, start=NOV_1, end=NOV_30)
    return {"bells": b, "math": Lesson.objects.get(course=world.course_7a_math, date=MONDAY_23)}


def _counts() -> tuple[int, int, int]:
    return Lesson.objects.count(), Substitution.objects.count(), Event.objects.count()


def test_move_keeps_data_and_leaves_a_cancelled_stub(
    world: World, client_for: object, lessons: dict
) -> None:
    lesson = lessons["math"]
    mark(lesson, world.pupil_7a, world.user("teacher_7a_math"))
    response = client_for("deputy").post(
        f"/journal/lessons/{lesson.pk}/",
        {"action": "move", "date": "2026-11-24", "bell": lessons["bells"][3].pk, "room": "14"},
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.date, lesson.bell_number, lesson.room, lesson.is_extra) == (
        datetime.date(2026, 11, 24),
        3,
        "14",
        True,
    )
    assert lesson.marks.count() == 1
    stub = Lesson.objects.get(course=world.course_7a_math, date=MONDAY_23)
    assert stub.status == Lesson.Status.CANCELLED
    # Regeneration neither brings the Monday lesson back nor removes the moved one.
    result = lessons_generate(
        actor=world.user("deputy"), school=world.school, start=NOV_1, end=NOV_30
    )
    assert (result.created, result.removed) == (0, 0)


@pytest.mark.parametrize(
    ("date", "bell", "message"),
    [
        ("2026-11-28", 3, "28.11.2026 — не учебный день для 7А."),
        ("2026-11-30", 2, "Кабинет 12 уже занят"),
    ],
)
def test_move_refusals(
    world: World, client_for: object, lessons: dict, date: str, bell: int, message: str
) -> None:
    lesson = lessons["math"]
    if bell == 2:
        # Russian in 7Б meets in room 12 on Monday, lesson 2 for this check.
        Lesson.objects.filter(course=world.course_7b_russian).update(room="12")
    before = _counts()
    response = client_for("deputy").post(
        f"/journal/lessons/{lesson.pk}/",
        {"action": "move", "date": date, "bell": lessons["bells"][bell].pk, "room": "12"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _counts() == before


def test_teacher_conflict_on_extra_lesson(world: World, client_for: object, lessons: dict) -> None:
    world.course_7b_russian.teachers.add(world.user("teacher_7a_math"))
    before = _counts()
    response = client_for("deputy").post(
        "/journal/lessons/extra/",
        {"course": world.course_7a_math.pk, "date": "2026-11-23", "bell": lessons["bells"][2].pk},
    )
    assert "Учитель Числов М. А. уже ведёт урок в 7Б 23.11.2026, 2-й урок." in (
        response.content.decode()
    )
    assert _counts() == before


def test_extra_lesson_and_cancel(world: World, client_for: object, lessons: dict) -> None:
    client = client_for("deputy")
    response = client.post(
        "/journal/lessons/extra/",
        {"course": world.course_7a_math.pk, "date": "2026-11-25", "bell": lessons["bells"][5].pk},
    )
    assert response.status_code == 302
    extra = Lesson.objects.get(is_extra=True)
    assert (extra.date, extra.bell_number) == (datetime.date(2026, 11, 25), 5)
    before = _counts()
    response = client.post(f"/journal/lessons/{extra.pk}/", {"action": "cancel", "reason": ""})
    assert "Укажите причину." in response.content.decode()
    assert _counts() == before
    client.post(f"/journal/lessons/{extra.pk}/", {"action": "cancel", "reason": "Экскурсия"})
    extra.refresh_from_db()
    assert extra.status == Lesson.Status.CANCELLED
    assert Event.objects.get(action="lesson_cancel").reason == "Экскурсия"


def test_lesson_pages_access(world: World, client_for: object, lessons: dict) -> None:
    url = f"/journal/lessons/{lessons['math'].pk}/"
    assert client_for("teacher_7a_math").get(url).status_code == 403
    assert client_for("student_7a").get(url).status_code == 404
    assert client_for("teacher_other_school").get(url).status_code == 404


def test_substitution_assign_and_month_list(
    world: World, client_for: object, lessons: dict
) -> None:
    client = client_for("deputy")
    teacher = world.user("teacher_7a_math")
    query = f"?teacher={teacher.pk}&start=2026-11-23&end=2026-11-27"
    page = client.get(f"/journal/substitutions/{query}")
    assert page.status_code == 200 and "23.11.2026" in page.content.decode()
    before = _counts()
    refused = client.post(
        f"/journal/substitutions/{query}",
        {"lesson": lessons["math"].pk, "substitute": world.user("teacher_7b").pk, "reason": ""},
    )
    assert refused.status_code == 200
    assert "Укажите причину замещения." in refused.content.decode()
    assert _counts() == before
    done = client.post(
        f"/journal/substitutions/{query}",
        {
            "lesson": lessons["math"].pk,
            "substitute": world.user("teacher_7b").pk,
            "reason": "Болезнь",
        },
    )
    assert done.status_code == 302
    sub = Substitution.objects.get()
    assert (sub.lesson, sub.substitute, sub.absent_teacher) == (
        lessons["math"],
        world.user("teacher_7b"),
        teacher,
    )
    month = client.get("/journal/substitutions/month/?month=2026-11").content.decode()
    assert "Буквина Мария Сергеевна" in month and "Болезнь" in month
    empty = client.get("/journal/substitutions/month/?month=2026-10").content.decode()
    assert "Болезнь" not in empty


def test_substitutions_access(world: World, client_for: object) -> None:
    assert client_for("admin").get("/journal/substitutions/").status_code == 403
    assert client_for("teacher_7a_math").get("/journal/substitutions/").status_code == 404


def test_substitution_pages_queries_do_not_grow(
    world: World, client_for: object, lessons: dict
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("deputy")
    teacher = world.user("teacher_7a_math")
    url = f"/journal/substitutions/?teacher={teacher.pk}&start=2026-11-01&end=2026-11-10"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    url = f"/journal/substitutions/?teacher={teacher.pk}&start=2026-11-01&end=2026-11-30"
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert Lesson.objects.filter(course__teachers=teacher).count() >= 4
    assert len(big) == len(small)
    assert Course.objects.count() == 3
