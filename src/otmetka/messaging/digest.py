"""The daily digest: once a day, at the hour the user chose (school time), one e-mail gathering
what they asked to get in a digest — their children's (or their own) new marks, absences and
homework, and unread messages and announcements.

`digests_schedule` runs every minute in `otmetka worker` (see the worker command): it creates one
`Digest` row per user due at this hour and day and enqueues `digest_send` for it. The row is
unique per user and day, so two workers (or two ticks) never send a digest twice. The journal
is only read here: messaging sits above journal in the app order.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from otmetka.access.diary import diary_students, live_links
from otmetka.access.rules import _current_enrollment
from otmetka.accounts.models import User
from otmetka.messaging.models import (
    DIGEST_HOUR,
    KIND_CHANNELS,
    Channel,
    Digest,
    MailSetting,
    Participant,
)
from otmetka.messaging.tasks import KIND_OF_THREAD, mail_render, retry_or_fail

LOOKBACK_MAX = datetime.timedelta(days=3)  # news older than this is not gathered


def due_users(now: datetime.datetime) -> "QuerySet[User]":
    """Active users with an address whose digest hour is the current hour and who have no
    digest for today yet: those who chose a digest for some kind at this hour, and parents who
    never chose anything (their default is a digest at DIGEST_HOUR)."""
    from otmetka.people.models import Guardian

    local = timezone.localtime(now)
    wants = Q(pk__in=[])
    for kind in KIND_CHANNELS:
        wants |= Q(**{kind: Channel.DIGEST})
    chosen = MailSetting.objects.filter(wants, digest_hour=local.hour).values("user_id")
    who = Q(pk__in=chosen)
    if local.hour == DIGEST_HOUR:
        parent = Guardian.objects.filter(live_links(), user_id=OuterRef("pk"))
        unset = MailSetting.objects.filter(user_id=OuterRef("pk"))
        who |= Q(Exists(parent)) & ~Q(Exists(unset))
    done = Digest.objects.filter(user_id=OuterRef("pk"), day=local.date())
    return User.objects.filter(who, is_active=True).exclude(email="").exclude(Exists(done))


def digests_schedule(now: datetime.datetime | None = None) -> int:
    """Create and enqueue today's digests of the users due now; returns how many. Safe to run
    from several workers at once: the (user, day) row is created by one of them only."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    made = 0
    for user_id in due_users(now).values_list("pk", flat=True):
        last = (
            Digest.objects.filter(user_id=user_id)
            .exclude(status=Digest.Status.FAILED)
            .order_by("-day")
            .values_list("created_at", flat=True)
            .first()
        )
        since = max(last or now - datetime.timedelta(days=1), now - LOOKBACK_MAX)
        try:
            with transaction.atomic():
                row = Digest.objects.create(user_id=user_id, day=day, since=since, created_at=now)
                digest_send.enqueue(row.pk)
        except IntegrityError:  # another worker made it first
            continue
        made += 1
    return made


@dataclass
class ChildNews:
    """What is new about one student."""

    name: str
    marks: list[str] = field(default_factory=list)
    absences: list[str] = field(default_factory=list)
    homework: list[str] = field(default_factory=list)


@dataclass
class DigestContent:
    children: list[ChildNews]
    threads: list[str]

    def __bool__(self) -> bool:
        return bool(self.threads) or any(c.marks or c.absences or c.homework for c in self.children)


def digest_content(user: Any, since: datetime.datetime, until: datetime.datetime) -> DigestContent:
    """The news of [since, until) the user asked to get in the digest. A fixed number of
    queries per child (three), plus three."""
    from otmetka.curriculum.models import Course
    from otmetka.journal.models import Absence, Lesson, Mark
    from otmetka.messaging.selectors import notification_choices

    choices = notification_choices(user=user)
    wanted = {kind for kind in KIND_CHANNELS if choices[kind] == Channel.DIGEST}
    window = {"created_at__gte": since, "created_at__lt": until}
    students = diary_students(user)  # a link that has ended reads nothing, in mail too
    children = []
    if wanted & {"mark", "absence", "homework"}:
        for student in students.distinct().order_by("last_name", "first_name", "pk"):
            news = ChildNews(student.full_name)
            if "mark" in wanted:
                marks = Mark.objects.filter(student=student, is_deleted=False, **window)
                for m in marks.select_related("lesson__course__subject", "kind").order_by(
                    "lesson__date", "pk"
                ):
                    news.marks.append(
                        f"{m.lesson.course.subject.name}: {m.value} ({m.kind.name}, "
                        f"{m.lesson.date:%d.%m})"
                    )
            if "absence" in wanted:
                absences = Absence.objects.filter(student=student, **window)
                for a in absences.select_related("lesson__course__subject", "code").order_by(
                    "lesson__date", "lesson__bell_number", "pk"
                ):
                    news.absences.append(
                        f"{a.lesson.date:%d.%m}, {a.lesson.course.subject.name}: {a.code.name}"
                    )
            if "homework" in wanted:
                enrolled = _current_enrollment("school_class__enrollments__") & Q(
                    school_class__enrollments__student=student
                )
                member = _current_enrollment("members__") & Q(members__student=student)
                courses = Course.objects.filter(enrolled | member).values("pk")
                lessons = Lesson.objects.filter(
                    course__in=courses,
                    homework_entered_at__gte=since,
                    homework_entered_at__lt=until,
                ).exclude(homework="")
                for lesson in lessons.select_related("course__subject").order_by("date", "pk"):
                    news.homework.append(
                        f"{lesson.course.subject.name} ({lesson.date:%d.%m}): {lesson.homework}"
                    )
            children.append(news)
    kinds = [k for k, name in KIND_OF_THREAD.items() if name in wanted and name != "reminder"]
    rows = (
        Participant.objects.filter(
            user_id=user.pk,
            hidden_at__isnull=True,
            thread__kind__in=kinds,
            last_in_at__gte=since,
            last_in_at__lt=until,
        )
        .filter(Q(last_read_at__isnull=True) | Q(last_in_at__gt=F("last_read_at")))
        .select_related("thread__author")
        .order_by("-last_in_at")[:50]
    )
    threads = [f"{p.thread.author.full_name}: «{p.thread.subject}»" for p in rows]
    return DigestContent(children, threads)


@task()
def digest_send(digest_id: int) -> str:
    """Build and send one digest; nothing new → recorded «nothing new», no mail. A failure is
    retried after 1, 2, 4, 8 minutes, then recorded failed."""
    row = (
        Digest.objects.select_related("user")
        .filter(pk=digest_id, status=Digest.Status.QUEUED)
        .first()
    )
    if row is None:
        return "gone"
    content = digest_content(row.user, row.since, row.created_at)
    if not content:
        Digest.objects.filter(pk=row.pk).update(status=Digest.Status.EMPTY)
        return "empty"
    try:
        digest_mail(row, content).send()
    except Exception as exc:  # any SMTP or network failure is retried
        return retry_or_fail(row, exc, digest_send)
    Digest.objects.filter(pk=row.pk).update(
        status=Digest.Status.SENT, sent_at=timezone.now(), attempts=row.attempts + 1
    )
    return "sent"


def digest_mail(row: Digest, content: DigestContent) -> EmailMultiAlternatives:
    """The digest in Russian, text and HTML, with the one-click unsubscribe link."""
    base = settings.OTMETKA_BASE_URL
    context: dict[str, Any] = {
        "day": row.day,
        "children": content.children,
        "threads": content.threads,
        "url": base + "/",
        "settings_url": base + reverse("messaging:settings"),
    }
    return mail_render("messaging/digest", context, user_id=row.user_id, address=row.user.email)
