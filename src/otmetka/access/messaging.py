"""Who may write to whom, and who may read a thread (issue 12). Fail-closed like `rules`.

* staff (any role in the school but a region viewer's) write to anyone of their school, to
  groups (parents of a class, all teachers…) and send announcements;
* a guardian writes to their children's teachers, the homeroom teachers of their children's
  classes and the administration (admin, deputy, director) — never to other parents;
* a student writes to their teachers and their homeroom teacher;
* nobody writes across schools: every answer is narrowed to the current school.
A thread is read by its participants (until they hide it) and, once a participant has reported
it, by the school's director.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from otmetka.access.diary import diary_students, live_links
from otmetka.access.models import Role, RoleMembership
from otmetka.access.rules import _current_enrollment, school_roles

if TYPE_CHECKING:
    from otmetka.accounts.models import User
    from otmetka.people.models import Student

ADMINISTRATION = (Role.ADMIN, Role.DEPUTY, Role.DIRECTOR)


def is_messaging_staff(user: Any, school: Any) -> bool:
    """Whether the user works in the school (writes to anyone there, to groups, announces)."""
    return bool(school_roles(user, school) - {Role.REGION_VIEWER})


def may_use(user: Any, school: Any) -> bool:
    """Messaging is for the school's staff, students and guardians (not a region viewer, not a
    user without a school). No query for staff, one for anyone else."""
    if school is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_messaging_staff(user, school):
        return True
    return school_users(school).filter(pk=user.pk).exists()


def require_use(user: Any, school: Any) -> None:
    """404 for anyone `may_use` refuses."""
    if not may_use(user, school):
        raise Http404


def school_users(school: Any) -> QuerySet[User]:
    """Active users tied to the school: a school role, a current staff record, a student record
    or a guardian link with an account."""
    from otmetka.accounts.models import User
    from otmetka.people.models import Guardian, Staff, Student

    ref = OuterRef("pk")
    roles = RoleMembership.objects.filter(school=school, user_id=ref).exclude(
        role=Role.REGION_VIEWER
    )
    tied = (
        Q(Exists(roles))
        | Q(Exists(Staff.objects.filter(school=school, user_id=ref, left_on__isnull=True)))
        | Q(Exists(Student.objects.filter(school=school, user_id=ref)))
        | Q(Exists(Guardian.objects.filter(live_links(), school=school, user_id=ref)))
    )
    return User.objects.filter(tied, is_active=True)


def _teachers_of_students(school: Any, students: QuerySet[Student]) -> Q:
    """Teachers of the students' current class courses and group courses, and their classes'
    homeroom teachers, as a Q over users."""
    from otmetka.curriculum.models import Course
    from otmetka.school.models import SchoolClass

    current = _current_enrollment("enrollments__")
    classes = SchoolClass.objects.filter(
        current, school=school, enrollments__student__in=students
    ).values("pk")
    member = _current_enrollment("members__")
    courses = Course.objects.filter(school=school).filter(
        Q(school_class__in=classes) | (member & Q(members__student__in=students))
    )
    homeroom = SchoolClass.objects.filter(pk__in=classes, homeroom_teacher_id=OuterRef("pk"))
    teaches = courses.filter(teachers=OuterRef("pk"))
    return Q(Exists(teaches)) | Q(Exists(homeroom))


def writable_users(user: Any, school: Any) -> QuerySet[User]:
    """Users of the school this user may write to (never themself); none when not logged in."""
    from otmetka.accounts.models import User
    from otmetka.people.models import Student

    if school is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return User.objects.none()
    base = school_users(school).exclude(pk=user.pk)
    if is_messaging_staff(user, school):
        return base
    children = diary_students(user).filter(school=school).exclude(user_id=user.pk)
    own = Student.objects.filter(school=school, user_id=user.pk)
    allowed = Q(pk__in=[])
    if children.exists():
        admins = RoleMembership.objects.filter(
            school=school, role__in=ADMINISTRATION, user_id=OuterRef("pk")
        )
        allowed |= _teachers_of_students(school, children) | Q(Exists(admins))
    if own.exists():
        allowed |= _teachers_of_students(school, own)
    return base.filter(allowed)


def may_write_to(user: Any, school: Any, user_ids: set[int]) -> bool:
    """Whether every one of `user_ids` is someone the user may write to (one query)."""
    if not user_ids:
        return False
    return writable_users(user, school).filter(pk__in=user_ids).count() == len(user_ids)


def may_announce(user: Any, school: Any) -> bool:
    """Announcements and groups (parents of a class, all teachers…) are for the school's staff."""
    return is_messaging_staff(user, school)


def is_moderator(user: Any, school: Any) -> bool:
    """The director reads threads a participant reported."""
    return Role.DIRECTOR in school_roles(user, school)


def thread_access(user: Any, school: Any, thread_id: Any) -> tuple[Any, Any]:
    """(thread, the user's Participant or None for the director reading a reported thread);
    404 when missing, hidden by the user, of another school or not theirs. One query, two
    for the director on a thread they are not in."""
    from otmetka.messaging.models import Participant, Thread

    if school is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    try:
        found = (
            Participant.objects.select_related("thread__author")
            .filter(school=school, user_id=user.pk, thread_id=int(thread_id))
            .filter(hidden_at__isnull=True)
            .first()
        )
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    if found is not None:
        return found.thread, found
    if is_moderator(user, school):
        thread = (
            Thread.objects.select_related("author")
            .filter(school=school, pk=int(thread_id), reported_at__isnull=False)
            .first()
        )
        if thread is not None:
            return thread, None
    raise Http404


def thread_require_author(user: Any, thread: Any) -> None:
    """Receipts are the author's: 404 for anyone else who may read the thread."""
    if thread.author_id != getattr(user, "pk", None):
        raise Http404


def message_visible(user_id: int) -> Q:
    """Messages of a thread a participant sees: to everyone, to them, or their own."""
    return Q(to_user__isnull=True) | Q(to_user_id=user_id) | Q(sender_id=user_id)
