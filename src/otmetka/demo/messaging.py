"""Demo messages of the demo school: a parent's conversation with a subject teacher, a student's
question, the deputy's message to all teachers, and the homeroom teacher's announcement to the
class's parents with «Ознакомлен», read and acknowledged by part of them."""

import datetime
import random
from typing import Any

from django.db.models import F
from django.utils import timezone

from otmetka.messaging.models import Message, Participant, Thread
from otmetka.messaging.services import thread_reply, thread_start
from otmetka.school.models import SchoolClass


def messages_generate(*, school: Any, users: dict[str, Any], seed: int = 2026) -> int:
    """Write the demo threads through the services, then age them and mark part of the
    announcement read (in bulk, around the services). Returns the number of threads."""
    roles = ("teacher", "homeroom", "guardian", "student", "deputy")
    if not all(users.get(role) for role in roles):
        return 0
    teacher, homeroom, parent, student, deputy = (users[role] for role in roles)
    conversation(school, teacher, parent)
    thread_start(
        actor=student, school=school, subject="Вопрос по домашнему заданию",
        body="Здравствуйте! В задании №5 нужно решать все пункты или только а) и б)?",
        user_ids=[teacher.pk],
    )  # fmt: skip
    thread_start(
        actor=deputy, school=school, subject="Педагогический совет 27 ноября",
        body="Уважаемые коллеги! Педсовет в четверг в 15:00 в актовом зале. Повестка: итоги "
        "первой четверти, подготовка к ВПР. Прошу подготовить справки по своим классам.",
        groups=["teachers"], audience="Все учителя",
    )  # fmt: skip
    announcement(school, homeroom, seed)
    return Thread.objects.filter(school=school).count()


def conversation(school: Any, teacher: Any, parent: Any) -> None:
    """A teacher writes to a parent about a test; the parent answers; a day ago."""
    thread = thread_start(
        actor=teacher, school=school, subject="Контрольная работа в пятницу",
        body="Добрый день! В пятницу контрольная работа по теме «Линейные уравнения». "
        "Прошу проследить, чтобы ребёнок повторил параграфы 8–10.",
        user_ids=[parent.pk],
    )  # fmt: skip
    thread_reply(
        actor=parent, school=school, thread_id=thread.pk,
        body="Здравствуйте! Спасибо, повторим. Можно ли переписать, если будет тройка?",
    )  # fmt: skip
    _age(thread, datetime.timedelta(days=1))


def announcement(school: Any, homeroom: Any, seed: int) -> None:
    """The homeroom teacher's announcement to the parents of their class: 2 days old, about
    three quarters have read it and half of those acknowledged it."""
    cls = SchoolClass.objects.filter(school=school, homeroom_teacher=homeroom).first()
    if cls is None:
        return
    thread = thread_start(
        actor=homeroom, school=school, subject="Родительское собрание",
        body=f"Уважаемые родители {cls}! Собрание в четверг в 18:00 в кабинете 12. "
        "Тема: итоги первой четверти и подготовка к зимним каникулам. Явка обязательна.",
        groups=[f"parents:{cls.pk}"], audience=f"Родители {cls}", announcement=True,
        needs_ack=True,
    )  # fmt: skip
    _age(thread, datetime.timedelta(days=2))
    rng = random.Random(seed)
    rows = list(Participant.objects.filter(thread=thread).exclude(user_id=homeroom.pk))
    readers = rng.sample(rows, k=len(rows) * 3 // 4)
    for n, row in enumerate(readers):
        row.first_read_at = row.last_read_at = thread.created_at + datetime.timedelta(hours=n + 1)
        row.acknowledged_at = row.first_read_at if n % 2 == 0 else None
    Participant.objects.bulk_update(readers, ["first_read_at", "last_read_at", "acknowledged_at"])


def _age(thread: Thread, ago: datetime.timedelta) -> None:
    """Move a thread and everything in it `ago` into the past."""
    Thread.objects.filter(pk=thread.pk).update(created_at=F("created_at") - ago)
    Message.objects.filter(thread=thread).update(sent_at=F("sent_at") - ago)
    for field in ("last_in_at", "last_out_at", "first_read_at", "last_read_at"):
        Participant.objects.filter(thread=thread, **{f"{field}__isnull": False}).update(
            **{field: F(field) - ago}
        )
    thread.created_at = timezone.now() - ago
