"""Staleness (issue 14: ≤ 60 s): a teacher's entry reaches the region dashboard through the
worker's own rollup thread — the same threads `otmetka worker` starts — and not before it runs.
A real thread with its own connection against a committed database; the clock runs (ticks) from
a fixed school morning, so the deadline's verdict doesn't depend on when the suite runs."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
import time_machine
from django.db import connections

from otmetka.compliance.models import DayRollup
from otmetka.compliance.rollups import compliance_tick
from otmetka.compliance.selectors import region_dashboard
from otmetka.journal import services
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Lesson
from otmetka.messaging.management.commands import worker
from tests.compliance.helpers import at, lesson
from tests.world import World

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 18)  # a Wednesday
WAIT = 20.0  # seconds the test waits for the thread at most (it runs every 0.2 s here)


def _topic_share(viewer: object, school_id: int) -> tuple[int, Decimal | None]:
    rows, _districts = region_dashboard(user=viewer, start=TODAY, end=TODAY)
    row = next(r for r in rows if r.pk == school_id)
    return row.lessons, row.topic


def test_the_worker_thread_brings_a_topic_to_the_region_dashboard(world: World) -> None:
    journal_defaults_ensure(school=world.school)
    held = lesson(world.course_7a_math, TODAY, "09:00", "09:45")
    viewer, teacher = world.user("region_viewer"), world.user("teacher_7a_math")
    stop = threading.Event()
    threads: list[threading.Thread] = []
    with time_machine.travel(at(TODAY, "11:00"), tick=True):
        compliance_tick()  # the rollups as they stood: today's topic not entered yet
        assert _topic_share(viewer, world.school.pk) == (1, Decimal(0))
        services.lesson_update(actor=teacher, lesson=Lesson.objects.get(pk=held.pk),
                               topic="Сложение дробей")  # fmt: skip
        # A save writes nothing to the rollups: without the worker the dashboard stays as it was.
        assert _topic_share(viewer, world.school.pk) == (1, Decimal(0))
        try:
            threads = worker.threads_start(stop, tick=3600, rollup_every=0.2)
            started = time.monotonic()
            while _topic_share(viewer, world.school.pk) != (1, Decimal(100)):
                assert time.monotonic() - started < WAIT, "the worker never refreshed the rollup"
                time.sleep(0.1)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            connections.close_all()
    assert not any(thread.is_alive() for thread in threads)
    row = DayRollup.objects.get(course=world.course_7a_math, day=TODAY)
    assert (row.lessons, row.topic_on_time) == (1, 1)
