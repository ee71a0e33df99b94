"""The period-mark column of the journal grid: for each student the suggestion by the school's
policy, the entered period mark, the difference flag and «Недостаточно отметок».

The grid's read (journal) already holds every current mark of the period and both averages, so
the suggestions cost no query: the column adds one (the entered period marks; the policy comes
from the per-school cache under the version read with the course), whatever the class size.
The API's grid view (above grading in the app order) adds the column to the grid JSON; a save
answers with the one student's cell, which the grid patches in place."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from django.db import connection
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from otmetka.access import grading as access
from otmetka.core.rows import planned_cursor
from otmetka.curriculum.models import AssessmentMode, Course
from otmetka.grading import policy as rules_of
from otmetka.grading.models import MarkingPolicy, PeriodMark
from otmetka.grading.selectors import (
    allowed_values,
    low_of,
    period_rows,
    policy_for,
)
from otmetka.journal.grid import Grid
from otmetka.journal.validation import POINT_MODES
from otmetka.school.models import Period, PeriodScheme


def column_texts() -> dict[str, str]:
    """The texts the grid shows about period marks (translated here: the grid has no catalogue),
    in the active language: translated once per language and process (fourteen look-ups were
    a twentieth of a small grid's request)."""
    return dict(_column_texts(get_language()))


@cache
def _column_texts(language: str | None) -> dict[str, str]:
    del language  # the key: the texts below are of the active language
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


Entered = tuple[str, str, str]  # a period mark's value, «н/а» reason and «осв» basis


def column_cell(
    mark: Entered | None, *, suggestion: str, count: int, minimum: int, warn: bool
) -> dict[str, Any]:
    """One student's cell of the column."""
    value, na_reason, basis = mark if mark is not None else ("", "", "")
    return {
        "value": value,
        "na_reason": na_reason,
        "basis": basis,
        "suggested": suggestion,
        "differs": bool(value and suggestion and value != suggestion),
        "count": count,
        "too_few": warn and count < minimum,
    }


@cache
def _entered_sql(vendor: str) -> str:
    """The course's live period marks of a period (parameters: course, period, False)."""
    del vendor  # one text per database: quote_name is the backend's
    t = connection.ops.quote_name(PeriodMark._meta.db_table)
    return f"""SELECT student_id, value, na_reason, basis FROM {t}
                WHERE course_id = %s AND period_id = %s AND is_deleted = %s"""


def _entered(course: Course, period: Period) -> dict[int, Entered]:
    """The entered period marks by student (one hand-written query: the ORM compiled it on
    every grid request)."""
    with planned_cursor() as cursor:  # planned once per connection on PostgreSQL
        cursor.execute(_entered_sql(connection.vendor), [course.pk, period.pk, False])
        return {sid: (value, na_reason, basis) for sid, value, na_reason, basis in cursor}


def _grade(course: Course) -> int | None:
    return course.school_class.grade if course.school_class_id and course.school_class else None


def grid_column(*, user: Any, course: Course, period: Period, grid: Grid) -> dict | None:
    """The period-mark column of a grid already read (one query; the counts of whole marks come
    with the grid); None for a course without marks."""
    if course.assessment == AssessmentMode.NONE:
        return None
    version = getattr(course, "ref_version", None)
    policy = policy_for(school=course.school_id, grade=_grade(course), version=version)
    rules = rules_of.Rules.of(policy)
    point_mode = course.assessment in POINT_MODES
    closed = bool(grid["period"]["closed"])
    teacher_ids = {user.pk} if grid["course"].get("is_teacher") else set()
    can_write = access.may_write_period_marks(user, course, teacher_ids=teacher_ids, closed=closed)
    entered = _entered(course, period)
    today = timezone.localdate()
    warn = point_mode and _warns(period, policy, today)
    minimum = _minimum(course, period, policy) if point_mode else 0
    counts = grid.whole_marks
    low = low_of(course)
    allowed = allowed_values(course)
    values = {}
    for student in grid["students"]:
        average = student["weighted_average"] if rules.weighted else student["average"]
        suggestion = ""
        if point_mode and average is not None:
            suggestion = str(rules_of.to_mark(Decimal(average), rules, low=low))
        values[str(student["id"])] = column_cell(
            entered.get(student["id"]),
            suggestion=suggestion,
            count=counts.get(student["id"], 0),
            minimum=minimum,
            warn=warn,
        )
    return {
        "period": period.pk,
        "can_write": can_write,
        "needs_reason": can_write and (not teacher_ids or closed),
        "allowed": list(allowed),
        "scale": [v for v in allowed if v.isdigit()],
        "minimum": minimum,
        "warn": warn,
        "save_url": _save_url(get_script_prefix(), course.pk),
        "banner": last_day_banner(period, today),
        "texts": column_texts(),
        "values": values,
    }


@lru_cache(maxsize=4096)
def _save_url(prefix: str, course_id: int) -> str:
    """The column's save URL (`reverse`: 30 µs of a grid's request), kept per script prefix."""
    del prefix  # the key: `reverse` puts the thread's prefix in front
    return reverse("grading:grid_save", args=[course_id])


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
    mark = row.mark
    entered = (mark.value, mark.na_reason, mark.basis) if mark is not None else None
    return column_cell(
        entered, suggestion=row.suggestion, count=row.count, minimum=minimum, warn=warn
    )
