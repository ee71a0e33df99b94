"""Reads of the deadline engine: timeliness counts from the rollups (the stable function the
school monitoring pages use), a teacher's own gaps with their deadlines, the rules in force, and
the region/district dashboard (aggregates only, no personal data)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from otmetka.access import compliance as access
from otmetka.compliance.deadlines import Status, Verdict, verdicts
from otmetka.compliance.loading import facts_load, rule_versions
from otmetka.compliance.models import (
    Anchor,
    DayRollup,
    Entity,
    NoPcDay,
    OffsetKind,
    SchoolDayRollup,
    TeacherAbsence,
)
from otmetka.compliance.rollups import COUNTS, PREFIX
from otmetka.school.models import School

GAP_DAYS = 21  # how far back a teacher's gaps are looked for
# Homework is not due on every lesson (no homework may be given): never listed as a gap.
GAP_ENTITIES = (Entity.TOPIC, Entity.ATTENDANCE, Entity.WRITTEN_MARKS)
BY = {
    "school": "school_id",
    "course": "course_id",
    "class": "course__school_class_id",
    "subject": "course__subject_id",
    "teacher": "course__teachers__id",
    "day": "day",
}


@dataclass(frozen=True)
class Timeliness:
    """Counts of one group: lessons held and, per entry (topic, homework, attendance, marks),
    on time / late / missing. `key` is the group's id (or day)."""

    key: Any
    lessons: int
    counts: dict[str, int]

    def share(self, prefix: str) -> Decimal | None:
        """Percent of lessons with the entry made on time (marks: of the written works due)."""
        on_time = self.counts[f"{prefix}_on_time"]
        if prefix == "marks":
            total = on_time + self.counts["marks_late"] + self.counts["marks_missing"]
        else:
            total = self.lessons
        return percent(on_time, total)


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole in percent with one decimal, rounded half up; None for an empty whole."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def timeliness(
    school: School | Iterable[int], start: datetime.date, end: datetime.date, *, by: str = "school"
) -> list[Timeliness]:
    """On time / late / missing counts of the school's (or schools') lessons held from start to
    end, grouped `by` school, course, class, subject, teacher or day — from the rollups, one
    query. A course with two teachers counts for each of them when grouped by teacher. By school
    or day it reads the per-(school, day) sums, one row per school and day."""
    field_name = BY[by]
    model = SchoolDayRollup if by in ("school", "day") else DayRollup
    rows = (
        _rollups(model, school, start, end)
        .values(field_name)
        .annotate(n=Sum("lessons"), **{c: Sum(c) for c in COUNTS})
        .order_by(field_name)
        .values_list(field_name, "n", *COUNTS)  # tuples: dicts of 14 keys a row cost ~3 ms
    )
    return [
        Timeliness(
            key=key, lessons=n or 0, counts=dict(zip(COUNTS, (v or 0 for v in sums), strict=True))
        )
        for key, n, *sums in rows
    ]


def _rollups(
    model: type[DayRollup] | type[SchoolDayRollup],
    school: School | Iterable[int],
    start: datetime.date,
    end: datetime.date,
) -> QuerySet[Any]:
    rows = model.objects.filter(day__range=(start, end))
    if isinstance(school, School):
        return rows.filter(school=school)
    return rows.filter(school_id__in=list(school))


# --- a teacher's own gaps ------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """An entry a teacher still owes (pending or overdue) with its deadline in words."""

    lesson_id: int
    course_id: int
    course: str
    day: datetime.date
    what: str
    verdict: Verdict
    when: str  # «до 16:00 сегодня», «просрочено на 2 дня»

    @property
    def overdue(self) -> bool:
        """Whether the deadline has passed."""
        return self.verdict.status is Status.MISSING


def what_missing(entity: str) -> str:
    """What is missing, in Russian."""
    names: dict[str, str] = {
        Entity.TOPIC: _("No lesson topic"),
        Entity.HOMEWORK: _("No homework"),
        Entity.ATTENDANCE: _("Attendance not taken"),
        Entity.WRITTEN_MARKS: _("Written-work marks"),
    }
    return names.get(entity, entity)


def deadline_words(verdict: Verdict, now: datetime.datetime, zone: Any) -> str:
    """«до 16:00 сегодня», «до 23:59 завтра», «до 23:59 05.12», «просрочено на 2 дня»,
    «просрочено на 3 ч»."""
    if verdict.status is Status.MISSING or verdict.status is Status.LATE:
        late = verdict.late_by
        if late.days >= 1:
            return _words(get_language(), "days", late.days)
        return _words(get_language(), "hours", max(1, late.seconds // 3600))
    local = verdict.deadline.astimezone(zone)
    today = now.astimezone(zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return _words(get_language(), "today", clock)
    if local.date() == today + datetime.timedelta(days=1):
        return _words(get_language(), "tomorrow", clock)
    return _words(get_language(), "on", clock, f"{local:%d.%m.%Y}")


@lru_cache(maxsize=2048)
def _words(language: str | None, how: str, n: Any, day: str = "") -> str:
    """The words of a deadline in `language` (the active one, the key): translated once per
    process (a grid's «!» markers asked the catalogue for each lesson, 40 µs a time)."""
    del language
    if how == "days":
        return ngettext("overdue by %(n)d day", "overdue by %(n)d days", n) % {"n": n}
    if how == "hours":
        return ngettext("overdue by %(n)d hour", "overdue by %(n)d hours", n) % {"n": n}
    if how == "today":
        return _("by %(time)s today") % {"time": n}
    if how == "tomorrow":
        return _("by %(time)s tomorrow") % {"time": n}
    return _("by %(time)s on %(date)s") % {"time": n, "date": day}


def teacher_gaps(*, user: Any, school: School, now: datetime.datetime | None = None) -> list[Gap]:
    """The user's own entries still open (due or overdue) in the last weeks, by deadline: the
    lessons they taught (a substitution's to the substitute)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    mine = Q(course__teachers__id=user.pk, substitution__isnull=True) | Q(
        substitution__substitute_id=user.pk
    )
    start = today - datetime.timedelta(days=GAP_DAYS)
    facts = facts_load(school=school, start=start, end=today, where=mine, teacher_id=user.pk)
    gaps = []
    for lesson in facts.lessons:
        rules = facts.rules(lesson.day)
        for v in verdicts(lesson, rules, facts.calendar, facts.zone, now, GAP_ENTITIES):
            if v.status in (Status.PENDING, Status.MISSING):
                gaps.append(
                    Gap(
                        lesson_id=lesson.lesson_id,
                        course_id=lesson.course_id,
                        course=facts.labels[lesson.lesson_id]["course"],
                        day=lesson.day,
                        what=what_missing(v.entity),
                        verdict=v,
                        when=deadline_words(v, now, facts.zone),
                    )
                )
    return sorted(gaps, key=lambda g: (g.verdict.deadline, g.course))


# --- the deputy's pages -----------------------------------------------------------------------


@dataclass
class RuleRow:
    """A rule key with its version in force today and its history."""

    key: str
    current: Any
    versions: list[Any] = field(default_factory=list)


def rules_table(school: School) -> list[RuleRow]:
    """Every rule of the school (the order's defaults included) with the version in force
    today and the stored history, by key."""
    today = timezone.localdate()
    by_key: dict[str, RuleRow] = {}
    for valid_from, active, spec in sorted(rule_versions(school), key=lambda v: v[0]):
        row = by_key.setdefault(spec.key, RuleRow(spec.key, None))
        version = {
            "valid_from": valid_from if valid_from.year > 1 else None, "active": active,
            "spec": spec, "entity": Entity(spec.entity).label, "anchor": Anchor(spec.anchor).label,
            "offset": OffsetKind(spec.offset_kind).label,
        }  # fmt: skip
        row.versions.append(version)
        if valid_from <= today:
            row.current = version
    return list(by_key.values())


def absences_of(school: School) -> QuerySet[TeacherAbsence]:
    """The school's recorded teacher absences, latest first."""
    return TeacherAbsence.objects.filter(school=school).select_related("teacher")[:200]


def no_pc_days_of(school: School, *, teacher: Any = None) -> QuerySet[NoPcDay]:
    """Days declared without PC/Internet (all of the school, or a teacher's), latest first."""
    rows = NoPcDay.objects.filter(school=school).select_related("teacher", "revoked_by")
    if teacher is not None:
        rows = rows.filter(teacher=teacher)
    return rows[:200]


def absence_window(school: School, absence: TeacherAbsence) -> datetime.date:
    """The last day of the catch-up window of an absence (1 working week after the return)."""
    from otmetka.compliance.loading import LazyCalendar

    versions = rule_versions(school)
    value = next(
        (s.offset_value for d, a, s in sorted(versions, key=lambda v: v[0], reverse=True)
         if s.key == "absence-1w" and a and d <= absence.end),
        5,
    )  # fmt: skip
    return LazyCalendar(school, absence.start, absence.end).add_working_days(absence.end, value)


# --- the region / district dashboard -------------------------------------------------------------


@dataclass
class SchoolRow:
    """One school (or district) of the dashboard: aggregates only."""

    pk: int
    name: str
    district: str
    lessons: int
    topic: Decimal | None
    attendance: Decimal | None
    marks: Decimal | None


def last_week(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday to Sunday of the week before the one holding today."""
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    return monday, monday + datetime.timedelta(days=6)


SORTS = ("name", "district", "lessons", "topic", "attendance", "marks")


def region_dashboard(
    *, user: Any, start: datetime.date, end: datetime.date, sort: str = "name", desc: bool = False
) -> tuple[list[SchoolRow], list[SchoolRow]]:
    """(schools, districts) of the viewer's dashboard for the range: the share of lessons with
    topic, attendance and written-work marks entered on time. Two queries, from the rollups."""
    schools = list(access.dashboard_schools(user).values_list("pk", "short_name", "district__name"))
    counts = {t.key: t for t in timeliness([pk for pk, _n, _d in schools], start, end)}
    rows: list[SchoolRow] = []
    per_district: dict[str, Timeliness] = defaultdict(
        lambda: Timeliness(None, 0, dict.fromkeys(COUNTS, 0))
    )
    for pk, name, district in schools:
        t = counts.get(pk) or Timeliness(pk, 0, dict.fromkeys(COUNTS, 0))
        rows.append(_row(pk, name, district, t))
        d = per_district[district]
        per_district[district] = Timeliness(
            district, d.lessons + t.lessons, {c: d.counts[c] + t.counts[c] for c in COUNTS}
        )
    districts = [_row(0, name, name, t) for name, t in sorted(per_district.items())]
    key = sort if sort in SORTS else "name"

    def order(r: SchoolRow) -> tuple[Any, ...]:
        value = getattr(r, key)
        return (value is None, value if value is not None else 0, r.name)

    rows.sort(key=order, reverse=desc)
    return rows, districts


def _row(pk: int, name: str, district: str, t: Timeliness) -> SchoolRow:
    topic, attendance = t.share(PREFIX[Entity.TOPIC]), t.share(PREFIX[Entity.ATTENDANCE])
    marks = t.share(PREFIX[Entity.WRITTEN_MARKS])
    return SchoolRow(pk, name, district, t.lessons, topic, attendance, marks)


def school_trend(
    *, user: Any, school_id: int, today: datetime.date, weeks: int = 8
) -> tuple[Any, list[tuple[datetime.date, SchoolRow]]]:
    """A school of the viewer's and its weekly shares for the last weeks (LookupError when the
    school is not theirs)."""
    school = access.dashboard_schools(user).filter(pk=school_id).first()
    if school is None:
        raise LookupError(school_id)
    monday, _sunday = last_week(today)
    first = monday - datetime.timedelta(weeks=weeks - 1)
    per_day = {t.key: t for t in timeliness(school, first, monday + datetime.timedelta(days=6),
                                            by="day")}  # fmt: skip
    trend = []
    for i in range(weeks):
        start = first + datetime.timedelta(weeks=i)
        days = [start + datetime.timedelta(days=d) for d in range(7)]
        parts = [per_day[d] for d in days if d in per_day]
        total = Timeliness(start, sum(p.lessons for p in parts),
                           {c: sum(p.counts[c] for p in parts) for c in COUNTS})  # fmt: skip
        trend.append((start, _row(school.pk, school.short_name, "", total)))
    return school, trend
