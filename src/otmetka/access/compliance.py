"""Who sees and changes the deadline engine's data (issue 14).

* The deputy changes the deadline rules, records teachers' absences and revokes "no PC" days;
  the director reads all of it (11.2: controls, the deputy keeps it).
* A teacher (any teaching role of the school) declares their own day without PC/Internet and
  sees their own gaps.
* A region or district viewer reads the timeliness dashboard of their schools: aggregates only.
* Everyone else gets 404, across schools too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from otmetka.access.models import Role, RoleMembership
from otmetka.access.rules import TEACHING_ROLES, school_roles, viewer_schools

WRITERS = frozenset({Role.DEPUTY})
READERS = frozenset({Role.DEPUTY, Role.DIRECTOR})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _roles(user: Any, school: Any) -> set[str]:
    return school_roles(user, school) if school is not None and _active(user) else set()


def reads_compliance(user: Any, school: Any) -> bool:
    """The deputy and the director read the rules, absences and declarations of the school."""
    return bool(_roles(user, school) & READERS)


def writes_compliance(user: Any, school: Any) -> bool:
    """The deputy changes the rules, records absences, revokes declarations."""
    return bool(_roles(user, school) & WRITERS)


def _write_require(user: Any, school: Any) -> None:
    if not reads_compliance(user, school):
        raise Http404
    if not writes_compliance(user, school):
        raise PermissionDenied


def rules_write_require(user: Any, school: Any) -> None:
    """404 for whoever may not read the rules, 403 for a reader who may not change them."""
    _write_require(user, school)


def absences_write_require(user: Any, school: Any) -> None:
    """404 for whoever may not read teachers' absences, 403 for a reader (the director)."""
    _write_require(user, school)


def declares_no_pc(user: Any, school: Any) -> bool:
    """A teacher of the school (any teaching role) declares their own days without PC."""
    return bool(_roles(user, school) & set(TEACHING_ROLES))


def school_teacher_ids(school: Any) -> set[int]:
    """Users who may teach in the school: whose absence the deputy records."""
    members = RoleMembership.objects.filter(school=school, role__in=TEACHING_ROLES)
    return set(members.values_list("user_id", flat=True))


def dashboard_schools(user: Any) -> QuerySet[Any]:
    """The schools on a region/district viewer's timeliness dashboard (none for anyone else)."""
    if not _active(user):
        from otmetka.school.models import School

        return School.objects.none()
    return viewer_schools(user)
