"""Writes on people: staff (hiring, roles, leaving), students (arrival, transfer, departure),
guardian links, and the logins and passwords the school issues to all of them."""

import datetime
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from otmetka.access.models import Role, RoleMembership
from otmetka.access.rules import (
    CHANGE,
    account_held_by_school_alone,
    account_school_ids,
    can,
    can_issue_credentials,
    require,
    require_issue_credentials,
)
from otmetka.accounts.models import User
from otmetka.accounts.selectors import user_by_login
from otmetka.accounts.services import password_issue
from otmetka.audit.services import event_record, row_save, save_audited, snapshot
from otmetka.core.dates import d
from otmetka.core.validation import Errors, add, fail_if, own
from otmetka.people.models import Gender, Guardian, Staff, Student
from otmetka.people.selectors import (
    login_suggest,
    login_taken,
    person_user_in_school,
    works_at,
)
from otmetka.people.selectors import student_open_enrollment as open_enrollment
from otmetka.people.snils import snils_format, snils_valid
from otmetka.school.models import Enrollment, School, SchoolClass
from otmetka.school.services import enrollment_close, enrollment_open

LOGIN = re.compile(r"^[A-Za-z0-9._-]+$")
# Roles a school administrator may grant; region viewers are appointed by the installation.
SCHOOL_ROLES = [r for r in Role.values if r != Role.REGION_VIEWER]


# A school acts only on accounts held by it alone (access.rules.account_held_by_school_alone).
OUTSIDE_ACCOUNT = gettext_lazy(
    "This account is also used outside the school: its password and name are changed by the "
    "installation administrator."
)

# A parent who also works at the school holds the school's rights: the administrator resets it.
STAFF_ACCOUNT = gettext_lazy(
    "This person works at the school: their password is issued by the school's administrator."
)


@dataclass
class Issued:
    """A login with a password issued right now: shown once for printing, never stored."""

    obj: Any
    user: User
    password: str


# --- logins -----------------------------------------------------------------------------------


def login_problems(errors: Errors, username: str, field: str = "username") -> None:
    """Latin letters, digits, dot, underscore, hyphen; unique whatever the letter case."""
    if not LOGIN.match(username):
        add(
            errors,
            field,
            _("A login may contain only Latin letters, digits, dot, underscore and hyphen."),
        )
    elif len(username) > 150:
        add(errors, field, _("A login is at most 150 characters long."))
    elif login_taken(username):
        add(errors, field, _("The login «%(login)s» is already taken.") % {"login": username})


def _user_create(*, actor: User, school: School, username: str, **names: Any) -> User:
    """A new person with an unusable password (the caller issues one)."""
    user = User(username=username, **names)
    user.set_unusable_password()
    user.save()
    event_record(
        actor=actor, action="user_create", obj=user, after=_user_public(user), school_id=school.pk
    )
    return user


def _user_public(user: User) -> dict[str, Any]:
    """The audited fields of a user (never the password hash)."""
    fields = ("username", "last_name", "first_name", "middle_name", "email", "is_active")
    return {f: getattr(user, f) for f in fields}


def _user_update(*, actor: User, school: School, user: User, **names: Any) -> None:
    """Change a person's names or e-mail — only on an account the school holds alone."""
    before = _user_public(user)
    for name, value in names.items():
        setattr(user, name, value)
    if _user_public(user) != before:
        if not account_held_by_school_alone(user, school):
            for name, value in before.items():
                setattr(user, name, value)
            raise ValidationError(OUTSIDE_ACCOUNT)
        user.save(update_fields=list(names))
        event_record(
            actor=actor,
            action="user_update",
            obj=user,
            before=before,
            after=_user_public(user),
            school_id=school.pk,
        )


def _names_problems(errors: Errors, last_name: str, first_name: str) -> None:
    if not last_name.strip():
        add(errors, "last_name", _("Write the last name."))
    if not first_name.strip():
        add(errors, "first_name", _("Write the first name."))


def account_password_issue(
    *, actor: User, school: School, user_id: int, kind: str = "staff"
) -> Issued:
    """A new password (forced change) for a person of the school, reached as a `kind` (staff,
    student, guardian): the administrator's for everyone, the secretary's for students and
    guardians who do not work at the school."""
    require_issue_credentials(actor, school, kind)
    user = person_user_in_school(school=school, user_id=user_id)
    if user is None:
        raise Http404
    if not account_held_by_school_alone(user, school):
        raise ValidationError(OUTSIDE_ACCOUNT)
    if not can_issue_credentials(actor, school, "staff") and works_at(user, school):
        raise ValidationError(STAFF_ACCOUNT)
    with transaction.atomic():
        password = password_issue(actor=actor, user=user, school_id=school.pk)
    return Issued(obj=user, user=user, password=password)


# --- staff ------------------------------------------------------------------------------------


def _roles_set(*, actor: User, school: School, user: User, roles: list[str]) -> None:
    """Make the user's roles in this school exactly `roles`, one audit event per change."""
    current = {m.role: m for m in RoleMembership.objects.filter(user=user, school=school)}
    for role in sorted(set(roles) - set(current)):
        m = RoleMembership.objects.create(user=user, school=school, role=role)
        event_record(actor=actor, action="role_grant", obj=m, after=snapshot(m))
    for role in sorted(set(current) - set(roles)):
        m = current[role]
        before = snapshot(m)
        event_record(actor=actor, action="role_revoke", obj=m, before=before)
        m.delete()
    if hasattr(user, "_otmetka_roles"):
        del user._otmetka_roles


def _staff_problems(
    *,
    actor: User,
    school: School,
    staff: Staff,
    roles: list[str] | None,
    hired_on: datetime.date | None,
    left_on: datetime.date | None = None,
    **_rest: Any,
) -> Errors:
    errors: Errors = {}
    if roles is not None:
        if not can(actor, school, "account", CHANGE):
            add(errors, "roles", _("Only the administrator grants roles."))
        if set(roles) - set(SCHOOL_ROLES):
            add(errors, "roles", _("Unknown role."))
        if staff.user_id == actor.pk and Role.ADMIN not in roles and left_on is None:
            add(errors, "roles", _("You cannot take the administrator role from yourself."))
    if left_on and hired_on and left_on < hired_on:
        add(errors, "left_on", _("The leaving date must not be before the hiring date."))
    if left_on and staff.user_id == actor.pk:
        add(errors, "left_on", _("You cannot record your own leaving."))
    return errors


def staff_create(
    *,
    actor: User,
    school: School,
    username: str,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    email: str = "",
    position: str,
    hired_on: datetime.date | None = None,
    roles: list[str] | None = None,
) -> Issued:
    """Hire a person: a new login, the staff record, roles; returns the issued password."""
    require(actor, school, "staff", CHANGE)
    username = username.strip() or login_suggest(
        last_name=last_name, first_name=first_name, middle_name=middle_name
    )
    staff = Staff(school=school, position=position, hired_on=hired_on)
    with transaction.atomic():  # the checks inside: two hirings at once take one login once
        errors = _staff_problems(
            actor=actor, school=school, staff=staff, roles=roles or None, hired_on=hired_on
        )
        login_problems(errors, username)
        _names_problems(errors, last_name, first_name)
        fail_if(errors)
        user = _user_create(
            actor=actor,
            school=school,
            username=username,
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            email=email,
        )
        staff.user = user
        save_audited(actor=actor, obj=staff, action="staff_create", before=None)
        _roles_set(actor=actor, school=school, user=user, roles=roles or [])
        password = password_issue(actor=actor, user=user, school_id=school.pk)
    return Issued(obj=staff, user=user, password=password)


def staff_update(
    *,
    actor: User,
    school: School,
    staff: Staff,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    email: str = "",
    position: str,
    hired_on: datetime.date | None = None,
    left_on: datetime.date | None = None,
    roles: list[str] | None = None,
) -> Staff:
    """Change a staff record; a leaving date ends the person's roles in this school."""
    require(actor, school, "staff", CHANGE)
    own(staff, school)
    with transaction.atomic():
        errors = _staff_problems(
            actor=actor, school=school, staff=staff, roles=roles, hired_on=hired_on, left_on=left_on
        )
        _names_problems(errors, last_name, first_name)
        fail_if(errors)
        before = snapshot(staff)
        _user_update(
            actor=actor,
            school=school,
            user=staff.user,
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            email=email,
        )
        staff.position, staff.hired_on, staff.left_on = position, hired_on, left_on
        save_audited(actor=actor, obj=staff, action="staff_update", before=before)
        if left_on is not None:
            _roles_set(actor=actor, school=school, user=staff.user, roles=[])
        elif roles is not None:
            _roles_set(actor=actor, school=school, user=staff.user, roles=roles)
    return staff


# --- students ---------------------------------------------------------------------------------


def _snils(text: str) -> str:
    """The stored form of a valid СНИЛС; other text is kept for the problems to name."""
    text = text.strip()
    return snils_format(text) if snils_valid(text) else text


def _student_problems(
    *,
    school: School,
    student: Student | None,
    last_name: str,
    first_name: str,
    birth_date: datetime.date | None,
    gender: str,
    snils: str = "",
    **_rest: Any,
) -> Errors:
    errors: Errors = {}
    _names_problems(errors, last_name, first_name)
    if snils and not snils_valid(snils):
        add(errors, "snils", _("The SNILS is not valid: 11 digits with a correct checksum."))
    elif snils:
        others = Student.objects.filter(school=school, snils=snils)
        if student is not None and student.pk is not None:
            others = others.exclude(pk=student.pk)
        other = others.first()
        if other is not None:
            message = _("This SNILS is already recorded for %(name)s.")
            add(errors, "snils", message % {"name": other.full_name})
    if birth_date is not None:
        age = (timezone.localdate() - birth_date).days // 365
        if not 3 <= age <= 25:
            add(
                errors,
                "birth_date",
                _("Check the date of birth: the student would be %(age)s.") % {"age": age},
            )
    if gender and gender not in Gender.values:
        add(errors, "gender", _("Choose the gender."))
    return errors


def student_create(
    *,
    actor: User,
    school: School,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: datetime.date | None = None,
    gender: str = "",
    snils: str = "",
    school_class: SchoolClass,
    start: datetime.date,
    order_ref: str = "",
) -> Student:
    """Arrival: a new student on the roll, enrolled in a class from `start`."""
    require(actor, school, "student", CHANGE)
    fields: dict[str, Any] = {
        "last_name": last_name,
        "first_name": first_name,
        "middle_name": middle_name,
    }
    fields |= {"birth_date": birth_date, "gender": gender, "snils": _snils(snils)}
    student = Student(school=school)
    problems = partial(_student_problems, school=school, student=student, **fields)
    with transaction.atomic():
        row_save(actor=actor, obj=student, kind="student", fields=fields, problems=problems)
        enrollment_open(
            actor=actor,
            school=school,
            student=student,
            school_class=school_class,
            start=start,
            order_ref=order_ref,
            action="student_arrive",
        )
    return student


def student_update(
    *,
    actor: User,
    school: School,
    student: Student,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: datetime.date | None = None,
    gender: str = "",
    snils: str = "",
) -> Student:
    """Correct a student's personal data (the login's name follows)."""
    require(actor, school, "student", CHANGE)
    own(student, school)
    names = {"last_name": last_name, "first_name": first_name, "middle_name": middle_name}
    fields: dict[str, Any] = {**names, "birth_date": birth_date, "gender": gender}
    fields["snils"] = _snils(snils)
    problems = partial(_student_problems, school=school, student=student, **fields)
    with transaction.atomic():
        row_save(actor=actor, obj=student, kind="student", fields=fields, problems=problems)
        if student.user is not None:
            _user_update(actor=actor, school=school, user=student.user, **names)
    return student


def student_transfer(
    *,
    actor: User,
    school: School,
    student: Student,
    school_class: SchoolClass,
    start: datetime.date,
    order_ref: str = "",
) -> Enrollment:
    """Move a student to another class from `start`: the old enrollment ends the day before."""
    require(actor, school, "student", CHANGE)
    own(student, school)
    current = open_enrollment(student=student, on=start - datetime.timedelta(days=1))
    errors: Errors = {}
    if current is None:
        add(errors, "__all__", _("The student is not in any class: record an arrival instead."))
    elif current.school_class_id == school_class.pk:
        add(errors, "school_class", _("The student is already in this class."))
    elif start <= current.start:
        add(
            errors,
            "start",
            _("The transfer date must be after %(start)s, when the student joined %(cls)s.")
            % {"start": d(current.start), "cls": current.school_class},
        )
    fail_if(errors)
    assert current is not None  # refused above
    with transaction.atomic():
        enrollment_close(
            actor=actor,
            school=school,
            enrollment=current,
            end=start - datetime.timedelta(days=1),
            reason=order_ref,
            action="student_transfer_out",
        )
        return enrollment_open(
            actor=actor,
            school=school,
            student=student,
            school_class=school_class,
            start=start,
            order_ref=order_ref,
            action="student_transfer_in",
        )


def student_depart(
    *, actor: User, school: School, student: Student, end: datetime.date, order_ref: str
) -> Enrollment:
    """Departure: the student's enrollment ends on `end` by the order `order_ref`."""
    require(actor, school, "student", CHANGE)
    own(student, school)
    current = open_enrollment(student=student, on=end)
    errors: Errors = {}
    if not order_ref.strip():
        add(errors, "order_ref", _("Write the number and date of the order."))
    if current is None:
        add(errors, "__all__", _("The student is not in any class on this date."))
    fail_if(errors)
    assert current is not None  # refused above
    with transaction.atomic():
        return enrollment_close(
            actor=actor,
            school=school,
            enrollment=current,
            end=end,
            reason=order_ref,
            action="student_depart",
        )


def student_login_issue(*, actor: User, school: School, student: Student, username: str) -> Issued:
    """Give a student a login of their own; returns the password to print."""
    require(actor, school, "student", CHANGE)
    own(student, school)
    errors: Errors = {}
    if student.user_id:
        add(errors, "__all__", _("The student already has a login."))
    username = username.strip() or login_suggest(
        last_name=student.last_name,
        first_name=student.first_name,
        middle_name=student.middle_name,
    )
    login_problems(errors, username)
    fail_if(errors)
    with transaction.atomic():
        user = _user_create(
            actor=actor,
            school=school,
            username=username,
            last_name=student.last_name,
            first_name=student.first_name,
            middle_name=student.middle_name,
        )
        before = snapshot(student)
        student.user = user
        save_audited(actor=actor, obj=student, action="student_login_issue", before=before)
        password = password_issue(actor=actor, user=user, school_id=school.pk)
    return Issued(obj=student, user=user, password=password)


# --- guardians --------------------------------------------------------------------------------


def _guardian_problems(
    *,
    school: School,
    student: Student,
    relation: str,
    existing_login: str,
    last_name: str,
    first_name: str,
    username: str,
) -> tuple[Errors, User | None]:
    errors: Errors = {}
    user = None
    if relation not in Guardian.Relation.values:
        add(errors, "relation", _("Choose who the guardian is to the student."))
    if existing_login:
        user = user_by_login(existing_login)
        if user is None or not user.is_active or not account_held_by_school_alone(user, school):
            # One answer for a login that does not exist and for one held outside the school:
            # the school learns nothing about other schools' accounts.
            user = None
            add(
                errors,
                "existing_login",
                _(
                    "The school has no account with the login «%(login)s». A parent who already "
                    "signs in at another school is linked by the installation administrator; "
                    "or give the parent a new login here."
                )
                % {"login": existing_login},
            )
        elif Guardian.objects.filter(student=student, user=user).exists():
            add(errors, "existing_login", _("This guardian is already linked to the student."))
        elif user.pk == student.user_id:
            add(errors, "existing_login", _("A student cannot be their own guardian."))
    else:
        _names_problems(errors, last_name, first_name)
        login_problems(errors, username)
    return errors, user


def guardian_link(
    *,
    actor: User,
    school: School,
    student: Student,
    relation: str,
    phone: str = "",
    existing_login: str = "",
    last_name: str = "",
    first_name: str = "",
    middle_name: str = "",
    username: str = "",
) -> Guardian | Issued:
    """Link a guardian to a student: an existing user by login, or a new person with a new
    login (then the issued password is returned)."""
    require(actor, school, "guardian", CHANGE)
    own(student, school)
    if not existing_login and not username.strip() and last_name.strip():
        username = login_suggest(
            last_name=last_name, first_name=first_name, middle_name=middle_name
        )
    errors, user = _guardian_problems(
        school=school,
        student=student,
        relation=relation,
        existing_login=existing_login.strip(),
        last_name=last_name,
        first_name=first_name,
        username=username.strip(),
    )
    fail_if(errors)
    with transaction.atomic():
        if user is None:
            user = _user_create(
                actor=actor,
                school=school,
                username=username.strip(),
                last_name=last_name,
                first_name=first_name,
                middle_name=middle_name,
            )
            password = password_issue(actor=actor, user=user, school_id=school.pk)
        else:
            password = None
        link = Guardian(school=school, student=student, user=user, relation=relation, phone=phone)
        save_audited(actor=actor, obj=link, action="guardian_link", before=None)
    return link if password is None else Issued(obj=link, user=user, password=password)


def guardian_link_by_installation(
    *, student: Student, login: str, relation: str, phone: str = ""
) -> Guardian:
    """The installation administrator (the server's command line, no school role) links an
    account that a school may not touch — a parent who already signs in at another school.
    Audited in the student's school and in every other school the account belongs to."""
    user = user_by_login(login)
    errors: Errors = {}
    if user is None or not user.is_active:
        add(errors, "login", _("No user has the login «%(login)s».") % {"login": login})
    elif user.is_superuser or user.is_staff:
        add(errors, "login", _("An installation administrator cannot be a guardian."))
    elif user.pk == student.user_id:
        add(errors, "login", _("A student cannot be their own guardian."))
    elif Guardian.objects.filter(student=student, user=user).exists():
        add(errors, "login", _("This guardian is already linked to the student."))
    if relation not in Guardian.Relation.values:
        add(errors, "relation", _("Choose who the guardian is to the student."))
    fail_if(errors)
    assert user is not None  # refused above
    with transaction.atomic():
        link = Guardian(
            school_id=student.school_id, student=student, user=user, relation=relation, phone=phone
        )
        save_audited(actor=None, obj=link, action="guardian_link_by_installation", before=None)
        for school_id in account_school_ids(user) - {student.school_id}:
            event_record(
                actor=None,
                action="guardian_link_elsewhere",
                obj=link,
                after={"student_school_id": student.school_id, "user_id": user.pk},
                school_id=school_id,
            )
    return link


def guardian_update(
    *,
    actor: User,
    school: School,
    guardian: Guardian,
    relation: str,
    phone: str = "",
    end: datetime.date | None = None,
    end_basis: str = "",
) -> Guardian:
    """Change who the guardian is to the student, their phone, or the link's last day (with its
    basis: a departure, a court decision); from the day after `end` the link gives no access."""
    require(actor, school, "guardian", CHANGE)
    own(guardian, school)
    errors: Errors = {}
    if relation not in Guardian.Relation.values:
        add(errors, "relation", _("Choose who the guardian is to the student."))
    if end is not None and not end_basis.strip():
        add(errors, "end_basis", _("Say on what basis the link ends (an order, a court decision)."))
    fail_if(errors)
    before = snapshot(guardian)
    guardian.relation, guardian.phone = relation, phone
    guardian.end, guardian.end_basis = end, end_basis.strip() if end is not None else ""
    with transaction.atomic():
        save_audited(actor=actor, obj=guardian, action="guardian_update", before=before)
    return guardian
