"""ЭлЖур's message methods (getmessages, getmessageinfo, getmessagereceivers, sendmessage,
sendreplymessage) through /api/v1's message handlers: one piece serves both, with the same
access (`access.messaging`) and services; here only names and formats change."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Status

from otmetka.api import messaging as v1
from otmetka.core.input import ID_MAX

from .params import EljurError, flag, number

ALL = 200  # `limit` absent: ЭлЖур answers all; a page of at most this many here


def when(value: Any) -> str:
    """An ISO time of /api/v1 as ЭлЖур writes it: YYYY-MM-DD HH:MM:SS, school time."""
    parsed = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(parsed, datetime.datetime):
        return ""
    return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M:%S")


def person(p: dict[str, Any]) -> dict[str, str]:
    return {k: p[k] for k in ("name", "lastname", "firstname", "middlename")}


def getmessages(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """A page of the inbox or sent folder (`folder`, `unreadonly`, `limit`, `page`, `filter`)."""
    folder = params.get("folder", "inbox").strip().lower() or "inbox"
    if folder not in ("inbox", "sent"):
        raise EljurError(400, _("The folder must be inbox or sent."))
    q = v1.FolderQuery(
        folder=folder,  # type: ignore[arg-type]
        page=number(params, "page", 1, 100_000),
        limit=number(params, "limit", ALL, ALL),
        unreadonly=flag(params, "unreadonly"),
        filter=params.get("filter", "")[:200],
    )
    found = v1.messages_list(request, q)
    return {
        "total": str(found["total"]),
        "count": found["count"],
        "messages": [
            {"id": str(m["id"]), "subject": m["subject"], "short_text": m["short_text"],
             "date": when(m["date"]), "unread": m["unread"], "with_files": m["with_files"],
             "with_resources": False, "user_from": person(m["user_from"]),
             "users_to": [person(u) for u in m["users_to"]]}
            for m in found["messages"]
        ],
    }  # fmt: skip


def _thread_id(params: dict[str, str], *names: str) -> int:
    raw = next((params[n].strip() for n in names if params.get(n, "").strip()), "")
    if not raw.isdigit() or not 0 < int(raw[:20]) <= ID_MAX:
        raise EljurError(404, _("No such message."))
    return int(raw)


def getmessageinfo(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """One message (a thread: its first text, the replies in `messages`), marked read."""
    m = v1.message_info(request, _thread_id(params, "id"))
    files = [
        {"filename": f["filename"], "link": request.build_absolute_uri(f["link"])}
        for f in m["files"]
    ]
    replies = [
        {"id": str(r["id"]), "text": r["text"], "date": when(r["date"]),
         "user_from": person(r["user_from"])}
        for r in m["messages"]
    ]  # fmt: skip
    return {
        "message": {
            "id": str(m["id"]), "subject": m["subject"], "short_text": m["short_text"],
            "text": m["text"], "date": when(m["date"]), "user_from": person(m["user_from"]),
            "user_to": [person(u) for u in m["user_to"]], "files": files, "messages": replies,
        }
    }  # fmt: skip


def getmessagereceivers(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """The people the caller may write to, in one group."""
    groups = []
    for g in v1.receivers(request)["groups"]:
        if not g["users"]:
            continue  # a whole group (staff's): written to from the site, not by ids
        users = [
            {**person(u), "info": "",
             "search": "~".join((u["lastname"], u["firstname"], str(g["name"]))) + "~"}
            for u in g["users"]
        ]  # fmt: skip
        groups.append({"key": g["key"], "name": str(g["name"]), "users": users})
    return {"groups": groups}


def _answer(found: Any) -> dict[str, Any]:
    if isinstance(found, Status):  # a replayed answer of an Idempotency-Key
        found = found.value
    return {"id": str(found["id"])}


def sendmessage(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """A new message to `users_to` (comma-separated ids) with `subject` and `text`."""
    raw = [p.strip() for p in params.get("users_to", "").split(",") if p.strip()]
    if not raw or any(not p.isdigit() or not 0 < int(p[:20]) <= ID_MAX for p in raw):
        raise EljurError(400, _("Name the receivers in «users_to»: ids separated by commas."))
    try:
        payload = v1.SendIn(
            subject=params.get("subject", ""), text=params.get("text", ""),
            users_to=[int(p) for p in raw[:1000]],
        )  # fmt: skip
    except ValueError:
        raise EljurError(400, _("The subject or the text is too long.")) from None
    return _answer(v1.send(request, payload))


def sendreplymessage(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """A reply (`text`) to the message `replyto` (or `reply_to`)."""
    thread = _thread_id(params, "replyto", "reply_to", "id")
    try:
        payload = v1.ReplyIn(text=params.get("text", ""))
    except ValueError:
        raise EljurError(400, _("The text is too long.")) from None
    return _answer(v1.reply(request, thread, payload))
