"""Who uses the year-end archive: the director makes archives and closes the year; the deputy
reads the archives; the individual student record (R11) is read by the director, the deputy,
the secretary and the homeroom teacher of a class the student was in. Everyone else, families
included, gets 404 (the files name students and their marks), across schools too."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from otmetka.access.models import Role
from otmetka.access.rules import school_roles

ARCHIVE_READERS = frozenset({Role.DIRECTOR, Role.DEPUTY})
RECORD_READERS = frozenset({Role.DIRECTOR, Role.DEPUTY, Role.SECRETARY})


def reads_archives(user: Any, school: Any) -> bool:
    """The director and the deputy read the school's archives."""
    return school is not None and bool(school_roles(user, school) & ARCHIVE_READERS)


def archive_read_require(user: Any, school: Any) -> None:
    """404 unless the user reads the school's archives."""
    if not reads_archives(user, school):
        raise Http404


def archive_make_require(user: Any, school: Any) -> None:
    """Only the director makes an archive or closes the year: 403 for the deputy, else 404."""
    archive_read_require(user, school)
    if not makes_archives(user, school):
        raise PermissionDenied


def archive_get(user: Any, school: Any, archive_id: Any) -> Any:
    """One archive of the school the user reads; 404 when missing or not theirs."""
    from otmetka.archive.models import Archive

    archive_read_require(user, school)
    try:
        return Archive.objects.select_related("year").get(school=school, pk=archive_id)
    except (Archive.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def record_students(user: Any, school: Any) -> Any:
    """The students of the school whose record the user reads (fail-closed)."""
    from otmetka.people.models import Student

    if school is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Student.objects.none()
    qs = Student.objects.filter(school=school)
    if school_roles(user, school) & RECORD_READERS:
        return qs
    led = qs.filter(enrollments__school_class__homeroom_teacher_id=user.pk)
    return qs.filter(pk__in=led.values("pk"))


def record_student(user: Any, school: Any, student_id: Any) -> Any:
    """One student whose record the user reads; 404 when missing or not theirs."""
    from otmetka.people.models import Student

    try:
        return record_students(user, school).get(pk=student_id)
    except (Student.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def makes_archives(user: Any, school: Any) -> bool:
    """The director makes archives and closes the year."""
    return school is not None and Role.DIRECTOR in school_roles(user, school)


def reads_any_record(user: Any, school: Any) -> bool:
    """The records page opens for the record readers and for homeroom teachers."""
    from otmetka.access.rules import leads_class_by_role

    roles = school_roles(user, school)
    return bool(roles & RECORD_READERS) or leads_class_by_role(user, school)
