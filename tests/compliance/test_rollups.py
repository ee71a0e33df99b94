"""Rollups kept incrementally (one insert per save, the worker's minute) agree with the full
recompute on a generated school; a mark save costs one query more, not more."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otmetka.compliance.hooks import connect
from otmetka.compliance.models import DayRollup, RollupDirty
from otmetka.compliance.rollups import COUNTS, compliance_tick, rollups_recompute
from otmetka.demo.generator import generate
from otmetka.journal import services
from otmetka.journal.models import Lesson, MarkKind
from otmetka.journal.signals import cells_saved
from otmetka.people.models import Student
from otmetka.school.models import Enrollment
from tests.compliance.helpers import MSK
from tests.world import World

TODAY = datetime.date(2026, 11, 18)
FIELDS = ("course_id", "day", "lessons", *COUNTS, "next_change_at")


def _rows(school: object) -> set[tuple]:
    return set(DayRollup.objects.filter(school=school).values_list(*FIELDS))


def _moment(day: datetime.date, hh: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hh), tzinfo=MSK)


@pytest.fixture
def demo(db: None) -> object:
    with time_machine.travel(_moment(TODAY, 8), tick=False):
        return generate(seed=3, classes_per_grade=(1, 1), students_per_class=3, today=TODAY)


def _open_lesson(school: object, day: datetime.date) -> Lesson:
    return (
        Lesson.objects.filter(school=school, date=day, course__school_class__grade__gt=1,
                              course__kind="lesson", substitution__isnull=True)
        .exclude(status="cancelled").select_related("course").order_by("pk").first()
    )  # fmt: skip


def test_incremental_rollups_agree_with_the_full_recompute(demo: object) -> None:
    school = demo.schools[0]
    first = TODAY - datetime.timedelta(weeks=10)
    assert DayRollup.objects.filter(school=school).exists()  # the demo rolled up
    with time_machine.travel(_moment(TODAY, 8), tick=False):
        rollups_recompute(school=school, start=first, end=TODAY)  # the window compared below
    with time_machine.travel(_moment(TODAY, 11), tick=False):
        lesson = _open_lesson(school, TODAY)
        teacher = lesson.course.teachers.first()
        pupil = Student.objects.filter(
            pk__in=Enrollment.objects.filter(school_class=lesson.course.school_class).values(
                "student_id"
            )
        ).first()
        written = MarkKind.objects.filter(school=school, is_written=True).first()
        services.mark_add(actor=teacher, lesson=lesson, student=pupil, value="5", kind=written)
        services.lesson_update(actor=teacher, lesson=lesson, topic="Дроби", homework="№ 5")
        assert RollupDirty.objects.filter(course=lesson.course, day=TODAY).exists()
        compliance_tick()
        assert not RollupDirty.objects.exists()
    for hour in (15, 17, 23):  # 16:00 passes: the pending entries of today turn missing
        with time_machine.travel(_moment(TODAY, hour), tick=False):
            compliance_tick()
            incremental = _rows(school)
            rollups_recompute(school=school, start=first, end=TODAY)
            assert _rows(school) == incremental
    today = DayRollup.objects.filter(school=school, day=TODAY)
    assert sum(r.topic_missing for r in today) > 0  # the demo left some topics of today open
    assert today.get(course=lesson.course).marks_on_time == 1  # the written work, marked at once


def test_a_mark_save_costs_one_query_for_the_rollup(world: World) -> None:
    from otmetka.journal.defaults import journal_defaults_ensure
    from tests.journal.helpers import lesson_on

    journal_defaults_ensure(school=world.school)
    lesson = lesson_on(world.course_7a_math, datetime.date(2026, 11, 17))
    kind = MarkKind.objects.filter(school=world.school).first()
    teacher = world.user("teacher_7a_math")

    def save(value: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.mark_add(actor=teacher, lesson=Lesson.objects.get(pk=lesson.pk),
                              student=world.pupil_7a, value=value, kind=kind)  # fmt: skip
        return len(ctx.captured_queries)

    save("3")  # warms the per-school reference cache (journal/refs.py): a cold one reads it once
    with_hook = save("5")
    cells_saved.disconnect(sender=Lesson, dispatch_uid="compliance-cells")
    try:
        without = save("4")
    finally:
        connect()
    assert with_hook - without == 1
    assert RollupDirty.objects.filter(course=world.course_7a_math).count() == 1
