"""Reads for the journal pages (the course list and the grid page frame); the grid itself is
`otmetka.journal.selectors.journal_grid`, served as JSON by the API."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404
from django.utils import timezone

from otmetka.access.rules import journal_courses
from otmetka.accounts.models import User
from otmetka.curriculum.models import Course
from otmetka.journal.refs import school_codes, school_kinds
from otmetka.journal.selectors import course_periods
from otmetka.school.models import Period, PeriodScheme, School
from otmetka.school.refcache import version_for


def _scheme(course: Course) -> str:
    """The period scheme of the course's class (quarters for cross-class groups)."""
    if course.school_class is not None and course.school_class.period_scheme:
        return course.school_class.period_scheme
    return PeriodScheme.QUARTERS


def _current(periods: list[Period], today: datetime.date) -> Period | None:
    """The period containing today, else the last one started, else the first one."""
    for p in periods:
        if p.start <= today <= p.end:
            return p
    started = [p for p in periods if p.start <= today]
    return started[-1] if started else (periods[0] if periods else None)


def journal_list(*, user: User, school: School) -> list[dict[str, Any]]:
    """The user's openable courses grouped by class, each group with its current period."""
    today = timezone.localdate()
    courses = list(
        journal_courses(user, school)
        .select_related("school_class", "subject", "year")
        .prefetch_related("teachers")
        .order_by(
            "-year__start",
            "school_class__grade",
            "school_class__letter",
            "subject__position",
            "subject__name",
            "name",
            "pk",
        )
    )
    periods = list(
        Period.objects.filter(school=school, year__in={c.year_id for c in courses})
        .select_related("year")
        .order_by("start")
    )
    groups: dict[Any, dict[str, Any]] = {}
    for course in courses:
        key = (course.year_id, course.school_class_id)
        group = groups.get(key)
        if group is None:
            own = [
                p for p in periods if p.year_id == course.year_id and p.scheme == _scheme(course)
            ]
            group = groups[key] = {
                "school_class": course.school_class,
                "year": course.year,
                "period": _current(own, today),
                "courses": [],
            }
        group["courses"].append(course)
    return list(groups.values())


def grid_frame(*, course: Course, period_id: Any) -> dict[str, Any]:
    """The period tabs (and the chosen one) and the legend of the course's grid page: the
    periods from the per-school cache (`course_periods`), named with the course's year."""
    periods = course_periods(course)
    for p in periods:
        p.year = course.year  # the year the course was read with (`journal_course_for`)
    chosen = None
    if period_id not in (None, ""):
        chosen = next((p for p in periods if str(p.pk) == str(period_id)), None)
        if chosen is None:
            raise Http404
    else:
        chosen = _current(periods, timezone.localdate())
    version = version_for(course)  # the legend from the per-school cache
    kinds = [k for k in school_kinds(course.school_id, version) if k.is_active]
    codes = list(school_codes(course.school_id, version))
    return {"periods": periods, "period": chosen, "mark_kinds": kinds, "absence_codes": codes}
