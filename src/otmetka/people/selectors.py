"""Reads on people: staff, students with their current class, guardians, login names."""

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from otmetka.access.models import RoleMembership
from otmetka.accounts.models import User
from otmetka.audit.models import Event
from otmetka.people.models import Guardian, Staff, Student
from otmetka.school.models import Enrollment, School, SchoolClass

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)


def transliterate(text: str) -> str:
    """Latin letters for a Russian name (passport-like), lower case, only [a-z]."""
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower().strip())
    return "".join(ch for ch in out if "a" <= ch <= "z")


def login_taken(username: str) -> bool:
    """Is this login name in use (login names are compared case-insensitively)?"""
    return User.objects.filter(username__iexact=username).exists()


def _login_base(last_name: str, first_name: str, middle_name: str) -> str:
    initials = "".join(transliterate(p)[:1] for p in (first_name, middle_name) if p)
    base = transliterate(last_name) or "user"
    return f"{base}.{initials}" if initials else base


def login_suggest(*, last_name: str, first_name: str = "", middle_name: str = "") -> str:
    """A free login from the transliterated surname and initials: ivanova.ai, ivanova.ai2…"""
    return logins_suggest([(last_name, first_name, middle_name)])[0]


def logins_suggest(names: list[tuple[str, str, str]]) -> list[str]:
    """Free logins (`login_suggest`) for many people at once, distinct among themselves too:
    (last, first, middle name) → login; one query per 200 people."""
    bases = [_login_base(*name) for name in names]
    distinct = sorted(set(bases))
    taken: set[str] = set()
    for i in range(0, len(distinct), 200):
        match = Q()
        for base in distinct[i : i + 200]:
            match |= Q(username__istartswith=base)
        taken |= {u.lower() for u in User.objects.filter(match).values_list("username", flat=True)}
    logins = []
    for base in bases:
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}{n}"
        taken.add(candidate)
        logins.append(candidate)
    return logins


def staff_rows() -> QuerySet[Staff]:
    """Staff records with their users, for the staff list."""
    return Staff.objects.select_related("user").order_by(
        "user__last_name", "user__first_name", "user__middle_name"
    )


def school_roles_of(*, user: User, school: School) -> list[str]:
    """Granted roles of a user in the school (for the staff page)."""
    return sorted(
        RoleMembership.objects.filter(user=user, school=school).values_list("role", flat=True)
    )


def current_enrollments(day: datetime.date | None = None) -> QuerySet[Enrollment]:
    """Enrollments active on `day` (today by default), with their classes."""
    day = day or timezone.localdate()
    return Enrollment.objects.active_on(day).select_related("school_class")


def student_rows() -> QuerySet[Student]:
    """Students with their current class and the number of guardians, in a constant number of
    queries whatever the number of students."""
    return (
        Student.objects.select_related("user")
        .annotate(guardian_count=Count("guardians", distinct=True))
        .prefetch_related(Prefetch("enrollments", current_enrollments(), to_attr="current"))
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


def guardian_rows() -> QuerySet[Guardian]:
    """Guardian links with the guardian's user and the student."""
    return Guardian.objects.select_related("user", "student").order_by(
        "student__last_name", "student__first_name", "user__last_name"
    )


def student_open_enrollment(*, student: Student, on: datetime.date) -> Enrollment | None:
    """The student's enrollment that is active on `on` or starts later and has not ended."""
    return (
        Enrollment.objects.not_ended(on)
        .filter(student=student)
        .select_related("school_class__year")
        .order_by("-start")
        .first()
    )


def student_details(*, student: Student) -> dict[str, Any]:
    """The class history and guardians of a student, for the student's page."""
    enrollments = (
        Enrollment.objects.filter(student=student)
        .select_related("school_class__year")
        .order_by("-start")
    )
    guardians = Guardian.objects.filter(student=student).select_related("user")
    enrollments_list = list(enrollments)
    # The order of a departure or transfer lives in its audit event (school.enrollment_close).
    ends = Event.objects.filter(
        object_type="school.enrollment",
        object_id__in=[str(e.pk) for e in enrollments_list if e.end is not None],
        action__in=("student_depart", "student_transfer_out"),
    ).order_by("id")
    end_orders = {event.object_id: event.reason for event in ends}
    for e in enrollments_list:
        e.end_order_ref = end_orders.get(str(e.pk), "")  # type: ignore[attr-defined]
    return {"enrollments": enrollments_list, "guardians": list(guardians)}


def works_at(user: User, school: School) -> bool:
    """Has the user a staff record or a granted role in the school (the school's rights)?"""
    return (
        Staff.objects.filter(school=school, user=user).exists()
        or RoleMembership.objects.filter(school=school, user=user).exists()
    )


def person_user_in_school(*, school: School, user_id: int) -> User | None:
    """A user who is a staff member, a student or a guardian of the school, else None."""
    q = Q(staff_records__school=school) | Q(student__school=school)
    q |= Q(guardianships__school=school)
    return User.objects.filter(q, pk=user_id).distinct().first()


# The name fields of each people list, for the search (`people_search`).
_NAME_FIELDS = {
    "student": ("last_name", "first_name", "middle_name"),
    "staff": ("user__last_name", "user__first_name", "user__middle_name"),
    "guardian": (
        "user__last_name",
        "user__first_name",
        "user__middle_name",
        "student__last_name",
        "student__first_name",
    ),
}


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def people_search(
    rows: QuerySet[Any],
    *,
    kind: str,
    school: School,
    q: str = "",
    class_id: int | None = None,
    role: str = "",
) -> QuerySet[Any]:
    """A people list (students, staff, guardians) narrowed by name — every word of `q` begins
    a word of the name (the guardian's or the child's), case- and ё-blind — by the current
    class, and by role. Names are compared in Python on one narrow query, so SQLite (whose
    LOWER() knows only ASCII) and PostgreSQL answer alike."""
    if class_id is not None and kind in ("student", "guardian"):
        prefix = "" if kind == "student" else "student__"
        current = current_enrollments().filter(school_class_id=class_id, school=school)
        rows = rows.filter(**{f"{prefix}pk__in": current.values("student_id")})
    if role and kind == "staff":
        members = RoleMembership.objects.filter(school=school, role=role)
        rows = rows.filter(user_id__in=members.values("user_id"))
    words = _fold(q).split()
    if words:
        fields = _NAME_FIELDS[kind]
        found = [
            pk
            for pk, *names in rows.filter(school=school).values_list("pk", *fields)
            if all(any(n.startswith(w) for n in _fold(" ".join(filter(None, names))).split())
                   for w in words)
        ]  # fmt: skip
        rows = rows.filter(pk__in=found)
    return rows


def current_classes(*, school: School) -> QuerySet[SchoolClass]:
    """The school's classes of the current academic year, in name order."""
    from otmetka.school.selectors import current_year

    year = current_year(school=school)
    return SchoolClass.objects.filter(school=school, year=year).order_by("grade", "letter")
