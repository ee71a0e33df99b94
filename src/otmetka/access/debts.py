"""Who reads and writes academic debts, retakes, illness periods and conditional transfers.

* The deputy and the administrator record them (retakes, illness, transfers, the year check).
* The director reads the school's reports; a teacher reads the debts of the courses they
  teach; a student and their guardians read the student's own debts.
* Everyone else gets 404, across schools too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from otmetka.access.models import Role
from otmetka.access.rules import school_roles

WRITERS = frozenset({Role.DEPUTY, Role.ADMIN})
SCHOOL_READERS = frozenset({Role.DEPUTY, Role.ADMIN, Role.DIRECTOR})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def writes_debts(user: Any, school: Any) -> bool:
    """The deputy and the administrator record debts, retakes and transfers."""
    return school is not None and _active(user) and bool(school_roles(user, school) & WRITERS)


def reads_school_debts(user: Any, school: Any) -> bool:
    """The deputy, the director and the administrator read every debt of the school."""
    return (
        school is not None and _active(user) and bool(school_roles(user, school) & SCHOOL_READERS)
    )


def debts_write_require(user: Any, school: Any) -> None:
    """404 for whoever may not read the school's debts, 403 for a reader who may not write."""
    if not reads_school_debts(user, school):
        raise Http404
    if not writes_debts(user, school):
        raise PermissionDenied


def visible_debts(user: Any, school: Any) -> QuerySet[Any]:
    """The debts of the school the user reads (fail-closed)."""
    from otmetka.grading.models import AcademicDebt

    if school is None or not _active(user):
        return AcademicDebt.objects.none()
    qs = AcademicDebt.objects.filter(school=school)
    if reads_school_debts(user, school):
        return qs
    q = Q(course__teachers__id=user.pk) | Q(student__user_id=user.pk)
    q |= Q(student__guardians__user_id=user.pk)
    return qs.filter(q).distinct()


def reads_debt_list(user: Any, school: Any) -> bool:
    """The debts report: school readers and the teachers of courses (their own debts)."""
    if reads_school_debts(user, school):
        return True
    return school is not None and _active(user) and Role.TEACHER in school_roles(user, school)


def family_student(user: Any, school: Any, student_id: Any) -> Any:
    """A student whose own debts the user reads as the student or a guardian, or as a school
    reader; 404 otherwise."""
    from otmetka.people.models import Student

    if school is None or not _active(user):
        raise Http404
    qs = Student.objects.filter(school=school)
    if not reads_school_debts(user, school):
        qs = qs.filter(Q(user_id=user.pk) | Q(guardians__user_id=user.pk)).distinct()
    try:
        return qs.get(pk=student_id)
    except (Student.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
