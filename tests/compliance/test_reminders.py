"""An hour before 16:00 the worker reminds a teacher of today's open entries, once a day."""

import datetime

import time_machine

from otmetka.compliance.rollups import compliance_tick
from otmetka.messaging.journal_reminders import journal_reminders_send
from otmetka.messaging.models import Message, Thread
from tests.compliance.helpers import at, lesson
from tests.world import World

TODAY = datetime.date(2026, 11, 18)


def test_a_teacher_is_reminded_once_before_the_deadline(world: World) -> None:
    lesson(world.course_7a_math, TODAY, "09:00", "09:45")
    with time_machine.travel(at(TODAY, "10:00"), tick=False):
        compliance_tick()  # today's lesson gets its rollup, pending until 16:00
        assert journal_reminders_send() == 0  # too early
    with time_machine.travel(at(TODAY, "15:05"), tick=False):
        assert journal_reminders_send() == 1
        assert journal_reminders_send() == 0  # once a day
    thread = Thread.objects.get(kind=Thread.Kind.REMINDER)
    body = Message.objects.get(thread=thread).body
    assert "Нет темы урока — до 16:00 сегодня" in body and "Математика, 7А" in body
    assert thread.participants.filter(user=world.user("teacher_7a_math")).exists()
