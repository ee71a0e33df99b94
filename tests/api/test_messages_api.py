"""The messages API (/api/v1/messages/…) over real HTTP requests: folders with paging, a thread
with receipts for its author only, receivers, send and reply with Russian refusals, constant
queries, and arbitrary JSON thrown at send and reply (never a 5xx, nothing written when
refused)."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given

from otmetka.audit.models import Event
from otmetka.messaging.models import Message, Participant, Thread
from otmetka.messaging.services import thread_start
from tests.api.test_fuzz import FUZZ, HOSTILE_TEXT, JSON
from tests.messaging.helpers import families, send
from tests.world import World

pytestmark = pytest.mark.django_db
Clients = Callable[[str | None], Client]


def _post(client: Client, url: str, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data, content_type="application/json")


def test_the_inbox_pages_through_threads_newest_first(world: World, client_for: Clients) -> None:
    for i in range(7):
        send(world, "teacher_7a_math", ["guardian_7a"], subject=f"Тема {i}", body=f"Текст {i}")
    parent = client_for("guardian_7a")
    first = parent.get("/api/v1/messages/?folder=inbox&limit=5").json()
    assert (first["total"], first["count"], first["page"]) == (7, 5, 1)
    row = first["messages"][0]
    assert row["subject"] == "Тема 6" and row["short_text"] == "Текст 6" and row["unread"]
    assert row["user_from"]["lastname"] == "Числов"
    assert row["user_from"]["name"] == str(world.user("teacher_7a_math").pk)
    second = parent.get("/api/v1/messages/?folder=inbox&limit=5&page=2").json()
    assert [m["subject"] for m in second["messages"]] == ["Тема 1", "Тема 0"]
    found = parent.get("/api/v1/messages/?filter=Тема 3").json()
    assert [m["subject"] for m in found["messages"]] == ["Тема 3"]
    sent = client_for("teacher_7a_math").get("/api/v1/messages/?folder=sent&limit=1").json()
    assert [u["lastname"] for u in sent["messages"][0]["users_to"]] == ["Иванова"]


def test_a_bad_folder_or_page_is_a_russian_400(world: World, client_for: Clients) -> None:
    parent = client_for("guardian_7a")
    for query in ("folder=trash", "page=0", "limit=100000", "page=99999999999999999999"):
        response = parent.get(f"/api/v1/messages/?{query}")
        assert response.status_code == 400, query
        assert response.json()["detail"]


def test_the_folder_answers_in_constant_queries(world: World, client_for: Clients) -> None:
    teacher = client_for("teacher_7a_math")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert teacher.get("/api/v1/messages/?folder=sent").status_code == 200
        return len(captured)

    send(world, "teacher_7a_math", ["guardian_7a"])
    few = queries()
    parents = families(world, 5)
    everyone = [world.user("guardian_7a").pk, *(p.pk for p in parents)]
    for _ in range(5):
        thread_start(
            actor=world.user("teacher_7a_math"), school=world.school, subject="Всем",
            body="Текст", user_ids=everyone,
        )  # fmt: skip
    assert queries() == few


def test_the_author_sees_receipts_a_recipient_does_not(world: World, client_for: Clients) -> None:
    parents = families(world, 3)
    teacher = client_for("homeroom_7a")
    response = _post(
        teacher,
        "/api/v1/messages/",
        {
            "groups": [f"parents:{world.class_7a.pk}"],
            "subject": "Собрание",
            "text": "В четверг.",
            "announcement": True,
            "needs_ack": True,
        },
    )
    assert response.status_code == 200
    thread_id = response.json()["id"]
    reader = Client()
    reader.force_login(parents[0])
    seen = reader.get(f"/api/v1/messages/{thread_id}").json()
    assert seen["kind"] == "announcement" and seen["needs_ack"] and not seen["may_reply"]
    assert seen["text"] == "В четверг." and "receipts" not in seen
    assert [u["name"] for u in seen["user_to"]] == [str(parents[0].pk)]

    info = teacher.get(f"/api/v1/messages/{thread_id}").json()
    assert info["audience"] == "Родители 7А"
    assert (info["receipts"]["total"], info["receipts"]["read"]) == (4, 1)
    unread_first = info["receipts"]["people"][0]
    assert unread_first["read_at"] is None


def test_receivers_are_grouped_and_a_parent_gets_no_groups(
    world: World, client_for: Clients
) -> None:
    staff = client_for("homeroom_7a").get("/api/v1/messages/receivers").json()["groups"]
    assert staff[0]["key"] == "people" and staff[0]["name"] == "Люди"
    assert {"key": "teachers", "name": "Все учителя", "users": [], "whole": True} in staff
    parent = client_for("guardian_7a").get("/api/v1/messages/receivers").json()["groups"]
    assert [g["key"] for g in parent] == ["people"]
    names = {u["lastname"] for u in parent[0]["users"]}
    assert "Числов" in names and "Иванова" not in names  # never other parents, not themself


def test_send_and_reply_through_the_api(world: World, client_for: Clients) -> None:
    parent = world.user("guardian_7a")
    teacher = client_for("teacher_7a_math")
    made = _post(
        teacher,
        "/api/v1/messages/",
        {"users_to": [parent.pk], "subject": "Контрольная", "text": "Во вторник."},
    )
    assert made.status_code == 200
    thread_id = made.json()["id"]
    answer = _post(client_for("guardian_7a"), f"/api/v1/messages/{thread_id}/reply", {"text": "Да"})
    assert answer.status_code == 200
    info = teacher.get(f"/api/v1/messages/{thread_id}").json()
    assert [m["text"] for m in info["messages"]] == ["Во вторник.", "Да"]
    assert Event.objects.filter(action="message_send").count() == 2


def test_a_repeated_idempotency_key_sends_once(world: World, client_for: Clients) -> None:
    teacher = client_for("teacher_7a_math")
    body = json.dumps({"users_to": [world.user("guardian_7a").pk], "subject": "Т", "text": "Т"})
    answers = [
        teacher.post(
            "/api/v1/messages/",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": "send-1"},
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert Thread.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"users_to": [], "subject": "Тема", "text": "Текст"}, "Выберите хотя бы одного"),
        ({"users_to": ["x"], "subject": "Тема", "text": "Текст"}, ""),
        ({"groups": ["teachers"], "subject": "Тема", "text": "Текст"}, "только сотрудники"),
        ({"users_to": [1], "subject": "", "text": "Текст"}, "Заполните тему"),
        ({"users_to": [1], "subject": "Тема", "text": "a\x00b"}, ""),
        ({"users_to": [2**63], "subject": "Тема", "text": "Текст"}, ""),
    ],
)
def test_a_refused_send_is_a_russian_400_and_writes_nothing(
    world: World, client_for: Clients, body: dict, message: str
) -> None:
    response = _post(client_for("guardian_7a"), "/api/v1/messages/", body)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Thread.objects.exists()


def _state() -> tuple:
    return tuple(m.objects.count() for m in (Thread, Message, Participant, Event))


@pytest.mark.parametrize("endpoint", ["send", "reply"])
def test_arbitrary_json_never_fails_the_server_nor_writes_when_refused(
    world: World, client_for: Clients, endpoint: str
) -> None:
    client = client_for("guardian_7a")
    thread = send(world, "teacher_7a_math", ["guardian_7a"])
    url = "/api/v1/messages/" if endpoint == "send" else f"/api/v1/messages/{thread.pk}/reply"
    valid = {"users_to": [world.user("teacher_7a_math").pk], "subject": "Т", "text": "Т"}

    @FUZZ
    @given(body=JSON | JSON.map(lambda extra: {**valid, "subject": extra}), text=HOSTILE_TEXT)
    def run(body: Any, text: str) -> None:
        for data in (body, {**valid, "text": text}):
            before = _state()
            response = _post(client, url, data)
            assert response.status_code < 500, (data, response.content[:300])
            if response.status_code >= 400:
                assert _state() == before
                assert response.json()["detail"]

    run()


def test_the_inbox_names_who_wrote_last_in_v1_and_apiv3(world: World, client_for: Clients) -> None:
    from otmetka.messaging.services import thread_reply
    from tests.api.test_eljur import call
    from tests.api.test_etag import _token

    thread = send(world, "guardian_7a", ["teacher_7a_math"], subject="Вопрос о контрольной")
    teacher = world.user("teacher_7a_math")
    thread_reply(actor=teacher, school=world.school, thread_id=thread.pk, body="В пятницу.")
    inbox = client_for("guardian_7a").get("/api/v1/messages/?folder=inbox").json()["messages"]
    assert [m["user_from"]["lastname"] for m in inbox] == [teacher.last_name]
    sent = client_for("guardian_7a").get("/api/v1/messages/?folder=sent").json()["messages"]
    assert [m["user_from"]["lastname"] for m in sent] == ["Иванова"]  # the thread's author
    eljur = call("getmessages", _token("parent7a"), folder="inbox")["result"]["messages"]
    assert [m["user_from"]["lastname"] for m in eljur] == [teacher.last_name]
