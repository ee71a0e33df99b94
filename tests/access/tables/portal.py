# ruff: noqa: E501 — the status grid is read as a table, whatever its width.
"""The school website's routes (/portal/… for staff, /s/… public) of the endpoint table: a
document of the deputy as a draft, awaiting approval, returned and published; a published news
item; a news item of School №2."""

from typing import Any

from tests.access.endpoints import Route, no_data
from tests.world import World


def _doc(w: World, state: str) -> Any:
    from tests.portal.helpers import document

    return document(w, state=state)


def _news(w: World, *, publish: bool = True) -> Any:
    from tests.portal.helpers import news

    return news(w, publish=publish)


def _other_news(w: World) -> Any:
    """A published news item of School №2 (written as rows: no role is granted for it)."""
    from django.utils import timezone

    from otmetka.portal.models import Publication

    return Publication.objects.create(
        school=w.other_school, kind="news", title="Чужая новость", body="Текст",
        state="published", published_at=timezone.now(), created_by=w.user("teacher_other_school"),
    )  # fmt: skip


def _file(w: World, state: str) -> int:
    return _doc(w, state).files.get().pk


def _help(w: World) -> Any:
    from otmetka.portal import services

    return services.help_link_add(
        actor=w.user("web_editor"), school=w.school, title="Инструкция",
        url="https://example.org/", audience="all",
    )  # fmt: skip


def _upload(w: World) -> dict:
    from tests.messaging.helpers import pdf

    return {"upload": pdf(), "alt": ""}


def _s(w: World) -> str:
    return f"/s/{w.school.pk}"


ROUTES: dict[str, Route] = {
    "website: the queue": Route("get", lambda w: "/portal/", no_data),
    "website: new news item page": Route("get", lambda w: "/portal/new/news/", no_data),
    "website: new document page": Route("get", lambda w: "/portal/new/document/", no_data),
    "website: save a new document": Route(
        "post",
        lambda w: "/portal/new/document/",
        lambda w: {"title": "Приказ", "category": "order"},
    ),
    "website: a draft of the deputy": Route(
        "get", lambda w: f"/portal/{_doc(w, 'draft').pk}/", no_data
    ),
    "website: edit a draft of the deputy": Route(
        "get", lambda w: f"/portal/{_doc(w, 'draft').pk}/edit/", no_data
    ),
    "website: submit a draft of the deputy": Route(
        "post", lambda w: f"/portal/{_doc(w, 'draft').pk}/submit/", no_data
    ),
    "website: approve a pending document": Route(
        "post", lambda w: f"/portal/{_doc(w, 'pending').pk}/approve/", no_data
    ),
    "website: return a pending document": Route(
        "post",
        lambda w: f"/portal/{_doc(w, 'pending').pk}/return/",
        lambda w: {"comment": "Нет подписи"},
    ),
    "website: withdraw a published document": Route(
        "post", lambda w: f"/portal/{_doc(w, 'published').pk}/withdraw/", no_data
    ),
    "website: attach a file to a draft": Route(
        "post", lambda w: f"/portal/{_doc(w, 'draft').pk}/files/", _upload
    ),
    "website: remove a draft's file": Route(
        "post",
        lambda w: (lambda d: f"/portal/{d.pk}/files/{d.files.get().pk}/delete/")(_doc(w, "draft")),
        no_data,
    ),
    "website: download a draft's file": Route(
        "get", lambda w: f"/portal/files/{_file(w, 'draft')}/", no_data
    ),
    "website: an item of the other school": Route(
        "get", lambda w: f"/portal/{_other_news(w).pk}/", no_data
    ),
    "website: contacts and help links": Route("get", lambda w: "/portal/site/", no_data),
    "website: save the contacts": Route(
        "post", lambda w: "/portal/site/", lambda w: {"address": "ул. Школьная, 1"}
    ),
    "website: add a help link": Route(
        "post",
        lambda w: "/portal/site/help/",
        lambda w: {"title": "Вход", "url": "https://example.org/", "audience": "all"},
    ),
    "website: remove a help link": Route(
        "post", lambda w: f"/portal/site/help/{_help(w).pk}/delete/", no_data
    ),
    "website: who submits documents": Route("get", lambda w: "/portal/submitters/", no_data),
    "website: allow a teacher to submit": Route(
        "post", lambda w: "/portal/submitters/", lambda w: {"user": w.user("teacher_7a_math").pk}
    ),
    "public: regions": Route("get", lambda w: "/s/", no_data),
    "public: a region's schools": Route(
        "get", lambda w: f"/s/r/{w.school.district.region_id}/", no_data
    ),
    "public: sitemap": Route("get", lambda w: "/s/sitemap.xml", no_data),
    "public: a school's home": Route("get", lambda w: f"{_s(w)}/", no_data),
    "public: news": Route("get", lambda w: f"{_s(w)}/news/", no_data),
    "public: a published news item": Route(
        "get", lambda w: f"{_s(w)}/news/{_news(w).pk}/", no_data
    ),
    "public: a draft news item": Route(
        "get", lambda w: f"{_s(w)}/news/{_news(w, publish=False).pk}/", no_data
    ),
    "public: a news item of the other school": Route(
        "get", lambda w: f"{_s(w)}/news/{_other_news(w).pk}/", no_data
    ),
    "public: documents": Route("get", lambda w: f"{_s(w)}/documents/", no_data),
    "public: help": Route("get", lambda w: f"{_s(w)}/help/", no_data),
    "public: a published document's file": Route(
        "get", lambda w: f"{_s(w)}/files/{_file(w, 'published')}/", no_data
    ),
    "public: a returned document's file": Route(
        "get", lambda w: f"{_s(w)}/files/{_file(w, 'returned')}/", no_data
    ),
    "public: news feed": Route("get", lambda w: f"{_s(w)}/feeds/news/", no_data),
    "public: documents feed": Route("get", lambda w: f"{_s(w)}/feeds/documents/", no_data),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
website: the queue                                    302  200   200    200 404  404   200 404 404 404  404 404 404 404    404    404
website: new news item page                           302  404   404    404 404  404   200 404 404 404  404 404 404 404    404    404
website: new document page                            302  404   200    404 404  404   200 404 404 404  404 404 404 404    404    404
website: save a new document                          302  404   302    404 404  404   302 404 404 404  404 404 404 404    404    404
website: a draft of the deputy                        302  404   200    200 404  404   200 404 404 404  404 404 404 404    404    404
website: edit a draft of the deputy                   302  404   200    403 404  404   200 404 404 404  404 404 404 404    404    404
website: submit a draft of the deputy                 302  404   302    403 404  404   302 404 404 404  404 404 404 404    404    404
website: approve a pending document                   302  404   403    302 404  404   403 404 404 404  404 404 404 404    404    404
website: return a pending document                    302  404   403    302 404  404   403 404 404 404  404 404 404 404    404    404
website: withdraw a published document                302  404   403    302 404  404   302 404 404 404  404 404 404 404    404    404
website: attach a file to a draft                     302  404   302    403 404  404   302 404 404 404  404 404 404 404    404    404
website: remove a draft's file                        302  404   302    403 404  404   302 404 404 404  404 404 404 404    404    404
website: download a draft's file                      302  404   200    200 404  404   200 404 404 404  404 404 404 404    404    404
website: an item of the other school                  302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
website: contacts and help links                      302  404   404    404 404  404   200 404 404 404  404 404 404 404    404    404
website: save the contacts                            302  404   404    404 404  404   302 404 404 404  404 404 404 404    404    404
website: add a help link                              302  404   404    404 404  404   302 404 404 404  404 404 404 404    404    404
website: remove a help link                           302  404   404    404 404  404   302 404 404 404  404 404 404 404    404    404
website: who submits documents                        302  200   404    404 404  404   404 404 404 404  404 404 404 404    404    404
website: allow a teacher to submit                    302  302   404    404 404  404   404 404 404 404  404 404 404 404    404    404
public: regions                                       200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: a region's schools                            200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: sitemap                                       200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: a school's home                               200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: news                                          200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: a published news item                         200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: a draft news item                             404  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
public: a news item of the other school               404  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
public: documents                                     200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: help                                          200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: a published document's file                   200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: a returned document's file                    404  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
public: news feed                                     200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
public: documents feed                                200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
"""
