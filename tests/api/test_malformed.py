"""Malformed input to the journal API is a 4xx with a Russian message and writes nothing, the
same on SQLite and PostgreSQL (issue 8: 18 answers of 500 from six causes)."""

import json
from collections.abc import Callable

import pytest
from django.test import Client

from otmetka.audit.models import Event
from otmetka.journal.models import Absence, Lesson, Mark
from tests.journal.helpers import TODAY, code, kind, lesson_on
from tests.world import World

Clients = Callable[[str | None], Client]


def _state() -> tuple:
    lessons = tuple(Lesson.objects.order_by("pk").values_list("topic", "homework"))
    return Mark.objects.count(), Absence.objects.count(), Event.objects.count(), lessons


def _send(client: Client, method: str, url: str, body: str) -> object:
    return getattr(client, method)(url, body, content_type="application/json")


def _refused(response: object) -> str:
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert any("а" <= ch <= "я" for ch in detail.lower()), detail
    return detail


@pytest.mark.parametrize("absence", ['"н"', '["н"]', "5", "true", '{"code": ["н"]}'])
def test_absence_of_a_wrong_type_is_refused(
    world: World, client_for: Clients, absence: str
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    code(world, "н")
    before = _state()
    body = f'{{"changes": [{{"student": {world.pupil_7a.pk}, "absence": {absence}}}]}}'
    url = f"/api/v1/lessons/{lesson.pk}/cells"
    _refused(_send(client_for("teacher_7a_math"), "post", url, body))
    assert _state() == before


@pytest.mark.parametrize(
    "second",
    [
        {"absence": {"code": "н"}},
        {"absence": None},
        {"marks": [{"value": "4", "kind": 0}]},
    ],
)
def test_the_same_students_absence_twice_in_one_batch_is_refused(
    world: World, client_for: Clients, second: dict
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    code(world, "н")
    second = {**second}
    if "marks" in second:
        second["marks"] = [{"value": "4", "kind": kind(world).pk}]
    pk = world.pupil_7a.pk
    changes = [{"student": pk, "absence": {"code": "н"}}, {"student": pk, **second}]
    url = f"/api/v1/lessons/{lesson.pk}/cells"
    client = client_for("teacher_7a_math")
    if "marks" in second:  # a mark in one change, the absence in another: both are saved
        assert _send(client, "post", url, json.dumps({"changes": changes})).json()["ok"]
        assert Mark.objects.count() == Absence.objects.count() == 1
        return
    before = _state()
    response = _send(client, "post", url, json.dumps({"changes": changes}))
    assert response.status_code == 400
    assert response.json()["errors"] == {
        str(pk): "Отметка об отсутствии обучающегося указана в пакете дважды."
    }
    assert _state() == before


def test_the_same_mark_changed_twice_in_one_batch_is_refused(
    world: World, client_for: Clients
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    k = kind(world).pk
    pk = world.pupil_7a.pk
    client = client_for("teacher_7a_math")
    url = f"/api/v1/lessons/{lesson.pk}/cells"
    first = {"changes": [{"student": pk, "marks": [{"value": "5", "kind": k}]}]}
    _send(client, "post", url, json.dumps(first))
    mark = Mark.objects.get()
    changes = [
        {"student": pk, "marks": [{"id": mark.pk, "value": "4", "kind": k}]},
        {"student": pk, "delete_marks": [mark.pk]},
    ]
    before = _state()
    response = _send(client, "post", url, json.dumps({"changes": changes}))
    assert response.status_code == 400
    assert response.json()["errors"] == {str(pk): "Отметка указана в пакете дважды."}
    assert _state() == before


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("topic", "Дроби\ud800"),
        ("homework", "\udfff§3"),
        ("topic", "Дроби\x00"),
        ("homework", "§3\x00"),
        ("reason", "\x00"),
    ],
)
def test_nul_and_lone_surrogates_in_lesson_texts_are_refused(
    world: World, client_for: Clients, field: str, text: str
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    before = _state()
    body = json.dumps({field: text, "topic": "Дроби"} if field == "reason" else {field: text})
    response = _send(client_for("teacher_7a_math"), "patch", f"/api/v1/lessons/{lesson.pk}", body)
    detail = _refused(response)
    assert detail.startswith("Текст содержит недопустимый символ"), detail
    assert _state() == before


@pytest.mark.parametrize("text", ["хорошо\x00", "\ud83d", "ok\udc00ok"])
def test_nul_and_lone_surrogates_in_a_mark_comment_are_refused(
    world: World, client_for: Clients, text: str
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    k = kind(world).pk
    before = _state()
    change = {"student": world.pupil_7a.pk, "marks": [{"value": "5", "kind": k, "comment": text}]}
    body = json.dumps({"changes": [change]})
    url = f"/api/v1/lessons/{lesson.pk}/cells"
    detail = _refused(_send(client_for("teacher_7a_math"), "post", url, body))
    assert detail.startswith("Текст содержит недопустимый символ"), detail
    assert _state() == before


@pytest.mark.parametrize("number", [2**63, 2**63 - 1 + 2**64, 10**30, -(2**63) - 1, -1, 0])
def test_ids_out_of_the_64_bit_range_are_refused(
    world: World, client_for: Clients, number: int
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    kind(world)
    client = client_for("teacher_7a_math")
    url = f"/api/v1/lessons/{lesson.pk}/cells"
    before = _state()
    bodies = [
        {"changes": [{"student": number}]},
        {"changes": [{"student": world.pupil_7a.pk, "delete_marks": [number]}]},
        {"changes": [{"student": world.pupil_7a.pk, "marks": [{"value": "5", "kind": number}]}]},
        {"changes": [{"student": world.pupil_7a.pk, "marks": [{"id": number, "value": "5"}]}]},
    ]
    for body in bodies:
        response = _send(client, "post", url, json.dumps(body))
        assert response.status_code == 400, (body, response.content)
    patch = json.dumps({"planned_topic": number})
    if number:  # 0 clears the planned topic
        assert _send(client, "patch", f"/api/v1/lessons/{lesson.pk}", patch).status_code == 400
    for path in (f"/api/v1/lessons/{number}", f"/api/v1/journal/{number}"):
        assert client.get(path).status_code in (400, 404, 405), path
    assert _send(client, "patch", f"/api/v1/lessons/{number}", "{}").status_code in (400, 404)
    history = f"/api/v1/lessons/{lesson.pk}/history"
    assert client.get(history, {"student": number}).status_code in (400, 404)
    assert _state() == before


@pytest.mark.parametrize("length", [501, 100_000])
def test_an_overlong_change_reason_is_refused(
    world: World, client_for: Clients, length: int
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    k = kind(world).pk
    client = client_for("teacher_7a_math")
    before = _state()
    change = {"student": world.pupil_7a.pk, "marks": [{"value": "5", "kind": k}]}
    url = f"/api/v1/lessons/{lesson.pk}/cells"
    body = json.dumps({"changes": [change], "reason": "п" * length})
    assert _refused(_send(client, "post", url, body)) == "Причина изменения длиннее 500 символов."
    body = json.dumps({"topic": "Дроби", "reason": "п" * length})
    response = _send(client, "patch", f"/api/v1/lessons/{lesson.pk}", body)
    assert _refused(response) == "Причина изменения длиннее 500 символов."
    assert _state() == before


def test_an_overlong_comment_is_refused_before_the_database(
    world: World, client_for: Clients
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    k = kind(world).pk
    before = _state()
    mark = {"value": "5", "kind": k, "comment": "к" * 301}
    change = {"student": world.pupil_7a.pk, "marks": [mark]}
    url = f"/api/v1/lessons/{lesson.pk}/cells"
    body = json.dumps({"changes": [change]})
    detail = _refused(_send(client_for("teacher_7a_math"), "post", url, body))
    assert detail == "Комментарий длиннее 300 символов."
    assert _state() == before


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe", b'{"changes": [}', b"[]", b"null", b""])
def test_a_body_that_is_not_a_json_object_is_refused(
    world: World, client_for: Clients, body: bytes
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    before = _state()
    url = f"/api/v1/lessons/{lesson.pk}/cells"
    response = client_for("teacher_7a_math").post(url, body, content_type="application/json")
    _refused(response)
    assert _state() == before


def test_anonymous_and_csrf_refusals_are_in_russian(world: World) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    url = f"/api/v1/lessons/{lesson.pk}/cells"
    response = Client().post(url, "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Войдите, чтобы работать с API."}
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("teacher_7a_math"))
    response = client.post(url, '{"changes": []}', content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Проверка CSRF не пройдена")
