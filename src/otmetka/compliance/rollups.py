"""Rollups of timeliness per (school, course, day): computed from the facts, stored, refreshed by
the worker for the (course, day)s saves marked stale and for deadlines passing, and recomputed
whole by `otmetka compliance_recompute`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from otmetka.compliance.deadlines import Status, verdicts
from otmetka.compliance.loading import Facts, facts_load
from otmetka.compliance.models import DayRollup, Entity, RollupDirty
from otmetka.journal.models import Lesson
from otmetka.school.models import School

PREFIX: dict[str, str] = {
    Entity.TOPIC: "topic",
    Entity.HOMEWORK: "homework",
    Entity.ATTENDANCE: "attendance",
    Entity.WRITTEN_MARKS: "marks",
}
COUNTS = tuple(f"{p}_{s}" for p in PREFIX.values() for s in ("on_time", "late", "missing"))
BATCH = 2000  # stale rows taken by one tick
CHUNK = datetime.timedelta(days=14)  # the full recompute's window


def rollups_compute(
    facts: Facts, now: datetime.datetime
) -> dict[tuple[int, datetime.date], dict[str, Any]]:
    """The rollup fields of every (course, day) of the facts."""
    rows: dict[tuple[int, datetime.date], dict[str, Any]] = {}
    for lesson in facts.lessons:
        row = rows.setdefault(
            (lesson.course_id, lesson.day),
            {"lessons": 0, "next_change_at": None, **dict.fromkeys(COUNTS, 0)},
        )
        row["lessons"] += 1
        for v in verdicts(lesson, facts.rules(lesson.day), facts.calendar, facts.zone, now):
            if v.status is Status.PENDING:
                nxt = row["next_change_at"]
                row["next_change_at"] = v.deadline if nxt is None else min(nxt, v.deadline)
            else:
                row[f"{PREFIX[v.entity]}_{v.status}"] += 1
    return rows


def rollups_refresh(
    *,
    school: School,
    start: datetime.date,
    end: datetime.date,
    course_ids: set[int] | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Recompute the school's rollups from start to end (of the given courses, else all): the
    old rows of the window are replaced in one transaction. Returns the rows written."""
    now = now or timezone.now()
    end = min(end, timezone.localdate(now))
    if end < start:
        return 0
    where = Q(course_id__in=course_ids) if course_ids is not None else Q()
    with transaction.atomic():
        facts = facts_load(school=school, start=start, end=end, where=where)
        computed = rollups_compute(facts, now)
        old = DayRollup.objects.filter(school=school, day__range=(start, end))
        if course_ids is not None:
            old = old.filter(course_id__in=course_ids)
        old.delete()
        DayRollup.objects.bulk_create(
            [
                DayRollup(school=school, course_id=course, day=day, computed_at=now, **fields)
                for (course, day), fields in computed.items()
            ],
            batch_size=500,
        )
    return len(computed)


def rollups_recompute(
    *,
    school: School,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
) -> int:
    """Recompute every rollup of the school from start to end, two weeks at a time."""
    written, day = 0, start
    while day <= end:
        last = min(end, day + CHUNK - datetime.timedelta(days=1))
        written += rollups_refresh(school=school, start=day, end=last, now=now)
        day = last + datetime.timedelta(days=1)
    return written


def _stale(now: datetime.datetime) -> dict[int, set[tuple[int, datetime.date]]]:
    """(course, day)s to recompute by school: marked by saves (taken off the list first, so a
    save after this is marked again), with a deadline passed, or lessons of today and yesterday
    without a rollup yet."""
    found: dict[int, set[tuple[int, datetime.date]]] = defaultdict(set)
    dirty = list(RollupDirty.objects.values_list("pk", "school_id", "course_id", "day")[:BATCH])
    RollupDirty.objects.filter(pk__in=[row[0] for row in dirty]).delete()
    for _pk, school, course, day in dirty:
        found[school].add((course, day))
    due = DayRollup.objects.filter(next_change_at__lte=now).values_list(
        "school_id", "course_id", "day"
    )[:BATCH]
    today = timezone.localdate(now)
    kept = DayRollup.objects.filter(course_id=OuterRef("course_id"), day=OuterRef("date"))
    new = (
        Lesson.objects.filter(date__range=(today - datetime.timedelta(days=1), today))
        .exclude(status=Lesson.Status.CANCELLED)
        .exclude(Exists(kept))
        .values_list("school_id", "course_id", "date")
        .distinct()[:BATCH]
    )
    for school, course, day in [*due, *new]:
        found[school].add((course, day))
    return found


def compliance_tick(now: datetime.datetime | None = None) -> int:
    """The worker's minute: refresh the stale rollups; returns the rows written."""
    now = now or timezone.now()
    written = 0
    for school_id, keys in _stale(now).items():
        school = School.objects.get(pk=school_id)
        days = [day for _c, day in keys]
        written += rollups_refresh(
            school=school, start=min(days), end=max(days),
            course_ids={c for c, _d in keys}, now=now,
        )  # fmt: skip
    return written
