"""Who may act on whom: a school's staff act only on accounts held by their school alone.

The rule (access.rules.account_held_by_school_alone): linking an existing login as a guardian,
issuing a password and renaming an account are allowed to a school only when every role, staff
record, student record and guardian link of the account is in that school. An account that also
belongs to another school, to a region, to nobody, or to the installation is refused — and the
refusal of a link reads exactly like a login that does not exist.

The grid is the table of the issue's takeover: rows are accounts, columns the school-1
administrator's actions on them; `yes` done, `-` refused with nothing written, `.` not reachable
from school 1 (404), blank where the action does not apply.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command

from otmetka.access.models import Role, RoleMembership
from otmetka.access.rules import account_held_by_school_alone
from otmetka.accounts.models import User
from otmetka.audit.models import Event
from otmetka.people.models import Guardian, Staff, Student
from tests.setup.conftest import page_text
from tests.setup.test_setup_people import guardian_form, staff_form, totals
from tests.world import World

ACCOUNT_ACTIONS = """
account                        link  password  rename
parent_here                    yes   yes
teacher_here                   yes   yes       yes
parent_in_both_schools         -     -
teacher_in_both_schools        -     -         -
parent_here_student_elsewhere  -     -
parent_here_region_viewer      -     -
parent_here_superuser          -     -
parent_elsewhere               -     .
student_elsewhere              -     .
teacher_elsewhere              -     .
region_viewer                  -     .
no_school                      -     .
"""


def grid(text: str) -> dict[str, dict[str, str]]:
    lines = [line for line in text.strip().splitlines()]
    header = lines[0].split()
    starts = [lines[0].index(name) for name in header]
    rows: dict[str, dict[str, str]] = {}
    for line in lines[1:]:
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        rows[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    return rows


CELLS = grid(ACCOUNT_ACTIONS)


@dataclass
class Target:
    """An account and the school-1 record (guardian link or staff record) that reaches it."""

    user: User
    kind: str  # "guardian" or "staff": the setup page of the record
    record: Guardian | Staff | None


def _other_parent(world: World, user: User) -> None:
    Guardian.objects.create(school=world.other_school, student=world.other_pupil, user=user)


def _parent_here(world: World, user: User) -> Guardian:
    return Guardian.objects.create(school=world.school, student=world.pupil_7a, user=user)


def _person(username: str) -> User:
    return User.objects.create(username=username, last_name="Чужая", first_name="Вера")


def build(world: World, name: str) -> Target:
    """The account of the grid's row, with its ties in both schools."""
    if name == "parent_here":
        return Target(world.user("guardian_7a"), "guardian", world.guardian_link)
    if name == "teacher_here":
        user = world.user("teacher_7b")
        return Target(user, "staff", user.staff_records.get())
    if name == "teacher_in_both_schools":
        user = world.user("teacher_other_school")
        staff = Staff.objects.create(school=world.school, user=user, position="совместитель")
        RoleMembership.objects.create(user=user, school=world.school, role=Role.TEACHER)
        return Target(user, "staff", staff)
    if name == "region_viewer":
        return Target(world.user("region_viewer"), "guardian", None)
    if name == "teacher_elsewhere":
        return Target(world.user("teacher_other_school"), "guardian", None)
    if name == "no_school":
        return Target(world.user("outsider"), "guardian", None)
    if name == "parent_here_region_viewer":
        user = world.user("region_viewer")
        return Target(user, "guardian", _parent_here(world, user))
    user = _person(name.replace("_", "")[:30])
    if name == "parent_in_both_schools":
        _other_parent(world, user)
        return Target(user, "guardian", _parent_here(world, user))
    if name == "parent_here_student_elsewhere":
        world.other_pupil.user = user
        world.other_pupil.save()
        return Target(user, "guardian", _parent_here(world, user))
    if name == "parent_here_superuser":
        user.is_superuser = True
        user.save()
        return Target(user, "guardian", _parent_here(world, user))
    if name == "parent_elsewhere":
        _other_parent(world, user)
        return Target(user, "guardian", None)
    if name == "student_elsewhere":
        world.other_pupil.user = user
        world.other_pupil.save()
        return Target(user, "guardian", None)
    raise AssertionError(name)


CSRF_TOKEN = re.compile(r'value="[A-Za-z0-9]{64}"')
NOBODY_MESSAGE = "В школе нет учётной записи с логином «{login}»."


@pytest.mark.parametrize("account", list(CELLS))
def test_linking_an_existing_login_follows_the_grid(
    account: str, world: World, client_for: Callable
) -> None:
    target = build(world, account)
    before = totals()
    data = guardian_form(world, existing_login=target.user.username.upper())
    response = client_for("admin").post("/setup/guardian/new/", data)
    linked = Guardian.objects.filter(student=world.pupil_7b, user=target.user).exists()
    if CELLS[account]["link"] == "yes":
        assert response.status_code == 302 and linked
    else:
        assert response.status_code == 200 and not linked
        assert NOBODY_MESSAGE.format(login=target.user.username.upper()) in page_text(response)
        assert totals() == before


@pytest.mark.parametrize("account", list(CELLS))
def test_issuing_a_password_follows_the_grid(
    account: str, world: World, client_for: Callable
) -> None:
    target = build(world, account)
    cell = CELLS[account]["password"]
    record_pk = target.record.pk if target.record else 10**6
    old_hash = target.user.password
    response = client_for("admin").post(f"/setup/{target.kind}/{record_pk}/password/", follow=True)
    target.user.refresh_from_db()
    issued = Event.objects.filter(action="password_issue", object_id=str(target.user.pk))
    if cell == "yes":
        assert target.user.must_change_password and issued.exists()
        return
    assert target.user.password == old_hash and not target.user.must_change_password
    assert not issued.exists()
    if cell == ".":
        assert response.status_code == 404
    else:
        assert "учётная запись используется и вне школы" in page_text(response)


@pytest.mark.parametrize("account", [a for a, c in CELLS.items() if c["rename"]])
def test_renaming_a_staff_account_follows_the_grid(
    account: str, world: World, client_for: Callable
) -> None:
    target = build(world, account)
    before = totals()
    data = staff_form(target.record, last_name="Переименованная")
    response = client_for("admin").post(f"/setup/staff/{target.record.pk}/", data)
    target.user.refresh_from_db()
    if CELLS[account]["rename"] == "yes":
        assert response.status_code == 302 and target.user.last_name == "Переименованная"
    else:
        assert target.user.last_name != "Переименованная"
        assert "учётная запись используется и вне школы" in page_text(response)
        assert totals() == before


@pytest.mark.parametrize("persona", ["admin", "deputy", "secretary"])
def test_no_one_who_links_guardians_can_link_another_schools_parent(
    persona: str, world: World, client_for: Callable
) -> None:
    """The issue's takeover, by each persona who may link guardians: a parent of school 2."""
    victim = _person("victim.parent")
    _other_parent(world, victim)
    before = totals()
    data = guardian_form(world, existing_login="victim.parent")
    response = client_for(persona).post("/setup/guardian/new/", data)
    assert NOBODY_MESSAGE.format(login="victim.parent") in page_text(response)
    assert totals() == before
    assert not Guardian.objects.filter(school=world.school, user=victim).exists()


def test_a_foreign_login_and_a_missing_login_get_the_same_answer(
    world: World, client_for: Callable
) -> None:
    """The refusal tells nothing about which logins exist elsewhere."""
    _other_parent(world, _person("exists.elsewhere"))
    client = client_for("admin")

    def answer(login: str) -> str:
        data = guardian_form(world, existing_login=login)
        text = page_text(client.post("/setup/guardian/new/", data))
        return CSRF_TOKEN.sub("TOKEN", text.replace(login, "LOGIN"))

    foreign, missing = answer("exists.elsewhere"), answer("never.existed")
    assert "В школе нет учётной записи с логином «LOGIN»." in foreign
    assert foreign == missing


def test_the_rule_takes_one_query(world: World, django_assert_num_queries: Callable) -> None:
    user = world.user("guardian_7a")
    with django_assert_num_queries(1):
        assert account_held_by_school_alone(user, world.school)
    with django_assert_num_queries(1):
        assert not account_held_by_school_alone(user, world.other_school)


def test_the_installation_links_a_parent_of_two_schools_and_both_schools_see_it(
    world: World,
) -> None:
    parent = _person("two.schools")
    _other_parent(world, parent)
    call_command("guardian_link", login="TWO.SCHOOLS", student=world.pupil_7b.pk, relation="mother")
    link = Guardian.objects.get(student=world.pupil_7b, user=parent)
    assert link.school == world.school
    here = Event.objects.get(action="guardian_link_by_installation")
    elsewhere = Event.objects.get(action="guardian_link_elsewhere")
    assert (here.school_id, here.actor_id) == (world.school.pk, None)
    assert elsewhere.school_id == world.other_school.pk
    assert elsewhere.object_id == str(link.pk)


def test_the_installation_command_refuses_bad_input_and_writes_nothing(world: World) -> None:
    before = totals()
    with pytest.raises(CommandError, match=re.escape("Пользователя с логином «nobody» нет.")):
        call_command("guardian_link", login="nobody", student=world.pupil_7b.pk, relation="mother")
    with pytest.raises(
        CommandError, match=re.escape("Обучающийся не может быть своим представителем.")
    ):
        call_command("guardian_link", login="pupil7b", student=world.pupil_7b.pk, relation="father")
    with pytest.raises(CommandError, match=re.escape("Нет обучающегося с номером 999999.")):
        call_command("guardian_link", login="parent7a", student=999999, relation="mother")
    assert totals() == before
    assert Student.objects.filter(pk=world.pupil_7b.pk).exists()
