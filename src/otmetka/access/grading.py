"""Who reads and writes period and year marks and the school's marking policy.

* The course's teacher writes its period marks while the period is open (`period_is_closed`:
  closed by the deputy or past the school's window); the year marks while the last period is.
* The deputy and the administrator correct them at any time, always with a stated reason.
* Whoever opens the course's journal reads them (`journal_course_access`); a family reads only
  its own child's (`period_mark_student`); everyone else gets 404, across schools too.
* The marking policy: the deputy and the administrator change it, the director reads it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from otmetka.access.models import Role
from otmetka.access.rules import journal_course_access, school_roles, scope_students

CORRECTORS = frozenset({Role.DEPUTY, Role.ADMIN})
POLICY_READERS = frozenset({Role.DEPUTY, Role.ADMIN, Role.DIRECTOR})


def period_marks_course(user: Any, school: Any, course_id: Any) -> Any:
    """The course whose period marks the user reads: as its journal (404 otherwise)."""
    return journal_course_access(user, school, course_id)


def period_mark_write_role(user: Any, course: Any, *, teacher_ids: set[int], closed: bool) -> str:
    """ "teacher" or "corrector" (deputy, administrator: a reason is required), from facts
    already loaded; PermissionDenied for a reader who may not write."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    if user.pk in teacher_ids and not closed:
        return "teacher"
    if school_roles(user, course.school) & CORRECTORS:
        return "corrector"
    raise PermissionDenied


def may_write_period_marks(user: Any, course: Any, *, teacher_ids: set[int], closed: bool) -> bool:
    """Whether `period_mark_write_role` grants a role."""
    try:
        period_mark_write_role(user, course, teacher_ids=teacher_ids, closed=closed)
    except PermissionDenied:
        return False
    return True


def period_mark_student(user: Any, school: Any, student_id: Any) -> Any:
    """A student whose period marks the user reads: the student themself, their guardian, or
    staff who see the student (`scope_students`); 404 otherwise."""
    from otmetka.people.models import Student

    try:
        return scope_students(Student.objects.all(), user, school).get(pk=student_id)
    except (Student.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def policy_require(user: Any, school: Any, *, write: bool = False) -> None:
    """404 for whoever may not read the marking policy, 403 for the director changing it."""
    roles = school_roles(user, school)
    if not roles & POLICY_READERS:
        raise Http404
    if write and not roles & CORRECTORS:
        raise PermissionDenied
