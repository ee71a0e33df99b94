"""The deputy's monitoring of journal keeping (seed 9.2, R35, R37, R38): every figure computed
from the journal, never typed by a teacher (R15). One date range, the school's courses summed by
the database (a constant number of queries whatever the school's size), then rolled up in Python
per journal, teacher, class, subject and the whole school. The formulas are in docs/metrics.md."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Sum
from django.utils import timezone

from otmetka.compliance.rollups import COUNTS
from otmetka.compliance.selectors import timeliness
from otmetka.core.rows import table as _t
from otmetka.curriculum.models import Course, CourseKind, PlannedTopic
from otmetka.grading.selectors import period_differences
from otmetka.journal.models import Lesson, Mark
from otmetka.people.models import Guardian
from otmetka.reports.selectors import percent
from otmetka.school.models import Enrollment, Period, PeriodScheme, School

# R38: the daily homework time limit in minutes by grade (grade 1: 1 h … grades 9–11: 3.5 h).
HOMEWORK_LIMITS = {1: 60, 2: 90, 3: 90, 4: 120, 5: 120, 6: 150, 7: 150, 8: 150}
HOMEWORK_LIMIT_HIGH = 210  # grades 9–11
PROCEDURE_SHARE = Decimal("0.1")  # R37: at most 10 % of a subject's lessons
MAX_DAYS = 400  # the longest range asked for: a school year and a bit


def homework_limit(grade: int) -> int:
    """R38's daily limit in minutes for a grade."""
    return HOMEWORK_LIMITS.get(grade, HOMEWORK_LIMIT_HIGH)


@dataclass
class Counts:
    """The journal's facts of one course (or a sum of courses) in the range."""

    lessons: int = 0  # not cancelled, in the whole range (the timetable's plan)
    held: int = 0  # not cancelled, up to today
    topic: int = 0
    attendance: int = 0
    homework: int = 0
    entered: int = 0  # held lessons with any entry: topic, attendance, homework or a mark
    written: int = 0  # held lessons that are written works (control topics of the КТП)
    written_marked: int = 0  # … of which with marks
    procedures: int = 0  # оценочные процедуры in the whole range (R37)
    planned: int = 0  # КТП hours dated in the range up to today
    has_plan: bool = False

    def add(self, other: Counts) -> None:
        """Add another course's counts to these (plain additions: thousands of calls a page)."""
        self.lessons += other.lessons
        self.held += other.held
        self.topic += other.topic
        self.attendance += other.attendance
        self.homework += other.homework
        self.entered += other.entered
        self.written += other.written
        self.written_marked += other.written_marked
        self.procedures += other.procedures
        self.planned += other.planned
        self.has_plan = self.has_plan or other.has_plan

    @property
    def topic_pct(self) -> Decimal | None:
        return percent(self.topic, self.held)

    @property
    def attendance_pct(self) -> Decimal | None:
        return percent(self.attendance, self.held)

    @property
    def homework_pct(self) -> Decimal | None:
        return percent(self.homework, self.held)

    @property
    def written_pct(self) -> Decimal | None:
        return percent(self.written_marked, self.written)

    @property
    def fill_pct(self) -> Decimal | None:
        """The three entries of a held lesson together: (topic + attendance + homework) / 3·held."""
        return percent(self.topic + self.attendance + self.homework, 3 * self.held)

    @property
    def lag(self) -> int | None:
        """КТП hours planned up to today minus lessons held with a topic (None: no dated plan)."""
        return self.planned - self.topic if self.has_plan else None

    @property
    def procedure_limit(self) -> int:
        """R37: the most оценочные процедуры the range's lessons allow (10 %, rounded down)."""
        return int(self.lessons * PROCEDURE_SHARE)

    @property
    def procedures_over(self) -> bool:
        return self.procedures > self.procedure_limit


@dataclass
class Row:
    """A line of the table: a journal, a teacher, a class, a subject or the whole school."""

    kind: str
    id: int | None
    name: str
    counts: Counts = field(default_factory=Counts)
    teachers: set[int] = field(default_factory=set)  # teachers with held lessons
    active: set[int] = field(default_factory=set)  # … of whom made entries
    # The deadline engine's verdicts (compliance rollups): "<entry>_on_time|late|missing" counts.
    timely: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))

    def timely_pct(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """Of the entries due (topic, homework, attendance, written-work marks): the percent
        made on time, late, and still missing."""
        parts = [sum(v for k, v in self.timely.items() if k.endswith(end)) for end in _ENDS]
        whole = sum(parts)
        on_time, late, missing = (percent(p, whole) for p in parts)
        return on_time, late, missing

    @property
    def active_pct(self) -> Decimal | None:
        return percent(len(self.active), len(self.teachers))


@dataclass
class Range:
    """The asked dates, with the day the figures stop at (today at the latest)."""

    start: datetime.date
    end: datetime.date
    cutoff: datetime.date
    period: Period | None = None


def school_periods(school: School) -> list[Period]:
    """The periods of the school's latest year, quarters first, by start."""
    rows = list(Period.objects.filter(school=school).select_related("year").order_by("start"))
    if not rows:
        return []
    latest = max(p.year.start for p in rows)
    order = {PeriodScheme.QUARTERS: 0, PeriodScheme.TRIMESTERS: 1, PeriodScheme.HALVES: 2}
    rows = [p for p in rows if p.year.start == latest]
    return sorted(rows, key=lambda p: (order.get(PeriodScheme(p.scheme), 3), p.start))


def default_range(periods: list[Period], today: datetime.date) -> Range:
    """The current period (of the first scheme: quarters), the latest begun, or the last 30 days."""
    first = [p for p in periods if p.scheme == periods[0].scheme] if periods else []
    current = next((p for p in first if p.start <= today <= p.end), None)
    begun = [p for p in first if p.start <= today]
    chosen = current or (begun[-1] if begun else (first[0] if first else None))
    if chosen is None:
        return Range(today - datetime.timedelta(days=29), today, today)
    return Range(chosen.start, chosen.end, min(chosen.end, today), chosen)


def parse_range(
    asked_start: str | None, asked_end: str | None, periods: list[Period], today: datetime.date
) -> Range:
    """The range of the query (ISO dates); the current period without them; ValueError for bad
    dates, an end before the start or more than MAX_DAYS days."""
    if not asked_start and not asked_end:
        return default_range(periods, today)
    start = datetime.date.fromisoformat(str(asked_start))
    end = datetime.date.fromisoformat(str(asked_end))
    if end < start or (end - start).days > MAX_DAYS:
        raise ValueError("range")
    period = next((p for p in periods if (p.start, p.end) == (start, end)), None)
    return Range(start, end, min(end, today), period)


def _courses(school: School, rng: Range) -> list[Any]:
    """The school's journals with lessons in the range (lesson courses of classes and groups,
    extracurricular and additional ones too)."""
    lessons = Lesson.objects.filter(
        course_id=OuterRef("pk"), date__gte=rng.start, date__lte=rng.end
    )
    return list(
        Course.objects.filter(school=school)
        .filter(Exists(lessons))
        .values(
            "pk",
            "name",
            "kind",
            "subject_id",
            "subject__name",
            "school_class_id",
            "school_class__grade",
            "school_class__letter",
        )
        .order_by(
            "school_class__grade",
            "school_class__letter",
            "subject__position",
            "subject__name",
            "name",
            "pk",
        )
    )


# The range's lessons (not cancelled), each with its flags, summed twice from ONE pass: per
# course ('c') and per class and day ('d'). Whether a lesson has marks is looked up only when the
# answer matters (a held lesson with no other entry, a held written work): the lookup is a seek
# into 260,000 marks and the rows behind it. The lookups sit in their own CASE: in `held AND
# p.is_control AND EXISTS (…)` a lesson without a КТП topic (is_control NULL) made PostgreSQL
# evaluate the EXISTS (NULL AND FALSE is FALSE, NULL AND TRUE is NULL): 7,254 seeks, ~100 ms.
_JOURNAL_SQL = """
    WITH x AS (
      SELECT l.course_id AS course_id, c.school_class_id AS class_id, l.date AS day,
        CASE WHEN l.date <= %(cutoff)s THEN 1 ELSE 0 END AS held,
        CASE WHEN l.date <= %(cutoff)s AND l.topic <> '' THEN 1 ELSE 0 END AS topic,
        CASE WHEN l.date <= %(cutoff)s AND l.attendance_taken_at IS NOT NULL THEN 1 ELSE 0 END
          AS attendance,
        CASE WHEN l.date <= %(cutoff)s AND l.homework <> '' THEN 1 ELSE 0 END AS homework,
        CASE WHEN l.date > %(cutoff)s THEN 0
             WHEN l.topic <> '' OR l.homework <> '' OR l.attendance_taken_at IS NOT NULL THEN 1
             WHEN EXISTS (SELECT 1 FROM {mark} m WHERE m.lesson_id = l.id AND NOT m.is_deleted)
               THEN 1 ELSE 0 END AS entered,
        CASE WHEN p.is_control THEN 1 ELSE 0 END AS control,
        CASE WHEN l.date <= %(cutoff)s AND p.is_control THEN (
               CASE WHEN EXISTS (
                 SELECT 1 FROM {mark} m WHERE m.lesson_id = l.id AND NOT m.is_deleted)
               THEN 1 ELSE 0 END)
             ELSE 0 END AS written_marked,
        CASE WHEN c.kind = %(lesson_kind)s THEN 1 ELSE 0 END AS of_lessons,
        l.homework_minutes AS minutes
      FROM {lesson} l
      JOIN {course} c ON c.id = l.course_id AND c.school_id = %(school)s
      LEFT JOIN {topic} p ON p.id = l.planned_topic_id AND p.school_id = %(school)s
      WHERE l.school_id = %(school)s AND l.date >= %(start)s AND l.date <= %(end)s
        AND l.status <> %(cancelled)s
    )
    SELECT 'c', course_id, CAST(NULL AS DATE), {sums} FROM x GROUP BY course_id
    UNION ALL
    SELECT 'd', class_id, day, {sums} FROM x GROUP BY class_id, day
"""
_SUMS = (
    "COUNT(*), SUM(held), SUM(topic), SUM(attendance), SUM(homework), SUM(entered), "
    "SUM(held * control), SUM(written_marked), SUM(control), SUM(of_lessons * control), "
    "SUM(CASE WHEN of_lessons = 1 THEN minutes END)"
)


def _journal_rows(school: School, rng: Range) -> list[tuple[Any, ...]]:
    """The range's lessons summed per course and per class and day (one query)."""
    sql = _JOURNAL_SQL.format(
        mark=_t(Mark), lesson=_t(Lesson), course=_t(Course), topic=_t(PlannedTopic), sums=_SUMS
    )
    d = connection.ops.adapt_datefield_value
    params = {
        "cutoff": d(rng.cutoff), "start": d(rng.start), "end": d(rng.end), "school": school.pk,
        "cancelled": Lesson.Status.CANCELLED, "lesson_kind": CourseKind.LESSON,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _lesson_counts(rows: list[tuple[Any, ...]]) -> dict[int, Counts]:
    """Per course, the lessons of the range counted by what is entered."""
    return {
        key: Counts(lessons, held, topic, attendance, homework, entered, written, marked, procs)
        for kind, key, _d, lessons, held, topic, attendance, homework, entered, written, marked,
        procs, _p, _m in rows
        if kind == "c"
    }  # fmt: skip


def _plans(school: School, rng: Range) -> dict[int, tuple[int, bool]]:
    """Per course, the КТП hours dated in the range up to today and whether the plan has dates."""
    rows = (
        PlannedTopic.objects.filter(school=school)
        .values("plan__course_id")
        .annotate(
            planned=Sum(
                "hours", filter=Q(planned_date__gte=rng.start, planned_date__lte=rng.cutoff)
            ),
            dated=Count("pk", filter=Q(planned_date__isnull=False)),
        )
    )
    return {r["plan__course_id"]: (r["planned"] or 0, r["dated"] > 0) for r in rows}


def _course_teachers(course_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    through = Course.teachers.through.objects.filter(course_id__in=course_ids)
    for course_id, user_id in through.values_list("course_id", "user_id").order_by("user_id"):
        found[course_id].append(user_id)
    return found


def _teacher_names(school: School) -> dict[int, str]:
    """Every teacher of the school's courses, «Фамилия И.О.» (one query)."""
    from otmetka.accounts.models import User

    taught = Course.teachers.through.objects.filter(course__school=school).values("user_id")
    rows = User.objects.filter(pk__in=taught).only("last_name", "first_name", "middle_name")
    return {u.pk: u.short_name for u in rows}


def grade_letter(row: Mapping[str, Any], prefix: str) -> str:
    """«7А» from a values() row's grade and letter under `prefix` ("" without a class)."""
    return f"{row[prefix + 'grade'] or ''}{row[prefix + 'letter'] or ''}"


def _class_name(c: dict[str, Any]) -> str:
    if c["school_class_id"] is None:
        return ""
    return f"{c['school_class__grade']}{c['school_class__letter']}"


def _course_name(c: dict[str, Any]) -> str:
    where = c["name"] or _class_name(c)
    return f"{c['subject__name']} — {where}" if where else str(c["subject__name"])


def _rollup(
    rows: dict[tuple[str, int | None], Row],
    key: tuple[str, int | None],
    name: str,
    course: Row,
) -> None:
    row = rows.get(key)
    if row is None:  # (not setdefault: a Row each call is ~15,000 Rows a page)
        row = rows[key] = Row(key[0], key[1], name)
    _add(row, course)


_ENDS = ("_on_time", "_late", "_missing")


def _add(row: Row, course: Row) -> None:
    """Sum a journal into a teacher's, class's, subject's or the school's row (a teacher's row
    counts that teacher only, not the co-teachers of a shared journal)."""
    row.counts.add(course.counts)
    timely = row.timely
    for key, value in course.timely.items():
        if value:
            timely[key] += value
    mine = {row.id} if row.kind == "teacher" and row.id is not None else course.teachers
    row.teachers |= course.teachers & mine
    row.active |= course.active & mine


def monitoring_rows(
    school: School, rng: Range, courses: list[dict[str, Any]], journal: list[tuple[Any, ...]]
) -> dict[str, list[Row]]:
    """The table's rows: per journal ("course"), "teacher", "class", "subject", and "school"
    (`courses` and `journal` as `_courses` and `_journal_rows` give them)."""
    counts = _lesson_counts(journal)
    plans = _plans(school, rng)
    teachers = _course_teachers([c["pk"] for c in courses])
    names = _teacher_names(school)
    timely = {t.key: t.counts for t in timeliness(school, rng.start, rng.cutoff, by="course")}
    journals: list[Row] = []
    grouped: dict[tuple[str, int | None], Row] = {}
    total = Row("school", None, school.short_name or school.name)
    for c in courses:
        row = Row("course", c["pk"], _course_name(c), counts.get(c["pk"], Counts()))
        if c["pk"] in timely:
            row.timely = dict(timely[c["pk"]])
        row.counts.planned, row.counts.has_plan = plans.get(c["pk"], (0, False))
        if row.counts.held:
            row.teachers = set(teachers.get(c["pk"], ()))
            row.active = row.teachers if row.counts.entered else set()
        journals.append(row)
        for teacher in teachers.get(c["pk"], ()):
            _rollup(grouped, ("teacher", teacher), names.get(teacher, "?"), row)
        if c["school_class_id"] is not None and c["kind"] == CourseKind.LESSON:
            _rollup(grouped, ("class", c["school_class_id"]), _class_name(c), row)
        _rollup(grouped, ("subject", c["subject_id"]), str(c["subject__name"]), row)
        _add(total, row)
    result: dict[str, list[Row]] = {"course": journals, "school": [total]}
    for kind in ("teacher", "class", "subject"):
        result[kind] = [r for r in grouped.values() if r.kind == kind]
    result["teacher"].sort(key=lambda r: r.name)
    return result


def worst_journals(journals: list[Row], n: int = 10) -> list[Row]:
    """The n journals with the lowest fill rate among those with held lessons (ties: the
    larger lag first, then by name)."""
    held = [r for r in journals if r.counts.held]
    return sorted(held, key=lambda r: (r.counts.fill_pct or 0, -(r.counts.lag or 0), r.name))[:n]


def class_days(rows: list[tuple[Any, ...]], courses: list[dict[str, Any]]) -> list[Any]:
    """Per class (None: cross-class journals) and day of the range, the lessons held with each
    entry, the homework minutes and the оценочные процедуры of the class's lesson journals (of
    `_journal_rows`), by class and day: the trend, the homework load and the clashes share them."""
    names = {
        c["school_class_id"]: (c["school_class__grade"], c["school_class__letter"]) for c in courses
    }
    dates: dict[Any, datetime.date] = {}  # SQLite gives dates as text: each parsed once
    found = []
    for kind, key, day, _lessons, held, topic, attendance, homework, *_, procs, minutes in rows:
        if kind != "d":
            continue
        if day not in dates:
            dates[day] = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)
        grade, letter = names.get(key, (None, None))
        found.append(
            {
                "course__school_class_id": key,
                "course__school_class__grade": grade,
                "course__school_class__letter": letter,
                "date": dates[day],
                "n_held": held,
                "n_topic": topic,
                "n_attendance": attendance,
                "n_homework": homework,
                "minutes": minutes,
                "n_procedures": procs,
            }
        )
    # Classes by grade and letter (cross-class journals last, as the database sorts NULLs).
    found.sort(key=lambda r: (r["course__school_class__grade"] is None,
                              r["course__school_class__grade"] or 0,
                              r["course__school_class__letter"] or "", r["date"]))  # fmt: skip
    return found


def weekly_trend(days: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per week (Monday) of the range up to today: lessons held and the share with topic,
    attendance and homework, summed from `class_days` (truncating dates to weeks in SQLite
    would call Python for every lesson)."""
    weeks: dict[datetime.date, list[int]] = {}  # plain sums: a Counts a row cost ~1,500 a page
    for r in days:
        if not r["n_held"]:
            continue
        monday = r["date"] - datetime.timedelta(days=r["date"].weekday())
        week = weeks.get(monday)
        if week is None:
            week = weeks[monday] = [0, 0, 0, 0]
        week[0] += r["n_held"]
        week[1] += r["n_topic"]
        week[2] += r["n_attendance"]
        week[3] += r["n_homework"]
    return [
        {"week": monday, "counts": Counts(held=h, topic=t, attendance=a, homework=hw)}
        for monday, (h, t, a, hw) in sorted(weeks.items())
    ]


def homework_load(days: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """R38: per class, the days of the range whose homework minutes (the lessons of that day)
    exceed the grade's limit, with the heaviest day (only classes with minutes)."""
    by_class: dict[int, dict[str, Any]] = {}
    for r in days:
        class_id, minutes = r["course__school_class_id"], r["minutes"]
        if class_id is None or minutes is None:
            continue
        grade = r["course__school_class__grade"]
        entry = by_class.setdefault(
            class_id,
            {
                "id": class_id,
                "name": grade_letter(r, "course__school_class__"),
                "limit": homework_limit(grade),
                "days": 0,
                "over": [],
                "max": 0,
                "max_day": None,
            },
        )
        entry["days"] += 1
        if minutes > entry["max"]:
            entry["max"], entry["max_day"] = minutes, r["date"]
        if minutes > entry["limit"]:
            entry["over"].append((r["date"], minutes))
    return list(by_class.values())


def procedure_clashes(days: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """R37: the days on which a class has more than one оценочная процедура."""
    found = [
        {
            "date": r["date"],
            "n": r["n_procedures"],
            "name": grade_letter(r, "course__school_class__"),
        }
        for r in days
        if r["course__school_class_id"] is not None and r["n_procedures"] > 1
    ]
    return sorted(found, key=lambda c: c["date"])


def _procedures(school: School, rng: Range) -> Any:
    return Lesson.objects.filter(
        school=school,
        date__gte=rng.start,
        date__lte=rng.end,
        planned_topic__is_control=True,
        course__kind=CourseKind.LESSON,
    ).exclude(status=Lesson.Status.CANCELLED)


def procedure_schedule(school: School, rng: Range) -> list[dict[str, Any]]:
    """R37: the schedule of оценочные процедуры for the school's website: date, class, subject,
    the work's kind and topic (no names of people)."""
    rows = (
        _procedures(school, rng)
        .values(
            "date",
            "bell_number",
            "course__school_class__grade",
            "course__school_class__letter",
            "course__name",
            "course__subject__name",
            "planned_topic__work_kind",
            "planned_topic__title",
        )
        .order_by(
            "date", "course__school_class__grade", "course__school_class__letter", "bell_number"
        )
    )
    return [
        {
            "date": r["date"],
            "class": grade_letter(r, "course__school_class__") or r["course__name"],
            "subject": r["course__subject__name"],
            "kind": r["planned_topic__work_kind"],
            "topic": r["planned_topic__title"],
        }
        for r in rows
    ]


@dataclass
class Usage:
    """(e): who of the class's students and guardians logged in since the range began."""

    students: int = 0
    students_used: int = 0
    guardians: int = 0
    guardians_used: int = 0

    @property
    def students_pct(self) -> Decimal | None:
        return percent(self.students_used, self.students)

    @property
    def guardians_pct(self) -> Decimal | None:
        return percent(self.guardians_used, self.guardians)


def diary_usage(school: School, rng: Range) -> list[tuple[str, Usage]]:
    """Per class (by grade and letter) and last the whole school (named ""): the students with an
    account and the guardians with a live link, and who of them logged in on a day from the
    range's start on (R35: the date of the last login is all that is kept: minimum personal
    data). Three queries."""
    since = timezone.make_aware(datetime.datetime.combine(rng.start, datetime.time.min))
    enrolled = Enrollment.objects.filter(
        Q(start__lte=rng.cutoff) & (Q(end__isnull=True) | Q(end__gte=rng.start)),
        school=school,
        student__school=school,  # the same rows; else PostgreSQL hashes the region's students
        school_class__year__start__lte=rng.cutoff,
        school_class__year__end__gte=rng.start,
    )
    pupils: dict[int, int] = {}
    names: dict[int, tuple[int, str]] = {}
    accounts: dict[int, bool] = {}
    # Compared in the database: parsing ~2,700 login times from SQLite's text took 5 ms.
    seen = ExpressionWrapper(Q(student__user__last_login__gte=since), BooleanField())
    for sid, cid, grade, letter, user_id, used in (
        enrolled.annotate(seen=seen)
        .values_list(
            "student_id",
            "school_class_id",
            "school_class__grade",
            "school_class__letter",
            "student__user_id",
            "seen",
        )
        .order_by("start", "pk")  # the latest class of a student who moved wins
    ):
        pupils[sid], names[cid] = cid, (grade, letter)
        if user_id is not None:
            accounts[sid] = bool(used)
    today = timezone.localdate()
    live = Q(end__isnull=True) | Q(end__gt=today)
    # The school's live links, kept in Python for the enrolled students: a semi-join on the
    # enrolments' subquery was planned as nested loops (O(students²)) by PostgreSQL before its
    # statistics were gathered: 5 s on school-S.
    guardian_seen = ExpressionWrapper(Q(user__last_login__gte=since), BooleanField())
    links = [
        row
        for row in Guardian.objects.filter(live, school=school)
        .annotate(seen=guardian_seen)
        .values_list("user_id", "student_id", "seen")
        if row[1] in pupils
    ]
    usage: dict[int | None, Usage] = defaultdict(Usage)
    for student_id, used in accounts.items():
        for key in (pupils[student_id], None):
            usage[key].students += 1
            usage[key].students_used += used
    users_seen: dict[int | None, dict[int, bool]] = defaultdict(dict)
    for user_id, student_id, seen_now in links:
        used = bool(seen_now)
        for key in (pupils.get(student_id), None):
            mine = users_seen[key]
            mine[user_id] = mine.get(user_id, False) or used
    for key, logged in users_seen.items():
        usage[key].guardians = len(logged)
        usage[key].guardians_used = sum(logged.values())
    ordered = sorted((grade_letter, cid) for cid, grade_letter in names.items())
    found = [(f"{g}{letter}", usage[cid]) for (g, letter), cid in ordered if cid in usage]
    return [*found, ("", usage[None])]


def monitoring(*, school: School, rng: Range) -> dict[str, Any]:
    """Everything the deputy's page, the director's page and the XLSX show for the range."""
    courses = _courses(school, rng)
    journal = _journal_rows(school, rng)
    rows = monitoring_rows(school, rng, courses, journal)
    days = class_days(journal, courses)
    return {
        "range": rng,
        "rows": rows,
        "total": rows["school"][0],
        "trend": weekly_trend(days),
        "homework": homework_load(days),
        "clashes": procedure_clashes(days),
        "usage_rows": diary_usage(school, rng),
        # Period marks (of the periods overlapping the range) unlike their suggestion.
        "differences": period_differences(school=school, start=rng.start, end=rng.end),
    }
