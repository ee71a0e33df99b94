"""The pages over HTTP: the header's unread count, sending with a file and downloading it,
a Russian refusal, and query counts constant in the number of messages and recipients."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otmetka.messaging import selectors, services
from otmetka.messaging.models import Message, Thread
from tests.messaging.helpers import PDF, families, pdf, send
from tests.world import World

pytestmark = pytest.mark.django_db
Clients = Callable[[str | None], Client]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_header_shows_the_unread_count(world: World, client_for: Clients) -> None:
    parent = client_for("guardian_7a")
    assert "data-unread" not in parent.get("/").content.decode()
    send(world, "teacher_7a_math", ["guardian_7a"])
    send(world, "homeroom_7a", ["guardian_7a"])
    page = parent.get("/").content.decode()
    assert '<span class="badge" data-unread>2</span>' in page
    assert "Сообщения" in page


def test_a_teacher_sends_a_file_and_the_parent_downloads_it(
    world: World, client_for: Clients
) -> None:
    teacher = client_for("teacher_7a_math")
    response = teacher.post(
        "/messages/new/",
        {"to": [world.user("guardian_7a").pk], "subject": "Задание", "body": "Смотрите файл",
         "files": [pdf()]},
    )  # fmt: skip
    assert response.status_code == 302
    thread = Thread.objects.get()
    page = client_for("guardian_7a").get(f"/messages/{thread.pk}/").content.decode()
    assert "задание.pdf" in page
    file_id = thread.messages.get().attachments.get().pk
    got = client_for("guardian_7a").get(f"/messages/files/{file_id}/")
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    assert got["Content-Type"] == "application/pdf"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in got["Content-Disposition"]
    assert client_for("guardian_7a").get("/").content.decode().count("data-unread") == 0


def test_a_refused_message_shows_the_russian_reason_and_writes_nothing(
    world: World, client_for: Clients
) -> None:
    response = client_for("teacher_7a_math").post(
        "/messages/new/", {"groups": [f"parents:{world.class_7b.pk}"], "subject": "Т", "body": "Б"}
    )
    assert response.status_code == 400
    assert "Выберите хотя бы одного получателя" in response.content.decode()
    assert Message.objects.count() == 0


def test_the_parent_replies_and_the_teacher_sees_the_reply_and_the_receipt(
    world: World, client_for: Clients
) -> None:
    thread = send(world, "teacher_7a_math", ["guardian_7a"])
    parent = client_for("guardian_7a")
    parent.get(f"/messages/{thread.pk}/")
    assert parent.post(f"/messages/{thread.pk}/reply/", {"body": "Спасибо!"}).status_code == 302
    teacher = client_for("teacher_7a_math")
    assert "Спасибо!" in teacher.get(f"/messages/{thread.pk}/").content.decode()
    receipts = teacher.get(f"/messages/{thread.pk}/receipts/").content.decode()
    assert "Прочитали: 1 из 1" in receipts


@pytest.mark.parametrize("page", ["inbox", "sent"])
def test_folder_queries_do_not_grow_with_the_messages(
    world: World, client_for: Clients, page: str, settings: Any
) -> None:
    settings.OTMETKA_MESSAGES_PER_HOUR = 1000
    url = "/messages/" if page == "inbox" else "/messages/sent/"
    viewer = "guardian_7a" if page == "inbox" else "teacher_7a_math"
    client = client_for(viewer)
    for _ in range(2):
        send(world, "teacher_7a_math", ["guardian_7a"])
    small = _queries(client, url)
    for _ in range(28):
        send(world, "teacher_7a_math", ["guardian_7a"])
    assert _queries(client, url) == small
    assert _queries(client, url + "?q=собрание&person=Числов") == small
    assert small <= 9  # a guardian's menu asks once whether they have a diary to read


def test_receipts_queries_do_not_grow_with_the_recipients(
    world: World, client_for: Clients, django_assert_num_queries: Any
) -> None:
    families(world, 30)
    teacher = client_for("homeroom_7a")
    few = send(world, "homeroom_7a", ["guardian_7a", "student_7a"], announcement=True)
    many = send(world, "homeroom_7a", [], groups=[f"parents:{world.class_7a.pk}"],
                announcement=True, needs_ack=True)  # fmt: skip
    assert many.participants.count() == 32
    small = _queries(teacher, f"/messages/{few.pk}/receipts/")
    with django_assert_num_queries(small):
        page = teacher.get(f"/messages/{many.pk}/receipts/").content.decode()
    assert "Прочитали: 0 из 31" in page


def test_thread_queries_do_not_grow_with_replies_and_files(
    world: World, client_for: Clients, settings: Any
) -> None:
    settings.OTMETKA_MESSAGES_PER_HOUR = 1000
    thread = send(world, "teacher_7a_math", ["guardian_7a"], files=[pdf()])
    parent, teacher = world.user("guardian_7a"), world.user("teacher_7a_math")
    client = client_for("guardian_7a")
    client.get(f"/messages/{thread.pk}/")  # read once: the next visits write nothing
    small = _queries(client, f"/messages/{thread.pk}/")
    for n in range(15):
        who = parent if n % 2 else teacher
        services.thread_reply(
            actor=who, school=world.school, thread_id=thread.pk, body=f"Ответ {n}", files=[pdf()]
        )
    services.thread_read(
        actor=parent,
        participant=selectors.thread_view(
            user=parent, school=world.school, thread_id=thread.pk
        ).participant,
    )
    assert _queries(client, f"/messages/{thread.pk}/") == small


def test_the_unread_count_costs_one_query_a_page_even_when_shown_twice(
    world: World, client_for: Clients
) -> None:
    send(world, "teacher_7a_math", ["guardian_7a"])
    with CaptureQueriesContext(connection) as captured:
        page = client_for("guardian_7a").get("/messages/sent/").content.decode()
    assert "Входящие (1)" in page and "data-unread>1<" in page
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"] and "participant" in q["sql"]]
    assert len(counts) == 1


def test_the_author_answers_one_parent_privately_or_everyone(
    world: World, client_for: Clients
) -> None:
    parents = families(world, 2)
    thread = send(world, "teacher_7a_math", [], groups=[f"parents:{world.class_7a.pk}"])
    services.thread_reply(actor=parents[0], school=world.school, thread_id=thread.pk, body="Вопрос")
    teacher = client_for("teacher_7a_math")
    assert (
        f'name="to_user" value="{parents[0].pk}" checked'
        in teacher.get(f"/messages/{thread.pk}/").content.decode()
    )
    url = f"/messages/{thread.pk}/reply/"
    teacher.post(url, {"body": "Лично вам", "to_user": str(parents[0].pk)})
    teacher.post(url, {"body": "Всем", "to_user": ""})
    other = Client()
    other.force_login(parents[1])
    page = other.get(f"/messages/{thread.pk}/").content.decode()
    assert "Всем" in page and "Лично вам" not in page and "Вопрос" not in page
    first = Client()
    first.force_login(parents[0])
    assert "Лично вам" in first.get(f"/messages/{thread.pk}/").content.decode()


def test_the_inbox_shows_who_wrote_last_not_who_started(world: World, client_for: Clients) -> None:
    thread = send(world, "guardian_7a", ["teacher_7a_math"], subject="Вопрос о контрольной")
    inbox = client_for("guardian_7a").get("/messages/").content.decode()
    assert "Вопрос о контрольной" not in inbox  # nothing received yet
    services.thread_reply(
        actor=world.user("teacher_7a_math"), school=world.school, thread_id=thread.pk,
        body="Контрольная в пятницу.",
    )  # fmt: skip
    inbox = client_for("guardian_7a").get("/messages/").content.decode()
    row = inbox[inbox.index("Вопрос о контрольной") :]
    meta = row[row.index('class="msg-meta"') : row.index("</a>")]
    assert world.user("teacher_7a_math").short_name in meta  # the teacher answered last
    assert world.user("guardian_7a").short_name not in meta  # not the parent who started
    services.thread_reply(
        actor=world.user("guardian_7a"), school=world.school, thread_id=thread.pk, body="Спасибо!"
    )  # the parent's own reply is not "received": the row still names the teacher
    inbox = client_for("guardian_7a").get("/messages/").content.decode()
    assert world.user("teacher_7a_math").short_name in inbox[inbox.index("Вопрос о контрольной") :]
