"""The summary gradesheet (сводная ведомость, R36): a class × all its subjects × a period (or
the year): current means, period marks with codes, counts, quality and success. A constant
number of queries for one class or for every class of the school."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, IntegerField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from otmetka.access import reports as access
from otmetka.curriculum.models import AssessmentMode, Course, CourseKind, CourseMember
from otmetka.grading.models import NA, MarkingPolicy, PeriodMark
from otmetka.grading.policy import mean_of_sums, pass_fail_suggest
from otmetka.grading.selectors import pass_fail_counts, school_policies
from otmetka.journal.models import Absence, AbsenceCode, Mark
from otmetka.school.models import Enrollment, Period, PeriodScheme, SchoolClass

BUCKETS = ("5", "4", "3", "2", NA)
FAILING = frozenset({"2", "1", NA, "незач"})
DIGITS = ("1", "2", "3", "4", "5")
ONE_PLACE = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole in per cent to one place, half up (None for an empty whole)."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass
class Cell:
    """A student's subject in the sheet: the current mean and the period mark."""

    average: Decimal | None = None
    mark: str = ""
    differs: bool = False
    suggestion: str = ""  # pass/fail courses: «зач»/«незач» by the current marks

    @property
    def failing(self) -> bool:
        """«2», «н/а» or «незач»: highlighted."""
        return self.mark in FAILING


@dataclass
class Line:
    """A student's line: a cell per subject, the counts of marks, absences and the verdicts."""

    id: int
    name: str
    number: int = 0
    cells: list[Cell | None] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    absences: int = 0

    @property
    def marks(self) -> list[str]:
        """The period marks the student has."""
        return [c.mark for c in self.cells if c is not None and c.mark]

    @property
    def failing(self) -> bool:
        """Has a «2», «н/а» or «незач»."""
        return any(m in FAILING for m in self.marks)

    @property
    def count_list(self) -> list[int]:
        """The counts in the order of BUCKETS."""
        return [self.counts.get(b, 0) for b in BUCKETS]

    @property
    def points(self) -> list[str]:
        """The whole period marks."""
        return [m for m in self.marks if m.isdigit()]


@dataclass
class Sheet:
    """One class's gradesheet."""

    school_class: SchoolClass
    subjects: list[str]
    lines: list[Line]
    subject_totals: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)


def _range(classes: list[SchoolClass], period: Period | None) -> tuple[datetime.date, ...]:
    if period is not None:
        return period.start, period.end
    return min(c.year.start for c in classes), max(c.year.end for c in classes)


def _means(
    course_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], tuple[int, int, Decimal, Decimal]]:
    """(course, student) → (simple sums, weighted sums), summed by the database (one query)."""
    value = Cast("value", IntegerField())
    rows = (
        Mark.objects.filter(
            lesson__course_id__in=course_ids,
            lesson__date__gte=start,
            lesson__date__lte=end,
            is_deleted=False,
            value__in=DIGITS,
        )
        .values("lesson__course_id", "student_id")
        .annotate(
            n=Count("id"),
            total=Sum(value),
            wtotal=Sum(F("kind__weight") * value, output_field=DecimalField()),
            weight=Sum("kind__weight"),
        )
    )
    return {
        (r["lesson__course_id"], r["student_id"]): (r["total"], r["n"], r["wtotal"], r["weight"])
        for r in rows
    }


def _absences(course_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, int]:
    rows = (
        Absence.objects.filter(
            lesson__course_id__in=course_ids, lesson__date__gte=start, lesson__date__lte=end
        )
        .exclude(code__reason=AbsenceCode.Reason.LATE)
        .values("student_id")
        .annotate(n=Count("id"))
    )
    return {r["student_id"]: r["n"] for r in rows}


def _period_marks(
    course_ids: list[int], period: Period | None
) -> dict[tuple[int, int], tuple[str, str]]:
    """(course, student) → (value, suggested): plain tuples, no model instances (thousands of
    rows for a school)."""
    q = Q(period=period) if period is not None else Q(period__isnull=True)
    rows = PeriodMark.objects.filter(q, course_id__in=course_ids, is_deleted=False)
    fields = ("course_id", "student_id", "value", "suggested")
    return {(c, s): (v, sug) for c, s, v, sug in rows.values_list(*fields)}


def _rosters(
    classes: list[SchoolClass], start: datetime.date, end: datetime.date
) -> dict[int, dict[int, str]]:
    overlap = Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))
    rows = Enrollment.objects.filter(overlap, school_class__in=classes).values_list(
        "school_class_id", "student_id", "student__last_name", "student__first_name"
    )
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for class_id, sid, last, first in rows:
        found[class_id][sid] = f"{last} {first}"
    return found


def _members(
    courses: list[Course], start: datetime.date, end: datetime.date
) -> dict[int, set[int]]:
    groups = [c.pk for c in courses if c.name]
    if not groups:
        return {}
    overlap = Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))
    found: dict[int, set[int]] = defaultdict(set)
    for course_id, sid in CourseMember.objects.filter(overlap, course_id__in=groups).values_list(
        "course_id", "student_id"
    ):
        found[course_id].add(sid)
    return found


def _pass_fail(
    courses: list[Course], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], tuple[int, int]]:
    """The pass/fail courses' tallies of current marks (no query when there are none)."""
    ids = [c.pk for c in courses if c.assessment == AssessmentMode.PASS_FAIL]
    return pass_fail_counts(ids, start, end) if ids else {}


def _policy(policies: dict[int | None, MarkingPolicy], grade: int) -> MarkingPolicy:
    return policies.get(grade) or policies.get(None) or MarkingPolicy()


def gradesheets(*, school: Any, classes: list[SchoolClass], period: Period | None) -> list[Sheet]:
    """The gradesheets of the classes (already access-checked) for a period (None: the year)."""
    if not classes:
        return []
    start, end = _range(classes, period)
    courses = list(
        Course.objects.filter(school=school, school_class__in=classes, kind=CourseKind.LESSON)
        .exclude(assessment=AssessmentMode.NONE)
        .select_related("subject")
        .order_by("subject__position", "subject__name", "pk")
    )
    ids = [c.pk for c in courses]
    facts = {
        "means": _means(ids, start, end),
        "marks": _period_marks(ids, period),
        "absences": _absences(ids, start, end),
        "members": _members(courses, start, end),
        "pass_fail": _pass_fail(courses, start, end),
        "policies": school_policies(school=school),
    }
    rosters = _rosters(classes, start, end)
    by_class: dict[int | None, list[Course]] = defaultdict(list)
    for c in courses:
        by_class[c.school_class_id].append(c)
    return [_sheet(c, by_class[c.pk], rosters.get(c.pk, {}), facts) for c in classes]


def _cell(course: Course, sid: int, facts: dict[str, Any], weighted: bool) -> Cell:
    sums = facts["means"].get((course.pk, sid))
    cell = Cell()
    if sums is not None:
        total, n, wtotal, weight = sums
        cell.average = mean_of_sums(wtotal, weight) if weighted else mean_of_sums(total, n)
    tally = facts["pass_fail"].get((course.pk, sid))
    if tally is not None:
        cell.suggestion = pass_fail_suggest(*tally)
    mark = facts["marks"].get((course.pk, sid))
    if mark is not None:
        cell.mark, cell.differs = mark[0], bool(mark[1]) and mark[0] != mark[1]
    return cell


def _sheet(
    school_class: SchoolClass, courses: list[Course], roster: dict[int, str], facts: dict[str, Any]
) -> Sheet:
    """One class's sheet from the facts loaded for every class."""
    weighted = _policy(facts["policies"], school_class.grade).mean == MarkingPolicy.Mean.WEIGHTED
    subjects: dict[int, list[Course]] = {}
    for c in courses:
        subjects.setdefault(c.subject_id, []).append(c)
    ordered = sorted(roster.items(), key=lambda item: (item[1], item[0]))
    lines = []
    for number, (sid, name) in enumerate(ordered, start=1):
        line = Line(sid, name, number, absences=facts["absences"].get(sid, 0))
        for group in subjects.values():
            mine = [c for c in group if not c.name or sid in facts["members"].get(c.pk, ())]
            line.cells.append(_cell(mine[0], sid, facts, weighted) if mine else None)
        line.counts = {b: line.marks.count(b) for b in BUCKETS}
        line.counts["2"] += line.marks.count("1")
        lines.append(line)
    names = [group[0].subject.name for group in subjects.values()]
    sheet = Sheet(school_class, names, lines)
    sheet.subject_totals = [_subject_total(lines, i) for i in range(len(names))]
    sheet.totals = class_totals(lines)
    return sheet


def _subject_total(lines: list[Line], index: int) -> dict[str, Any]:
    cells = [ln.cells[index] for ln in lines]
    marks = [c.mark for c in cells if c and c.mark]
    counts = {b: marks.count(b) for b in BUCKETS}
    good = sum(1 for m in marks if m in ("4", "5"))
    passed = sum(1 for m in marks if m not in FAILING)
    return {
        "counts": counts,
        "quality": percent(good, len(marks)),
        "success": percent(passed, len(marks)),
    }


def class_totals(lines: list[Line]) -> dict[str, Any]:
    """The class's totals of R36: all «5», «4» and «5», one «3», with «2», with «н/а», and the
    quality and success per cent of the students with any period mark."""
    marked = [ln for ln in lines if ln.marks]
    ok = [ln for ln in marked if not ln.failing]
    all5 = [ln for ln in ok if ln.points and set(ln.points) == {"5"}]
    good = [ln for ln in ok if ln.points and set(ln.points) <= {"4", "5"}]
    one3 = [ln for ln in ok if ln.points.count("3") == 1]
    return {
        "students": len(lines),
        "marked": len(marked),
        "all5": len(all5),
        "good": len(good) - len(all5),
        "one3": len(one3),
        "with2": sum(1 for ln in marked if {"2", "1"} & set(ln.marks)),
        "with_na": sum(1 for ln in marked if NA in ln.marks),
        "quality": percent(len(good), len(marked)),
        "success": percent(len(ok), len(marked)),
    }


def class_periods(school_class: SchoolClass) -> list[Period]:
    """The periods of the class's year in its scheme."""
    return list(
        Period.objects.filter(
            year_id=school_class.year_id,
            scheme=school_class.period_scheme or PeriodScheme.QUARTERS,
        )
        .select_related("year")
        .order_by("start")
    )


def sheet_period(periods: list[Period], asked: str | None) -> tuple[Period | None, bool]:
    """(period, is_year) of the query: "year", a period's id, or the current period by default;
    LookupError for anything else."""
    if asked == "year":
        return None, True
    if asked in (None, ""):
        today = timezone.localdate()
        begun = [p for p in periods if p.start <= today]
        if begun or periods:
            return (begun[-1] if begun else periods[0]), False
        raise LookupError(asked)
    found = next((p for p in periods if str(p.pk) == str(asked)), None)
    if found is None:
        raise LookupError(asked)
    return found, False


def class_sheet(*, school_class: SchoolClass, asked: str | None) -> dict[str, Any]:
    """The gradesheet of one class (checked by the caller) for the asked period."""
    periods = class_periods(school_class)
    period, is_year = sheet_period(periods, asked)
    (sheet,) = gradesheets(school=school_class.school_id, classes=[school_class], period=period)
    return {"sheet": sheet, "period": period, "is_year": is_year, "periods": periods}


def school_sheets(*, school: Any, asked: str | None) -> dict[str, Any]:
    """Every class of the school's current year in the asked period's scheme, by parallel,
    with the school's totals (the period: a quarters period by default)."""
    periods = list(
        Period.objects.filter(school=school)
        .select_related("year")
        .order_by("-year__start", "start")
    )
    year_id = periods[0].year_id if periods else None
    period, is_year = sheet_period([p for p in periods if p.year_id == year_id], asked)
    scheme = period.scheme if period is not None else PeriodScheme.QUARTERS
    classes = list(
        SchoolClass.objects.filter(school=school, year_id=year_id, period_scheme=scheme)
        .select_related("year")
        .order_by("grade", "letter")
    )
    sheets = gradesheets(school=school, classes=classes, period=period)
    parallels: dict[int, list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        parallels[sheet.school_class.grade].append(sheet)
    lines = [line for sheet in sheets for line in sheet.lines]
    return {
        "parallels": sorted(parallels.items()),
        "totals": class_totals(lines),
        "period": period,
        "is_year": is_year,
        "periods": [p for p in periods if p.year_id == year_id],
    }


def readable_classes(*, user: Any, school: Any) -> list[SchoolClass]:
    """The classes whose gradesheet the user reads, newest year first, by grade and letter."""
    rows = access.gradesheet_classes(user, school).select_related("year")
    return list(rows.order_by("-year__start", "grade", "letter"))
