"""Rollups kept incrementally (the worker's minute reads the audit events since its mark) agree
with the full recompute on a generated school; a mark save writes nothing for them; a moved
lesson's old day and new day are both refreshed; the per-(school, day) sums stay equal to their
courses' rows and the dashboard reads the same from them."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otmetka.audit.models import ChainHead
from otmetka.compliance.models import DayRollup, EventMark, SchoolDayRollup
from otmetka.compliance.rollups import COUNTS, compliance_tick, rollups_recompute
from otmetka.compliance.selectors import timeliness
from otmetka.demo.generator import generate
from otmetka.journal import services
from otmetka.journal.models import Lesson, MarkKind
from otmetka.journal.schedule import lesson_add_extra, lesson_cancel, lesson_move
from otmetka.people.models import Student
from otmetka.school.models import Bell, Enrollment
from tests.compliance.helpers import MSK
from tests.world import World

TODAY = datetime.date(2026, 11, 18)
FIELDS = ("course_id", "day", "lessons", *COUNTS, "next_change_at")


SUMS = ("lessons", *COUNTS)


def _rows(school: object) -> set[tuple]:
    return set(DayRollup.objects.filter(school=school).values_list(*FIELDS))


def _school_days(school: object) -> dict[datetime.date, tuple]:
    rows = SchoolDayRollup.objects.filter(school=school).values_list("day", *SUMS)
    return {day: tuple(sums) for day, *sums in rows}


def _sums_of_courses(school: object) -> dict[datetime.date, tuple]:
    """Each day's sums of the school's course rows, added up here."""
    sums: dict[datetime.date, list[int]] = {}
    for day, *counts in DayRollup.objects.filter(school=school).values_list("day", *SUMS):
        sums[day] = [a + b for a, b in zip(sums.get(day, [0] * len(SUMS)), counts, strict=True)]
    return {day: tuple(s) for day, s in sums.items()}


def _assert_school_days_are_the_sums(school: object) -> dict[datetime.date, tuple]:
    school_days = _school_days(school)
    assert school_days == _sums_of_courses(school)
    return school_days


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
        compliance_tick()
        head = ChainHead.objects.get(school_key=school.pk)
        assert EventMark.objects.get(school_key=school.pk).last_id == head.last_id
    for hour in (15, 17, 23):  # 16:00 passes: the pending entries of today turn missing
        with time_machine.travel(_moment(TODAY, hour), tick=False):
            compliance_tick()
            incremental = _rows(school)
            school_days = _assert_school_days_are_the_sums(school)
            rollups_recompute(school=school, start=first, end=TODAY)
            assert _rows(school) == incremental
            assert _school_days(school) == school_days
    today = DayRollup.objects.filter(school=school, day=TODAY)
    assert sum(r.topic_missing for r in today) > 0  # the demo left some topics of today open
    assert today.get(course=lesson.course).marks_on_time == 1  # the written work, marked at once


def test_a_mark_save_writes_nothing_for_the_rollups(world: World) -> None:
    from otmetka.journal.defaults import journal_defaults_ensure
    from tests.journal.helpers import lesson_on

    journal_defaults_ensure(school=world.school)
    lesson = lesson_on(world.course_7a_math, datetime.date(2026, 11, 17))
    kind = MarkKind.objects.filter(school=world.school).first()
    teacher = world.user("teacher_7a_math")
    with CaptureQueriesContext(connection) as ctx:
        services.mark_add(actor=teacher, lesson=Lesson.objects.get(pk=lesson.pk),
                          student=world.pupil_7a, value="5", kind=kind)  # fmt: skip
    sql = " ".join(q["sql"].lower() for q in ctx.captured_queries)
    assert "journal_mark" in sql  # the save ran …
    assert "compliance_" not in sql  # … and wrote no rollup row: the worker reads its event


def _held(course: object, day: datetime.date) -> int:
    row = DayRollup.objects.filter(course=course, day=day).first()
    return row.lessons if row is not None else 0


def test_a_moved_lesson_refreshes_its_old_day_and_its_new_day(demo: object) -> None:
    from otmetka.access.models import RoleMembership

    school = demo.schools[0]
    yesterday = TODAY - datetime.timedelta(days=1)
    deputy = RoleMembership.objects.filter(school=school, role="deputy").first().user
    evening = Bell.objects.create(
        school=school, schedule="вечер", number=12,
        start=datetime.time(19, 0), end=datetime.time(19, 40),
    )  # fmt: skip
    course = _open_lesson(school, yesterday).course
    with time_machine.travel(_moment(TODAY, 8), tick=False):
        # An extra lesson (no timetable stub is left behind when it moves): only its own
        # event names its old day.
        extra = lesson_add_extra(
            actor=deputy, school=school, course=course, date=yesterday, bell=evening
        )
        compliance_tick()
        old_day, new_day = _held(course, yesterday), _held(course, TODAY)
        lesson_move(actor=deputy, lesson=extra, date=TODAY, bell=evening)
    with time_machine.travel(_moment(TODAY, 9), tick=False):
        compliance_tick()
        assert (_held(course, yesterday), _held(course, TODAY)) == (old_day - 1, new_day + 1)
        _assert_school_days_are_the_sums(school)
        mine = DayRollup.objects.filter(course=course, day__gte=yesterday)
        incremental = set(mine.values_list(*FIELDS))
        rollups_recompute(school=school, start=yesterday, end=TODAY)
        assert set(mine.values_list(*FIELDS)) == incremental


def test_a_cancelled_lesson_leaves_its_school_day_and_an_empty_school_day_goes(
    demo: object,
) -> None:
    """A lesson cancelled: the worker takes it off its school-day's sums; a day with every lesson
    cancelled has no course row left, and its school-day row goes too."""
    from otmetka.access.models import RoleMembership

    school = demo.schools[0]
    yesterday = TODAY - datetime.timedelta(days=1)
    deputy = RoleMembership.objects.filter(school=school, role="deputy").first().user
    with time_machine.travel(_moment(TODAY, 8), tick=False):
        compliance_tick()
        held = _assert_school_days_are_the_sums(school)[yesterday][0]
        lesson_cancel(actor=deputy, lesson=_open_lesson(school, yesterday), reason="Карантин")
    with time_machine.travel(_moment(TODAY, 9), tick=False):
        compliance_tick()
        assert _assert_school_days_are_the_sums(school)[yesterday][0] == held - 1
        Lesson.objects.filter(school=school, date=yesterday).update(status=Lesson.Status.CANCELLED)
        rollups_recompute(school=school, start=yesterday, end=yesterday)
        assert yesterday not in _assert_school_days_are_the_sums(school)


def test_the_dashboard_by_school_and_by_day_equals_the_sums_of_the_course_rows(
    demo: object,
) -> None:
    """timeliness(by school / by day) reads the school-day rows; grouped by course it reads the
    course rows: both add up to the same."""
    schools = [s.pk for s in demo.schools]
    first = TODAY - datetime.timedelta(weeks=4)
    by_course = timeliness(schools, first, TODAY, by="course")
    total = tuple(sum(t.lessons if f == "lessons" else t.counts[f] for t in by_course)
                  for f in SUMS)  # fmt: skip
    assert total[0] > 0
    for by in ("school", "day"):
        rows = timeliness(schools, first, TODAY, by=by)
        assert tuple(sum(t.lessons if f == "lessons" else t.counts[f] for t in rows)
                     for f in SUMS) == total  # fmt: skip
    per_day = {t.key: (t.lessons, *(t.counts[c] for c in COUNTS))
               for t in timeliness(demo.schools[0], first, TODAY, by="day")}  # fmt: skip
    assert per_day == {
        d: v for d, v in _sums_of_courses(demo.schools[0]).items() if first <= d <= TODAY
    }
    for school in demo.schools:
        (mine,) = timeliness([school.pk], first, TODAY)
        sums = [v for d, v in _sums_of_courses(school).items() if first <= d <= TODAY]
        assert (mine.lessons, *(mine.counts[c] for c in COUNTS)) == tuple(
            map(sum, zip(*sums, strict=True))
        )


def test_deleting_a_course_refreshes_its_school_days_at_once(demo: object) -> None:
    """A course's rollup rows go with it (cascade); the school-day sums must follow in the same
    delete, not at the next refresh of those days (the region dashboard reads them)."""
    school = demo.schools[0]
    with time_machine.travel(_moment(TODAY, 17), tick=False):
        rollups_recompute(school=school, start=TODAY - datetime.timedelta(weeks=10), end=TODAY)
    before = _assert_school_days_are_the_sums(school)
    course = (
        DayRollup.objects.filter(school=school, lessons__gt=0).order_by("course_id").first().course
    )
    days = set(DayRollup.objects.filter(course=course).values_list("day", flat=True))
    course.delete()  # as the admin site (or a deleted class) does
    after = _assert_school_days_are_the_sums(school)
    assert not DayRollup.objects.filter(course_id=course.pk).exists()
    changed = {day for day in days if after.get(day) != before[day]}
    assert changed == days  # every day of the course lost its lessons from the school's sums
