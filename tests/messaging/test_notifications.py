"""Notification choices (per kind and channel), the daily digest built by a real worker run and
sent through a real SMTP server (aiosmtpd), and the journal-gap reminder hook."""

import datetime
import email
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from otmetka.audit.models import Event as AuditEvent
from otmetka.journal.models import Absence, Mark
from otmetka.messaging.digest import digests_schedule, due_users
from otmetka.messaging.models import Digest, MailSetting, OutgoingMail, Participant, Thread
from otmetka.messaging.selectors import notification_choices
from otmetka.messaging.services import (
    JournalGap,
    notification_choices_set,
    remind_journal_gaps,
    thread_start,
)
from tests.journal.helpers import code, kind, lesson_on
from tests.messaging.helpers import Inbox, _text
from tests.world import World

pytestmark = pytest.mark.django_db(transaction=True)


def _subject(mail: Any) -> str:
    return str(email.header.make_header(email.header.decode_header(mail["Subject"])))


def _with_email(world: World, persona: str, address: str) -> Any:
    user = world.user(persona)
    user.email = address
    user.save()
    return user


def test_defaults_a_parent_gets_a_digest_of_marks_and_absences_others_the_app(
    world: World,
) -> None:
    parent = notification_choices(user=world.user("guardian_7a"))
    assert (parent["mark"], parent["absence"], parent["homework"]) == ("digest", "digest", "app")
    assert (parent["message"], parent["digest_hour"]) == ("app", 18)
    teacher = notification_choices(user=world.user("teacher_7a_math"))
    assert {teacher[k] for k in ("mark", "absence", "message", "announcement")} == {"app"}


def test_the_settings_page_offers_each_user_their_kinds_and_saves_them(
    world: World, client_for: Any
) -> None:
    parent = client_for("guardian_7a")
    page = parent.get("/messages/settings/").content.decode()
    assert "Уведомления" in page and "Новые отметки" in page and "в ежедневной сводке" in page
    assert "Напоминания о журнале" not in page
    teacher_page = client_for("teacher_7a_math").get("/messages/settings/").content.decode()
    assert "Напоминания о журнале" in teacher_page and "Новые отметки" not in teacher_page

    data = {"mark": "app", "absence": "digest", "homework": "digest", "message": "email",
            "announcement": "digest", "digest_hour": "7"}  # fmt: skip
    assert parent.post("/messages/settings/", data).status_code == 302
    row = MailSetting.objects.get(user=world.user("guardian_7a"))
    assert (row.mark, row.homework, row.message, row.digest_hour) == ("app", "digest", "email", 7)
    assert AuditEvent.objects.filter(action="notification_choices").count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"mark": "email"},  # marks are never mailed one by one
        {"message": "sms"},
        {"digest_hour": "24"},
        {"digest_hour": "\x00"},
        {"digest_hour": "9" * 40},
    ],
)
def test_a_bad_choice_is_refused_in_russian_and_nothing_is_saved(
    world: World, client_for: Any, bad: dict[str, str]
) -> None:
    data = {"mark": "digest", "absence": "digest", "homework": "app", "message": "app",
            "announcement": "app", "digest_hour": "18", **bad}  # fmt: skip
    response = client_for("guardian_7a").post("/messages/settings/", data)
    assert response.status_code == 400
    assert "Выберите" in response.content.decode()
    assert not MailSetting.objects.exists()


def test_the_service_refuses_a_channel_the_kind_does_not_offer(world: World) -> None:
    with pytest.raises(ValidationError):
        notification_choices_set(actor=world.user("teacher_7a_math"), choices={"mark": "email"})
    assert not MailSetting.objects.exists()


def test_the_worker_sends_a_parent_a_digest_with_the_new_mark_once_a_day(
    world: World, smtp: Inbox, school_day: Any
) -> None:
    parent = _with_email(world, "guardian_7a", "mama@example.org")
    _with_email(world, "teacher_7a_math", "teacher@example.org")  # no digest chosen: no mail
    # 10:00 UTC is 13:00 in Moscow, the school's time.
    notification_choices_set(
        actor=parent, choices={"digest_hour": 13, "homework": "digest", "announcement": "digest"}
    )
    teacher = world.user("teacher_7a_math")
    lesson = lesson_on(world.course_7a_math, datetime.date(2026, 11, 17), homework="№ 245")
    lesson.homework_entered_at = _now()
    lesson.save()
    Mark.objects.create(
        school=world.school, lesson=lesson, student=world.pupil_7a, value="5",
        kind=kind(world), created_by=teacher,
    )  # fmt: skip
    Absence.objects.create(
        school=world.school, lesson=lesson, student=world.pupil_7a, code=code(world, "н"),
        created_by=teacher,
    )  # fmt: skip
    thread_start(
        actor=world.user("homeroom_7a"), school=world.school, subject="Собрание",
        body="В четверг.", groups=[f"parents:{world.class_7a.pk}"], announcement=True,
    )  # fmt: skip
    school_day.shift(60)

    call_command("worker", "--batch", verbosity=0)

    assert len(smtp.mails) == 1
    rcpt, mail = smtp.mails[0]
    assert rcpt == ["mama@example.org"]
    assert _subject(mail) == "«Отметка»: новое за 18.11.2026"
    text = _text(mail, "text/plain")
    assert "Иванов Иван Иванович" in text
    assert "Новые отметки:" in text and "Математика: 5 (Ответ на уроке, 17.11)" in text
    assert "Пропуски:" in text and "17.11, Математика:" in text
    assert "Домашнее задание:" in text and "№ 245" in text
    assert "Непрочитанные сообщения:" in text and "«Собрание»" in text
    assert "Новые отметки:" in _text(mail, "text/html")
    link = re.search(r"http://testserver(/messages/unsubscribe/\S+/)", text).group(1)
    assert "".join(mail["List-Unsubscribe"].split()) == f"<http://testserver{link}>"
    assert Digest.objects.get().status == Digest.Status.SENT
    assert OutgoingMail.objects.count() == 0  # the announcement was for the digest only

    # Another tick (or a second worker) the same day sends nothing more.
    school_day.shift(60)
    assert digests_schedule() == 0
    call_command("worker", "--batch", verbosity=0)
    assert len(smtp.mails) == 1

    # The unsubscribe link turns the digest off too.
    assert Client().post(link).status_code == 200
    assert MailSetting.objects.get(user=parent).mark == "app"


def test_a_parent_who_never_chose_gets_the_digest_at_18_and_nothing_new_sends_nothing(
    world: World, smtp: Inbox, school_day: Any
) -> None:
    parent = _with_email(world, "guardian_7a", "mama@example.org")
    _with_email(world, "teacher_7a_math", "teacher@example.org")
    assert list(due_users(_now())) == []  # 13:00 in Moscow: not the default hour
    school_day.move_to(datetime.datetime(2026, 11, 18, 15, 0, tzinfo=datetime.UTC))  # 18:00
    assert list(due_users(_now())) == [parent]
    call_command("worker", "--batch", verbosity=0)
    assert smtp.mails == []
    assert Digest.objects.get(user=parent).status == Digest.Status.EMPTY


def _now() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now()


def test_two_schedulers_at_once_make_one_digest(world: World, school_day: Any) -> None:
    _with_email(world, "guardian_7a", "mama@example.org")
    school_day.move_to(datetime.datetime(2026, 11, 18, 15, 0, tzinfo=datetime.UTC))
    assert digests_schedule() == 1
    assert digests_schedule() == 0
    assert Digest.objects.count() == 1


def test_a_journal_gap_reminder_reaches_the_teacher_in_the_app_and_by_mail(
    world: World, smtp: Inbox
) -> None:
    teacher = _with_email(world, "teacher_7a_math", "teacher@example.org")
    notification_choices_set(actor=teacher, choices={"reminder": "email"})
    deputy = world.user("deputy")
    gaps = [
        JournalGap("Не отмечена посещаемость", "Математика, 7А", datetime.date(2026, 11, 17)),
        JournalGap("Нет темы урока", "Математика, 7А", datetime.date(2026, 11, 16), "/journal/1/"),
    ]
    thread = remind_journal_gaps(teacher=teacher, gaps=gaps, actor=deputy, school=world.school)

    assert thread is not None and thread.kind == Thread.Kind.REMINDER
    assert thread.subject == "2 пробела в журнале"
    body = thread.messages.get().body
    assert "17.11.2026 · Математика, 7А — Не отмечена посещаемость" in body
    assert "http://testserver/journal/1/" in body
    mine = Participant.objects.get(thread=thread, user=teacher)
    assert mine.is_unread
    assert AuditEvent.objects.filter(action="message_send").count() == 1
    call_command("worker", "--batch", verbosity=0)
    assert [rcpt for rcpt, _mail in smtp.mails] == [["teacher@example.org"]]


def test_a_reminder_without_gaps_or_with_bad_text_writes_nothing(world: World) -> None:
    teacher, deputy = world.user("teacher_7a_math"), world.user("deputy")
    assert remind_journal_gaps(teacher=teacher, gaps=[], actor=deputy, school=world.school) is None
    bad = [JournalGap("Нет\x00темы", "Математика, 7А", datetime.date(2026, 11, 16))]
    with pytest.raises(ValidationError):
        remind_journal_gaps(teacher=teacher, gaps=bad, actor=deputy, school=world.school)
    assert not Thread.objects.exists()
