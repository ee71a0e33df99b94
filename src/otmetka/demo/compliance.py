"""Demo data of the deadline engine: one teacher ill last week (their lessons left open, some
caught up after the return), one "no PC/Internet" day this week, and the timeliness rollups of
the last weeks (the generator already leaves some entries late or missing)."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from typing import Any

from otmetka.compliance.models import NoPcDay, TeacherAbsence
from otmetka.compliance.rollups import rollups_recompute
from otmetka.curriculum.models import Course
from otmetka.journal.models import Lesson

ROLLUP_WEEKS = 9  # the dashboard's trend shows 8 weeks


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def compliance_demo_add(*, school: Any, today: datetime.date, rollups: bool = True) -> None:
    """Record the illness and the "no PC" day, open the ill teacher's lessons, roll up (its own
    random numbers: the generator's sequence stays as it was). `rollups=False` leaves the rollups
    to the caller (`otmetka dataset` computes them once the indexes are built)."""
    # Seeded by the school's name, not its id: PostgreSQL's sequences give another id to the same
    # school in another run, and the same seed must give the same demo (tests/demo).
    rng = random.Random(f"compliance-{school.name}")
    load = Counter(
        Course.teachers.through.objects.filter(course__school=school).values_list(
            "user_id", flat=True
        )
    )
    teachers = [t for t, _n in sorted(load.items(), key=lambda x: (-x[1], x[0]))[:3]]
    from otmetka.access.models import Role, RoleMembership

    deputy = RoleMembership.objects.filter(school=school, role=Role.DEPUTY).first()
    if len(teachers) < 2 or deputy is None:
        return
    ill, no_pc = teachers[0], teachers[1]
    start = _monday(today) - datetime.timedelta(days=7)
    end = start + datetime.timedelta(days=4)
    TeacherAbsence.objects.create(
        school=school, teacher_id=ill, start=start, end=end, reason=TeacherAbsence.Reason.ILLNESS,
        note="Больничный лист", created_by_id=deputy.user_id,
    )  # fmt: skip
    away = Lesson.objects.filter(
        school=school, course__teachers__id=ill, date__range=(start, end), substitution__isnull=True
    )
    # Half of what the teacher missed is caught up on the return day, half is still open.
    back = datetime.datetime.combine(
        end + datetime.timedelta(days=3), datetime.time(17), tzinfo=datetime.UTC
    )
    ids = list(away.order_by("date", "bell_number", "pk").values_list("pk", flat=True))
    rng.shuffle(ids)
    half = len(ids) // 2
    Lesson.objects.filter(pk__in=ids[:half]).update(
        topic_entered_at=back, attendance_taken_at=back, homework_entered_at=None, homework=""
    )
    Lesson.objects.filter(pk__in=ids[half:]).update(
        topic="", topic_entered_at=None, attendance_taken_at=None, homework="",
        homework_entered_at=None,
    )  # fmt: skip
    day = today - datetime.timedelta(days=1) if today.weekday() else today
    NoPcDay.objects.create(school=school, teacher_id=no_pc, day=day,
                           comment="Не работал интернет в кабинете")  # fmt: skip
    Lesson.objects.filter(school=school, course__teachers__id=no_pc, date=day).update(
        topic="", topic_entered_at=None, attendance_taken_at=None
    )
    if rollups:
        demo_rollups_recompute(school=school, today=today)


def demo_rollups_recompute(
    *, school: Any, today: datetime.date, now: datetime.datetime | None = None
) -> int:
    """The rollups of the demo's weeks: the `ROLLUP_WEEKS` before today's week, up to today, as
    seen at `now` (the real clock if not given: nothing after its day is rolled up)."""
    first = _monday(today) - datetime.timedelta(weeks=ROLLUP_WEEKS)
    return rollups_recompute(school=school, start=first, end=today, now=now)
