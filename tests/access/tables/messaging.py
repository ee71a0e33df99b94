# ruff: noqa: E501 — the status grid is read as a table, whatever its width.
"""Messaging routes (/messages/…) of the endpoint table: a thread of the 7А maths teacher with
the 7А parent (with a PDF), an announcement of the 7А homeroom teacher to the class, a reported
thread, a thread of School №2."""

from typing import Any

from tests.access.endpoints import Route, no_data, object_route, route
from tests.world import World


def _thread(w: World, *, reported: bool = False) -> Any:
    from otmetka.messaging.services import thread_report, thread_start
    from tests.messaging.helpers import pdf

    thread = thread_start(
        actor=w.user("teacher_7a_math"), school=w.school, subject="Контрольная",
        body="Принесите линейку.", user_ids=[w.user("guardian_7a").pk], files=[pdf()],
    )  # fmt: skip
    if reported:
        thread_report(
            actor=w.user("guardian_7a"), school=w.school, thread_id=thread.pk, reason="Грубо"
        )
    return thread


def _attachment(w: World, *, reported: bool = False) -> Any:
    return _thread(w, reported=reported).messages.get().attachments.get()


def _announcement(w: World) -> Any:
    from otmetka.messaging.services import thread_start

    return thread_start(
        actor=w.user("homeroom_7a"), school=w.school, subject="Собрание", body="В четверг.",
        groups=[f"class:{w.class_7a.pk}"], announcement=True, needs_ack=True,
    )  # fmt: skip


def _other_school_thread(w: World) -> Any:
    from otmetka.accounts.models import User
    from otmetka.messaging.services import thread_start
    from otmetka.people.models import Guardian

    parent = User.objects.create(username="other_parent", last_name="Сидорова")
    Guardian.objects.create(school=w.other_school, student=w.other_pupil, user=parent)
    return thread_start(
        actor=w.user("teacher_other_school"), school=w.other_school, subject="Чужая",
        body="Текст", user_ids=[parent.pk],
    )  # fmt: skip


def _token(w: World) -> str:
    from otmetka.messaging.services import unsubscribe_token

    return unsubscribe_token(w.user("guardian_7a").pk)


def _send(w: World) -> dict:
    return {"to": [w.user("guardian_7a").pk], "subject": "Оценки", "body": "Всё хорошо."}


ROUTES: dict[str, Route] = {
    "messages: inbox": route("get", "/messages/"),
    "messages: sent": route("get", "/messages/sent/"),
    "messages: search the inbox": route("get", "/messages/?q=линейку&person=Числов"),
    "messages: new message page": route("get", "/messages/new/"),
    "messages: send to the 7А parent": route("post", "/messages/new/", _send),
    "messages: a thread of 7А maths": object_route("get", "/messages/{pk}/", _thread),
    "messages: reply in the thread": object_route(
        "post", "/messages/{pk}/reply/", _thread, lambda w: {"body": "Хорошо."}
    ),
    "messages: receipts of the thread": object_route("get", "/messages/{pk}/receipts/", _thread),
    "messages: acknowledge the announcement": object_route(
        "post", "/messages/{pk}/acknowledge/", _announcement
    ),
    "messages: delete the thread from my list": object_route(
        "post", "/messages/{pk}/delete/", _thread
    ),
    "messages: report the thread": object_route(
        "post", "/messages/{pk}/report/", _thread, lambda w: {"reason": "Грубо"}
    ),
    "messages: a reported thread": object_route(
        "get", "/messages/{pk}/", lambda w: _thread(w, reported=True)
    ),
    "messages: a thread of the other school": object_route(
        "get", "/messages/{pk}/", _other_school_thread
    ),
    "messages: reported threads": route("get", "/messages/reported/"),
    "messages: download an attachment": object_route("get", "/messages/files/{pk}/", _attachment),
    "messages: download an attachment of a reported thread": object_route(
        "get", "/messages/files/{pk}/", lambda w: _attachment(w, reported=True)
    ),
    "messages: download an attachment that does not exist": route(
        "get", "/messages/files/99999999/"
    ),
    "messages: e-mail settings": route("get", "/messages/settings/"),
    "messages: save e-mail settings": route(
        "post", "/messages/settings/", lambda w: {"new_messages": "on"}
    ),
    "messages: unsubscribe page": Route(
        "get", lambda w: f"/messages/unsubscribe/{_token(w)}/", no_data
    ),
    "messages: unsubscribe": Route(
        "post", lambda w: f"/messages/unsubscribe/{_token(w)}/", no_data
    ),
    "messages: unsubscribe with a forged token": route(
        "post", "/messages/unsubscribe/forged:token/"
    ),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
messages: inbox                                       302  200   200    200 200  200   200 200 200 200  200 200 200 200    404    404
messages: sent                                        302  200   200    200 200  200   200 200 200 200  200 200 200 200    404    404
messages: search the inbox                            302  200   200    200 200  200   200 200 200 200  200 200 200 200    404    404
messages: new message page                            302  200   200    200 200  200   200 200 200 200  200 200 200 200    404    404
messages: send to the 7А parent                       302  302   302    302 302  302   302 302 302 302  400 400 400 400    404    404
messages: a thread of 7А maths                        302  404   404    404 404  404   404 200 404 404  404 404 200 404    404    404
messages: reply in the thread                         302  404   404    404 404  404   404 302 404 404  404 404 302 404    404    404
messages: receipts of the thread                      302  404   404    404 404  404   404 200 404 404  404 404 404 404    404    404
messages: acknowledge the announcement                302  404   404    404 404  404   404 404 404 302  302 404 302 404    404    404
messages: delete the thread from my list              302  404   404    404 404  404   404 302 404 404  404 404 302 404    404    404
messages: report the thread                           302  404   404    404 404  404   404 302 404 404  404 404 302 404    404    404
messages: a reported thread                           302  404   404    200 404  404   404 200 404 404  404 404 200 404    404    404
messages: a thread of the other school                302  404   404    404 404  404   404 404 404 404  404 404 404 200    404    404
messages: reported threads                            302  404   404    200 404  404   404 404 404 404  404 404 404 404    404    404
messages: download an attachment                      302  404   404    404 404  404   404 200 404 404  404 404 200 404    404    404
messages: download an attachment of a reported thread 302  404   404    200 404  404   404 200 404 404  404 404 200 404    404    404
messages: download an attachment that does not exist  302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
messages: e-mail settings                             302  200   200    200 200  200   200 200 200 200  200 200 200 200    404    404
messages: save e-mail settings                        302  302   302    302 302  302   302 302 302 302  302 302 302 302    404    404
messages: unsubscribe page                            200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
messages: unsubscribe                                 200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
messages: unsubscribe with a forged token             404  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
"""
