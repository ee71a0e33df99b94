"""The period-mark column of the journal grid: for each student the suggestion by the school's
policy, the entered period mark, the difference flag and «Недостаточно отметок».

The grid's read (journal) already holds every current mark of the period and both averages, so
the suggestions cost no query: the column adds one (the entered period marks; the policy comes
from the per-school cache under the version read with the course), whatever the class size.
The API's grid view (above grading in the app order) adds the column to the grid JSON; a save
answers with the one student's cell, which the grid patches in place."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access import grading as access
from otmetka.curriculum.models import AssessmentMode, Course
from otmetka.grading import policy as rules_of
from otmetka.grading.models import MarkingPolicy, PeriodMark
from otmetka.grading.selectors import (
    allowed_values,
    low_of,
    period_marks_of,
    period_rows,
    policy_for,
)
from otmetka.journal.validation import POINT_MODES
from otmetka.school.models import Period, PeriodScheme


def column_texts() -> dict[str, str]:
    """The texts the grid shows about period marks (translated here: the grid has no catalogue)."""
    return {
        "pm_head": _("Period mark"),
        "pm_suggested": _("Suggested: %(value)s. «+» accepts it."),
        "pm_differs": _("Differs from the suggested «%(value)s»: the deputy sees it flagged."),
        "pm_too_few": _("Too few marks: %(count)s of %(minimum)s."),
        "pm_unknown": _("«%(value)s» is not a period mark of this course (allowed: %(allowed)s)."),
        "pm_no_suggestion": _("There is no suggestion: the student has no marks in the period."),
        "pm_na_reason": _(
            "«н/а»: is the reason valid? Type «у» (valid) or «н» (not valid); it decides "
            "about an academic debt."
        ),
        "pm_bad_na_reason": _(
            "Type «у» (valid reason) or «н» (no valid reason). Nothing is saved."
        ),
        "pm_basis": _("«осв»: the basis — the document, e.g. a certificate number (no diagnosis):"),
        "pm_reason": _("State the reason for the correction (it is kept in the history):"),
        "pm_no_column": _(
            "Period marks are set one by one: type a mark in each cell, or «+» to accept the "
            "suggested one."
        ),
        "pm_saved": _("The period mark is saved."),
        "pm_cleared": _("The period mark is removed (it stays in the history)."),
    }


def _warns(period: Period, policy: MarkingPolicy, today: datetime.date) -> bool:
    """«Недостаточно отметок» shows from the school's number of days before the period ends."""
    return today >= period.end - datetime.timedelta(days=policy.warn_days)


def _minimum(course: Course, period: Period, policy: MarkingPolicy) -> int:
    half = period.scheme == PeriodScheme.HALVES
    return rules_of.minimum_marks(policy, hours_per_week=course.hours_per_week, half_year=half)


def column_cell(
    mark: PeriodMark | None, *, suggestion: str, count: int, minimum: int, warn: bool
) -> dict[str, Any]:
    """One student's cell of the column."""
    value = mark.value if mark is not None else ""
    return {
        "value": value,
        "na_reason": mark.na_reason if mark is not None else "",
        "basis": mark.basis if mark is not None else "",
        "suggested": suggestion,
        "differs": bool(value and suggestion and value != suggestion),
        "count": count,
        "too_few": warn and count < minimum,
    }


def _grade(course: Course) -> int | None:
    return course.school_class.grade if course.school_class_id and course.school_class else None


def _counts(grid: dict[str, Any]) -> Counter[str]:
    """Whole current marks per student id (as text) in the grid's cells."""
    counts: Counter[str] = Counter()
    for key, cell in grid["cells"].items():
        whole = sum(1 for m in cell["marks"] if str(m["value"]).isdigit())
        if whole:
            counts[key.split(":", 1)[1]] += whole
    return counts


def grid_column(*, user: Any, course: Course, period: Period, grid: dict[str, Any]) -> dict | None:
    """The period-mark column of a grid already read (one query); None for a course without
    marks."""
    if course.assessment == AssessmentMode.NONE:
        return None
    version = getattr(course, "ref_version", None)
    policy = policy_for(school=course.school_id, grade=_grade(course), version=version)
    rules = rules_of.Rules.of(policy)
    point_mode = course.assessment in POINT_MODES
    closed = bool(grid["period"]["closed"])
    teacher_ids = {user.pk} if grid["course"].get("is_teacher") else set()
    can_write = access.may_write_period_marks(user, course, teacher_ids=teacher_ids, closed=closed)
    entered = period_marks_of([course.pk], [period.pk])
    today = timezone.localdate()
    warn = point_mode and _warns(period, policy, today)
    minimum = _minimum(course, period, policy) if point_mode else 0
    counts = _counts(grid)
    low = low_of(course)
    values = {}
    for student in grid["students"]:
        average = student["weighted_average"] if rules.weighted else student["average"]
        suggestion = ""
        if point_mode and average is not None:
            suggestion = str(rules_of.to_mark(Decimal(average), rules, low=low))
        values[str(student["id"])] = column_cell(
            entered.get((course.pk, student["id"], period.pk)),
            suggestion=suggestion,
            count=counts[str(student["id"])],
            minimum=minimum,
            warn=warn,
        )
    return {
        "period": period.pk,
        "can_write": can_write,
        "needs_reason": can_write and (not teacher_ids or closed),
        "allowed": list(allowed_values(course)),
        "scale": [v for v in allowed_values(course) if v.isdigit()],
        "minimum": minimum,
        "warn": warn,
        "save_url": reverse("grading:grid_save", args=[course.pk]),
        "banner": last_day_banner(period, today),
        "texts": column_texts(),
        "values": values,
    }


def last_day_banner(period: Period, today: datetime.date) -> str:
    """Seed 5.5: on the period's last day, marks for written work were due a day before."""
    if today != period.end:
        return ""
    return _(
        "Today is the last day of the period: marks for written work had to be in the journal "
        "at least one day before its end. Check them and set the period marks."
    )


def student_cell(course: Course, period: Period, student_id: int) -> dict[str, Any]:
    """One student's cell after a save (the answer the grid patches in place)."""
    rows = period_rows(course, period)
    row = next((r for r in rows if r.id == student_id), None)
    policy = policy_for(school=course.school_id, grade=_grade(course))
    point_mode = course.assessment in POINT_MODES
    warn = point_mode and _warns(period, policy, timezone.localdate())
    minimum = _minimum(course, period, policy) if point_mode else 0
    if row is None:
        return column_cell(None, suggestion="", count=0, minimum=minimum, warn=False)
    return column_cell(
        row.mark, suggestion=row.suggestion, count=row.count, minimum=minimum, warn=warn
    )
