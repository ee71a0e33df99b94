"""Small builders for messaging tests: files that pass the homework checks, many parents."""

import datetime
import email
import socket
from email.message import Message as Mail
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from otmetka.accounts.models import User
from otmetka.people.models import Guardian, Student
from otmetka.school.models import Enrollment
from tests.world import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "задание.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def families(world: World, n: int, *, email: str = "") -> list[User]:
    """`n` more students of 7А, each with a parent who has an account; returns the parents."""
    parents = []
    for i in range(n):
        pupil = Student.objects.create(school=world.school, last_name=f"Ученик{i}", first_name="А")
        Enrollment.objects.create(
            school=world.school, student=pupil, school_class=world.class_7a,
            start=datetime.date(2026, 9, 1),
        )  # fmt: skip
        parent = User.objects.create(
            username=f"family{i}", last_name=f"Родитель{i}", first_name="Б",
            email=email.format(i=i) if email else "",
        )  # fmt: skip
        Guardian.objects.create(school=world.school, student=pupil, user=parent)
        parents.append(parent)
    return parents


def send(world: World, persona: str, to: list[str], **kw: Any) -> Any:
    from otmetka.messaging.services import thread_start

    kw.setdefault("subject", "Родительское собрание")
    kw.setdefault("body", "Собрание в четверг в 18:00.")
    return thread_start(
        actor=world.user(persona), school=world.school,
        user_ids=[world.user(p).pk for p in to], **kw,
    )  # fmt: skip


class Inbox:
    """aiosmtpd handler keeping every received mail."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], Mail]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _text(mail: Mail, kind: str) -> str:
    for part in mail.walk():
        if part.get_content_type() == kind:
            return part.get_payload(decode=True).decode(part.get_content_charset())
    return ""
