"""The deadline engine: the order's rules as data and the deadline of each entry of a lesson.

Pure functions over plain facts (no queries): `loading.py` gathers the facts of many lessons in
a few queries, this module answers "by when" and "on time, late or missing".

How rules combine for one entry (documented in docs/deadlines.md):
* every ordinary rule that applies gives a deadline; the LATEST wins (the order's clauses give a
  teacher time — 16:00, or 1 hour after the class's last lesson of the day when that is later —
  never take it away: a lesson ending after 16:00 is not due before it ends);
* limit rules (the day before the period ends) cap it: the EARLIEST limit wins;
* exceptions — a day declared without PC/Internet (3 working days, 5.4/6.3/7.3) and a recorded
  absence of the teacher (1 working week after the return, 5.8/7.5) — extend it: the latest of
  the capped deadline and the exceptions.

Which time an entry counts by (`entry_time`): the time it reached the server; on a day the
responsible teacher declared without PC/Internet, the time it was made on the teacher's device
offline (`made`) when that is earlier — "made on time, sent later". Without the declaration a
claim of offline time alone never makes a late entry on time.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

from otmetka.compliance.models import Anchor, Entity, OffsetKind

# Entities a lesson is classified on (ALL only names the exceptions' scope).
ENTITIES = (Entity.TOPIC, Entity.HOMEWORK, Entity.ATTENDANCE, Entity.WRITTEN_MARKS)
EXCEPTION_ANCHORS = frozenset({Anchor.NO_PC_DAY, Anchor.ABSENCE_END})
END_OF_DAY = datetime.time(23, 59, 59)


@dataclass(frozen=True)
class RuleSpec:
    """One rule in force: what, counted from what, by how much, for which course kinds."""

    key: str
    entity: str
    anchor: str
    offset_kind: str
    offset_value: int
    course_kinds: frozenset[str]
    is_limit: bool = False

    def covers(self, entity: str, course_kind: str) -> bool:
        """Whether the rule speaks of this entry of a course of this kind."""
        if course_kind not in self.course_kinds:
            return False
        if self.entity == Entity.ALL:
            return entity != Entity.WRITTEN_MARKS
        return self.entity == entity


LESSON, EXTRA, ADDITIONAL = "lesson", "extracurricular", "additional"
ALL_KINDS = frozenset({LESSON, EXTRA, ADDITIONAL})

# The seed order's clauses as the defaults of every school (valid from the beginning of time).
DEFAULT_RULES: tuple[RuleSpec, ...] = (
    # 5.4: topic, homework and absences the same day by 16:00 …
    RuleSpec("topic-16", Entity.TOPIC, Anchor.LESSON_END, OffsetKind.CLOCK, 16 * 60,
             frozenset({LESSON})),
    RuleSpec("homework-16", Entity.HOMEWORK, Anchor.LESSON_END, OffsetKind.CLOCK, 16 * 60,
             frozenset({LESSON})),
    RuleSpec("attendance-16", Entity.ATTENDANCE, Anchor.LESSON_END, OffsetKind.CLOCK, 16 * 60,
             frozenset({LESSON})),
    # … the last lesson of the day within 1 hour after it ends.
    RuleSpec("last-lesson-1h", Entity.ALL, Anchor.LAST_LESSON_END, OffsetKind.HOURS, 1,
             frozenset({LESSON})),
    # 6.3: extracurricular — within 4 hours after the students' last lesson of the day.
    RuleSpec("extracurricular-4h", Entity.ALL, Anchor.STUDENTS_LAST_END, OffsetKind.HOURS, 4,
             frozenset({EXTRA})),
    # 7.3: additional education — within 24 hours after the students' last lesson of the day.
    RuleSpec("additional-24h", Entity.ALL, Anchor.STUDENTS_LAST_END, OffsetKind.HOURS, 24,
             frozenset({ADDITIONAL})),
    # 5.5: written-work marks within 1 week, and at least 1 day before the period ends.
    RuleSpec("written-7d", Entity.WRITTEN_MARKS, Anchor.LESSON_START, OffsetKind.DAYS, 7,
             ALL_KINDS),
    RuleSpec("written-period", Entity.WRITTEN_MARKS, Anchor.PERIOD_END, OffsetKind.DAYS, -1,
             ALL_KINDS, is_limit=True),
    # 5.4, 6.3, 7.3: no PC/Internet — within 3 working days.
    RuleSpec("no-pc-3wd", Entity.ALL, Anchor.NO_PC_DAY, OffsetKind.WORKING_DAYS, 3, ALL_KINDS),
    # 5.8, 7.5: after the teacher's illness — within 1 working week of the return.
    RuleSpec("absence-1w", Entity.ALL, Anchor.ABSENCE_END, OffsetKind.WORKING_DAYS, 5,
             ALL_KINDS),
    RuleSpec("absence-1w-marks", Entity.WRITTEN_MARKS, Anchor.ABSENCE_END,
             OffsetKind.WORKING_DAYS, 5, ALL_KINDS),
)  # fmt: skip


class Calendar(Protocol):
    """What the engine needs of the school calendar (`school.calendar.SchoolCalendar`)."""

    def add_working_days(self, moment: datetime.date, n: int) -> datetime.date: ...


@dataclass
class LessonFacts:
    """What the deadlines of one lesson depend on, and when each entry was first made."""

    lesson_id: int
    course_id: int
    course_kind: str
    day: datetime.date
    starts_at: datetime.time | None
    ends_at: datetime.time | None
    day_last_end: datetime.time | None = None  # the end of the class's last lesson that day
    students_last_end: datetime.time | None = None  # the students' last lesson's end that day
    period_end: datetime.date | None = None
    no_pc: bool = False  # the responsible teacher declared the day without PC/Internet
    absence_end: datetime.date | None = None  # the responsible teacher was away that day
    entered: dict[str, datetime.datetime | None] = field(default_factory=dict)
    # When each entry was first made, counting offline-made times (read for no-PC days only).
    made: dict[str, datetime.datetime | None] = field(default_factory=dict)
    has_written_work: bool = False  # marks of a written kind exist (5.5 applies)


class Status(enum.StrEnum):
    """The verdict on one entry."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"  # not entered yet, the deadline is still ahead


@dataclass(frozen=True)
class Verdict:
    """An entry's deadline and status; `late_by` for a late or missing one (until `now`)."""

    entity: str
    deadline: datetime.datetime
    status: Status
    late_by: datetime.timedelta = datetime.timedelta(0)


def _at(day: datetime.date, time: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=zone)


def _anchor(rule: RuleSpec, facts: LessonFacts, zone: ZoneInfo) -> datetime.datetime | None:
    """The moment the rule counts from, or None when it does not apply to this lesson."""
    midnight = datetime.time(0, 0)
    start = facts.starts_at or facts.ends_at or midnight
    end = facts.ends_at or facts.starts_at or midnight
    match rule.anchor:
        case Anchor.LESSON_START:
            return _at(facts.day, start, zone)
        case Anchor.LESSON_END:
            return _at(facts.day, end, zone)
        case Anchor.LAST_LESSON_END:
            last = facts.day_last_end or facts.ends_at
            return _at(facts.day, max(last, end), zone) if last else None
        case Anchor.STUDENTS_LAST_END:
            last = max(end, facts.students_last_end or end)
            return _at(facts.day, last, zone)
        case Anchor.PERIOD_END:
            return _at(facts.period_end, midnight, zone) if facts.period_end else None
        case Anchor.NO_PC_DAY:
            return _at(facts.day, midnight, zone) if facts.no_pc else None
        case Anchor.ABSENCE_END:
            return _at(facts.absence_end, midnight, zone) if facts.absence_end else None
    return None


def _offset(
    rule: RuleSpec, moment: datetime.datetime, calendar: Calendar, zone: ZoneInfo
) -> datetime.datetime:
    match rule.offset_kind:
        case OffsetKind.CLOCK:
            minutes = max(0, min(rule.offset_value, 24 * 60 - 1))
            return _at(moment.date(), datetime.time(minutes // 60, minutes % 60), zone)
        case OffsetKind.HOURS:
            return moment + datetime.timedelta(hours=rule.offset_value)
        case OffsetKind.DAYS:
            day = moment.date() + datetime.timedelta(days=rule.offset_value)
            return _at(day, END_OF_DAY, zone)
        case _:  # working days by the school calendar
            return _at(
                calendar.add_working_days(moment.date(), rule.offset_value), END_OF_DAY, zone
            )


def deadline(
    entity: str,
    facts: LessonFacts,
    rules: Sequence[RuleSpec],
    calendar: Calendar,
    zone: ZoneInfo,
) -> datetime.datetime | None:
    """The deadline of one entry of the lesson by the rules in force, or None (no rule)."""
    ordinary: list[datetime.datetime] = []
    limits: list[datetime.datetime] = []
    extended: list[datetime.datetime] = []
    for rule in rules:
        if not rule.covers(entity, facts.course_kind):
            continue
        moment = _anchor(rule, facts, zone)
        if moment is None:
            continue
        due = _offset(rule, moment, calendar, zone)
        if rule.anchor in EXCEPTION_ANCHORS:
            extended.append(due)
        elif rule.is_limit:
            limits.append(due)
        else:
            ordinary.append(due)
    if not ordinary:
        return max(extended) if extended else None
    due = max(ordinary)
    if limits:
        # A work on the period's last day can still be marked that day.
        due = max(min(due, *limits), _at(facts.day, END_OF_DAY, zone))
    return max(due, *extended) if extended else due


def classify(
    entity: str,
    entered_at: datetime.datetime | None,
    due: datetime.datetime,
    now: datetime.datetime,
) -> Verdict:
    """On time, late (by how much), missing (overdue by how much until now) or pending."""
    if entered_at is not None:
        if entered_at <= due:
            return Verdict(entity, due, Status.ON_TIME)
        return Verdict(entity, due, Status.LATE, entered_at - due)
    if now > due:
        return Verdict(entity, due, Status.MISSING, now - due)
    return Verdict(entity, due, Status.PENDING)


def entry_time(facts: LessonFacts, entity: str) -> datetime.datetime | None:
    """The time an entry counts by: when it reached the server, or — on a day declared without
    PC/Internet only — when it was made offline, if earlier."""
    entered = facts.entered.get(entity)
    made = facts.made.get(entity) if facts.no_pc else None
    if made is None:
        return entered
    return made if entered is None or made < entered else entered


def verdicts(
    facts: LessonFacts,
    rules: Sequence[RuleSpec],
    calendar: Calendar,
    zone: ZoneInfo,
    now: datetime.datetime,
    entities: Iterable[str] = ENTITIES,
) -> list[Verdict]:
    """The verdict on each entry of a lesson that has a deadline (written-work marks only when
    the lesson has marks of a written kind)."""
    return [
        classify(entity, entry_time(facts, entity), due, now)
        for entity, due in deadlines(facts, rules, calendar, zone, entities)
    ]


def deadlines(
    facts: LessonFacts,
    rules: Sequence[RuleSpec],
    calendar: Calendar,
    zone: ZoneInfo,
    entities: Iterable[str] = ENTITIES,
) -> list[tuple[str, datetime.datetime]]:
    """(entry, deadline) of each entry of a lesson that has a deadline: what `verdicts` judges,
    the same whenever it is asked (no `now`)."""
    found = []
    for entity in entities:
        if entity == Entity.WRITTEN_MARKS and not facts.has_written_work:
            continue
        due = deadline(entity, facts, rules, calendar, zone)
        if due is not None:
            found.append((entity, due))
    return found


def rules_in_force(
    versions: Iterable[tuple[datetime.date, bool, RuleSpec]], day: datetime.date
) -> list[RuleSpec]:
    """The rules in force on a day: of each key the latest version valid from that day or
    earlier, if it is in force (a change never rewrites the days before it)."""
    chosen: dict[str, tuple[datetime.date, bool, RuleSpec]] = {}
    for valid_from, active, spec in versions:
        if valid_from > day:
            continue
        held = chosen.get(spec.key)
        if held is None or held[0] < valid_from:
            chosen[spec.key] = (valid_from, active, spec)
    return [spec for _v, active, spec in chosen.values() if active]
