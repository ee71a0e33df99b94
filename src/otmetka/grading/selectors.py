"""Reads of period and year marks: the teacher's page of a course, the suggestions by the
school's policy, the marks of one student (for the diary) and the policy itself."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from otmetka.access import grading as access
from otmetka.access.rules import period_is_closed
from otmetka.core.rows import table
from otmetka.curriculum.models import AssessmentMode, Course, CourseKind, CourseMember
from otmetka.grading import policy as rules_of
from otmetka.grading.models import CODES, FAIL, PASS, MarkingPolicy, MasteryScale, PeriodMark
from otmetka.journal.grid import is_group_course
from otmetka.journal.models import Lesson, Mark, MarkKind
from otmetka.journal.selectors import course_periods
from otmetka.journal.validation import POINT_MODES, SCALES
from otmetka.people.models import Student
from otmetka.school.models import Enrollment, Period, PeriodScheme
from otmetka.school.refcache import cached

Key = tuple[int, int]  # (course id, student id)


def policy_for(*, school: Any, grade: int | None, version: int | None = None) -> MarkingPolicy:
    """The policy of a grade, else the school's, else the defaults (an unsaved row); one query,
    or none with the school's reference `version` (from the per-school cache)."""
    school_id = getattr(school, "pk", school)
    if version is not None:  # shared by the process's requests: read, never changed
        saved = cached(
            school_id,
            version,
            "policies",
            lambda: school_policies(school=school_id),
            immutable=True,
        )
        found_one = saved.get(grade) or saved.get(None)
        return found_one if found_one is not None else MarkingPolicy(school_id=school_id)
    rows = MarkingPolicy.objects.filter(Q(grade=grade) | Q(grade__isnull=True), school_id=school_id)
    found = sorted(rows, key=lambda p: p.grade is None)
    return found[0] if found else MarkingPolicy(school_id=school_id)


def school_policies(*, school: Any) -> dict[int | None, MarkingPolicy]:
    """Every saved policy of the school by grade (None: the school's default)."""
    return {p.grade: p for p in MarkingPolicy.objects.filter(school=school)}


def roster(course: Course, start: datetime.date, end: datetime.date) -> list[tuple[int, str, str]]:
    """(id, last name, first name) of the course's students at any day of [start, end]."""
    overlap = Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))
    rows: QuerySet[CourseMember] | QuerySet[Enrollment]
    if is_group_course(course):
        rows = CourseMember.objects.filter(overlap, course=course)
    else:
        rows = Enrollment.objects.filter(overlap, school_class_id=course.school_class_id)
    found = rows.values_list("student_id", "student__last_name", "student__first_name")
    return sorted(set(found), key=lambda r: (r[1], r[2], r[0]))


def current_marks(
    course_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[Key, list[tuple[int, Decimal]]]:
    """Whole current marks with their kinds' weights by (course, student), one query."""
    rows = Mark.objects.filter(
        lesson__course_id__in=course_ids,
        lesson__date__gte=start,
        lesson__date__lte=end,
        is_deleted=False,
    ).values_list("lesson__course_id", "student_id", "value", "kind__weight")
    found: dict[Key, list[tuple[int, Decimal]]] = defaultdict(list)
    for course_id, sid, value, weight in rows:
        if value.isdigit():
            found[(course_id, sid)].append((int(value), weight))
    return found


def pass_fail_counts(
    course_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[Key, tuple[int, int]]:
    """(«зач» marks, all pass/fail marks) by (course, student) in [start, end], one query."""
    rows = (
        Mark.objects.filter(
            lesson__course_id__in=course_ids,
            lesson__date__gte=start,
            lesson__date__lte=end,
            is_deleted=False,
            value__in=(PASS, FAIL),
        )
        .values("lesson__course_id", "student_id")
        .annotate(total=Count("id"), passes=Count("id", filter=Q(value=PASS)))
    )
    return {(r["lesson__course_id"], r["student_id"]): (r["passes"], r["total"]) for r in rows}


def period_marks_of(
    course_ids: list[int], period_ids: list[int | None]
) -> dict[tuple[int, int, int | None], PeriodMark]:
    """Live period marks by (course, student, period id; None for the year), one query."""
    q = Q(period_id__in=[p for p in period_ids if p is not None])
    if None in period_ids:
        q |= Q(period__isnull=True)
    rows = PeriodMark.objects.filter(q, course_id__in=course_ids, is_deleted=False)
    return {(m.course_id, m.student_id, m.period_id): m for m in rows}


def low_of(course: Course) -> int:
    """The lowest mark of the course's scale."""
    return rules_of.SCALE_LOW.get(course.assessment, 2)


def allowed_values(course: Course) -> tuple[str, ...]:
    """What a period mark of the course may be: its scale and the codes."""
    scale = SCALES.get(course.assessment, ())
    return (*reversed(scale), *CODES) if scale else ()


@dataclass
class Row:
    """One student's line of the period marks page."""

    id: int
    name: str
    number: int
    count: int = 0
    average: Decimal | None = None
    suggestion: str = ""
    mark: PeriodMark | None = None
    too_few: bool = False
    periods: list[str] = field(default_factory=list)  # the year page: each period's mark

    @property
    def differs(self) -> bool:
        """The entered value is not the suggestion (flagged for the deputy)."""
        return (
            self.mark is not None and bool(self.suggestion) and self.mark.value != self.suggestion
        )


def _grade(course: Course) -> int | None:
    school_class = course.school_class if course.school_class_id else None
    return school_class.grade if school_class is not None else None


def suggestions(course: Course, period: Period | None) -> dict[int, str]:
    """The suggested mark of every student of the course for a period (None: the year)."""
    rows = period_rows(course, period)
    return {r.id: r.suggestion for r in rows}


def period_rows(course: Course, period: Period | None) -> list[Row]:
    """The rows of the page: students, current marks' mean, suggestion and the entered mark."""
    if period is None:
        return _year_rows(course)
    policy = policy_for(school=course.school_id, grade=_grade(course))
    rules = rules_of.Rules.of(policy)
    students = roster(course, period.start, period.end)
    marks = current_marks([course.pk], period.start, period.end)
    entered = period_marks_of([course.pk], [period.pk])
    half = period.scheme == PeriodScheme.HALVES
    minimum = rules_of.minimum_marks(policy, hours_per_week=course.hours_per_week, half_year=half)
    point_mode = course.assessment in POINT_MODES
    pass_fail = course.assessment == AssessmentMode.PASS_FAIL
    tallies = pass_fail_counts([course.pk], period.start, period.end) if pass_fail else {}
    rows = []
    for number, (sid, last, first) in enumerate(students, start=1):
        found = marks.get((course.pk, sid), [])
        row = Row(sid, f"{last} {first}", number, count=len(found))
        row.mark = entered.get((course.pk, sid, period.pk))
        if point_mode:
            row.average = rules_of.mean(found, weighted=rules.weighted)
            row.suggestion = rules_of.suggest(found, rules, low=low_of(course))
            row.too_few = len(found) < minimum
        elif pass_fail:
            passes, total = tallies.get((course.pk, sid), (0, 0))
            row.count, row.suggestion = total, rules_of.pass_fail_suggest(passes, total)
        rows.append(row)
    return rows


def _year_rows(course: Course) -> list[Row]:
    """The year page's rows: each period's mark and the year suggestion by the school's rule."""
    policy = policy_for(school=course.school_id, grade=_grade(course))
    rules = rules_of.Rules.of(policy)
    periods = course_periods(course)
    students = roster(course, course.year.start, course.year.end)
    entered = period_marks_of([course.pk], [p.pk for p in periods] + [None])
    attestation = _attestation_marks(course, policy)
    rows = []
    for number, (sid, last, first) in enumerate(students, start=1):
        row = Row(sid, f"{last} {first}", number)
        row.periods = [getattr(entered.get((course.pk, sid, p.pk)), "value", "") for p in periods]
        row.mark = entered.get((course.pk, sid, None))
        if course.assessment in POINT_MODES:
            row.suggestion = rules_of.year_suggest(
                row.periods,
                rules,
                attestation=attestation.get(sid),
                attestation_weight=policy.attestation_weight,
                low=low_of(course),
            )
        elif course.assessment == AssessmentMode.PASS_FAIL:
            row.suggestion = rules_of.pass_fail_year_suggest(row.periods)
        rows.append(row)
    return rows


def _attestation_marks(course: Course, policy: MarkingPolicy) -> dict[int, int]:
    """The last whole mark of the attestation kind of work in the year, by student."""
    if policy.year_rule != MarkingPolicy.YearRule.ATTESTATION or not policy.attestation_kind_id:
        return {}
    rows = Mark.objects.filter(
        lesson__course=course, kind_id=policy.attestation_kind_id, is_deleted=False
    ).order_by("lesson__date", "created_at")
    return {sid: int(v) for sid, v in rows.values_list("student_id", "value") if v.isdigit()}


def year_is_closed(course: Course) -> bool:
    """Year marks close with the year's last period of the course's scheme."""
    periods = course_periods(course)
    return bool(periods) and period_is_closed(periods[-1], course.school)


def period_marks_page(*, user: Any, course: Course, period: Period | None) -> dict[str, Any]:
    """Everything the period marks page of a course shows (period None: the year)."""
    closed = year_is_closed(course) if period is None else period_is_closed(period, course.school)
    teacher_ids = set(course.teachers.values_list("pk", flat=True))
    policy = policy_for(school=course.school_id, grade=_grade(course))
    rows = period_rows(course, period)
    warn = period is not None and timezone.localdate() >= period.end - datetime.timedelta(
        days=policy.warn_days
    )
    minimum = 0
    if period is not None:
        half = period.scheme == PeriodScheme.HALVES
        minimum = rules_of.minimum_marks(
            policy, hours_per_week=course.hours_per_week, half_year=half
        )
    return {
        "rows": rows,
        "closed": closed,
        "can_write": access.may_write_period_marks(
            user, course, teacher_ids=teacher_ids, closed=closed
        ),
        "needs_reason": user.pk not in teacher_ids or closed,
        "policy": policy,
        "minimum": minimum,
        "warn": warn and course.assessment in POINT_MODES,
        "allowed": allowed_values(course),
        "marked": course.assessment != AssessmentMode.NONE,
    }


def period_for(course: Course, period_id: Any) -> Period | None:
    """A period of the course's scheme by id, the current one when none is asked; "year"
    gives None (the caller distinguishes it); an unknown id raises LookupError."""
    periods = course_periods(course)
    if period_id in (None, ""):
        today = timezone.localdate()
        current = [p for p in periods if p.start <= today]
        return current[-1] if current else (periods[0] if periods else None)
    found = next((p for p in periods if str(p.pk) == str(period_id)), None)
    if found is None:
        raise LookupError(period_id)
    return found


def course_period(course: Course, period_id: Any) -> Period:
    """`period_for` for a page or an endpoint that needs one period: 404 for an id that is not
    the course's, and for a course with no periods."""
    try:
        found = period_for(course, period_id)
    except LookupError:
        raise Http404 from None
    if found is None:
        raise Http404
    return found


def period_marks_for_student(
    *, user: Any, school: Any, student_id: Any, year: Any = None
) -> list[dict[str, Any]]:
    """A student's period and year marks (for the diary): the student, their guardians and
    staff who see the student read them; 404 for everyone else."""
    student = access.period_mark_student(user, school, student_id)
    rows = PeriodMark.objects.filter(school=school, student=student, is_deleted=False)
    if year is not None:
        rows = rows.filter(year=year)
    rows = rows.select_related("course__subject", "period").order_by(
        "course__subject__position", "course__subject__name", "period__start"
    )
    return [
        {
            "subject": m.course.subject.name,
            "course_id": m.course_id,
            "period": str(m.period.name) if m.period_id and m.period else None,
            "period_id": m.period_id,
            "value": m.value,
            "na_reason": m.na_reason,
            "basis": m.basis,
        }
        for m in rows
    ]


MASTERY_KINDS = (CourseKind.EXTRACURRICULAR, CourseKind.ADDITIONAL)


def mastery_course(user: Any, school: Any, course_id: Any) -> Course:
    """An extracurricular or additional-education course whose journal the user reads (404 for
    any other course, and across schools)."""
    course: Course = access.period_marks_course(user, school, course_id)
    if course.kind not in MASTERY_KINDS:
        raise Http404
    return course


def mastery_scale_of(course: Course) -> MasteryScale:
    """The course's scale of its mastery sheet (the default «зач»/«незач» when none is saved)."""
    found = MasteryScale.objects.filter(course=course).first()
    return found or MasteryScale(school_id=course.school_id, course=course)


def mastery_sheet(*, user: Any, course: Course, period: Period) -> dict[str, Any]:
    """The mastery sheet of a course in a period: every student with the entered value."""
    students = roster(course, period.start, period.end)
    entered = period_marks_of([course.pk], [period.pk])
    closed = period_is_closed(period, course.school)
    teacher_ids = set(course.teachers.values_list("pk", flat=True))
    rows = []
    for number, (sid, last, first) in enumerate(students, start=1):
        mark = entered.get((course.pk, sid, period.pk))
        rows.append({"id": sid, "number": number, "name": f"{last} {first}",
                     "value": mark.value if mark is not None else ""})  # fmt: skip
    scale = mastery_scale_of(course)
    can_write = access.may_write_period_marks(user, course, teacher_ids=teacher_ids, closed=closed)
    return {
        "rows": rows,
        "scale": scale,
        "values": scale.values(),
        "closed": closed,
        "can_write": can_write,
        "needs_reason": can_write and (user.pk not in teacher_ids or closed),
        "teachers": list(course.teachers.order_by("last_name", "first_name")),
    }


@dataclass(frozen=True)
class Difference:
    """A period mark that is not the suggestion of the school's policy (for the deputy)."""

    course_id: int
    course: str
    period_id: int
    period: str
    student: str
    value: str
    suggestion: str


# A period's whole current marks summed by (course, student) in integers: the kinds' weights
# have one decimal place (MarkKind.weight), so weight·10 is whole and the sums are exact on both
# databases (SQLite sums decimals as floats).
_POINT_SUMS_SQL = """
    SELECT l.course_id, m.student_id, SUM(CAST(m.value AS INTEGER)), COUNT(*),
      SUM(CAST(m.value AS INTEGER) * CAST(ROUND(k.weight * 10) AS INTEGER)),
      SUM(CAST(ROUND(k.weight * 10) AS INTEGER))
    FROM {lesson} l
    JOIN {mark} m ON m.lesson_id = l.id
    JOIN {kind} k ON k.id = m.kind_id
    WHERE l.school_id = %s AND l.date >= %s AND l.date <= %s AND l.course_id IN ({courses})
      AND NOT m.is_deleted AND m.value IN ('1', '2', '3', '4', '5')
    GROUP BY l.course_id, m.student_id
"""


def point_sums(
    school_id: int, course_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[Key, tuple[int, int, int, int]]:
    """(course, student) → (Σ value, count, Σ value·weight·10, Σ weight·10) of the whole current
    marks of the school's courses `course_ids` from start to end, summed by the database (one
    query; the school's own lessons only, so PostgreSQL does not hash the region's courses)."""
    if not course_ids:
        return {}
    sql = _POINT_SUMS_SQL.format(
        mark=table(Mark), lesson=table(Lesson), kind=table(MarkKind),
        courses=", ".join(["%s"] * len(course_ids)),
    )  # fmt: skip
    d = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [school_id, d(start), d(end), *course_ids])
        return {(c, s): (int(t), n, int(wt), int(w)) for c, s, t, n, wt, w in cursor.fetchall()}


def suggest_of_sums(
    sums: tuple[int, int, int, int] | None,
    rules: rules_of.Rules,
    low: int,
    memo: dict[tuple[Any, ...], str],
) -> str:
    """`policy.suggest` of the marks summed by `point_sums`, in integers: the mean to two places
    half up is (200·Σ + n) // (2·n) hundredths, exactly what `mean` gives (its 28-digit division
    cannot land on a half of a hundredth that the exact quotient is not on); the mark of each
    hundredths value is computed once (`memo`)."""
    if sums is None:
        return ""
    total, n = (sums[2], sums[3]) if rules.weighted else (sums[0], sums[1])
    hundredths = (200 * total + n) // (2 * n)
    key = (id(rules), low, hundredths)  # one Rules object per grade: no dataclass __eq__
    found = memo.get(key)
    if found is None:
        found = memo[key] = str(rules_of.to_mark(Decimal(hundredths).scaleb(-2), rules, low=low))
    return found


def _rules_of(
    course: Course,
    policies: dict[int | None, MarkingPolicy],
    by_grade: dict[int | None, rules_of.Rules],
) -> tuple[rules_of.Rules, int]:
    """The rules (one object per grade, kept in `by_grade`) and the lowest mark of a course."""
    grade = _grade(course)
    if grade not in by_grade:
        policy = (
            policies.get(grade) or policies.get(None) or MarkingPolicy(school_id=course.school_id)
        )
        by_grade[grade] = rules_of.Rules.of(policy)
    return by_grade[grade], low_of(course)


def period_differences(
    *, school: Any, start: datetime.date, end: datetime.date
) -> list[Difference]:
    """The school's live period marks of the periods overlapping [start, end] that differ from
    their suggestion (as the period marks page flags them: a suggestion exists and the value is
    another), by class, course, period and student. Queries: the periods, the marks, their
    courses and students, the policies, and the current marks of each period summed by the
    database (`point_sums`; one more for a pass/fail one): constant in the school's size. The
    marks are read as plain rows and the courses, students and periods once each; the suggestion
    comes from integer sums (a quarter of school-S has ~13,000 period marks: `suggest` on each
    mark's list of current marks took 0.5 s; the periods' ids come first: filtering on the
    period's dates through a join made SQLite read every period mark of the school)."""
    periods = {
        p.pk: p for p in Period.objects.filter(school=school, start__lte=end, end__gte=start)
    }
    marks = list(
        PeriodMark.objects.filter(period_id__in=list(periods), is_deleted=False).values_list(
            "course_id", "student_id", "period_id", "value"
        )
    )
    if not marks:
        return []
    courses = {
        c.pk: c
        for c in Course.objects.filter(pk__in={m[0] for m in marks}).select_related(
            "subject", "school_class"
        )
    }
    names = {
        pk: f"{last} {first}"
        for pk, last, first in Student.objects.filter(pk__in={m[1] for m in marks}).values_list(
            "pk", "last_name", "first_name"
        )
    }
    policies = school_policies(school=school)
    rules: dict[int | None, rules_of.Rules] = {}  # by grade
    memo: dict[tuple[Any, ...], str] = {}
    per_course: dict[int, tuple[rules_of.Rules, int]] = {}
    by_period: dict[int, list[tuple[int, int, int, str]]] = defaultdict(list)
    for m in marks:
        by_period[m[2]].append(m)
    found = []
    for period_id, rows in by_period.items():
        period = periods[period_id]
        period_name = str(period.name)
        course_ids = sorted({m[0] for m in rows})
        points = [c for c in course_ids if courses[c].assessment in POINT_MODES]
        sums = point_sums(getattr(school, "pk", school), points, period.start, period.end)
        pass_fail = [c for c in course_ids if courses[c].assessment == AssessmentMode.PASS_FAIL]
        tallies = pass_fail_counts(pass_fail, period.start, period.end) if pass_fail else {}
        for course_id, student_id, _p, value in rows:
            course, key = courses[course_id], (course_id, student_id)
            if course.assessment in POINT_MODES:
                how = per_course.get(course_id)
                if how is None:
                    how = per_course[course_id] = _rules_of(course, policies, rules)
                suggestion = suggest_of_sums(sums.get(key), *how, memo)
            elif course.assessment == AssessmentMode.PASS_FAIL:
                suggestion = rules_of.pass_fail_suggest(*tallies.get(key, (0, 0)))
            else:
                continue
            if suggestion and value != suggestion:
                found.append(
                    Difference(
                        course_id=course_id, course=str(course), period_id=period_id,
                        period=period_name, student=names.get(student_id, ""),
                        value=value, suggestion=suggestion,
                    )
                )  # fmt: skip
    return sorted(found, key=lambda d: (d.course, d.period, d.student))
