"""Who may see and change a student's personal data beyond the journal (R8, R16–R19): consents,
data freshness, guardians' contacts, the health group and the PE group.

* the administrator and the secretary keep consents and the data of every student (contacts too);
* the director reads them, and reads the log of reads of personal data;
* the homeroom teacher keeps consents and data of the current students of their class and reads
  their health and PE groups;
* the nurse alone writes health records, of every student of the school; she sees no consents,
  documents or contacts;
* the PE teacher (teaches a physical education course of the class) sees the PE group of the
  class's current students, nothing else;
* nobody else, and nobody of another school. A missing right is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from otmetka.access.models import Role
from otmetka.access.rules import PE_SUBJECT, _current_enrollment, school_roles

if TYPE_CHECKING:
    from otmetka.access.rules import AnyUser
    from otmetka.people.models import Student
    from otmetka.school.models import School, SchoolClass

OFFICE = frozenset({Role.ADMIN, Role.SECRETARY})


@dataclass(frozen=True)
class PdRights:
    """What a user may do with one student's (or one class's students') personal data."""

    data_read: bool = False  # consents, the document, the confirmation, guardians' contacts
    data_write: bool = False
    health_read: bool = False  # the health group and the PE group
    health_write: bool = False
    pe_only: bool = False  # of health data, the PE group alone

    @property
    def any(self) -> bool:
        return self.data_read or self.health_read

    def __or__(self, other: PdRights) -> PdRights:
        full = (self.health_read and not self.pe_only) or (other.health_read and not other.pe_only)
        return PdRights(
            data_read=self.data_read or other.data_read,
            data_write=self.data_write or other.data_write,
            health_read=self.health_read or other.health_read,
            health_write=self.health_write or other.health_write,
            pe_only=(self.health_read or other.health_read) and not full,
        )


def _school_rights(user: AnyUser, school: School | None) -> PdRights:
    roles = school_roles(user, school)
    rights = PdRights()
    if roles & OFFICE:
        rights |= PdRights(data_read=True, data_write=True)
    if Role.DIRECTOR in roles:
        rights |= PdRights(data_read=True)
    if Role.NURSE in roles:
        rights |= PdRights(health_read=True, health_write=True)
    return rights


def _pe_classes(user: AnyUser, school: School | None) -> QuerySet[SchoolClass]:
    from otmetka.school.models import SchoolClass

    if user.pk is None:
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(
        school=school,
        courses__teachers__id=user.pk,
        courses__subject__name__iregex=PE_SUBJECT,
    )


def class_rights(user: AnyUser, school: School | None, school_class: SchoolClass) -> PdRights:
    """The user's rights on the current students of a class of `school` (one query at most)."""
    if school is None or school_class.school_id != school.pk or not user.is_authenticated:
        return PdRights()
    rights = _school_rights(user, school)
    if school_class.homeroom_teacher_id == user.pk:
        rights |= PdRights(data_read=True, data_write=True, health_read=True)
    if not rights.health_read and _pe_classes(user, school).filter(pk=school_class.pk).exists():
        rights |= PdRights(health_read=True, pe_only=True)
    return rights


def student_rights(user: AnyUser, school: School | None, student: Student) -> PdRights:
    """The user's rights on one student of `school`: school-wide ones, or through a class the
    student is in today."""
    from otmetka.school.models import SchoolClass

    if school is None or student.school_id != school.pk or not user.is_authenticated:
        return PdRights()
    rights = _school_rights(user, school)
    current = SchoolClass.objects.filter(
        _current_enrollment("enrollments__"), enrollments__student=student
    )
    for school_class in current.distinct():
        rights |= class_rights(user, school, school_class)
    return rights


def pd_classes(user: AnyUser, school: School | None) -> QuerySet[SchoolClass]:
    """Classes of `school` whose students' personal data pages the user opens."""
    from otmetka.school.models import SchoolClass

    qs = SchoolClass.objects.filter(school=school)
    if school is None or not user.is_authenticated:
        return qs.none()
    if _school_rights(user, school).any:
        return qs
    pe = _pe_classes(user, school).values("pk")
    return qs.filter(Q(homeroom_teacher_id=user.pk) | Q(pk__in=pe))


def pd_student(user: AnyUser, school: School | None, pk: int) -> tuple[Student, PdRights]:
    """A student of `school` with the user's rights on them; 404 when missing or none."""
    from otmetka.people.models import Student

    try:
        student = Student.objects.get(school=school, pk=pk)
    except (Student.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    rights = student_rights(user, school, student)
    if not rights.any:
        raise Http404
    return student, rights


def pd_section(user: AnyUser, school: School | None) -> bool:
    """Whether the menu links the personal data section (no query: the roles are read once):
    the office, the director, the nurse, a homeroom teacher, a PE teacher (their classes' PE
    groups)."""
    from otmetka.access.rules import leads_class_by_role, teaches_pe_by_role

    roles = school_roles(user, school)
    return (
        bool(roles & (OFFICE | {Role.DIRECTOR, Role.NURSE}))
        or leads_class_by_role(user, school)
        or teaches_pe_by_role(user, school)
    )


def reads_log_visible(user: AnyUser, school: School | None) -> bool:
    """The log of reads of personal data (R8): the director's, for the operator's checks."""
    return Role.DIRECTOR in school_roles(user, school)
