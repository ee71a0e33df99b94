"""The homework's minutes (R38 load) set in the lesson panel through the API: 0..240 or empty,
a Russian 400 and nothing written otherwise, an audit event for every change."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from otmetka.audit.models import Event
from otmetka.journal.models import Lesson
from tests.journal.helpers import TODAY, lesson_on
from tests.world import World

Clients = Callable[[str | None], Client]
REFUSED = (
    "Укажите время на домашнее задание целым числом минут от 0 до 240 или оставьте поле пустым."
)


def _patch(client: Client, lesson: Lesson, data: dict) -> Any:
    return client.patch(
        f"/api/v1/lessons/{lesson.pk}", json.dumps(data), content_type="application/json"
    )


def test_the_teacher_sets_and_clears_the_minutes(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    answer = _patch(client, lesson, {"homework": "№ 5", "homework_minutes": 40})
    assert answer.status_code == 200
    assert answer.json()["homework_minutes"] == 40
    lesson.refresh_from_db()
    assert (lesson.homework, lesson.homework_minutes) == ("№ 5", 40)
    event = Event.objects.filter(action="lesson_update").latest("pk")
    assert event.after is not None and event.after["homework_minutes"] == 40
    # The grid shows them (the panel fills its field from the grid's lesson).
    grid = client.get(f"/api/v1/journal/{world.course_7a_math.pk}").json()
    assert [ls["homework_minutes"] for ls in grid["lessons"]] == [40]
    # Only the minutes: the homework stays; null clears them.
    assert _patch(client, lesson, {"homework_minutes": None}).status_code == 200
    lesson.refresh_from_db()
    assert (lesson.homework, lesson.homework_minutes) == ("№ 5", None)
    assert Event.objects.filter(action="lesson_update").count() == 2


@pytest.mark.parametrize(
    ("minutes", "detail"),
    [
        (-1, REFUSED),
        (241, REFUSED),
        (100000, REFUSED),
        (True, "Запрос составлен неверно: проверьте поле «homework_minutes»."),
        ("30", "Запрос составлен неверно: проверьте поле «homework_minutes»."),
    ],
)
def test_minutes_out_of_range_are_refused_in_russian(
    world: World, client_for: Clients, minutes: object, detail: str
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    events = Event.objects.count()
    answer = _patch(
        client_for("teacher_7a_math"), lesson, {"homework": "№ 5", "homework_minutes": minutes}
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == detail
    lesson.refresh_from_db()
    assert (lesson.homework, lesson.homework_minutes) == ("", None)  # nothing written
    assert Event.objects.count() == events


def test_the_edge_values_are_taken(world: World, client_for: Clients) -> None:
    client = client_for("teacher_7a_math")
    for minutes in (0, 240):
        lesson = lesson_on(world.course_7a_math, TODAY, topic=f"Урок {minutes}")
        assert _patch(client, lesson, {"homework_minutes": minutes}).status_code == 200
        lesson.refresh_from_db()
        assert lesson.homework_minutes == minutes


def test_another_teacher_may_not_set_them(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    answer = _patch(client_for("teacher_7b"), lesson, {"homework_minutes": 30})
    assert answer.status_code in (403, 404)
    lesson.refresh_from_db()
    assert lesson.homework_minutes is None
