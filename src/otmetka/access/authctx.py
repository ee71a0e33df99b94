"""The auth context of a request in one read: the session carries the user's role memberships,
the current school, the short list of their schools and the role facts the menu asks (the
diary), built at the user's `auth_version`. A request then reads the session and the user row
(which carries the version) in one statement (`accounts.sessions`); nothing else.

The version is bumped (one UPDATE, in the changing transaction) by the signals below whenever
something the context is built from changes: a role membership, a homeroom class, a guardian
link, a student's login, a course's teachers, a school, district or region. A session built at
an older version is rebuilt on its next request, so a revoked role takes effect at once. An
inactive user is never authenticated (the backend refuses them), so deactivation needs no bump.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db.models import F, Model, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from otmetka.access.diary import diary_students
from otmetka.access.models import RoleMembership
from otmetka.access.rules import _memberships, schools_for
from otmetka.core.rows import loaded

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

    from otmetka.accounts.models import User
    from otmetka.school.models import School

AUTH_KEY = "otmetka_auth"
# The shape of the stored context: a session stored in an older shape is rebuilt. The rows are
# stored as their fields' values in order, so the shape names the fields too (`_format`): a
# migration that adds a field to one of them makes every stored context rebuild once.
FORMAT = 2
# A region viewer oversees hundreds of schools: their switcher list is read when shown instead.
MAX_SCHOOLS = 30


@cache
def _format() -> str:
    """FORMAT and the stored models' fields (`_dump`'s order), as a short digest."""
    from otmetka.school.models import District, Region, School

    fields = [
        f"{m.__name__}:{','.join(f.attname for f in m._meta.concrete_fields)}"
        for m in (RoleMembership, School, District, Region)
    ]
    digest = hashlib.sha256(";".join(fields).encode()).hexdigest()[:12]
    return f"{FORMAT}:{digest}"


def _dump(obj: Model) -> list[Any]:
    return [getattr(obj, f.attname) for f in obj._meta.concrete_fields]


def _load(model: type[Model], values: list[Any]) -> Any:
    return loaded(model, values)


def _dump_school(school: School) -> list[Any]:
    district = school.district
    return [_dump(school), _dump(district), _dump(district.region)]


def _load_school(data: list[Any]) -> School:
    from otmetka.school.models import District, Region, School

    school = _load(School, data[0])
    district = _load(District, data[1])
    district.region = _load(Region, data[2])
    school.district = district
    return school  # type: ignore[no-any-return]


def build(user: User, school: School | None) -> dict[str, Any]:
    """The context of `user` in their current school `school` (`current_school`): reads the
    roles, the user's schools and the diary fact."""
    memberships = _memberships(user)
    schools = list(
        schools_for(user).select_related(None).only("pk", "short_name")[: MAX_SCHOOLS + 1]
    )
    return {
        "uid": user.pk,
        "v": user.auth_version,
        "fmt": _format(),
        "m": [
            [
                _dump(m),
                bool(getattr(m, "leads_class", False)),
                bool(getattr(m, "teaches_pe", False)),
                _dump_school(m.school) if m.school is not None else None,
                _dump(m.district) if m.district is not None else None,
            ]
            for m in memberships
        ],
        "cur": _dump_school(school) if school is not None else None,
        "schools": (
            [[s.pk, s.short_name] for s in schools] if len(schools) <= MAX_SCHOOLS else None
        ),
        "diary": diary_students(user).exists(),
    }


def valid(data: Any, user: User, chosen: object) -> bool:
    """Whether a stored context is this user's at their current version for `chosen`."""
    return (
        isinstance(data, dict)
        and data.get("uid") == user.pk
        and data.get("v") == user.auth_version
        and data.get("fmt") == _format()
        and (data["cur"][0][0] if data.get("cur") else None) == chosen
    )


def apply(data: dict[str, Any], user: User) -> tuple[School | None, list[School] | None]:
    """Put the context on the user (access's per-request caches); the current school and the
    user's schools (None: too many to carry, read them when shown)."""
    from otmetka.school.models import District, School

    cur = _load_school(data["cur"]) if data.get("cur") else None
    memberships = []
    for values, leads, pe, school, district in data["m"]:
        m = _load(RoleMembership, values)
        m.leads_class, m.teaches_pe = leads, pe
        if school is not None:
            m.school = cur if cur is not None and cur.pk == m.school_id else _load_school(school)
        if district is not None:
            m.district = _load(District, district)
        memberships.append(m)
    user._otmetka_roles = memberships  # type: ignore[attr-defined]
    user._otmetka_diary = data["diary"]  # type: ignore[attr-defined]
    schools = None
    if data.get("schools") is not None:
        schools = [School.from_db("default", ["id", "short_name"], row) for row in data["schools"]]
    return cur, schools


def store(session: SessionBase, data: dict[str, Any]) -> None:
    session[AUTH_KEY] = data


# --- the version ----------------------------------------------------------------------------


def bump(users: Q) -> None:
    """Invalidate the cached context of the users matching `users` (one UPDATE)."""
    from otmetka.accounts.models import User

    User.objects.filter(users).update(auth_version=F("auth_version") + 1)


def _tied_to(schools: QuerySet[School]) -> Q:
    """Users whose context may name one of `schools` (see `schools_for`)."""
    from otmetka.curriculum.models import Course
    from otmetka.people.models import Guardian, Student
    from otmetka.school.models import SchoolClass

    q = Q(
        pk__in=RoleMembership.objects.filter(
            Q(school__in=schools)
            | Q(district__in=schools.values("district_id"))
            | Q(region__in=schools.values("district__region_id"))
        ).values("user_id")
    )
    q |= Q(pk__in=SchoolClass.objects.filter(school__in=schools).values("homeroom_teacher_id"))
    q |= Q(pk__in=Guardian.objects.filter(school__in=schools).values("user_id"))
    q |= Q(pk__in=Student.objects.filter(school__in=schools).values("user_id"))
    q |= Q(
        pk__in=Course.teachers.through.objects.filter(course__school__in=schools).values("user_id")
    )
    return q


def _user_tie_saved(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """Before a row tying a user to a school is saved: bump its new user and whoever the row
    named before (still in the database at pre_save)."""
    field = "homeroom_teacher_id" if sender.__name__ == "SchoolClass" else "user_id"
    q = Q()
    if getattr(instance, field):
        q |= Q(pk=getattr(instance, field))
    if instance.pk is not None:
        q |= Q(pk__in=sender._default_manager.filter(pk=instance.pk).values(field))
    if q:
        bump(q)


def _user_tie_deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    field = "homeroom_teacher_id" if sender.__name__ == "SchoolClass" else "user_id"
    if getattr(instance, field):
        bump(Q(pk=getattr(instance, field)))


def _teachers_changed(
    sender: type[Model], instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if reverse:  # user.courses.add(...): the user is the instance
        if action in ("post_add", "post_remove", "pre_clear"):
            bump(Q(pk=instance.pk))
        return
    if action in ("post_add", "post_remove") and pk_set:
        bump(Q(pk__in=list(pk_set)))
    elif action == "pre_clear":
        bump(Q(pk__in=sender._default_manager.filter(course_id=instance.pk).values("user_id")))


def _place_saved(sender: type[Model], instance: Any, created: bool, **kwargs: Any) -> None:
    from otmetka.school.models import District, Region, School

    if created:
        return
    schools = School.objects.all()
    if sender is School:
        schools = schools.filter(pk=instance.pk)
    elif sender is District:
        schools = schools.filter(district_id=instance.pk)
    elif sender is Region:
        schools = schools.filter(district__region_id=instance.pk)
    bump(_tied_to(schools))


def connect() -> None:
    """Connect the version's signals (AccessConfig.ready)."""
    from otmetka.curriculum.models import Course
    from otmetka.people.models import Guardian, Student
    from otmetka.school.models import District, Region, School, SchoolClass

    for model in (RoleMembership, SchoolClass, Guardian, Student):
        uid = f"otmetka_authctx_{model.__name__}"
        pre_save.connect(_user_tie_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_user_tie_deleted, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _teachers_changed, sender=Course.teachers.through, dispatch_uid="otmetka_authctx_teachers"
    )
    for place in (School, District, Region):
        post_save.connect(
            _place_saved, sender=place, dispatch_uid=f"otmetka_authctx_{place.__name__}"
        )
