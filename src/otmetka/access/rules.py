"""THE access module: who may do what to which rows. Fail-closed: anything not granted here is
refused, and a scope with no matching rule returns an empty queryset.

Two layers:
* SCHOOL_GRANTS — school-wide rights of granted roles, as data (role → resource → actions);
* scope_* functions — row-level rights derived from data (teacher of a class, homeroom teacher,
  guardian, student), ORed with the school-wide grants.
"""

from __future__ import annotations

import datetime
import functools
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from otmetka.access.models import Role, RoleMembership
from otmetka.core.dates import active_on

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models.expressions import Combinable

    from otmetka.accounts.models import User
    from otmetka.curriculum.models import Course
    from otmetka.journal.models import Lesson
    from otmetka.people.models import Guardian, Staff, Student
    from otmetka.school.models import Period, School

    # Whoever makes the request: the rules fail closed for an anonymous one.
    AnyUser = User | AnonymousUser

M = TypeVar("M", bound=models.Model)

VIEW, CHANGE = "view", "change"
RW = frozenset({VIEW, CHANGE})
R = frozenset({VIEW})

# Resources of the school's reference data. Each setup page and selector names one.
RESOURCES = (
    "school",
    "year",
    "period",
    "calendar",
    "class",
    "subject",
    "course",
    "staff",
    "student",
    "guardian",
    "account",
    "timetable",
    "journal",
    "journal_tables",  # the school's kinds of work (with weights) and absence codes
    "localact",  # the school's local acts (Положение о ведении ЭЖ…)
    "system",  # the installation's status page (database, worker, mail, disk, backups)
)
# What every school's staff may look up (the admin and the deputy keep it).
LOOKUP: tuple[str, ...] = (
    "school",
    "year",
    "period",
    "calendar",
    "class",
    "subject",
    "timetable",
    "journal_tables",
)
LOOKUP += ("localact",)  # the school's local acts (Положение о ведении ЭЖ…): every staff reads them
REFERENCE = (*LOOKUP, "course")
PEOPLE = ("staff", "student", "guardian")

SCHOOL_GRANTS: dict[str, dict[str, frozenset[str]]] = {
    # The admin keeps the reference data; journals are the teachers' and the deputy's.
    Role.ADMIN: {**{r: RW for r in RESOURCES}, "journal": R},
    Role.DEPUTY: {**{r: RW for r in (*REFERENCE, *PEOPLE, "journal")}, "account": R},
    Role.DIRECTOR: {r: R for r in RESOURCES},
    Role.SECRETARY: {**{r: R for r in LOOKUP}, **{r: RW for r in PEOPLE}},
    Role.TEACHER: {r: R for r in LOOKUP},
    Role.NURSE: {r: R for r in ("school", "year", "class", "student")},
    Role.WEB_EDITOR: {"school": R},
}
# Region and district viewers read reference data of their schools, never personal data.
VIEWER_GRANTS: dict[str, frozenset[str]] = {r: R for r in (*LOOKUP, "course")}


# A physical education course, by its subject's name («Физическая культура», «Физкультура»,
# «Адаптивная физическая культура»).
PE_SUBJECT = r"физ(ическ|культ|-?ра)"


def _memberships(user: AnyUser) -> list[RoleMembership]:
    """The user's granted roles, loaded once per user object (i.e. per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_otmetka_roles", None)
    if cached is None:
        from otmetka.curriculum.models import Course
        from otmetka.school.models import SchoolClass

        # Whether the user leads a class of the membership's school, or teaches physical
        # education there, rides on the same query (the menu asks it on every page).
        leads = SchoolClass.objects.filter(
            school_id=OuterRef("school_id"), homeroom_teacher_id=OuterRef("user_id")
        )
        pe = Course.objects.filter(
            school_id=OuterRef("school_id"),
            teachers__id=OuterRef("user_id"),
            subject__name__iregex=PE_SUBJECT,
        )
        cached = list(
            RoleMembership.objects.filter(user=user)
            .select_related("school__district__region", "district")
            .annotate(leads_class=Exists(leads), teaches_pe=Exists(pe))
        )
        # A per-request cache on the user object, private to access.
        user._otmetka_roles = cached  # type: ignore[attr-defined]
    return cached


def leads_class_by_role(user: AnyUser, school: School | None) -> bool:
    """Whether a staff member of `school` (one with a granted role there) is a homeroom teacher
    in it — read with the roles, no query of its own; False for users without a role there."""
    return school is not None and any(
        m.school_id == school.pk and getattr(m, "leads_class", False) for m in _memberships(user)
    )


def teaches_pe_by_role(user: AnyUser, school: School | None) -> bool:
    """Whether a staff member of `school` teaches a physical education course in it — read with
    the roles, like `leads_class_by_role`."""
    return school is not None and any(
        m.school_id == school.pk and getattr(m, "teaches_pe", False) for m in _memberships(user)
    )


def school_roles(user: AnyUser, school: School | None) -> set[str]:
    """Granted roles of the user in this school (region viewers included when it is theirs)."""
    if school is None:
        return set()
    roles = set()
    for m in _memberships(user):
        if m.school_id == school.pk:
            roles.add(m.role)
        elif m.role == Role.REGION_VIEWER and _viewer_covers(m, school):
            roles.add(m.role)
    return roles


def _viewer_covers(m: RoleMembership, school: School) -> bool:
    if m.district_id:
        return m.district_id == school.district_id
    return m.region_id is not None and m.region_id == school.district.region_id


def can(user: AnyUser, school: School | None, resource: str, action: str = VIEW) -> bool:
    """School-wide right: may this user do `action` on every `resource` row of `school`?"""
    if resource not in RESOURCES or school is None:
        return False
    for role in school_roles(user, school):
        grants = VIEWER_GRANTS if role == Role.REGION_VIEWER else SCHOOL_GRANTS.get(role, {})
        if action in grants.get(resource, frozenset()):
            return True
    return False


def sees_people(user: AnyUser, school: School | None) -> bool:
    """May the user see who the school's people are (names of teachers, their load)?

    Everyone with a role in the school may; a region or district viewer, whose only role there
    is overseeing it, sees aggregates only (counts, hours per class and subject), no names.
    """
    roles = school_roles(user, school)
    return not roles or bool(roles - {Role.REGION_VIEWER})


def require(user: AnyUser, school: School | None, resource: str, action: str = VIEW) -> School:
    """Raise 404 when the user cannot even read the resource, 403 when read-only; else return
    the school (never None then: no school grants nothing)."""
    if can(user, school, resource, action):
        assert school is not None  # can() refuses a missing school
        return school
    if action != VIEW and can(user, school, resource, VIEW):
        raise PermissionDenied
    raise Http404


# --- derived facts --------------------------------------------------------------------------


def is_homeroom_teacher(user: AnyUser, school: School | None) -> bool:
    from otmetka.school.models import SchoolClass

    return (
        bool(school)
        and SchoolClass.objects.filter(school=school, homeroom_teacher_id=user.pk).exists()
    )


def derived_roles(user: AnyUser, school: School | None) -> set[str]:
    """'homeroom', 'guardian', 'student' — roles that follow from data in this school."""
    from otmetka.people.models import Guardian, Student

    if not user.is_authenticated or school is None:
        return set()
    roles = set()
    if is_homeroom_teacher(user, school):
        roles.add("homeroom")
    from otmetka.access.diary import live_links

    if Guardian.objects.filter(live_links(), school=school, user_id=user.pk).exists():
        roles.add("guardian")
    if Student.objects.filter(school=school, user_id=user.pk).exists():
        roles.add("student")
    return roles


# Who may teach a course or substitute (deputies and directors often teach too): one definition.
TEACHING_ROLES = (Role.TEACHER, Role.DEPUTY, Role.DIRECTOR)


def teachers_of(school: School | None) -> QuerySet[User]:
    """Users who may teach in the school: a course's teacher or a substitute."""
    from otmetka.accounts.models import User

    members = RoleMembership.objects.filter(school=school, role__in=TEACHING_ROLES)
    return User.objects.filter(pk__in=members.values("user_id")).order_by(
        "last_name", "first_name", "middle_name"
    )


def staff_now(school: School | None) -> QuerySet[User]:
    """Users who work at the school today (a staff record that has not ended): the homeroom
    teacher of a class is one of them."""
    from otmetka.accounts.models import User
    from otmetka.people.models import Staff

    today = timezone.localdate()
    records = Staff.objects.filter(school=school).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )
    return User.objects.filter(pk__in=records.values("user_id")).order_by(
        "last_name", "first_name", "middle_name"
    )


def _account_ties() -> dict[str, type[RoleMembership | Staff | Student | Guardian]]:
    """What ties an account to a school: a role, a staff record, a student record, a guardian
    link (each row carries `user` and `school`)."""
    from otmetka.people.models import Guardian, Staff, Student

    return {"role": RoleMembership, "staff": Staff, "student": Student, "guardian": Guardian}


def account_school_ids(account: User) -> set[int]:
    """The schools the account is tied to (see `_account_ties`)."""
    ids: set[int] = set()
    for model in _account_ties().values():
        rows = model.objects.filter(user_id=account.pk, school__isnull=False)
        ids.update(rows.values_list("school_id", flat=True))
    return ids


def account_held_by_school_alone(account: User | None, school: School | None) -> bool:
    """Whether `school`'s staff may act on `account` (link it, issue it a password, rename it):
    only when everything the account holds is in that school. A role, a staff record, a
    student record or a guardian link in any other school — or a region or district role, or
    the installation's own rights — makes it someone else's to manage; so does holding nothing
    in the school at all. One query."""
    if account is None:
        return False
    return account.pk in accounts_held_by_school_alone([account.pk], school)


def accounts_held_by_school_alone(user_ids: list[int], school: School | None) -> set[int]:
    """Of these accounts, the ones `school` alone holds (`account_held_by_school_alone`, for
    many at once: a whole school's credential slips): one query."""
    from otmetka.accounts.models import User

    if school is None or not user_ids:
        return set()
    here, elsewhere = Q(school_id=school.pk), ~Q(school_id=school.pk) | Q(school_id__isnull=True)
    checks = {
        f"{name}_{side}": Exists(model.objects.filter(where, user_id=OuterRef("pk")))
        for name, model in _account_ties().items()
        for side, where in (("here", here), ("elsewhere", elsewhere))
    }
    rows = User.objects.filter(pk__in=user_ids, is_superuser=False, is_staff=False).values(
        "pk", **checks
    )
    return {
        row["pk"]
        for row in rows
        if any(v for k, v in row.items() if k.endswith("_here"))
        and not any(v for k, v in row.items() if k.endswith("_elsewhere"))
    }


# Who issues logins and passwords (seed order 2.7, docs/users.md): the administrator to every
# person of the school, the secretary to students and their guardians — never to staff, whose
# accounts carry the school's rights.
CREDENTIAL_KINDS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({"staff", "student", "guardian"}),
    Role.SECRETARY: frozenset({"student", "guardian"}),
}


def can_issue_credentials(user: AnyUser, school: School | None, kind: str) -> bool:
    """May the user issue logins and passwords to people of this kind (staff, student,
    guardian) in the school?"""
    roles = school_roles(user, school)
    return any(kind in CREDENTIAL_KINDS.get(role, frozenset()) for role in roles)


def require_issue_credentials(user: AnyUser, school: School | None, kind: str) -> School:
    """`can_issue_credentials` or: 403 for one who reads such people, 404 for everyone else."""
    if can_issue_credentials(user, school, kind):
        assert school is not None  # no school, no roles
        return school
    if kind in PEOPLE and can(user, school, kind, VIEW):
        raise PermissionDenied
    raise Http404


def _viewer_q(m: RoleMembership) -> Q:
    """Schools covered by one region-viewer membership (its district, else its region)."""
    return Q(district_id=m.district_id) if m.district_id else Q(district__region_id=m.region_id)


def schools_for(user: AnyUser) -> QuerySet[School]:
    """Every school where the user holds a granted or derived role."""
    from otmetka.school.models import School

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return School.objects.none()
    q = Q(pk__in=[m.school_id for m in _memberships(user) if m.school_id])
    for m in _memberships(user):
        if m.role == Role.REGION_VIEWER:
            q |= _viewer_q(m)
    # Subqueries, not joins: joining classes, guardians, students and courses multiplies their
    # row counts before DISTINCT (seconds per request on a school of realistic size).
    from otmetka.curriculum.models import Course
    from otmetka.people.models import Guardian, Student
    from otmetka.school.models import SchoolClass

    for model, field in (
        (SchoolClass, "homeroom_teacher_id"),
        (Guardian, "user_id"),
        (Student, "user_id"),
        (Course, "teachers__id"),
    ):
        q |= Q(pk__in=model.objects.filter(**{field: user.pk}).values("school_id"))
    return School.objects.filter(q).select_related("district__region")


def current_school(user: AnyUser, chosen: object) -> School | None:
    """The user's school with pk `chosen` if it is one of theirs, else their first school (by
    name), else None. No query when a role membership names the chosen school; else one."""
    from otmetka.school.models import School

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    for m in _memberships(user):
        if m.school_id is not None and m.school_id == chosen:
            return m.school
    order: list[str | Combinable] = [*(School._meta.ordering or ()), "pk"]
    if isinstance(chosen, int):
        order.insert(0, Case(When(pk=chosen, then=Value(0)), default=Value(1)))
    return schools_for(user).order_by(*order).first()


def operated_regions(user: AnyUser) -> set[int]:
    """Ids of the regions whose regional calendar the user keeps (role region_operator)."""
    return {
        m.region_id
        for m in _memberships(user)
        if m.role == Role.REGION_OPERATOR and m.region_id is not None
    }


def require_region(user: AnyUser, region_id: int) -> int:
    """The region's id when the user keeps its calendar; 404 otherwise (missing or not theirs)."""
    if region_id not in operated_regions(user):
        raise Http404
    return region_id


def viewer_schools(user: AnyUser) -> QuerySet[School]:
    """Schools a region or district viewer oversees (read-only, aggregates, no personal data)."""
    from otmetka.school.models import School

    q = Q()
    for m in _memberships(user):
        if m.role == Role.REGION_VIEWER:
            q |= _viewer_q(m)
    if not q:
        return School.objects.none()
    return School.objects.filter(q).select_related("district")


# --- row scopes -----------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _current_enrollment(prefix: str = "") -> Q:
    return active_on(_today(), prefix=prefix)


def scope_classes(qs: QuerySet[M], user: AnyUser, school: School | None) -> QuerySet[M]:
    """Classes of `school` the user may see."""
    qs = qs.filter(school=school)
    if can(user, school, "class"):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = Q(homeroom_teacher_id=user.pk) | Q(courses__teachers__id=user.pk)
    q |= Q(enrollments__student__user_id=user.pk)
    q |= Q(enrollments__student__guardians__user_id=user.pk)
    return qs.filter(q).distinct()


def scope_students(qs: QuerySet[M], user: AnyUser, school: School | None) -> QuerySet[M]:
    """Students of `school` the user may see: staff by role, teachers their classes' current
    students, guardians their children, a student themself."""
    qs = qs.filter(school=school)
    if can(user, school, "student"):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    current = _current_enrollment("enrollments__")
    q = Q(user_id=user.pk) | Q(guardians__user_id=user.pk)
    q |= current & Q(enrollments__school_class__homeroom_teacher_id=user.pk)
    q |= current & Q(enrollments__school_class__courses__teachers__id=user.pk)
    return qs.filter(q).distinct()


def scope_guardians(qs: QuerySet[M], user: AnyUser, school: School | None) -> QuerySet[M]:
    """Guardian links: staff by role, a homeroom teacher for their class, a guardian their own."""
    qs = qs.filter(school=school)
    if can(user, school, "guardian"):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    current = _current_enrollment("student__enrollments__")
    q = Q(user_id=user.pk)
    q |= current & Q(student__enrollments__school_class__homeroom_teacher_id=user.pk)
    return qs.filter(q).distinct()


def scope_staff(qs: QuerySet[M], user: AnyUser, school: School | None) -> QuerySet[M]:
    """Staff records: everyone with a school role sees colleagues; a user sees their own record."""
    qs = qs.filter(school=school)
    if can(user, school, "staff") or school_roles(user, school) - {Role.REGION_VIEWER}:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(user_id=user.pk)


def scope_courses(qs: QuerySet[M], user: AnyUser, school: School | None) -> QuerySet[M]:
    """Courses: by role, own teaching, a homeroom teacher's class, a student's or child's class."""
    qs = qs.filter(school=school)
    if can(user, school, "course"):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = Q(teachers__id=user.pk) | Q(school_class__homeroom_teacher_id=user.pk)
    q |= Q(school_class__enrollments__student__user_id=user.pk)
    q |= Q(school_class__enrollments__student__guardians__user_id=user.pk)
    return qs.filter(q).distinct()


def scope_reference(
    qs: QuerySet[M], user: AnyUser, school: School | None, resource: str
) -> QuerySet[M]:
    """School-wide reference rows (years, periods, subjects, calendar): all or nothing."""
    if can(user, school, resource) or (school is not None and derived_roles(user, school)):
        return qs.filter(school=school)
    return qs.none()


SCOPES = {
    "class": scope_classes,
    "student": scope_students,
    "guardian": scope_guardians,
    "staff": scope_staff,
    "course": scope_courses,
}


def scoped(qs: QuerySet[M], user: AnyUser, school: School | None, resource: str) -> QuerySet[M]:
    """Rows of `resource` in `school` that the user may read."""
    scope = SCOPES.get(resource)
    if scope is not None:
        return scope(qs, user, school)
    return scope_reference(qs, user, school, resource)


def access_object(
    qs: QuerySet[M],
    user: AnyUser,
    school: School | None,
    resource: str,
    pk: object,
    *,
    write: bool = False,
) -> M:
    """One row by pk: 404 if missing or unreadable, 403 if readable but not writable."""
    try:
        obj = scoped(qs, user, school, resource).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can(user, school, resource, CHANGE):
        raise PermissionDenied
    return obj


# --- the class journal ----------------------------------------------------------------------


def journal_courses(user: AnyUser, school: School | None) -> QuerySet[Course]:
    """Courses whose journal the user may open: school-wide "journal" view, a teacher of the
    course, the homeroom teacher of its class, a substitute of any of its lessons."""
    from otmetka.curriculum.models import Course

    return _journal_rows(Course.objects.filter(school=school), user, school, course="")


def has_journals(user: AnyUser, school: School | None) -> bool:
    """Whether the user's list of journals opens in `school` (and the menu links it): they read
    every journal there, may teach there (`TEACHING_ROLES`: a new teacher's list may still be
    empty) or lead a class. Students, parents and staff who never teach (secretary, nurse, web
    editor, region viewer) can have no journal: 404. No query (the roles are read once)."""
    return (
        can(user, school, "journal")
        or bool(school_roles(user, school) & set(TEACHING_ROLES))
        or leads_class_by_role(user, school)
    )


def journal_lessons(user: AnyUser, school: School | None) -> QuerySet[Lesson]:
    """Lessons of the courses whose journal the user may open (`journal_courses`)."""
    from otmetka.journal.models import Lesson

    return _journal_rows(Lesson.objects.filter(school=school), user, school, course="course__")


def journal_lessons_sql(user: AnyUser, school: School | None) -> tuple[str, list[Any]] | None:
    """`journal_lessons` as a hand-written condition on a lesson row `x` with its parameters;
    None when the user has no journal rights there. Its text is one of two fixed ones (the
    school's every lesson, or by the rights), so a save's one read does not have the ORM
    compile its scope on every save (`journal.cellread`)."""
    rights = journal_rights(user, school)
    if rights is None:
        return None
    assert school is not None
    text, params = rights
    if not text:
        return "x.school_id = %s", [school.pk]
    return f"x.school_id = %s AND {text.format(ref='x.course_id')}", [school.pk, *params]


def _journal_rows(
    qs: QuerySet[M], user: AnyUser, school: School | None, *, course: str
) -> QuerySet[M]:
    """`qs` narrowed to the journal rights; `course` is the path from its rows to the course.
    One hand-written condition of three correlated EXISTS (teaches it, homeroom teacher of its
    class, substitutes one of its lessons): the same plan as the ORM's, without the cost of
    compiling three subqueries on every request (it was a quarter of the grid's CPU)."""
    rights = journal_rights(user, school)
    if rights is None:
        return qs.none()
    if not rights[0]:
        return qs
    assert school is not None and user.pk is not None
    ref = F("course_id" if course else "pk")
    return qs.filter(_JournalRights(ref, params=rights[1]))


def journal_rights(user: AnyUser, school: School | None) -> tuple[str, list[Any]] | None:
    """The journal rights as hand-written SQL on a course column `{ref}` with its parameters:
    None — no journal at all (fail-closed: no school, not logged in, inactive); an empty text —
    every course of the school (the school-wide "journal" view); else the three EXISTS."""
    if school is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if can(user, school, "journal"):
        return "", []
    return _journal_rights_sql(), [user.pk, user.pk, school.pk, user.pk]


class _JournalRights(Func):
    """The journal rights of a user on the course `ref` (a column of the outer query, resolved
    by Django, so the condition works in a subquery too), as hand-written SQL."""

    output_field = BooleanField()

    def __init__(self, ref: Any, *, params: list[Any]) -> None:
        super().__init__(ref)
        self.params = params  # `journal_rights`'

    def as_sql(  # type: ignore[override]  # takes no template/function: the SQL is fixed
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        ref, ref_params = compiler.compile(self.get_source_expressions()[0])
        if ref_params:
            raise ValueError("the course reference must be a column")
        return _journal_rights_sql().format(ref=ref), list(self.params)


@functools.cache
def _journal_rights_sql() -> str:
    """The journal rights of a user on the course `{ref}` (params: user, user, school, user)."""
    from otmetka.core.rows import table as t
    from otmetka.curriculum.models import Course
    from otmetka.journal.models import Lesson, Substitution
    from otmetka.school.models import SchoolClass

    return (
        f"(EXISTS (SELECT 1 FROM {t(Course.teachers.through)} ct"
        " WHERE ct.course_id = {ref} AND ct.user_id = %s)"
        f" OR EXISTS (SELECT 1 FROM {t(Course)} c JOIN {t(SchoolClass)} k"
        " ON k.id = c.school_class_id WHERE c.id = {ref} AND k.homeroom_teacher_id = %s)"
        f" OR EXISTS (SELECT 1 FROM {t(Substitution)} s JOIN {t(Lesson)} l ON l.id = s.lesson_id"
        " WHERE s.school_id = %s AND s.substitute_id = %s AND l.course_id = {ref}))"
    )


def journal_course_access(
    user: AnyUser, school: School | None, course_id: int | str, **annotations: Any
) -> Course:
    """The course whose journal the user opens; 404 when missing or not theirs. `annotations`
    ride on the same row (the grid's reference version)."""
    from otmetka.curriculum.models import Course

    if school is None:
        raise Http404
    qs = journal_courses(user, school).select_related("subject", "school_class")
    if annotations:
        qs = qs.annotate(**annotations)
    try:
        course = qs.get(pk=course_id)
    except (ValueError, TypeError, Course.DoesNotExist):
        raise Http404 from None
    course.school = school  # the row the filter named: no second read
    return course


def period_is_closed(period: Period | None, school: School) -> bool:
    """Closed by the deputy, or more than `period_close_after_days` days past its last day."""
    if period is None:
        return False
    if period.closed_at is not None:
        return True
    days = school.period_close_after_days
    if days is None:
        return False
    return _today() > period.end + datetime.timedelta(days=days)


def journal_write_role(
    user: AnyUser,
    school: School | None,
    *,
    is_teacher: bool,
    substitute_id: int | None,
    closed: bool,
) -> str | None:
    """The write role from facts already loaded (no queries but the cached roles), or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if closed:
        return "deputy" if can(user, school, "journal", CHANGE) else None
    if is_teacher:
        return "teacher"
    if substitute_id is not None and substitute_id == user.pk:
        return "substitute"
    if can(user, school, "journal", CHANGE):
        return "deputy"
    return None


def lesson_write_role(user: User, lesson: Lesson, period: Period | None) -> str:
    """ "teacher" | "substitute" | "deputy" for a lesson in a period, else PermissionDenied.
    The course's teacher keeps the right on substituted lessons; a substitute writes only their
    lesson; once the period is closed only the deputy ("journal" change) writes (with a reason,
    which the services require)."""
    from otmetka.curriculum.models import Course
    from otmetka.journal.models import Lesson

    school = lesson.school
    teaches = Course.teachers.through.objects.filter(
        course_id=OuterRef("course_id"), user_id=user.pk
    )
    facts = (
        Lesson.objects.filter(pk=lesson.pk)
        .annotate(is_teacher=Exists(teaches))
        .values_list("is_teacher", "substitution__substitute_id")
        .first()
    )
    is_teacher, substitute_id = facts or (False, None)
    role = journal_write_role(
        user,
        school,
        is_teacher=is_teacher,
        substitute_id=substitute_id,
        closed=period_is_closed(period, school),
    )
    if role is None:
        raise PermissionDenied
    return role


def is_school_staff(user: AnyUser) -> bool:
    """Whether the user holds any role in a school (the API's documentation is for them; region
    viewers, students, guardians and users without a role get 404)."""
    return any(m.school_id and m.role != Role.REGION_VIEWER for m in _memberships(user))


# --- КТП (the course's calendar-thematic plan) ------------------------------------------------


def plan_course_readable(*, user: AnyUser, school: School | None, course_id: int | str) -> Course:
    """The course by id if the user may open its journal (and so its КТП); 404 otherwise."""
    from otmetka.curriculum.models import Course

    qs = Course.objects.select_related("subject", "school_class", "year", "school")
    try:
        return scoped(qs, user, school, "course").get(pk=course_id)
    except (Course.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def plan_writable(*, user: AnyUser, course: Course) -> bool:
    """The course's teachers and users who change courses school-wide write the КТП."""
    if can(user, course.school, "course", CHANGE):
        return True
    pk = user.pk
    if not pk:
        return False
    return course.teachers.filter(pk=pk).exists()


def plan_require_write(actor: AnyUser, course: Course) -> None:
    """403 for a reader of the course's КТП who may not change it, 404 for everyone else."""
    from otmetka.curriculum.models import Course

    if plan_writable(user=actor, course=course):
        return
    if scoped(Course.objects.filter(pk=course.pk), actor, course.school, "course").exists():
        raise PermissionDenied
    raise Http404


def plan_course_writable(*, user: AnyUser, school: School | None, course_id: int | str) -> Course:
    """The course by id for writing its plan: 404 when unreadable, 403 when read-only."""
    course = plan_course_readable(user=user, school=school, course_id=course_id)
    if not plan_writable(user=user, course=course):
        raise PermissionDenied
    return course
