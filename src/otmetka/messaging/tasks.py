"""Background work of messaging, run by `otmetka worker` (django-tasks, database backend):
one e-mail per new message to each recipient who has an address and asked for it (the daily
digest is in `digest.py`), retried with
a growing wait and then recorded as failed (admin: Outgoing e-mails)."""

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from otmetka.messaging.models import Channel, MailSetting, Message, OutgoingMail, Participant

# The notification kind of each kind of thread.
KIND_OF_THREAD = {"conversation": "message", "announcement": "announcement", "reminder": "reminder"}

ATTEMPTS = 5  # then the mail is recorded as failed
FIRST_WAIT = datetime.timedelta(minutes=1)  # doubled after every failure


@task()
def message_notify(message_id: int) -> int:
    """Queue one e-mail per recipient of a message who chose «an e-mail each time» for its kind
    (message, announcement, journal reminder); returns how many."""
    from otmetka.messaging.services import visible_to

    message = Message.objects.select_related("thread").filter(pk=message_id).first()
    if message is None:
        return 0
    users = Participant.objects.filter(visible_to(message)).values("user_id")
    kind = KIND_OF_THREAD[message.thread.kind]
    wanted = MailSetting.objects.filter(user_id__in=users, **{kind: Channel.EMAIL}).exclude(
        user__email=""
    )
    with transaction.atomic():
        mails = OutgoingMail.objects.bulk_create(
            OutgoingMail(school_id=message.school_id, message=message, user_id=uid, address=addr)
            for uid, addr in wanted.values_list("user_id", "user__email")
        )
        for mail in mails:
            mail_send.enqueue(mail.pk)
    return len(mails)


@task()
def mail_send(mail_id: int) -> str:
    """Send one queued e-mail; on failure try again later, after ATTEMPTS record it failed."""
    mail = (
        OutgoingMail.objects.select_related("message__thread", "message__sender")
        .filter(pk=mail_id, status=OutgoingMail.Status.QUEUED)
        .first()
    )
    if mail is None:
        return "gone"
    try:
        mail_build(mail).send()
    except Exception as exc:  # any SMTP or network failure is retried
        return _failed(mail, exc)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), attempts=mail.attempts + 1
    )
    return "sent"


def _failed(mail: OutgoingMail, exc: Exception) -> str:
    return retry_or_fail(mail, exc, mail_send)


def retry_or_fail(row: Any, exc: Exception, again: Any) -> str:
    """Count the attempt of an e-mail row (OutgoingMail, Digest: `attempts`, `status` queued or
    failed, `last_error`); queue the task `again` after a doubled wait, or give up."""
    model = type(row)
    attempts = row.attempts + 1
    status = model.Status.FAILED if attempts >= ATTEMPTS else model.Status.QUEUED
    with transaction.atomic():
        model.objects.filter(pk=row.pk).update(
            attempts=attempts, status=status, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        if status == model.Status.QUEUED:
            wait = FIRST_WAIT * 2 ** (attempts - 1)
            again.using(run_after=timezone.now() + wait).enqueue(row.pk)
    return str(status)


def mail_build(mail: OutgoingMail) -> EmailMultiAlternatives:
    """The e-mail of a new message in Russian, text and HTML, with a one-click unsubscribe link
    (no login)."""
    message = mail.message
    context: dict[str, Any] = {
        "sender": message.sender.full_name or message.sender.username,
        "subject": message.thread.subject,
        "url": settings.OTMETKA_BASE_URL + reverse("messaging:thread", args=[message.thread_id]),
    }
    return mail_render("messaging/mail", context, user_id=mail.user_id, address=mail.address)


def mail_render(
    template: str, context: dict[str, Any], *, user_id: int, address: str
) -> EmailMultiAlternatives:
    """An e-mail from `template`_subject.txt, .txt and .html in Russian, with the user's
    one-click unsubscribe link (`unsubscribe` in the context) and `List-Unsubscribe` headers."""
    from otmetka.messaging.services import unsubscribe_token

    base = settings.OTMETKA_BASE_URL
    unsubscribe = base + reverse("messaging:unsubscribe", args=[unsubscribe_token(user_id)])
    context = {**context, "unsubscribe": unsubscribe}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    return email
