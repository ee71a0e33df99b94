# ruff: noqa: E501 — the status grid is read as a table, whatever its width.
"""Messaging routes (/messages/…) of the endpoint table: a thread of the 7А maths teacher with
the 7А parent (with a PDF), an announcement of the 7А homeroom teacher to the class, a reported
thread, a thread of School №2."""

from typing import Any

from tests.access.endpoints import Route, no_data
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


def _file(w: World, *, reported: bool = False) -> str:
    thread = _thread(w, reported=reported)
    return f"/messages/files/{thread.messages.get().attachments.get().pk}/"


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

    parent, made = User.objects.get_or_create(username="other_parent", last_name="Сидорова")
    if made:
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


def _api_send(w: World) -> dict:
    return {"users_to": [w.user("guardian_7a").pk], "subject": "Оценки", "text": "Всё хорошо."}


ROUTES: dict[str, Route] = {
    "messages API: inbox": Route("get", lambda w: "/api/v1/messages/?folder=inbox", no_data),
    "messages API: sent, page 2": Route(
        "get", lambda w: "/api/v1/messages/?folder=sent&page=2&limit=5", no_data
    ),
    "messages API: receivers": Route("get", lambda w: "/api/v1/messages/receivers", no_data),
    "messages API: send to the 7А parent": Route(
        "post", lambda w: "/api/v1/messages/", _api_send, json=True
    ),
    "messages API: a thread of 7А maths": Route(
        "get", lambda w: f"/api/v1/messages/{_thread(w).pk}", no_data
    ),
    "messages API: reply in the thread": Route(
        "post",
        lambda w: f"/api/v1/messages/{_thread(w).pk}/reply",
        lambda w: {"text": "Хорошо."},
        json=True,
    ),
    "messages API: a thread of the other school": Route(
        "get", lambda w: f"/api/v1/messages/{_other_school_thread(w).pk}", no_data
    ),
    "messages: inbox": Route("get", lambda w: "/messages/", no_data),
    "messages: sent": Route("get", lambda w: "/messages/sent/", no_data),
    "messages: search the inbox": Route(
        "get", lambda w: "/messages/?q=линейку&person=Числов", no_data
    ),
    "messages: new message page": Route("get", lambda w: "/messages/new/", no_data),
    "messages: send to the 7А parent": Route("post", lambda w: "/messages/new/", _send),
    "messages: a thread of 7А maths": Route(
        "get", lambda w: f"/messages/{_thread(w).pk}/", no_data
    ),
    "messages: reply in the thread": Route(
        "post", lambda w: f"/messages/{_thread(w).pk}/reply/", lambda w: {"body": "Хорошо."}
    ),
    "messages: receipts of the thread": Route(
        "get", lambda w: f"/messages/{_thread(w).pk}/receipts/", no_data
    ),
    "messages: acknowledge the announcement": Route(
        "post", lambda w: f"/messages/{_announcement(w).pk}/acknowledge/", no_data
    ),
    "messages: delete the thread from my list": Route(
        "post", lambda w: f"/messages/{_thread(w).pk}/delete/", no_data
    ),
    "messages: report the thread": Route(
        "post", lambda w: f"/messages/{_thread(w).pk}/report/", lambda w: {"reason": "Грубо"}
    ),
    "messages: a reported thread": Route(
        "get", lambda w: f"/messages/{_thread(w, reported=True).pk}/", no_data
    ),
    "messages: a thread of the other school": Route(
        "get", lambda w: f"/messages/{_other_school_thread(w).pk}/", no_data
    ),
    "messages: reported threads": Route("get", lambda w: "/messages/reported/", no_data),
    "messages: download an attachment": Route("get", _file, no_data),
    "messages: download an attachment of a reported thread": Route(
        "get", lambda w: _file(w, reported=True), no_data
    ),
    "messages: download an attachment that does not exist": Route(
        "get", lambda w: "/messages/files/99999999/", no_data
    ),
    "messages: notification settings": Route("get", lambda w: "/messages/settings/", no_data),
    "messages: save notification settings": Route(
        "post", lambda w: "/messages/settings/", lambda w: {"message": "email", "digest_hour": "18"}
    ),
    "messages: unsubscribe page": Route(
        "get", lambda w: f"/messages/unsubscribe/{_token(w)}/", no_data
    ),
    "messages: unsubscribe": Route(
        "post", lambda w: f"/messages/unsubscribe/{_token(w)}/", no_data
    ),
    "messages: unsubscribe with a forged token": Route(
        "post", lambda w: "/messages/unsubscribe/forged:token/", no_data
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
messages API: inbox                                   401  200   200    200 200  200   200 200 200 200  200 200 200 200    404    404
messages API: sent, page 2                            401  200   200    200 200  200   200 200 200 200  200 200 200 200    404    404
messages API: receivers                               401  200   200    200 200  200   200 200 200 200  200 200 200 200    404    404
messages API: send to the 7А parent                   401  200   200    200 200  200   200 200 200 200  400 400 400 400    404    404
messages API: a thread of 7А maths                    401  404   404    404 404  404   404 200 404 404  404 404 200 404    404    404
messages API: reply in the thread                     401  404   404    404 404  404   404 200 404 404  404 404 200 404    404    404
messages API: a thread of the other school            401  404   404    404 404  404   404 404 404 404  404 404 404 200    404    404
messages: notification settings                      302  200   200    200 200  200   200 200 200 200  200 200 200 200    404    404
messages: save notification settings                 302  302   302    302 302  302   302 302 302 302  302 302 302 302    404    404
messages: unsubscribe page                            200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
messages: unsubscribe                                 200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
messages: unsubscribe with a forged token             404  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
"""
