"""Who may write to whom, as a table (access/messaging.py): a row a sender, a column a recipient
in School №1; `x` may write, `.` may not. Nobody writes to themself or across schools."""

import pytest

from otmetka.access import messaging as rules
from tests.access.endpoints import COLUMNS
from tests.world import World

WRITE_TO = """
sender  admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
admin   .     x      x   x    x     x   x   x   x    x   x   x   .      .      .
deputy  x     .      x   x    x     x   x   x   x    x   x   x   .      .      .
dir     x     x      .   x    x     x   x   x   x    x   x   x   .      .      .
secr    x     x      x   .    x     x   x   x   x    x   x   x   .      .      .
nurse   x     x      x   x    .     x   x   x   x    x   x   x   .      .      .
web     x     x      x   x    x     .   x   x   x    x   x   x   .      .      .
t7a     x     x      x   x    x     x   .   x   x    x   x   x   .      .      .
t7b     x     x      x   x    x     x   x   .   x    x   x   x   .      .      .
hr7a    x     x      x   x    x     x   x   x   .    x   x   x   .      .      .
s7a     .     .      .   .    .     .   x   .   x    .   .   .   .      .      .
s7b     .     .      .   .    .     .   .   x   .    .   .   .   .      .      .
g7a     x     x      x   .    .     .   x   .   x    .   .   .   .      .      .
tother  .     .      .   .    .     .   .   .   .    .   .   .   .      .      .
region  .     .      .   .    .     .   .   .   .    .   .   .   .      .      .
outs    .     .      .   .    .     .   .   .   .    .   .   .   .      .      .
"""


def _table() -> list[tuple[str, str, bool]]:
    header, *lines = WRITE_TO.strip().splitlines()
    columns = header.split()[1:]
    cases = []
    for line in lines:
        sender, *cells = line.split()
        for column, cell in zip(columns, cells, strict=True):
            cases.append((sender, column, cell == "x"))
    return cases


CASES = _table()


def test_the_table_covers_every_persona_both_ways() -> None:
    personas = {k for k in COLUMNS if k != "anon"}
    assert {s for s, _, _ in CASES} == personas
    assert {r for _, r, _ in CASES} == personas


@pytest.mark.django_db
def test_who_may_write_to_whom_in_school_1(world: World) -> None:
    allowed = {
        sender: set(rules.writable_users(world.user(COLUMNS[sender]), world.school))
        for sender in {s for s, _, _ in CASES}
    }
    wrong = [
        (sender, recipient, expected)
        for sender, recipient, expected in CASES
        if (world.user(COLUMNS[recipient]) in allowed[sender]) != expected
    ]
    assert wrong == []


@pytest.mark.django_db
def test_nobody_writes_across_schools(world: World) -> None:
    """In School №2 the other school's teacher writes to nobody of School №1, and nobody of
    School №1 writes to anyone in School №2."""
    other = set(rules.writable_users(world.user("teacher_other_school"), world.other_school))
    assert not other & set(world.users.values())
    for persona in ("admin", "director", "teacher_7a_math", "guardian_7a"):
        assert list(rules.writable_users(world.user(persona), world.other_school)) == []


@pytest.mark.django_db
def test_a_guardian_never_writes_to_another_parent(world: World) -> None:
    from otmetka.accounts.models import User
    from otmetka.people.models import Guardian

    other_parent = User.objects.create(username="parent7a2", last_name="Петров")
    Guardian.objects.create(school=world.school, student=world.pupil_7a, user=other_parent)
    assert not rules.may_write_to(world.user("guardian_7a"), world.school, {other_parent.pk})
    assert rules.may_write_to(world.user("teacher_7a_math"), world.school, {other_parent.pk})


@pytest.mark.django_db
def test_a_guardian_writes_to_the_teacher_of_a_group_course_of_their_child(world: World) -> None:
    import datetime

    from otmetka.curriculum.models import Course, CourseMember

    english = Course.objects.create(
        school=world.school, year=world.year, subject=world.math, name="Английский, гр. 1"
    )
    english.teachers.add(world.user("teacher_7b"))
    parent, teacher = world.user("guardian_7a"), world.user("teacher_7b")
    assert not rules.may_write_to(parent, world.school, {teacher.pk})
    CourseMember.objects.create(
        school=world.school, course=english, student=world.pupil_7a,
        start=datetime.date(2026, 9, 1),
    )  # fmt: skip
    assert rules.may_write_to(parent, world.school, {teacher.pk})
