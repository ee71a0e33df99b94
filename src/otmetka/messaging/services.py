"""Writes of messaging: start a thread or an announcement, reply, mark read, acknowledge, hide
from one's own view, report to the director, notification choices, journal-gap reminders.
Sending is audited (who, to whom, when — never the text) and hands the e-mail to the worker in
the same transaction."""

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from otmetka.access import messaging as access
from otmetka.accounts.models import User
from otmetka.audit.services import event_record
from otmetka.core.input import text_problem
from otmetka.journal.validation import homework_file_check, homework_file_content_check
from otmetka.messaging.models import (
    KIND_CHANNELS,
    Attachment,
    Channel,
    MailSetting,
    Message,
    Participant,
    Thread,
)
from otmetka.messaging.selectors import group_members

SUBJECT_MAX = 200
FILES_MAX = 5
UNSUBSCRIBE_SALT = "otmetka.messaging.unsubscribe"


def _text(value: Any, *, field: str, limit: int) -> str:
    """The stripped text, or a Russian ValidationError (empty, too long, not storable)."""
    text = (value if isinstance(value, str) else "").strip()
    if not text:
        empty = {
            "subject": _("Enter the subject."),
            "body": _("Enter the text of the message."),
            "reason": _("Say what is wrong."),
        }
        raise ValidationError(empty[field])
    if len(text) > limit:
        if field == "subject":
            raise ValidationError(
                _("The subject is longer than %(limit)d characters.") % {"limit": limit}
            )
        raise ValidationError(_("The text is longer than %(limit)d characters.") % {"limit": limit})
    problem = text_problem(text)
    if problem:
        raise ValidationError(problem)
    return text


def _rate_check(actor: Any, school: Any) -> None:
    """At most OTMETKA_MESSAGES_PER_HOUR messages per sender and hour."""
    limit = settings.OTMETKA_MESSAGES_PER_HOUR
    since = timezone.now() - datetime.timedelta(hours=1)
    sent = Message.objects.filter(school=school, sender_id=actor.pk, sent_at__gte=since).count()
    if sent >= limit:
        raise ValidationError(
            ngettext(
                "You have sent %(n)d message in the last hour: wait a little.",
                "You have sent %(n)d messages in the last hour: wait a little.",
                sent,
            )
            % {"n": sent}
        )


def _files_check(files: list[File[Any]]) -> list[File[Any]]:
    """Up to five files, each within the limits and of the type of homework files."""
    if len(files) > FILES_MAX:
        raise ValidationError(_("At most %(n)d files per message.") % {"n": FILES_MAX})
    for f in files:
        name = (getattr(f, "name", "") or "").rsplit("/", 1)[-1][:200]
        homework_file_check(name, int(getattr(f, "size", 0) or 0))
        homework_file_content_check(name, f)
    return files


def _attach(message: Message, files: list[File[Any]]) -> None:
    for f in files:
        name = (f.name or "").rsplit("/", 1)[-1][:200]
        row = Attachment(school_id=message.school_id, message=message, name=name, size=f.size)
        # On disk under a random ASCII name: the user's name is only shown and sent back.
        row.file.save(f"{uuid.uuid4().hex}.{name.rsplit('.', 1)[-1].lower()}", f, save=False)
        row.save()


def _recipients(actor: Any, school: Any, user_ids: Any, groups: Any) -> set[int]:
    """Everyone the message goes to: people the actor may write to, plus the members of the
    groups (staff only); a Russian ValidationError otherwise."""
    try:
        ids = {int(i) for i in user_ids or ()}
    except (TypeError, ValueError):
        raise ValidationError(_("Choose recipients from the list.")) from None
    if any(not 0 < i < 2**31 for i in ids):
        raise ValidationError(_("Choose recipients from the list."))
    if ids and not access.may_write_to(actor, school, ids):
        raise ValidationError(_("You cannot write to some of the chosen people."))
    keys = [str(g) for g in groups or ()]
    if keys and not access.may_announce(actor, school):
        raise ValidationError(_("Only the school's staff write to groups."))
    for key in keys:
        ids |= set(group_members(school=school, key=key).values_list("pk", flat=True))
    ids.discard(actor.pk)
    if not ids:
        raise ValidationError(_("Choose at least one recipient (or a group with people in it)."))
    limit = settings.OTMETKA_MESSAGE_MAX_RECIPIENTS
    if len(ids) > limit:
        raise ValidationError(_("At most %(n)d recipients per message.") % {"n": limit})
    return ids


def thread_start(
    *,
    actor: Any,
    school: Any,
    subject: Any,
    body: Any,
    user_ids: Any = (),
    groups: Any = (),
    audience: str = "",
    announcement: bool = False,
    needs_ack: bool = False,
    files: Any = (),
    on_saved: Callable[[Thread], None] | None = None,
) -> Thread:
    """Start a conversation or (staff) an announcement; the recipients get it in their inbox,
    the author in sent; the e-mail goes out in the worker. `on_saved` gets the thread inside
    the transaction (the API stores its idempotent answer there)."""
    from otmetka.messaging.tasks import message_notify

    subject = _text(subject, field="subject", limit=SUBJECT_MAX)
    body = _text(body, field="body", limit=settings.OTMETKA_MESSAGE_MAX_CHARS)
    if announcement and not access.may_announce(actor, school):
        raise ValidationError(_("Only the school's staff send announcements."))
    files = _files_check(list(files or ()))
    with transaction.atomic():
        _rate_check(actor, school)
        ids = _recipients(actor, school, user_ids, groups)
        now = timezone.now()
        kind = Thread.Kind.ANNOUNCEMENT if announcement else Thread.Kind.CONVERSATION
        thread = Thread.objects.create(
            school=school, kind=kind, subject=subject, author=actor, created_at=now,
            audience=audience[:300], needs_ack=bool(announcement and needs_ack),
        )  # fmt: skip
        message = Message.objects.create(
            school=school, thread=thread, sender=actor, body=body, sent_at=now
        )
        _attach(message, files)
        _participants_add(thread, actor, ids, now)
        _audit_send(actor, message, sorted(ids), len(files), kind)
        message_notify.enqueue(message.pk)
        if on_saved is not None:
            on_saved(thread)
    return thread


def _participants_add(thread: Thread, author: Any, ids: set[int], now: Any) -> None:
    """The recipients (something came in) and the author (sent, read) of a new thread."""
    rows = [
        Participant(school_id=thread.school_id, thread=thread, user_id=i, last_in_at=now)
        for i in ids
    ]
    if author.pk not in ids:
        rows.append(
            Participant(
                school_id=thread.school_id,
                thread=thread,
                user=author,
                last_out_at=now,
                first_read_at=now,
                last_read_at=now,
            )
        )
    Participant.objects.bulk_create(rows)


def _audit_send(actor: Any, message: Message, to: list[int], files: int, kind: str) -> None:
    """Who sent to whom and when; the text stays out of the audit."""
    event_record(
        actor=actor,
        action="message_send",
        obj=message,
        after={"thread": message.thread_id, "kind": kind, "to": to, "files": files},
    )


def thread_reply(
    *,
    actor: Any,
    school: Any,
    thread_id: Any,
    body: Any,
    to_user: Any = None,
    files: Any = (),
    on_saved: Callable[[Message], None] | None = None,
) -> Message:
    """Reply in a conversation. A recipient's reply in a thread to many goes to its author
    alone; the author answers one person privately (`to_user`) or everyone."""
    from otmetka.messaging.tasks import message_notify

    body = _text(body, field="body", limit=settings.OTMETKA_MESSAGE_MAX_CHARS)
    files = _files_check(list(files or ()))
    with transaction.atomic():
        thread, me = access.thread_access(actor, school, thread_id)
        if me is None or thread.kind != Thread.Kind.CONVERSATION:
            raise ValidationError(_("Replies are not possible here."))
        _rate_check(actor, school)
        others = list(
            Participant.objects.filter(thread=thread)
            .exclude(user_id=actor.pk)
            .values_list("user_id", flat=True)
        )
        private = _private_to(actor, thread, others, to_user)
        now = timezone.now()
        message = Message.objects.create(
            school=school, thread=thread, sender=actor, to_user_id=private, body=body, sent_at=now
        )
        _attach(message, files)
        to = [private] if private else others
        Participant.objects.filter(thread=thread, user_id__in=to).update(
            last_in_at=now, hidden_at=None
        )
        Participant.objects.filter(pk=me.pk).update(last_out_at=now, last_read_at=now)
        _audit_send(actor, message, sorted(to), len(files), thread.kind)
        message_notify.enqueue(message.pk)
        if on_saved is not None:
            on_saved(message)
    return message


def _private_to(actor: Any, thread: Thread, others: list[int], to_user: Any) -> int | None:
    """The one user a reply is for, or None when it is for every participant."""
    if thread.author_id != actor.pk:
        return thread.author_id if len(others) > 1 else None
    try:
        chosen = int(to_user) if to_user not in (None, "") else None
    except (TypeError, ValueError):
        chosen = None
    if chosen is not None and chosen not in others:
        raise ValidationError(_("Choose recipients from the list."))
    return chosen if len(others) > 1 else None


def thread_read(*, actor: Any, participant: Participant | None) -> None:
    """Mark the thread read by the participant (the director reading a report marks nothing).
    The receipt is the record: reading is not audited. At most one query."""
    if participant is None or not participant.is_unread:
        return
    now = timezone.now()
    first = participant.first_read_at or now
    Participant.objects.filter(pk=participant.pk).update(first_read_at=first, last_read_at=now)
    participant.first_read_at, participant.last_read_at = first, now


def _own(actor: Any, school: Any, thread_id: Any) -> tuple[Thread, Participant]:
    thread, me = access.thread_access(actor, school, thread_id)
    if me is None:
        raise ValidationError(_("Only participants can do this."))
    return thread, me


def thread_acknowledge(*, actor: Any, school: Any, thread_id: Any) -> None:
    """«Ознакомлен»: the recipient confirms an announcement that asks for it."""
    with transaction.atomic():
        thread, me = _own(actor, school, thread_id)
        if not thread.needs_ack or thread.author_id == actor.pk:
            raise ValidationError(_("This message does not ask for an acknowledgement."))
        if me.acknowledged_at is not None:
            return
        now = timezone.now()
        Participant.objects.filter(pk=me.pk).update(
            acknowledged_at=now, first_read_at=me.first_read_at or now, last_read_at=now
        )
        event_record(actor=actor, action="message_acknowledge", obj=thread)


def thread_hide(*, actor: Any, school: Any, thread_id: Any) -> None:
    """Delete the thread from the user's own view; everyone else keeps it, the school too."""
    with transaction.atomic():
        thread, me = _own(actor, school, thread_id)
        Participant.objects.filter(pk=me.pk).update(hidden_at=timezone.now())
        event_record(actor=actor, action="message_hide", obj=thread)


def thread_report(*, actor: Any, school: Any, thread_id: Any, reason: Any) -> None:
    """A participant reports the thread: the director may then read all of it."""
    reason = _text(reason, field="reason", limit=1000)
    with transaction.atomic():
        thread, _me = _own(actor, school, thread_id)
        Thread.objects.filter(pk=thread.pk, reported_at__isnull=True).update(
            reported_at=timezone.now()
        )
        event_record(actor=actor, action="message_report", obj=thread, reason=reason)


def notification_choices_set(*, actor: Any, choices: dict[str, Any]) -> MailSetting:
    """Save the user's channel per kind of news and the digest hour; a channel a kind does not
    offer or an hour outside 0–23 is a Russian ValidationError (nothing saved)."""
    from otmetka.messaging.selectors import notification_choices

    current = notification_choices(user=actor)
    after = dict(current)
    for kind, allowed in KIND_CHANNELS.items():
        value = choices.get(kind, current[kind])
        if value not in allowed:
            raise ValidationError(_("Choose how to be notified from the list."))
        after[kind] = str(value)
    try:
        hour = int(choices.get("digest_hour", current["digest_hour"]))
    except (TypeError, ValueError, OverflowError):
        hour = -1
    if not 0 <= hour <= 23:
        raise ValidationError(_("Choose the hour of the digest from 0 to 23."))
    after["digest_hour"] = hour
    with transaction.atomic():
        row, _created = MailSetting.objects.select_for_update().get_or_create(user=actor)
        for field, value in after.items():
            setattr(row, field, value)
        row.save()
        event_record(
            actor=actor, action="notification_choices", obj=row, before=current, after=after,
            school_id=None,
        )  # fmt: skip
    return row


GAPS_MAX = 500  # gaps listed in one reminder


@dataclass(frozen=True)
class JournalGap:
    """One thing missing in a journal, as the deadline rules (issue 14) find it: what is missing
    («Не отмечена посещаемость»), the journal («Алгебра, 7А»), the lesson's day, and the path of
    the journal page to fix it (optional)."""

    what: str
    course: str
    day: datetime.date
    url: str = ""


def remind_journal_gaps(
    *, teacher: Any, gaps: Iterable[JournalGap], actor: Any, school: Any
) -> Thread | None:
    """Remind a teacher of gaps in their journals: one in-app message (a reminder, no replies)
    from `actor` — the deputy or director on whose rule it is sent — listing the gaps, and an
    e-mail when the teacher chose «an e-mail each time» for journal reminders (the worker sends
    it). Returns the thread, or None when there is nothing to remind of. Audited like any
    message; a gap with text that cannot be stored is a ValidationError, nothing written.

    The deadline engine of issue 14 calls it, e.g. once a day per teacher:
    `remind_journal_gaps(teacher=t, gaps=[JournalGap("Нет темы урока", "Алгебра, 7А", day)],
    actor=deputy, school=school)`."""
    from otmetka.messaging.tasks import message_notify

    found = list(gaps)[: GAPS_MAX + 1]
    if not found:
        return None
    lines = []
    for gap in found[:GAPS_MAX]:
        line = f"{gap.day:%d.%m.%Y} · {gap.course} — {gap.what}"
        if gap.url:
            line += f" ({settings.OTMETKA_BASE_URL}{gap.url})"
        problem = text_problem(line)
        if problem:
            raise ValidationError(problem)
        lines.append(line)
    if len(found) > GAPS_MAX:
        lines.append(_("…and more: open your journals."))
    count = min(len(found), GAPS_MAX)
    subject = ngettext("%(n)d gap in the journal", "%(n)d gaps in the journal", count) % {
        "n": count
    }
    body = _("Please fill in the journal:") + "\n" + "\n".join(lines)
    with transaction.atomic():
        now = timezone.now()
        thread = Thread.objects.create(
            school=school, kind=Thread.Kind.REMINDER, subject=subject, author=actor,
            created_at=now, audience=_("Journal reminder"),
        )  # fmt: skip
        message = Message.objects.create(
            school=school, thread=thread, sender=actor, body=body, sent_at=now
        )
        _participants_add(thread, actor, {teacher.pk} - {actor.pk}, now)
        _audit_send(actor, message, [teacher.pk], 0, thread.kind)
        message_notify.enqueue(message.pk)
    return thread


def unsubscribe_token(user_id: int) -> str:
    """A signed token that turns a user's e-mail off without logging in."""
    return signing.dumps({"u": user_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe(*, token: str) -> bool:
    """Turn every e-mail (each one and the digest) off for the user the token names: all news
    stays in the app. False for a bad token or a user who is gone."""
    try:
        user_id = int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return False
    if not User.objects.filter(pk=user_id).exists():
        return False
    with transaction.atomic():
        row, _created = MailSetting.objects.select_for_update().get_or_create(user_id=user_id)
        before = {kind: getattr(row, kind) for kind in KIND_CHANNELS}
        for kind in KIND_CHANNELS:
            setattr(row, kind, Channel.APP)
        row.save()
        event_record(actor=None, action="mail_unsubscribe", obj=row, before=before, school_id=None)
    return True


def visible_to(message: Message) -> Q:
    """Participants a message was for (not its sender)."""
    q = Q(thread_id=message.thread_id) & ~Q(user_id=message.sender_id)
    if message.to_user_id:
        q &= Q(user_id=message.to_user_id)
    return q
