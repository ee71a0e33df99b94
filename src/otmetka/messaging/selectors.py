"""Reads of messaging: the inbox and sent folders with search, one thread, its receipts, the
unread count of the header, the groups and people a user may write to, attachments."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from otmetka.access import messaging as access
from otmetka.access.diary import live_links
from otmetka.access.rules import _current_enrollment
from otmetka.messaging.models import Attachment, Message, Participant, Thread

if TYPE_CHECKING:
    from otmetka.accounts.models import User

FOLDER_SIZE = 50  # the newest threads of a folder; search finds older ones


def _unread() -> Q:
    """A participant row with something received after their last read."""
    return Q(last_in_at__isnull=False) & (
        Q(last_read_at__isnull=True) | Q(last_in_at__gt=F("last_read_at"))
    )


def unread_count(*, user: Any, school: Any) -> int:
    """Threads with something unread for the user in the school (one query)."""
    if school is None or not getattr(user, "is_authenticated", False):
        return 0
    rows = Participant.objects.filter(school=school, user_id=user.pk, hidden_at__isnull=True)
    return rows.filter(_unread()).count()


def _variants(text: str) -> set[str]:
    """Case variants of a search text: SQLite folds ASCII only, so Cyrillic is tried as typed,
    lower, upper and capitalised (PostgreSQL's ILIKE folds them all anyway)."""
    return {text, text.lower(), text.upper(), text.capitalize()}


def _matches(field: str, text: str) -> Q:
    q = Q(pk__in=[])
    for variant in _variants(text):
        q |= Q(**{f"{field}__icontains": variant})
    return q


def folder(
    *, user: Any, school: Any, name: str, text: str = "", person: str = ""
) -> list[Participant]:
    """Participant rows (with thread and author) of the user's inbox or sent folder, newest
    first, narrowed by a text in the subject or visible messages and by a person's name; an
    inbox row has `last_sender`, who wrote the newest message the user received in it."""
    rows = list(
        folder_rows(user=user, school=school, name=name, text=text, person=person)[:FOLDER_SIZE]
    )
    if name == "inbox":  # who wrote last, as mail clients show it (one query)
        senders = folder_extra(user=user, rows=rows, recipients=False).sender
        for p in rows:
            p.last_sender = senders.get(p.thread_id)  # type: ignore[attr-defined]
    return rows


def folder_rows(
    *,
    user: Any,
    school: Any,
    name: str,
    text: str = "",
    person: str = "",
    unread_only: bool = False,
) -> QuerySet[Participant]:
    """The unsliced rows of `folder`, newest first (the API pages through them)."""
    rows = Participant.objects.filter(school=school, user_id=user.pk, hidden_at__isnull=True)
    if unread_only:
        rows = rows.filter(_unread())
    order = "-last_in_at" if name == "inbox" else "-last_out_at"
    rows = rows.filter(**{f"{order[1:]}__isnull": False})
    if text:
        said = Message.objects.filter(
            access.message_visible(user.pk), thread_id=OuterRef("thread_id")
        )
        rows = rows.filter(
            _matches("thread__subject", text) | Q(Exists(said.filter(_matches("body", text))))
        )
    if person:
        names = Q(pk__in=[])
        for field in ("user__last_name", "user__first_name"):
            names |= _matches(field, person)
        others = Participant.objects.filter(names, thread_id=OuterRef("thread_id")).exclude(
            user_id=user.pk
        )
        rows = rows.filter(Exists(others))
    return rows.select_related("thread__author").order_by(order, "-pk")


@dataclass
class FolderExtra:
    """For a page of folder rows: the newest message each user sees, whether it has files,
    who wrote the newest one the user received, and (sent folder) who each thread went to."""

    last: dict[int, Message]
    to: dict[int, list[Any]]
    sender: dict[int, Any]


def folder_extra(*, user: Any, rows: list[Participant], recipients: bool) -> FolderExtra:
    """The newest visible message of each row's thread (with a files flag), the sender of the
    newest one received and, when asked, the thread's other participants: two queries whatever
    the page's size."""
    ids = [p.thread_id for p in rows]
    visible = Message.objects.filter(
        access.message_visible(user.pk), thread_id=OuterRef("thread_id")
    )
    newest = visible.order_by("-sent_at", "-pk").values("pk")[:1]
    received = visible.exclude(sender_id=user.pk).order_by("-sent_at", "-pk").values("pk")[:1]
    mine = Participant.objects.filter(pk__in=[p.pk for p in rows])
    files = Attachment.objects.filter(message_id=OuterRef("pk"))
    found = (
        Message.objects.filter(  # one IN of a UNION: with an OR of two IN subqueries PostgreSQL
            pk__in=mine.values(m=Subquery(newest)).union(mine.values(m=Subquery(received)))
        )  # can only scan every message, filtering by both (EXPLAIN)
        .select_related("sender")
        .annotate(with_files=Exists(files))
        .order_by("sent_at", "pk")
    )
    last: dict[int, Message] = {}
    sender: dict[int, Any] = {}
    for m in found:  # oldest first: the newest of each thread wins
        last[m.thread_id] = m
        if m.sender_id != user.pk:
            sender[m.thread_id] = m.sender
    to: dict[int, list[Any]] = {i: [] for i in ids}
    if recipients and ids:
        others = Participant.objects.filter(thread_id__in=ids).exclude(user_id=user.pk)
        for p in others.select_related("user").order_by("user__last_name", "user__first_name"):
            to[p.thread_id].append(p.user)
    return FolderExtra(last, to, sender)


@dataclass
class ThreadView:
    """One thread as its reader sees it."""

    thread: Thread
    participant: Participant | None
    messages: list[Message]
    may_reply: bool
    reply_to: Any


def thread_view(*, user: Any, school: Any, thread_id: Any) -> ThreadView:
    """The thread with the messages the user sees (all of them for the director reading a
    reported thread) and their attachments; 404 when not theirs. Three queries."""
    thread, participant = access.thread_access(user, school, thread_id)
    messages = Message.objects.filter(thread=thread).select_related("sender", "to_user")
    if participant is not None:
        messages = messages.filter(access.message_visible(user.pk))
    found = list(messages.prefetch_related("attachments").order_by("sent_at", "pk"))
    conversation = thread.kind == Thread.Kind.CONVERSATION
    may_reply = participant is not None and conversation
    return ThreadView(thread, participant, found, may_reply, _reply_to(user, thread, found))


def _reply_to(user: Any, thread: Thread, messages: list[Message]) -> Any:
    """Whom a reply goes to: the author's reply answers the last private message sent to
    them, if the thread has one; anyone else's reply in a thread to many goes to the author."""
    if thread.author_id == user.pk:
        for m in reversed(messages):
            if m.to_user_id == user.pk:
                return m.sender
        return None
    return thread.author


@dataclass
class Receipt:
    """Who received the thread's first message and when they read and acknowledged it."""

    user: Any
    read_at: Any
    acknowledged_at: Any


def receipts(*, user: Any, school: Any, thread_id: Any) -> tuple[Thread, list[Receipt]]:
    """The author's view of who has read the thread (and acknowledged it): unread first, by
    name. 404 for anyone but the author. Two queries."""
    thread, _me = access.thread_access(user, school, thread_id)
    access.thread_require_author(user, thread)
    rows = (
        Participant.objects.filter(thread=thread)
        .exclude(user_id=thread.author_id)
        .select_related("user")
        .order_by(F("first_read_at").asc(nulls_first=True), "user__last_name", "user__first_name")
    )
    return thread, [Receipt(p.user, p.first_read_at, p.acknowledged_at) for p in rows]


def reported_threads(*, user: Any, school: Any) -> QuerySet[Thread]:
    """Reported threads of the school for the director; 404 for anyone else."""
    if not access.is_moderator(user, school):
        raise Http404
    return (
        Thread.objects.filter(school=school, reported_at__isnull=False)
        .select_related("author")
        .order_by("-reported_at")
    )


def attachment_for(*, user: Any, school: Any, pk: Any) -> Attachment:
    """An attachment of a message the user may see (the director: of a reported thread)."""
    try:
        found = Attachment.objects.select_related("message").get(school=school, pk=int(pk))
    except (Attachment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    _thread, participant = access.thread_access(user, school, found.message.thread_id)
    if participant is not None:
        visible = Message.objects.filter(access.message_visible(user.pk), pk=found.message_id)
        if not visible.exists():
            raise Http404
    return found


def recipient_choices(
    *, user: Any, school: Any, only: list[str] | None = None
) -> list[tuple[int, str]]:
    """People the user may write to, by name, as (id, "Фамилия И. О." with a hint). `only`
    (ids as posted) narrows the list to those: checking a sent form needs no whole-school list."""
    users = access.writable_users(user, school).order_by("last_name", "first_name", "pk")
    if only is not None:
        users = users.filter(pk__in={int(v) for v in only if v.isdigit() and len(v) < 12})
    return [(u.pk, u.full_name or u.username) for u in users[:2000]]


def people_label() -> str:
    """The name of the list of people one may write to (the API's first receiver group)."""
    return _("People")


def group_choices(*, user: Any, school: Any) -> list[tuple[str, str]]:
    """Groups the user may write to: staff only (parents, students, the whole class of each
    class with students now; parents of a parallel; all teachers; all staff)."""
    from otmetka.school.models import SchoolClass

    if not access.may_announce(user, school):
        return []
    rows = SchoolClass.objects.filter(_current_enrollment("enrollments__"), school=school)
    classes = list(rows.distinct().order_by("grade", "letter"))
    groups: list[tuple[str, str]] = [
        ("teachers", _("All teachers")),
        ("staff", _("All staff")),
    ]
    for grade in sorted({c.grade for c in classes}):
        groups.append((f"grade:{grade}", _("Parents of grade %(grade)s") % {"grade": grade}))
    for c in classes:
        groups.append((f"parents:{c.pk}", _("Parents of %(cls)s") % {"cls": c}))
        groups.append((f"students:{c.pk}", _("Students of %(cls)s") % {"cls": c}))
        groups.append((f"class:{c.pk}", _("%(cls)s: students and parents") % {"cls": c}))
    return groups


def group_members(*, school: Any, key: str) -> "QuerySet[User]":
    """The users of a group key of `group_choices` (an unknown key: nobody)."""
    from otmetka.access.models import RoleMembership
    from otmetka.access.rules import TEACHING_ROLES
    from otmetka.people.models import Guardian, Student

    users = access.school_users(school)
    kind, _sep, arg = key.partition(":")
    current = _current_enrollment("student__enrollments__")
    if kind == "teachers":
        roles = RoleMembership.objects.filter(school=school, role__in=TEACHING_ROLES)
        return users.filter(pk__in=roles.values("user_id"))
    if kind == "staff":
        return users.filter(pk__in=RoleMembership.objects.filter(school=school).values("user_id"))
    if kind == "grade" and arg.isdigit() and len(arg) < 3:
        where = current & Q(student__enrollments__school_class__grade=int(arg))
        links = Guardian.objects.filter(where, live_links(), school=school)
        return users.filter(pk__in=links.values("user_id"))
    if kind in ("parents", "students", "class") and arg.isdigit() and len(arg) < 12:
        where = _current_enrollment("enrollments__") & Q(enrollments__school_class_id=int(arg))
        students = Student.objects.filter(where, school=school)
        links = Guardian.objects.filter(live_links(), school=school, student__in=students)
        parents = links.values("user_id")
        q = Q(pk__in=[])
        if kind in ("parents", "class"):
            q |= Q(pk__in=parents)
        if kind in ("students", "class"):
            q |= Q(pk__in=students.values("user_id"))
        return users.filter(q)
    return users.none()


def notification_choices(*, user: Any) -> dict[str, Any]:
    """The user's channel per kind of news and their digest hour (one or two queries). Without
    a saved choice: a parent gets a daily digest of their children's new marks and absences;
    everything else stays in the app (messages are e-mailed only when the user asks)."""
    from otmetka.messaging.models import DIGEST_HOUR, KIND_CHANNELS, Channel, MailSetting
    from otmetka.people.models import Guardian

    row = MailSetting.objects.filter(user_id=user.pk).first()
    if row is not None:
        found = {kind: getattr(row, kind) for kind in KIND_CHANNELS}
        return {**found, "digest_hour": row.digest_hour}
    choices: dict[str, Any] = dict.fromkeys(KIND_CHANNELS, Channel.APP.value)
    if Guardian.objects.filter(live_links(), user_id=user.pk).exists():
        choices.update(mark=Channel.DIGEST.value, absence=Channel.DIGEST.value)
    return {**choices, "digest_hour": DIGEST_HOUR}


def notification_kinds(*, user: Any, school: Any) -> list[str]:
    """The kinds of news the settings page offers the user: marks, absences and homework to
    parents and students, journal reminders to staff, messages and announcements to all."""
    from otmetka.people.models import Guardian, Student

    kinds = []
    has_students = (
        Guardian.objects.filter(live_links(), user_id=user.pk).exists()
        or Student.objects.filter(user_id=user.pk).exists()
    )
    if has_students:
        kinds += ["mark", "absence", "homework"]
    kinds += ["message", "announcement"]
    if access.is_messaging_staff(user, school):
        kinds.append("reminder")
    return kinds
