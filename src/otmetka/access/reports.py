"""Who reads the summary gradesheets (сводные ведомости): the homeroom teacher of the class,
the deputy, the director and the administrator of the school; everyone else gets 404 (the
sheets name students and their marks), across schools too."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from otmetka.access.models import Role
from otmetka.access.rules import school_roles

SCHOOL_READERS = frozenset({Role.DEPUTY, Role.DIRECTOR, Role.ADMIN})


def reads_school_sheets(user: Any, school: Any) -> bool:
    """The deputy, the director and the administrator read every class's sheet."""
    return school is not None and bool(school_roles(user, school) & SCHOOL_READERS)


def gradesheet_classes(user: Any, school: Any) -> Any:
    """The classes of the school whose gradesheet the user reads (fail-closed)."""
    from otmetka.school.models import SchoolClass

    if school is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return SchoolClass.objects.none()
    qs = SchoolClass.objects.filter(school=school)
    if reads_school_sheets(user, school):
        return qs
    return qs.filter(homeroom_teacher_id=user.pk)


def gradesheet_class(user: Any, school: Any, class_id: Any) -> Any:
    """One class whose gradesheet the user reads; 404 when missing or not theirs."""
    from otmetka.school.models import SchoolClass

    try:
        found = gradesheet_classes(user, school).select_related("year", "homeroom_teacher")
        return found.get(pk=class_id)
    except (SchoolClass.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def gradesheet_school_require(user: Any, school: Any) -> None:
    """404 unless the user reads the whole school's sheets."""
    if not reads_school_sheets(user, school):
        raise Http404


# The deputy's monitoring of journal keeping (seed 9.2) and the director's control (11.2): the
# pages name teachers and show their journals' figures; no one else reads them.
MONITORS = frozenset({Role.DEPUTY, Role.DIRECTOR})
DIRECTORS = frozenset({Role.DIRECTOR})


def reads_monitoring(user: Any, school: Any) -> bool:
    """The deputy and the director read the school's monitoring."""
    return school is not None and bool(school_roles(user, school) & MONITORS)


def monitoring_require(user: Any, school: Any) -> None:
    """404 unless the user reads the school's monitoring."""
    if not reads_monitoring(user, school):
        raise Http404


def reads_director_page(user: Any, school: Any) -> bool:
    """The director's page (the school at a glance, the order's duties): the director only."""
    return school is not None and bool(school_roles(user, school) & DIRECTORS)


def director_page_require(user: Any, school: Any) -> None:
    """404 unless the user is the school's director."""
    if not reads_director_page(user, school):
        raise Http404
