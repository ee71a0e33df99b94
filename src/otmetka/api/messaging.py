"""API v1 of messages (`/api/v1/messages/…`): the inbox and sent folders with paging, one thread
(with receipts for its author), the people and groups the user may write to, send and reply.

The fields are those the ЭлЖур mobile API's getmessages, getmessageinfo, getmessagereceivers,
sendmessage and sendreplymessage need (`subject`, `short_text`, `text`, `date`, `unread`,
`with_files`, `user_from`, `users_to`/`user_to`, `files[].filename|link`, receiver groups with
`key`, `name`, `users`), so the ЭлЖур layer maps onto them. Who may read or write is
`access/messaging.py`, the same rules as the pages; the writes are `messaging.services`.
"""

import base64
import binascii
import datetime
from typing import Annotated, Any, Literal, cast

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import StringConstraints

from otmetka.access import messaging as access
from otmetka.accounts.http import UserRequest
from otmetka.api.schemas import IDEMPOTENT, READ_ERRORS, WRITE_ERRORS, Id
from otmetka.api.services import Once
from otmetka.core.input import ID_MAX
from otmetka.messaging import selectors, services

router = Router(tags=["messages"])

PathId = Annotated[int, Path(ge=1, le=ID_MAX)]
Short = Annotated[str, StringConstraints(max_length=200)]
Long = Annotated[str, StringConstraints(max_length=20_000)]
GroupKey = Annotated[str, StringConstraints(max_length=40)]
SHORT_TEXT = 100  # characters of `short_text`


def _school(request: HttpRequest) -> Any:
    school = getattr(request, "school", None)
    access.require_use(request.user, school)
    return school


def _person(user: Any) -> dict[str, Any]:
    """A user as ЭлЖур names one: `name` is the id (a string), with the parts of the name."""
    return {
        "name": str(user.pk),
        "id": user.pk,
        "lastname": user.last_name,
        "firstname": user.first_name,
        "middlename": user.middle_name,
    }


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


class FolderQuery(Schema):
    folder: Literal["inbox", "sent"] = "inbox"
    page: int = Field(1, ge=1, le=100_000)
    limit: int = Field(20, ge=1, le=200)
    unreadonly: bool = False
    filter: Short = ""
    cursor: Annotated[str, StringConstraints(max_length=100)] = ""


@router.get("/", url_name="messages", response={200: dict, **READ_ERRORS})
def messages_list(request: HttpRequest, q: Query[FolderQuery]) -> dict[str, Any]:
    """A page of the inbox or sent folder, newest first (getmessages): `total` threads, `count`
    on this page, `next_cursor` for the next page (pass it as `cursor`; null on the last);
    `user_from` is who wrote the newest message received (inbox; as mail clients show it) or
    the thread's author (sent folder), `users_to` (sent folder) its recipients.
    A fixed number of queries whatever the page's size."""
    school = _school(request)
    rows = selectors.folder_rows(
        user=request.user, school=school, name=q.folder, text=q.filter.strip(),
        unread_only=q.unreadonly,
    )  # fmt: skip
    total = rows.count()
    field = "last_in_at" if q.folder == "inbox" else "last_out_at"
    if q.cursor:
        after = cursor_read(q.cursor)
        rows = rows.filter(
            Q(**{f"{field}__lt": after[0]}) | Q(**{field: after[0], "pk__lt": after[1]})
        )
        page = list(rows[: q.limit + 1])
    else:
        start = (q.page - 1) * q.limit
        page = list(rows[start : start + q.limit + 1])
    more, page = len(page) > q.limit, page[: q.limit]
    next_cursor = cursor_make(getattr(page[-1], field), page[-1].pk) if more and page else None
    extra = selectors.folder_extra(user=request.user, rows=page, recipients=q.folder == "sent")
    found = []
    for p in page:
        last = extra.last.get(p.thread_id)
        sender = extra.sender.get(p.thread_id) if q.folder == "inbox" else None
        found.append(
            {
                "id": p.thread_id,
                "subject": p.thread.subject,
                "kind": p.thread.kind,
                "short_text": last.body[:SHORT_TEXT] if last else "",
                "date": _date(p.last_in_at if q.folder == "inbox" else p.last_out_at),
                "unread": p.is_unread,
                "needs_ack": p.thread.needs_ack,
                "acknowledged": p.acknowledged_at is not None,
                "with_files": bool(last and getattr(last, "with_files", False)),
                "user_from": _person(sender or p.thread.author),
                "users_to": [_person(u) for u in extra.to.get(p.thread_id, [])],
                "audience": p.thread.audience,
            }
        )
    return {"total": total, "count": len(found), "page": q.page, "next_cursor": next_cursor,
            "messages": found}  # fmt: skip


def cursor_make(at: Any, pk: int) -> str:
    """An opaque cursor after the row (its folder time and id)."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{pk}".encode()).decode()


def cursor_read(cursor: str) -> tuple[datetime.datetime, int]:
    """The folder time and id a cursor names; a 400 for anything else."""
    try:
        at, pk = base64.urlsafe_b64decode(cursor.encode("ascii")).decode().split("|")
        found = datetime.datetime.fromisoformat(at), int(pk)
    except (ValueError, UnicodeError, binascii.Error):
        raise ValidationError(
            gettext("The cursor is not valid: start from the first page.")
        ) from None
    if found[0].tzinfo is None or not 0 < found[1] <= ID_MAX:
        raise ValidationError(gettext("The cursor is not valid: start from the first page."))
    return found


@router.get("/receivers", url_name="message_receivers", response={200: dict, **READ_ERRORS})
def receivers(request: HttpRequest) -> dict[str, Any]:
    """Whom the user may write to (getmessagereceivers): the group «people» lists every person
    by name; staff also get the whole groups (a class's parents, all teachers…), sent as
    `groups` keys — their members are not listed."""
    school = _school(request)
    users = access.writable_users(request.user, school).order_by("last_name", "first_name", "pk")
    people = [_person(u) for u in users[:2000]]
    groups: list[dict[str, Any]] = [
        {"key": "people", "name": selectors.people_label(), "users": people}
    ]
    for key, name in selectors.group_choices(user=request.user, school=school):
        groups.append({"key": key, "name": str(name), "users": [], "whole": True})
    return {"groups": groups}


@router.get("/{thread_id}", url_name="message", response={200: dict, **READ_ERRORS})
def message_info(request: HttpRequest, thread_id: PathId) -> dict[str, Any]:
    """One thread (getmessageinfo), marked read: its messages the user sees, with files. The
    author also gets the receipts: who has read (and acknowledged) it and when."""
    school = _school(request)
    view = selectors.thread_view(user=request.user, school=school, thread_id=thread_id)
    services.thread_read(actor=request.user, participant=view.participant)
    thread = view.thread
    messages = [
        {
            "id": m.pk,
            "text": m.body,
            "date": _date(m.sent_at),
            "user_from": _person(m.sender),
            "only_to": _person(m.to_user) if m.to_user_id else None,
            "files": [
                {"filename": a.name, "link": reverse("messaging:file", args=[a.pk])}
                for a in m.attachments.all()
            ],
        }
        for m in view.messages
    ]
    first = view.messages[0] if view.messages else None
    answer: dict[str, Any] = {
        "id": thread.pk,
        "subject": thread.subject,
        "kind": thread.kind,
        "audience": thread.audience,
        "needs_ack": thread.needs_ack,
        "date": _date(thread.created_at),
        "text": first.body if first else "",
        "short_text": first.body[:SHORT_TEXT] if first else "",
        "user_from": _person(thread.author),
        "user_to": [_person(request.user)] if thread.author_id != request.user.pk else [],
        "may_reply": view.may_reply,
        "files": messages[0]["files"] if messages else [],
        "messages": messages,
    }
    if thread.author_id == request.user.pk:
        _thread, rows = selectors.receipts(user=request.user, school=school, thread_id=thread.pk)
        answer["user_to"] = [_person(r.user) for r in rows]
        answer["receipts"] = {
            "total": len(rows),
            "read": sum(1 for r in rows if r.read_at),
            "people": [
                {
                    "user": _person(r.user),
                    "read_at": _date(r.read_at),
                    "acknowledged_at": _date(r.acknowledged_at),
                }
                for r in rows
            ],
        }
    return answer


class SendIn(Schema):
    """sendmessage: people (`users_to`, ids) and, for staff, whole groups (`groups`, keys of
    /receivers); an announcement has no replies and may ask for «Ознакомлен»."""

    subject: Short
    text: Long
    users_to: list[Id] = Field(default_factory=list, max_length=1000)
    groups: list[GroupKey] = Field(default_factory=list, max_length=100)
    announcement: bool = False
    needs_ack: bool = False


class ReplyIn(Schema):
    """sendreplymessage: the text, and for the author of a thread to many, optionally the one
    person the reply is for."""

    text: Long
    to_user: Id | None = None


def _replayed(once: Once) -> Status | None:
    """The first answer to a repeated Idempotency-Key, unchanged."""
    found = once.replay()
    return None if found is None else Status(found.status, found.body)


@router.post(
    "/", url_name="message_send", response={200: dict, **WRITE_ERRORS}, openapi_extra=IDEMPOTENT
)
def send(request: HttpRequest, payload: SendIn) -> Any:
    """Start a thread (or, staff, an announcement) → `{"id"}`; e-mail goes out in the worker.
    A repeat with the same Idempotency-Key gets the first answer and sends nothing."""
    school = _school(request)
    once = Once(cast(UserRequest, request))
    if (replayed := _replayed(once)) is not None:
        return replayed
    names = dict(selectors.group_choices(user=request.user, school=school))
    audience = ", ".join(str(names.get(k, "")) for k in payload.groups if k in names)
    thread = services.thread_start(
        actor=request.user, school=school, subject=payload.subject, body=payload.text,
        user_ids=payload.users_to, groups=payload.groups, audience=audience,
        announcement=payload.announcement, needs_ack=payload.needs_ack,
        on_saved=once.recorder(lambda t: {"id": t.pk}),
    )  # fmt: skip
    return once.body if once.body is not None else {"id": thread.pk}


@router.post(
    "/{thread_id}/reply",
    url_name="message_reply",
    response={200: dict, **WRITE_ERRORS},
    openapi_extra=IDEMPOTENT,
)
def reply(request: HttpRequest, thread_id: PathId, payload: ReplyIn) -> Any:
    """Reply in a conversation (a reply to many from a recipient goes to the author alone)
    → `{"id", "thread"}`; idempotent with an Idempotency-Key like `send`."""
    school = _school(request)
    once = Once(cast(UserRequest, request))
    if (replayed := _replayed(once)) is not None:
        return replayed
    record = once.recorder(lambda m: {"id": m.pk, "thread": thread_id})
    message = services.thread_reply(
        actor=request.user, school=school, thread_id=thread_id, body=payload.text,
        to_user=payload.to_user, on_saved=record,
    )  # fmt: skip
    return once.body if once.body is not None else {"id": message.pk, "thread": thread_id}
