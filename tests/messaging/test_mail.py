"""E-mail of new messages: a real worker run sends through a real SMTP server (aiosmtpd)
started here; the mail is read back, and its unsubscribe link works without logging in."""

import email
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from otmetka.messaging.models import MailSetting, OutgoingMail
from otmetka.messaging.services import notification_choices_set
from tests.messaging.helpers import Inbox, _free_port, _text
from tests.world import World

# A real worker run checks its connection between tasks (`close_old_connections`), which closes
# one inside a test transaction: the test commits for real, like the worker in production.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_mails_an_opted_in_parent_who_can_unsubscribe(
    world: World, client_for: Any, smtp: Inbox
) -> None:
    parent = world.user("guardian_7a")
    parent.email = "mama@example.org"
    parent.save()
    student = world.user("student_7a")
    student.email = "pupil@example.org"  # an address, but no opt-in: no mail
    student.save()
    notification_choices_set(actor=parent, choices={"message": "email"})
    teacher = client_for("teacher_7a_math")
    response = teacher.post(
        "/messages/new/",
        {"to": [parent.pk, student.pk], "subject": "Контрольная", "body": "Во вторник."},
    )
    assert response.status_code == 302
    assert smtp.mails == []  # nothing is sent inside the request

    call_command("worker", "--batch", verbosity=0)

    assert len(smtp.mails) == 1
    rcpt, mail = smtp.mails[0]
    assert rcpt == ["mama@example.org"]
    assert str(email.header.make_header(email.header.decode_header(mail["Subject"]))) == (
        "Новое сообщение: Контрольная"
    )
    text = _text(mail, "text/plain")
    assert "Числов Максим Андреевич написал(а) вам в «Отметке»: «Контрольная»." in text
    assert "Открыть сообщение" in _text(mail, "text/html")
    link = re.search(r"http://testserver(/messages/unsubscribe/\S+/)", text).group(1)
    assert "".join(mail["List-Unsubscribe"].split()) == f"<http://testserver{link}>"
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT

    assert Client().post(link).status_code == 200  # no login
    assert MailSetting.objects.get(user=parent).message == "app"


def test_a_failed_send_is_retried_later_and_then_recorded_failed(
    world: World, client_for: Any, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens
    parent = world.user("guardian_7a")
    parent.email = "mama@example.org"
    parent.save()
    notification_choices_set(actor=parent, choices={"message": "email"})
    client_for("teacher_7a_math").post(
        "/messages/new/", {"to": [parent.pk], "subject": "Тема", "body": "Текст"}
    )
    call_command("worker", "--batch", verbosity=0)
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts) == (OutgoingMail.Status.QUEUED, 1)
    assert "ConnectionRefusedError" in mail.last_error
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="mail_send")
    assert waiting.count() == 1 and waiting.get().run_after is not None

    from otmetka.messaging.tasks import ATTEMPTS, mail_send

    for _ in range(ATTEMPTS - 1):
        mail_send.call(mail.pk)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (OutgoingMail.Status.FAILED, ATTEMPTS)
