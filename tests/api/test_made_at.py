"""`made_at`: the offline queue says when an entry was made on the device. The API keeps it
beside the server's time (the rows, the audit event) and refuses a time in the future (beyond
5 minutes of clock skew), older than OTMETKA_JOURNAL_OFFLINE_DAYS, not a date or without a time
zone — a Russian 400 and nothing written."""

import datetime
import json
from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from otmetka.api.models import IdempotentRequest
from otmetka.audit.models import Event
from otmetka.journal.models import Lesson, Mark
from tests.journal.helpers import TODAY, kind, lesson_on
from tests.world import World

Clients = Callable[[str | None], Client]
KEY = "0b5e8f7a-1c2d-4e3f-8a9b-7c6d5e4f3a2b"


def _cells(client: Client, lesson: Lesson, body: dict, key: str | None = None) -> object:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/lessons/{lesson.pk}/cells", json.dumps(body),
                       content_type="application/json", headers=headers)  # fmt: skip


def _patch(client: Client, lesson: Lesson, body: dict) -> object:
    return client.patch(f"/api/v1/lessons/{lesson.pk}", json.dumps(body),
                        content_type="application/json")  # fmt: skip


def _mark(world: World, made_at: object) -> dict:
    change = {"student": world.pupil_7a.pk, "marks": [{"value": "5", "kind": kind(world).pk}]}
    return {"changes": [change], "made_at": made_at}


def _iso(delta: datetime.timedelta) -> str:
    return (timezone.now() + delta).isoformat()


def _ago(minutes: int) -> datetime.datetime:
    return (timezone.now() - datetime.timedelta(minutes=minutes)).replace(microsecond=0)


@pytest.fixture
def math(world: World, client_for: Clients) -> tuple[Client, Lesson]:
    """The 7А maths teacher's client and today's lesson of the course."""
    return client_for("teacher_7a_math"), lesson_on(world.course_7a_math, TODAY)


BAD = [
    ("in the future", lambda: _iso(datetime.timedelta(minutes=10)), "в будущем"),
    ("older than the offline days", lambda: _iso(-datetime.timedelta(days=8)), "больше 7 дней"),
    ("not a date", lambda: "вчера на уроке", "не дата"),
    ("a date without a time", lambda: "2026-11-18", "часовой пояс"),
    ("no time zone", lambda: "2026-11-18T10:00:00", "часовой пояс"),
    ("NUL", lambda: "2026-11-18T10:00:00+03:00\x00", "не дата"),
    ("a number", lambda: 1763450000, "не дата"),
]


@pytest.mark.parametrize(("name", "value", "says"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_made_at_is_refused_and_nothing_is_written(
    world: World, client_for: Clients, name: str, value: Callable[[], object], says: str
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    events = Event.objects.count()
    made = value()
    for response in (
        _cells(client, lesson, _mark(world, made), KEY),
        _patch(client, lesson, {"topic": "Дроби", "made_at": made}),
    ):
        assert response.status_code == 400, response.content
        assert says in response.json()["detail"]
    lesson.refresh_from_db()
    assert Mark.objects.count() == 0 and lesson.topic == ""
    assert Event.objects.count() == events and IdempotentRequest.objects.count() == 0


@override_settings(JOURNAL_OFFLINE_DAYS=2)
def test_the_offline_days_are_the_installations(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    response = _cells(client_for("teacher_7a_math"), lesson,
                      _mark(world, _iso(-datetime.timedelta(days=3))))  # fmt: skip
    assert response.status_code == 400
    assert response.json()["detail"] == ("Запись сделана больше 2 дней назад: введите её заново.")


def test_made_at_is_kept_on_the_row_and_in_the_audit_event_once(
    world: World, math: tuple[Client, Lesson]
) -> None:
    client, lesson = math
    made = _ago(180)
    body = _mark(world, made.isoformat())
    first = _cells(client, lesson, body, KEY)
    events = Event.objects.count()
    second = _cells(client, lesson, body, KEY)  # the queue's repeat after a lost answer
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    mark = Mark.objects.get()
    assert mark.made_at == made and mark.created_at > made
    assert Event.objects.count() == events
    event = Event.objects.get(action="mark_add")
    assert datetime.datetime.fromisoformat(event.after["made_at"]) == made
    assert event.at > made  # when it reached the server, beside it


def test_a_topic_made_offline_keeps_its_time_and_an_online_one_none(
    math: tuple[Client, Lesson],
) -> None:
    client, lesson = math
    made = _ago(40)
    assert (
        _patch(client, lesson, {"topic": "Дроби", "made_at": made.isoformat()}).status_code == 200
    )
    assert _patch(client, lesson, {"homework": "№ 5"}).status_code == 200
    lesson.refresh_from_db()
    assert lesson.topic_made_at == made and lesson.topic_entered_at is not None
    assert lesson.homework_made_at is None and lesson.homework_entered_at is not None
    first, second = Event.objects.filter(action="lesson_update").order_by("id")
    assert datetime.datetime.fromisoformat(first.after["made_at"]) == made
    assert "made_at" not in second.after


def test_a_clock_a_little_ahead_is_taken_as_now(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    ahead = _iso(datetime.timedelta(minutes=3))
    response = _cells(client_for("teacher_7a_math"), lesson, _mark(world, ahead))
    assert response.status_code == 200
    mark = Mark.objects.get()
    assert mark.made_at is not None and mark.made_at <= mark.created_at
