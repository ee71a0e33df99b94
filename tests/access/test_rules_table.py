"""Access as data: persona × resource × action → allowed, and which rows each persona sees.

Cells of the rights grids: `vc` view and change, `v` view only, `-` nothing.
Cells of the scope grids: labels of the world's rows the persona sees, `all`, or `-` for none.
"""

from collections.abc import Iterable

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from otmetka.access import rules
from otmetka.access.rules import CHANGE, RESOURCES, VIEW, can, require, scoped
from otmetka.curriculum.models import Course
from otmetka.people.models import Guardian, Staff, Student
from otmetka.school.models import AcademicYear, Enrollment, SchoolClass
from tests.world import PERSONAS, World

# School-wide rights in School №1 (Столбовская СШ).
RIGHTS_SCHOOL_1 = """
persona              school year period calendar class subject course staff student guardian account timetable journal journal_tables localact system
admin                vc     vc   vc     vc       vc    vc      vc     vc    vc      vc       vc       vc        v        vc vc       vc
deputy               vc     vc   vc     vc       vc    vc      vc     vc    vc      vc       v        vc        vc        vc vc       -
director             v      v    v      v        v     v       v      v     v       v        v        v         v        v v        v
secretary            v      v    v      v        v     v       -      vc    vc      vc       -        v         -        v v        -
nurse                v      v    -      -        v     -       -      -     v       -        -        -         -        - -        -
web_editor           v      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
teacher_7a_math      v      v    v      v        v     v       -      -     -       -        -        v         -        v v        -
teacher_7b           v      v    v      v        v     v       -      -     -       -        -        v         -        v v        -
homeroom_7a          v      v    v      v        v     v       -      -     -       -        -        v         -        v v        -
student_7a           -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
student_7b           -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
guardian_7a          -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
teacher_other_school -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
region_viewer        v      v    v      v        v     v       v      -     -       -        -        v         -        v v        -
outsider             -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
"""

# The same in School №2 (Орловская СШ), where only the other teacher works.
RIGHTS_OTHER_SCHOOL = """
persona              school year period calendar class subject course staff student guardian account timetable journal journal_tables localact system
admin                -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
deputy               -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
director             -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
secretary            -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
nurse                -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
web_editor           -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
teacher_7a_math      -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
teacher_7b           -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
homeroom_7a          -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
student_7a           -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
student_7b           -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
guardian_7a          -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
teacher_other_school v      v    v      v        v     v       -      -     -       -        -        v         -        v v        -
region_viewer        v      v    v      v        v     v       v      -     -       -        -        v         -        v v        -
outsider             -      -    -      -        -     -       -      -     -       -        -        -         -        - -        -
"""

# Rows seen through `scoped(...)` in School №1. Labels: 7a/7b = the student, guardian link or
# course of that class, or the class itself; staff: all, own or -.
SCOPES_SCHOOL_1 = """
persona              student   class    guardian  staff  course
admin                7a,7b     7a,7b    7a        all    7a,7b
deputy               7a,7b     7a,7b    7a        all    7a,7b
director             7a,7b     7a,7b    7a        all    7a,7b
secretary            7a,7b     7a,7b    7a        all    -
nurse                7a,7b     7a,7b    -         all    -
web_editor           -         -        -         all    -
teacher_7a_math      7a        7a,7b    -         all    7a
teacher_7b           7b        7a,7b    -         all    7b
homeroom_7a          7a        7a,7b    7a        all    7a
student_7a           7a        7a       -         -      7a
student_7b           7b        7b       -         -      7b
guardian_7a          7a        7a       7a        -      7a
teacher_other_school -         -        -         -      -
region_viewer        -         7a,7b    -         -      7a,7b
outsider             -         -        -         -      -
"""

# The same in School №2: `other` is its only student, class, course; it has no guardian links.
SCOPES_OTHER_SCHOOL = """
persona              student   class    guardian  staff  course
admin                -         -        -         -      -
deputy               -         -        -         -      -
director             -         -        -         -      -
secretary            -         -        -         -      -
nurse                -         -        -         -      -
web_editor           -         -        -         -      -
teacher_7a_math      -         -        -         -      -
teacher_7b           -         -        -         -      -
homeroom_7a          -         -        -         -      -
student_7a           -         -        -         -      -
student_7b           -         -        -         -      -
guardian_7a          -         -        -         -      -
teacher_other_school other     other    -         all    other
region_viewer        -         other    -         -      other
outsider             -         -        -         -      -
"""

SCOPED_RESOURCES = ("student", "class", "guardian", "staff", "course")
MODELS = {
    "student": Student,
    "class": SchoolClass,
    "guardian": Guardian,
    "staff": Staff,
    "course": Course,
}


def parse_grid(grid: str, columns: Iterable[str]) -> dict[str, dict[str, str]]:
    """persona → column → cell; the header must name exactly `columns`, rows every persona."""
    header, *lines = [line.split() for line in grid.strip().splitlines()]
    assert header[0] == "persona"
    assert tuple(header[1:]) == tuple(columns), "the grid must list exactly these columns"
    table = {}
    for cells in lines:
        assert len(cells) == len(header), f"row {cells[0]} has {len(cells) - 1} cells"
        table[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    assert sorted(table) == sorted(PERSONAS), "every persona needs exactly one row"
    return table


def allowed(cell: str, action: str) -> bool:
    assert cell in {"vc", "v", "-"}, f"unknown cell {cell!r}"
    return {"vc": {VIEW, CHANGE}, "v": {VIEW}, "-": set()}[cell].__contains__(action)


def labels(world: World) -> dict[str, dict[int, str]]:
    """Resource → pk → label, for every row of the world that the scope grids name."""
    school_1_staff = {s.pk: "staff" for s in Staff.objects.filter(school=world.school)}
    other_staff = {s.pk: "staff" for s in Staff.objects.filter(school=world.other_school)}
    return {
        "student": {
            world.pupil_7a.pk: "7a",
            world.pupil_7b.pk: "7b",
            world.other_pupil.pk: "other",
        },
        "class": {world.class_7a.pk: "7a", world.class_7b.pk: "7b", world.other_class.pk: "other"},
        "guardian": {world.guardian_link.pk: "7a"},
        "course": {
            world.course_7a_math.pk: "7a",
            world.course_7b_russian.pk: "7b",
            **{c.pk: "other" for c in Course.objects.filter(school=world.other_school)},
        },
        "staff": {**school_1_staff, **other_staff},
    }


def seen(world: World, persona: str, school: object, resource: str) -> str:
    """The scope of a persona rendered as a grid cell."""
    model = MODELS[resource]
    rows = scoped(model.objects.all(), world.user(persona), school, resource)
    pks = set(rows.values_list("pk", flat=True))
    if not pks:
        return "-"
    if resource == "staff":
        everyone = set(Staff.objects.filter(school=school).values_list("pk", flat=True))
        if pks == everyone:
            return "all"
        own = set(
            Staff.objects.filter(school=school, user=world.user(persona)).values_list(
                "pk", flat=True
            )
        )
        return "own" if pks == own else f"?{sorted(pks)}"
    names = labels(world)[resource]
    return ",".join(sorted(names.get(pk, f"?{pk}") for pk in pks))


def test_rights_grids_cover_every_resource_and_persona() -> None:
    for grid in (RIGHTS_SCHOOL_1, RIGHTS_OTHER_SCHOOL):
        table = parse_grid(grid, RESOURCES)
        assert set(table) == set(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_school_wide_rights_follow_the_grid(world: World, persona: str) -> None:
    mismatches = []
    for grid, school in (
        (RIGHTS_SCHOOL_1, world.school),
        (RIGHTS_OTHER_SCHOOL, world.other_school),
    ):
        row = parse_grid(grid, RESOURCES)[persona]
        for resource in RESOURCES:
            for action in (VIEW, CHANGE):
                expected = allowed(row[resource], action)
                if can(world.user(persona), school, resource, action) != expected:
                    mismatches.append((school.short_name, resource, action, expected))
    assert mismatches == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_require_gives_404_without_view_and_403_for_read_only(world: World, persona: str) -> None:
    row = parse_grid(RIGHTS_SCHOOL_1, RESOURCES)[persona]
    user = world.user(persona)
    for resource in RESOURCES:
        cell = row[resource]
        for action in (VIEW, CHANGE):
            if allowed(cell, action):
                require(user, world.school, resource, action)
                continue
            error = PermissionDenied if cell == "v" else Http404
            with pytest.raises(error):
                require(user, world.school, resource, action)


def test_anonymous_has_no_rights_anywhere(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    for school in (world.school, world.other_school):
        for resource in RESOURCES:
            assert not can(anonymous, school, resource, VIEW)
            for resource_scoped in SCOPED_RESOURCES:
                model = MODELS[resource_scoped]
                assert not scoped(model.objects.all(), anonymous, school, resource_scoped).exists()


def test_unknown_resource_and_missing_school_are_refused(world: World) -> None:
    admin = world.user("admin")
    assert not can(admin, world.school, "no_such_resource", VIEW)
    assert not can(admin, None, "school", VIEW)


@pytest.mark.parametrize("persona", PERSONAS)
def test_scoped_rows_follow_the_grid(world: World, persona: str) -> None:
    got, want = {}, {}
    for grid, school in (
        (SCOPES_SCHOOL_1, world.school),
        (SCOPES_OTHER_SCHOOL, world.other_school),
    ):
        row = parse_grid(grid, SCOPED_RESOURCES)[persona]
        for resource in SCOPED_RESOURCES:
            got[(school.short_name, resource)] = seen(world, persona, school, resource)
            want[(school.short_name, resource)] = row[resource]
    assert got == want


# --- the same facts, spelled out ------------------------------------------------------------


def _students(world: World, persona: str, school: object = None) -> set[Student]:
    school = school or world.school
    return set(scoped(Student.objects.all(), world.user(persona), school, "student"))


def test_teacher_of_other_school_sees_nothing_of_school_1(world: World) -> None:
    user = world.user("teacher_other_school")
    for resource, model in MODELS.items():
        assert list(scoped(model.objects.all(), user, world.school, resource)) == []
    years = scoped(AcademicYear.objects.all(), user, world.school, "year")
    assert list(years) == []


def test_outsider_sees_nothing_anywhere(world: World) -> None:
    user = world.user("outsider")
    assert list(rules.schools_for(user)) == []
    for school in (world.school, world.other_school):
        for resource, model in MODELS.items():
            assert list(scoped(model.objects.all(), user, school, resource)) == []
        assert list(scoped(AcademicYear.objects.all(), user, school, "year")) == []


def test_region_viewer_sees_classes_but_no_students(world: World) -> None:
    user = world.user("region_viewer")
    classes = set(scoped(SchoolClass.objects.all(), user, world.school, "class"))
    assert classes == {world.class_7a, world.class_7b}
    assert _students(world, "region_viewer") == set()
    assert list(scoped(Guardian.objects.all(), user, world.school, "guardian")) == []
    assert set(rules.viewer_schools(user)) == {world.school, world.other_school}


def test_guardian_sees_only_their_child(world: World) -> None:
    assert _students(world, "guardian_7a") == {world.pupil_7a}


def test_student_sees_only_themself(world: World) -> None:
    assert _students(world, "student_7a") == {world.pupil_7a}
    assert _students(world, "student_7b") == {world.pupil_7b}


def test_homeroom_teacher_of_7a_sees_7a_students_and_their_guardians(world: World) -> None:
    user = world.user("homeroom_7a")
    assert _students(world, "homeroom_7a") == {world.pupil_7a}
    guardians = set(scoped(Guardian.objects.all(), user, world.school, "guardian"))
    assert guardians == {world.guardian_link}


def test_teacher_of_7b_does_not_see_7a_students(world: World) -> None:
    assert world.pupil_7a not in _students(world, "teacher_7b")
    assert _students(world, "teacher_7b") == {world.pupil_7b}


def test_student_who_left_7a_yesterday_is_no_longer_visible_to_the_7a_teachers(
    world: World,
) -> None:
    enrollment = Enrollment.objects.get(student=world.pupil_7a, school_class=world.class_7a)
    enrollment.end = enrollment.start.replace(month=11, day=17)
    enrollment.save()
    assert _students(world, "teacher_7a_math") == set()
    assert _students(world, "homeroom_7a") == set()
    homeroom = world.user("homeroom_7a")
    assert list(scoped(Guardian.objects.all(), homeroom, world.school, "guardian")) == []
    # The family keeps seeing the child.
    assert _students(world, "guardian_7a") == {world.pupil_7a}


def test_student_who_moved_to_7b_today_is_visible_to_the_7b_teacher(world: World) -> None:
    import datetime

    old = Enrollment.objects.get(student=world.pupil_7a, school_class=world.class_7a)
    old.end = datetime.date(2026, 11, 17)
    old.save()
    Enrollment.objects.create(
        school=world.school,
        student=world.pupil_7a,
        school_class=world.class_7b,
        start=datetime.date(2026, 11, 18),
    )
    assert _students(world, "teacher_7b") == {world.pupil_7a, world.pupil_7b}
    assert _students(world, "teacher_7a_math") == set()
