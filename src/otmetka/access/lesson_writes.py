"""Who writes a lesson's cells, decided from facts read in one query with the lesson's period
(the journal's cells save: the period serves both the check and the answer's averages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, QuerySet, Subquery

from otmetka.access.rules import journal_write_role, lesson_write_role, period_is_closed


def lesson_write_facts(user: Any, lesson: Any) -> dict[str, Any]:
    """The expressions of the write role's facts, to ride on a row of the lesson's read:
    `is_teacher` (the user teaches the course) and `substitute_id` (who substitutes)."""
    from otmetka.curriculum.models import Course
    from otmetka.journal.models import Substitution

    teaches = Course.teachers.through.objects.filter(course_id=lesson.course_id, user_id=user.pk)
    substitute = Substitution.objects.filter(lesson_id=lesson.pk).values("substitute_id")[:1]
    return {"is_teacher": Exists(teaches), "substitute_id": Subquery(substitute)}


def lesson_write_decide(
    user: Any, lesson: Any, period: Any, *, is_teacher: bool, substitute_id: int | None
) -> None:
    """PermissionDenied unless the user has a write role on the lesson — the same decision as
    `lesson_write_role`, from the facts `lesson_write_facts` read with the lesson's period."""
    if period is None:  # a lesson outside the calendar's periods: the usual check
        lesson_write_role(user, lesson, None)
        return
    role = journal_write_role(
        user,
        lesson.school,
        is_teacher=is_teacher,
        substitute_id=substitute_id,
        closed=period_is_closed(period, lesson.school),
    )
    if role is None:
        raise PermissionDenied


def lesson_write_period(user: Any, lesson: Any, periods: QuerySet[Any]) -> Any:
    """The lesson's period — the first of `periods` (the course's periods holding the lesson's
    date) — read together with whether the user teaches the course and who substitutes; the
    same decision as `lesson_write_role` (PermissionDenied without a write role)."""
    period = periods.annotate(**lesson_write_facts(user, lesson)).first()
    if period is None:
        lesson_write_decide(user, lesson, None, is_teacher=False, substitute_id=None)
        return None
    lesson_write_decide(
        user, lesson, period, is_teacher=period.is_teacher, substitute_id=period.substitute_id
    )
    return period
