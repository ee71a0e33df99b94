"""A client that retries a save after a lost answer sends the same Idempotency-Key: it gets the
first answer and nothing is written twice; the same key for another request is refused."""

import datetime
import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from otmetka.api.models import IdempotentRequest
from otmetka.api.services import idempotency_prune
from otmetka.audit.models import Event
from otmetka.journal.models import HomeworkFile, Lesson, Mark
from tests.journal.helpers import TODAY, kind, lesson_on
from tests.world import World

Clients = Callable[[str | None], Client]
KEY = "6f1c2a8e-3b7d-4c55-9a1e-0d2f6b8c4e11"


def _post(client: Client, lesson: Lesson, body: dict, key: str | None = None) -> object:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(
        f"/api/v1/lessons/{lesson.pk}/cells",
        json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def _mark(world: World, value: str = "5") -> dict:
    change = {"student": world.pupil_7a.pk, "marks": [{"value": value, "kind": kind(world).pk}]}
    return {"changes": [change]}


def test_a_repeated_save_with_the_key_gets_the_first_answer_and_writes_once(
    world: World, client_for: Clients
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    first = _post(client, lesson, _mark(world), KEY)
    events = Event.objects.count()
    second = _post(client, lesson, _mark(world), KEY)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and first.json()["ok"]
    assert Mark.objects.count() == 1 and Event.objects.count() == events
    assert IdempotentRequest.objects.get().target == f"POST /api/v1/lessons/{lesson.pk}/cells"


def test_without_the_key_a_repeat_is_a_second_mark(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    assert _post(client, lesson, _mark(world)).json()["ok"]
    assert _post(client, lesson, _mark(world)).json()["ok"]
    assert Mark.objects.count() == 2 and IdempotentRequest.objects.count() == 0


def test_the_same_key_for_another_request_is_refused(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    _post(client, lesson, _mark(world, "5"), KEY)
    before = Mark.objects.count(), Event.objects.count()
    response = _post(client, lesson, _mark(world, "4"), KEY)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Этот ключ Idempotency-Key уже использован для другого запроса: "
        "создайте новый ключ."
    }
    assert (Mark.objects.count(), Event.objects.count()) == before
    assert Mark.objects.get().value == "5"


def test_keys_are_per_user(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    assert _post(client_for("teacher_7a_math"), lesson, _mark(world), KEY).json()["ok"]
    assert _post(client_for("deputy"), lesson, _mark(world), KEY).json()["ok"]
    assert Mark.objects.count() == 2


def test_a_refused_save_stores_no_answer_and_can_be_retried(
    world: World, client_for: Clients
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    response = _post(client, lesson, _mark(world, "4.5"), KEY)
    assert response.status_code == 400 and IdempotentRequest.objects.count() == 0
    assert Mark.objects.count() == 0


@pytest.mark.parametrize("key", ["", "ключ", "a" * 101, "a b"])
def test_a_malformed_key_is_refused(world: World, client_for: Clients, key: str) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    response = _post(client_for("teacher_7a_math"), lesson, _mark(world), key)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Заголовок Idempotency-Key")
    assert Mark.objects.count() == 0


def test_patch_and_files_repeat_the_first_answer(
    world: World, client_for: Clients, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    url = f"/api/v1/lessons/{lesson.pk}"
    body = json.dumps({"topic": "Дроби", "all_present": True})
    answers = [
        client.patch(url, body, content_type="application/json", headers={"Idempotency-Key": k})
        for k in ("p1", "p1")
    ]
    assert answers[0].json() == answers[1].json() and answers[0].json()["topic"] == "Дроби"
    assert Event.objects.filter(action__in=("lesson_update", "attendance_taken")).count() == 2
    for _ in range(2):
        upload = SimpleUploadedFile("дз.pdf", b"%PDF-1.4 homework")
        response = client.post(f"{url}/files", {"file": upload}, headers={"Idempotency-Key": "f1"})
        assert response.status_code == 200
    assert HomeworkFile.objects.count() == 1
    other = SimpleUploadedFile("дз.pdf", b"%PDF-1.4 other homework")
    response = client.post(f"{url}/files", {"file": other}, headers={"Idempotency-Key": "f1"})
    assert response.status_code == 422 and HomeworkFile.objects.count() == 1


def test_answers_older_than_a_day_are_pruned(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    _post(client, lesson, _mark(world), "old")
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    _post(client, lesson, _mark(world), "new")
    assert idempotency_prune() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("idempotency_prune")
    assert IdempotentRequest.objects.count() == 0


def test_the_key_costs_three_queries_and_nothing_without_it(
    world: World, client_for: Clients
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.journal.helpers import lessons_make

    first, second, third = lessons_make(world.course_7a_math, 3)
    client = client_for("teacher_7a_math")
    _post(client, first, _mark(world))  # warm the session and the caches
    counts = []
    for lesson, key in ((second, None), (third, KEY)):
        with CaptureQueriesContext(connection) as queries:
            assert _post(client, lesson, _mark(world), key).json()["ok"]
        counts.append(len(queries))
    # The lookup and the stored answer, and the lesson's access check read before any replay
    # (without a key it rides on the save's one read: journal/cellread.py).
    assert counts[1] == counts[0] + 3
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, third, _mark(world), KEY).json()["ok"]
    assert len(queries) < counts[0]  # the replay reads the lesson and the answer, writes nothing


def test_two_requests_with_one_key_at_once_write_once(world: World) -> None:
    """Both looked the key up before either stored its answer: the second's write fails on the
    unique key and is rolled back whole (the API answers it 409: retry later)."""
    from django.db import IntegrityError
    from django.test import RequestFactory

    from otmetka.api.services import Once
    from otmetka.journal import services
    from otmetka.journal.changes import CellChange, MarkChange

    lesson = lesson_on(world.course_7a_math, TODAY)
    body = _mark(world)
    requests = []
    for _ in range(2):
        request = RequestFactory().post(
            f"/api/v1/lessons/{lesson.pk}/cells",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": KEY},
        )
        request.user = world.user("teacher_7a_math")
        requests.append(Once(request))
    assert [once.replay() for once in requests] == [None, None]
    mark = MarkChange(value="5", kind=kind(world).pk)
    change = CellChange(student=world.pupil_7a.pk, marks=(mark,))
    saves = [
        lambda once=once: services.cells_save(
            actor=world.user("teacher_7a_math"),
            lesson=lesson,
            changes=[change],
            on_saved=once.recorder(lambda saved: {"ok": True, "cells": saved.cells}),
        )
        for once in requests
    ]
    saves[0]()
    events = Event.objects.count()
    with pytest.raises(IntegrityError, match="api_idempotent"):
        saves[1]()
    assert Mark.objects.count() == 1 and Event.objects.count() == events
    assert IdempotentRequest.objects.count() == 1


def test_an_offline_queue_sent_twice_writes_one_set_of_marks_and_events(
    world: World, client_for: Clients
) -> None:
    """The journal's offline queue (issue 18) is sent again when the answers were lost: every
    entry carries its own key, so the second sending writes nothing and answers as the first."""
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    queue = [
        ("k-1", _mark(world, "5")),
        (
            "k-2",
            {"changes": [{"student": world.pupil_7a.pk, "absence": {"code": "оп", "minutes": 7}}]},
        ),
        ("k-3", _mark(world, "4")),
    ]
    topic = ("k-4", {"topic": "Дроби без связи", "homework": "№ 12"})
    events = Event.objects.count()
    first = [_post(client, lesson, body, f"{KEY[:-3]}{key[-1]}00").json() for key, body in queue]
    first.append(_patch(client, lesson, topic[1], f"{KEY[:-3]}{topic[0][-1]}00").json())
    written = Event.objects.count() - events
    assert written >= 4 and sorted(Mark.objects.values_list("value", flat=True)) == ["4", "5"]
    again = [_post(client, lesson, body, f"{KEY[:-3]}{key[-1]}00").json() for key, body in queue]
    again.append(_patch(client, lesson, topic[1], f"{KEY[:-3]}{topic[0][-1]}00").json())
    assert again == first
    assert sorted(Mark.objects.values_list("value", flat=True)) == ["4", "5"]
    assert Event.objects.count() - events == written
    assert Lesson.objects.get(pk=lesson.pk).topic == "Дроби без связи"


def _patch(client: Client, lesson: Lesson, body: dict, key: str) -> object:
    return client.patch(
        f"/api/v1/lessons/{lesson.pk}",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
