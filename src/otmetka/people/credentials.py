"""Credentials in bulk (seed order 2.7): logins and one-time passwords for a class, a parallel or
the whole school, for students and/or their guardians, in one go, for printing as slips."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access.diary import live_links
from otmetka.access.models import RoleMembership
from otmetka.access.rules import accounts_held_by_school_alone, require_issue_credentials
from otmetka.accounts.models import User
from otmetka.accounts.services import passwords_draw, passwords_issue
from otmetka.core.validation import Errors, add, fail_if
from otmetka.people.models import Guardian, Staff, Student
from otmetka.people.selectors import current_classes, logins_suggest
from otmetka.school.models import Enrollment, School
from otmetka.school.selectors import current_year

# A whole school: ~1,100 students and ~1,600 guardians; far past it a request would run too long.
BULK_MAX = 4000


@dataclass
class Slip:
    """One printed slip: the person, their login (on `user`), the password issued right now
    (shown once, never stored), and a line saying whose slip it is."""

    user: User
    password: str
    kind: str  # "student" or "guardian"
    note: str


def bulk_targets(*, school: School) -> list[tuple[str, str]]:
    """Whom slips can be printed for: (value, label) — the whole school, each parallel, each
    class of the current academic year."""
    classes = list(current_classes(school=school))
    targets = [("school", _("The whole school"))]
    for grade in sorted({c.grade for c in classes}):
        targets.append((f"grade:{grade}", _("Parallel of grade %(grade)s") % {"grade": grade}))
    targets += [(f"class:{c.pk}", _("Class %(name)s") % {"name": c}) for c in classes]
    return targets


def _enrollments(school: School, target: str, day: datetime.date) -> list[Enrollment]:
    """Current enrollments of the target (see `bulk_targets`), in class and name order."""
    if target not in dict(bulk_targets(school=school)):
        raise ValidationError({"target": _("Choose a class, a parallel or the whole school.")})
    kind, _sep, value = target.partition(":")
    where = Q(school_class__year=current_year(school=school))
    if kind == "grade":
        where &= Q(school_class__grade=int(value))
    elif kind == "class":
        where &= Q(school_class_id=int(value))
    return list(
        Enrollment.objects.active_on(day)
        .filter(where, school=school)
        .select_related("school_class", "student__user")
        .order_by(
            "school_class__grade",
            "school_class__letter",
            "student__last_name",
            "student__first_name",
            "student__middle_name",
            "student_id",
        )
    )


def _staff_user_ids(school: School) -> set[int]:
    """Accounts of people who work at the school: their passwords are never reset in bulk."""
    ids = set(Staff.objects.filter(school=school).values_list("user_id", flat=True))
    return ids | set(RoleMembership.objects.filter(school=school).values_list("user_id", flat=True))


def _logins_new(students: list[Student]) -> list[User]:
    """New logins (not saved yet) for students who have none."""
    names = [(s.last_name, s.first_name, s.middle_name) for s in students]
    return [
        User(username=login, last_name=s.last_name, first_name=s.first_name,
             middle_name=s.middle_name)
        for login, s in zip(logins_suggest(names), students, strict=True)
    ]  # fmt: skip


def _logins_save(students: list[Student], users: list[User]) -> None:
    """Save the new logins (their passwords already drawn) and tie them to the students."""
    User.objects.bulk_create(users)
    for student, user in zip(students, users, strict=True):
        student.user = user
    Student.objects.bulk_update(students, ["user"])


def _guardian_links(school: School, enrollments: list[Enrollment]) -> dict[int, list[Guardian]]:
    """Live guardian links of the students: student id → links."""
    links = (
        Guardian.objects.filter(live_links(), school=school, user__is_active=True)
        .filter(student_id__in=[e.student_id for e in enrollments])
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    found: dict[int, list[Guardian]] = {}
    for link in links:
        found.setdefault(link.student_id, []).append(link)
    return found


def _candidates(
    school: School, enrollments: list[Enrollment], *, students: bool, guardians: bool
) -> list[tuple[Any, str, str]]:
    """(student or user, kind, note) in print order: each student, then their guardians (a
    guardian of several children once, at the first)."""
    links = _guardian_links(school, enrollments) if guardians else {}
    seen: set[int] = set()
    rows: list[tuple[Any, str, str]] = []
    for e in enrollments:
        if students:
            note = _("Student, class %(cls)s") % {"cls": e.school_class}
            rows.append((e.student, "student", note))
        for link in links.get(e.student_id, []):
            if link.user_id not in seen:
                seen.add(link.user_id)
                guardian_note = _("Guardian of %(name)s (%(cls)s)") % {
                    "name": e.student.full_name,
                    "cls": e.school_class,
                }
                rows.append((link.user, "guardian", guardian_note))
    return rows


def credentials_bulk_issue(
    *,
    actor: User,
    school: School,
    target: str,
    students: bool,
    guardians: bool,
    only_new: bool = True,
) -> list[Slip]:
    """Logins for students who have none and new one-time passwords (changed at first login)
    for the target's students and/or guardians; with `only_new`, only for people who have
    never logged in. Accounts that hold anything outside the school, or that belong to people
    who work at it, are left out. One audit event lists everyone issued. Russian errors, and
    nothing written, when nobody is left."""
    errors: Errors = {}
    if not students and not guardians:
        add(errors, "__all__", _("Choose students, guardians or both."))
    fail_if(errors)
    for kind, wanted in (("student", students), ("guardian", guardians)):
        if wanted:
            require_issue_credentials(actor, school, kind)
    enrollments = _enrollments(school, target, timezone.localdate())
    rows = _candidates(school, enrollments, students=students, guardians=guardians)
    if len(rows) > BULK_MAX:
        add(errors, "__all__", _("Too many people at once: at most %(n)s.") % {"n": BULK_MAX})
    fail_if(errors)
    without_login = [p for p, kind, _n in rows if kind == "student" and p.user is None]
    new_users = dict(zip((s.pk for s in without_login), _logins_new(without_login), strict=True))
    people = [
        (new_users[p.pk] if p.pk in new_users else p.user, kind, note)
        if kind == "student" else (p, kind, note)
        for p, kind, note in rows
    ]  # fmt: skip
    held = accounts_held_by_school_alone([u.pk for u, _k, _n in people if u.pk], school)
    barred = _staff_user_ids(school)
    chosen = [
        (u, kind, note)
        for u, kind, note in people
        if u.pk is None
        or (
            (u.pk in held and u.pk not in barred and u.is_active)
            and (not only_new or u.last_login is None)
        )
    ]
    if not chosen:
        add(errors, "__all__", _("Nobody to issue to: everyone chosen has already logged in."))
    fail_if(errors)
    users = [u for u, _k, _n in chosen]
    passwords = passwords_draw(users)  # the slow hashing, before the transaction
    with transaction.atomic():
        _logins_save(without_login, list(new_users.values()))
        passwords_issue(
            actor=actor,
            users=users,
            obj=school,
            school_id=school.pk,
            extra={"target": target, "created_logins": sorted(u.pk for u in new_users.values())},
            drawn=passwords,
        )
    return [
        Slip(u, password, kind, note)
        for (u, kind, note), password in zip(chosen, passwords, strict=True)
    ]
