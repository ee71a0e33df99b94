"""Who writes a lesson's cells, decided from facts read in one query with the lesson's period
(the journal's cells save: the period serves both the check and the answer's averages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, QuerySet, Subquery

from otmetka.access.rules import journal_write_role, lesson_write_role, period_is_closed


def lesson_write_period(user: Any, lesson: Any, periods: QuerySet[Any]) -> Any:
    """The lesson's period — the first of `periods` (the course's periods holding the lesson's
    date) — read together with whether the user teaches the course and who substitutes; the
    same decision as `lesson_write_role` (PermissionDenied without a write role)."""
    from otmetka.curriculum.models import Course
    from otmetka.journal.models import Substitution

    teaches = Course.teachers.through.objects.filter(course_id=lesson.course_id, user_id=user.pk)
    substitute = Substitution.objects.filter(lesson_id=lesson.pk).values("substitute_id")[:1]
    period = periods.annotate(
        is_teacher=Exists(teaches), substitute_id=Subquery(substitute)
    ).first()
    if period is None:  # a lesson outside the calendar's periods: the usual check
        lesson_write_role(user, lesson, None)
        return None
    role = journal_write_role(
        user,
        lesson.school,
        is_teacher=period.is_teacher,
        substitute_id=period.substitute_id,
        closed=period_is_closed(period, lesson.school),
    )
    if role is None:
        raise PermissionDenied
    return period
