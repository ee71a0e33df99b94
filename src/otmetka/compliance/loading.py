"""Facts of many lessons for the deadline engine in a constant number of queries: the lessons
with their first entries, the courses' teachers, the classes' day ends, the periods, the
teachers' absences and "no PC" days, the rules in force and the calendar (loaded on first use);
one query more when some lessons fall on a "no PC" day: when their entries were made offline."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from otmetka.compliance.deadlines import DEFAULT_RULES, LessonFacts, RuleSpec, rules_in_force
from otmetka.compliance.models import DeadlineRule, Entity, NoPcDay, TeacherAbsence
from otmetka.curriculum.models import Course, PlannedTopic
from otmetka.journal.models import Absence, Lesson, Mark
from otmetka.school.calendar import SchoolCalendar
from otmetka.school.models import Period, PeriodScheme, School

# The calendar is loaded around the facts' window: illness and "no PC" extensions reach weeks on.
CALENDAR_MARGIN = datetime.timedelta(days=45)


class LazyCalendar:
    """The school calendar, loaded (three queries) only when a rule counts working days."""

    def __init__(self, school: School, start: datetime.date, end: datetime.date) -> None:
        self.school, self.start, self.end = school, start, end
        self._calendar: SchoolCalendar | None = None

    def add_working_days(self, moment: datetime.date, n: int) -> datetime.date:
        """The date N working days after `moment` by the school's calendar."""
        if self._calendar is None:
            self._calendar = SchoolCalendar(
                school=self.school,
                start=self.start - CALENDAR_MARGIN,
                end=self.end + CALENDAR_MARGIN,
            )
        return self._calendar.add_working_days(moment, n)

    @property
    def loaded(self) -> bool:
        """Whether a rule counted working days (and the calendar was read)."""
        return self._calendar is not None


def rule_versions(school: School) -> list[tuple[datetime.date, bool, RuleSpec]]:
    """Every version of the school's rules (the order's defaults when it never changed any)."""
    rows = DeadlineRule.objects.filter(school=school).values_list(
        "valid_from", "is_active", "key", "entity", "anchor", "offset_kind", "offset_value",
        "course_kinds", "is_limit",
    )  # fmt: skip
    versions = [
        (valid_from, active, RuleSpec(key, entity, anchor, kind, value,
                                      frozenset(k for k in kinds.split(",") if k), limit))
        for valid_from, active, key, entity, anchor, kind, value, kinds, limit in rows
    ]  # fmt: skip
    # The order's defaults hold from the beginning of time until the school's first change.
    return [(datetime.date.min, True, spec) for spec in DEFAULT_RULES] + versions


@dataclass
class Facts:
    """Facts of the lessons of a window, with what the engine needs beside them."""

    school: School
    zone: ZoneInfo
    lessons: list[LessonFacts]
    calendar: LazyCalendar
    versions: list[tuple[datetime.date, bool, RuleSpec]]
    # Who answers for each lesson's entries: the substitute, else the course's teachers.
    responsible: dict[int, set[int]] = field(default_factory=dict)
    labels: dict[int, dict[str, Any]] = field(default_factory=dict)  # lesson id → display data
    _rules: dict[datetime.date, list[RuleSpec]] = field(default_factory=dict)

    def rules(self, day: datetime.date) -> list[RuleSpec]:
        """The rules in force on a day (computed once per day)."""
        if day not in self._rules:
            self._rules[day] = rules_in_force(self.versions, day)
        return self._rules[day]


def _first(model: Any, **extra: Any) -> Subquery:
    rows = model.objects.filter(lesson=OuterRef("pk"), **extra).order_by("created_at")
    return Subquery(rows.values("created_at")[:1])


def _first_made(model: Any, **extra: Any) -> Subquery:
    """The first time an entry of the lesson was made: offline (`made_at`) or on the server."""
    rows = (
        model.objects.filter(lesson=OuterRef("pk"), **extra)
        .annotate(made=Coalesce("made_at", "created_at"))
        .order_by("made")
    )
    return Subquery(rows.values("made")[:1])


def _made_times(lesson_ids: list[int]) -> dict[int, dict[str, datetime.datetime | None]]:
    """When each entry of the lessons was first made, counting offline-made times: one query,
    only for lessons on a day declared without PC/Internet (`deadlines.entry_time`)."""
    rows = (
        Lesson.objects.filter(pk__in=lesson_ids)
        .annotate(
            first_absence=_first_made(Absence),
            first_written=_first_made(Mark, kind__is_written=True, is_deleted=False),
        )
        .values(
            "pk", "topic_made_at", "topic_entered_at", "homework_made_at", "homework_entered_at",
            "attendance_taken_at", "first_absence", "first_written",
        )
    )  # fmt: skip
    found: dict[int, dict[str, datetime.datetime | None]] = {}
    for r in rows:
        att = [t for t in (r["attendance_taken_at"], r["first_absence"]) if t is not None]
        found[r["pk"]] = {
            Entity.TOPIC: r["topic_made_at"] or r["topic_entered_at"],
            Entity.HOMEWORK: r["homework_made_at"] or r["homework_entered_at"],
            Entity.ATTENDANCE: min(att) if att else None,
            Entity.WRITTEN_MARKS: r["first_written"],
        }
    return found


def _lesson_rows(school: School, where: Q, start: datetime.date, end: datetime.date) -> list[Any]:
    # `course__school` and the КТП topic by its key, not joined: without them PostgreSQL hashed
    # every course and every planned topic of the region for one school's week (region-M).
    return list(
        Lesson.objects.filter(where, school=school, course__school=school, date__range=(start, end))
        .exclude(status=Lesson.Status.CANCELLED)
        .annotate(
            is_control=Exists(
                PlannedTopic.objects.filter(pk=OuterRef("planned_topic_id"), is_control=True)
            ),
            first_absence=_first(Absence),
            first_written=_first(Mark, kind__is_written=True, is_deleted=False),
            first_mark=_first(Mark, is_deleted=False),
        )
        .values(
            "pk",
            "course_id",
            "course__kind",
            "course__school_class_id",
            "course__year_id",
            "course__school_class__period_scheme",
            "course__school_class__grade",
            "course__school_class__letter",
            "course__subject__name",
            "course__name",
            "date",
            "starts_at",
            "ends_at",
            "topic_entered_at",
            "homework_entered_at",
            "attendance_taken_at",
            "first_absence",
            "first_written",
            "first_mark",
            "is_control",
            "substitution__substitute_id",
        )
    )


def _day_ends(
    school: School, start: datetime.date, end: datetime.date
) -> tuple[dict[tuple[int, datetime.date], datetime.time], dict[datetime.date, datetime.time]]:
    """The end of each class's last lesson of each day, and of the school's last lesson."""
    per_class: dict[tuple[int, datetime.date], datetime.time] = {}
    per_day: dict[datetime.date, datetime.time] = {}
    rows = (
        Lesson.objects.filter(
            school=school, course__school=school, date__range=(start, end), ends_at__isnull=False
        )
        .exclude(status=Lesson.Status.CANCELLED)
        .values_list("course__school_class_id", "date")
        .annotate(last=Max("ends_at"))
        .order_by()
    )
    for class_id, day, last in rows:
        if class_id is not None:
            per_class[(class_id, day)] = last
        per_day[day] = max(last, per_day.get(day, last))
    return per_class, per_day


def _teachers(course_ids: Iterable[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    through = Course.teachers.through
    for course_id, user_id in through.objects.filter(course_id__in=set(course_ids)).values_list(
        "course_id", "user_id"
    ):
        found[course_id].add(user_id)
    return found


def _absence_ends(
    school: School, start: datetime.date, end: datetime.date
) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    spans: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for teacher, first, last in TeacherAbsence.objects.filter(
        school=school, is_cancelled=False, start__lte=end, end__gte=start
    ).values_list("teacher_id", "start", "end"):
        spans[teacher].append((first, last))
    return spans


def _written_work(row: dict[str, Any]) -> bool:
    """A written work (5.5): the lesson's КТП topic is a control/written work, or the lesson has
    marks of a written kind of work («Контрольная работа»)."""
    return bool(row["is_control"]) or row["first_written"] is not None


def _written_marked(row: dict[str, Any]) -> datetime.datetime | None:
    """When the written work's marks were first entered: the first mark of a written kind, else
    (a КТП control lesson marked with another kind) the lesson's first mark."""
    written: datetime.datetime | None = row["first_written"]
    if written is None and row["is_control"]:
        written = row["first_mark"]
    return written


def facts_load(
    *,
    school: School,
    start: datetime.date,
    end: datetime.date,
    where: Q | None = None,
    teacher_id: int | None = None,
) -> Facts:
    """The facts of the school's lessons (not cancelled) from start to end matching `where`;
    with `teacher_id`, lessons that teacher answers for (their courses' unsubstituted ones and
    their substitutions: `where` must select just those), read with one query less."""
    rows = _lesson_rows(school, where or Q(), start, end)
    if not rows:  # nothing held: the rest is not read
        return Facts(school=school, zone=ZoneInfo(school.time_zone), lessons=[],
                     calendar=LazyCalendar(school, start, end), versions=[])  # fmt: skip
    per_class, per_day = _day_ends(school, start, end)
    teachers = (
        defaultdict(lambda: {teacher_id}) if teacher_id is not None
        else _teachers(r["course_id"] for r in rows)
    )  # fmt: skip
    absences = _absence_ends(school, start, end)
    no_pc = set(
        NoPcDay.objects.filter(
            school=school, revoked_at__isnull=True, day__range=(start, end)
        ).values_list("teacher_id", "day")
    )
    periods = []
    if any(_written_work(r) for r in rows):  # only 5.5 counts from the period
        periods = list(
            Period.objects.filter(school=school, start__lte=end, end__gte=start).values_list(
                "year_id", "scheme", "start", "end"
            )
        )
    facts = Facts(
        school=school,
        zone=ZoneInfo(school.time_zone),
        lessons=[],
        calendar=LazyCalendar(school, start, end),
        versions=rule_versions(school),
    )
    for r in rows:
        day, substitute = r["date"], r["substitution__substitute_id"]
        who = {substitute} if substitute else set(teachers[r["course_id"]])
        class_id = r["course__school_class_id"]
        scheme = r["course__school_class__period_scheme"] or PeriodScheme.QUARTERS
        period_end = next(
            (last for year, sch, first, last in periods
             if year == r["course__year_id"] and sch == scheme and first <= day <= last),
            None,
        )  # fmt: skip
        away = [
            last for t in (() if substitute else who) for first, last in absences.get(t, ())
            if first <= day <= last
        ]  # fmt: skip
        first_att = [t for t in (r["attendance_taken_at"], r["first_absence"]) if t is not None]
        facts.lessons.append(
            LessonFacts(
                lesson_id=r["pk"],
                course_id=r["course_id"],
                course_kind=r["course__kind"],
                day=day,
                starts_at=r["starts_at"],
                ends_at=r["ends_at"],
                day_last_end=per_class.get((class_id, day)) if class_id else per_day.get(day),
                students_last_end=(
                    per_class.get((class_id, day)) if class_id else per_day.get(day)
                ),
                period_end=period_end,
                no_pc=any((t, day) in no_pc for t in who),
                absence_end=max(away) if away else None,
                entered={
                    Entity.TOPIC: r["topic_entered_at"],
                    Entity.HOMEWORK: r["homework_entered_at"],
                    Entity.ATTENDANCE: min(first_att) if first_att else None,
                    Entity.WRITTEN_MARKS: _written_marked(r),
                },
                has_written_work=_written_work(r),
            )
        )
        facts.responsible[r["pk"]] = who
        label = r["course__subject__name"]
        if r["course__school_class__grade"]:
            label += f", {r['course__school_class__grade']}{r['course__school_class__letter']}"
        if r["course__name"]:
            label += f" ({r['course__name']})"
        facts.labels[r["pk"]] = {"course": label, "course_id": r["course_id"]}
    offline_days = [f.lesson_id for f in facts.lessons if f.no_pc]
    if offline_days:
        made = _made_times(offline_days)
        for lesson in facts.lessons:
            lesson.made = made.get(lesson.lesson_id, {})
    return facts
