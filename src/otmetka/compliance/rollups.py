"""Rollups of timeliness per (school, course, day): computed from the facts, stored, refreshed by
the worker for the (course, day)s the journal's audit events since its last minute touched (a
save writes nothing for them) and for deadlines passing, and recomputed whole by
`otmetka compliance_recompute`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from otmetka.audit.models import ChainHead, Event
from otmetka.compliance.deadlines import Status, verdicts
from otmetka.compliance.loading import Facts, facts_load
from otmetka.compliance.models import (
    DayRollup,
    Entity,
    EventMark,
    RollupDirty,
    SchoolDayRollup,
)
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
        school_days_refresh(start=start, end=end, school_id=school.pk)
    return len(computed)


def school_days_refresh(
    *, start: datetime.date, end: datetime.date, school_id: int | None = None
) -> None:
    """Make the `SchoolDayRollup` rows from start to end (of one school, else of all) the sums of
    their courses' `DayRollup` rows: one upsert of the sums, one delete of the school-days left
    with no course row. Called wherever `DayRollup` rows are written."""
    day, school = DayRollup._meta.db_table, SchoolDayRollup._meta.db_table
    fields = ("lessons", *COUNTS)
    where = "day BETWEEN %s AND %s" + ("" if school_id is None else " AND school_id = %s")
    params: list[datetime.date | int] = (
        [start, end] if school_id is None else [start, end, school_id]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {school} (school_id, day, {', '.join(fields)}) "
            f"SELECT school_id, day, {', '.join(f'SUM({f})' for f in fields)} FROM {day} "
            f"WHERE {where} GROUP BY school_id, day "
            f"ON CONFLICT (school_id, day) DO UPDATE SET "
            + ", ".join(f"{f} = EXCLUDED.{f}" for f in fields),
            params,
        )
        cursor.execute(
            f"DELETE FROM {school} WHERE {where} AND NOT EXISTS "
            f"(SELECT 1 FROM {day} d WHERE d.school_id = {school}.school_id "
            f"AND d.day = {school}.day)",
            params,
        )


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


LESSON_OBJECTS = ("journal.lesson", "journal.homeworkfile", "journal.substitution")
EVENTS = 20_000  # events of one school read by one tick


def _lesson_ids(object_type: str, object_id: str, group: str, before: Any, after: Any) -> set[int]:
    """The lessons an event touches: a cell's (by its group), the lesson itself, or the lesson
    of a homework file or substitution."""
    if group.startswith("cell:"):
        return {int(group.split(":")[1])}
    if object_type == "journal.lesson":
        return {int(object_id)}
    data = [d for d in (before, after) if isinstance(d, dict) and "lesson_id" in d]
    return {int(d["lesson_id"]) for d in data}


def _old_day(object_type: str, before: Any) -> tuple[int, datetime.date] | None:
    """The (course, day) a lesson had before its event: a moved lesson leaves its old day."""
    if object_type != "journal.lesson" or not isinstance(before, dict):
        return None
    if "date" not in before or "course_id" not in before:
        return None
    return int(before["course_id"]), datetime.date.fromisoformat(before["date"])


def _from_events() -> tuple[dict[int, set[tuple[int, datetime.date]]], dict[int, int]]:
    """(course, day)s touched by the audit events written since the worker's marks, by school,
    and each school's new mark. A school's events are appended one transaction at a time (its
    chain head is locked until commit), so every event up to the head's `last_id` is committed
    and none after the mark is skipped."""
    heads = dict(ChainHead.objects.filter(school_key__gt=0).values_list("school_key", "last_id"))
    marks = dict(EventMark.objects.values_list("school_key", "last_id"))
    found: dict[int, set[tuple[int, datetime.date]]] = defaultdict(set)
    new_marks: dict[int, int] = {}
    lessons: dict[int, set[int]] = defaultdict(set)
    for school, last in heads.items():
        mark = marks.get(school, 0)
        if last <= mark:
            continue
        events = list(
            Event.objects.filter(school_id=school, pk__gt=mark, pk__lte=last)
            .filter(Q(group_key__startswith="cell:") | Q(object_type__in=LESSON_OBJECTS))
            .order_by("pk")
            .values_list("pk", "object_type", "object_id", "group_key", "before", "after")[:EVENTS]
        )
        new_marks[school] = events[-1][0] if len(events) == EVENTS else last
        for _pk, object_type, object_id, group, before, after in events:
            lessons[school] |= _lesson_ids(object_type, object_id, group, before, after)
            old = _old_day(object_type, before)
            if old is not None:
                found[school].add(old)
    ids = [i for group in lessons.values() for i in group]
    for i in range(0, len(ids), 500):
        for school, course, day in Lesson.objects.filter(pk__in=ids[i : i + 500]).values_list(
            "school_id", "course_id", "date"
        ):
            found[school].add((course, day))
    return found, new_marks


def _stale(
    now: datetime.datetime,
) -> tuple[dict[int, set[tuple[int, datetime.date]]], dict[int, int]]:
    """(course, day)s to recompute by school, and the schools' new event marks: touched by the
    audit events since the marks (saves write nothing for the rollups), marked by the deadline
    engine's own writes (`RollupDirty`: taken off the list first, so one after this is marked
    again), with a deadline passed, or lessons of today and yesterday without a rollup yet."""
    found, new_marks = _from_events()
    dirty = list(RollupDirty.objects.values_list("pk", "school_id", "course_id", "day")[:BATCH])
    RollupDirty.objects.filter(pk__in=[row[0] for row in dirty]).delete()
    for _pk, school, course, day in dirty:
        found[school].add((course, day))
    due = DayRollup.objects.filter(next_change_at__lte=now).values_list(
        "school_id", "course_id", "day"
    )[:BATCH]
    today = timezone.localdate(now)
    days = (today - datetime.timedelta(days=1), today)
    # The correlated rollups bounded to the two days (PostgreSQL hashed every rollup row without
    # it); no ordering, so DISTINCT is over the three columns only (Lesson's Meta ordering would
    # add its own).
    kept = DayRollup.objects.filter(
        course_id=OuterRef("course_id"), day=OuterRef("date"), day__range=days
    )
    new = (
        Lesson.objects.filter(date__range=days)
        .exclude(status=Lesson.Status.CANCELLED)
        .exclude(Exists(kept))
        .order_by()
        .values_list("school_id", "course_id", "date")
        .distinct()[:BATCH]
    )
    for school, course, day in [*due, *new]:
        found[school].add((course, day))
    return found, new_marks


def compliance_tick(now: datetime.datetime | None = None) -> int:
    """The worker's minute: refresh the stale rollups; returns the rows written."""
    now = now or timezone.now()
    written = 0
    stale, marks = _stale(now)
    for school_id in sorted(set(stale) | set(marks)):
        keys = stale.get(school_id)
        if keys:
            school = School.objects.get(pk=school_id)
            first = min(day for _c, day in keys)
            windows: dict[int, set[tuple[int, datetime.date]]] = defaultdict(set)
            for course, day in keys:  # two weeks at a time, as the full recompute
                windows[(day - first).days // CHUNK.days].add((course, day))
            for part in windows.values():
                days = [day for _c, day in part]
                written += rollups_refresh(
                    school=school, start=min(days), end=max(days),
                    course_ids={c for c, _d in part}, now=now,
                )  # fmt: skip
        if school_id in marks:  # after the refresh: a failed one is read again next minute
            EventMark.objects.update_or_create(
                school_key=school_id, defaults={"last_id": marks[school_id]}
            )
    return written
