"""`setup_status`: what is still missing in a school's setup, for the admin's home page."""

import datetime
from collections.abc import Callable

from django.urls import reverse

from otmetka.people.models import Guardian
from otmetka.school.models import PeriodScheme, School, SchoolClass
from otmetka.setup.selectors import setup_status
from tests.world import World


def test_the_world_misses_a_homeroom_teacher_of_7b_and_a_guardian_of_one_student(
    world: World,
) -> None:
    status = {item["key"]: item for item in setup_status(school=world.school)}
    assert set(status) == {"classes_without_homeroom", "students_without_guardians"}
    assert status["classes_without_homeroom"]["message"] == (
        "Классы без классного руководителя: 7Б."
    )
    assert status["students_without_guardians"]["message"] == (
        "У 1 обучающегося не указан законный представитель."
    )
    assert status["students_without_guardians"]["count"] == 1
    assert status["classes_without_homeroom"]["link"] == "setup:list"
    assert status["classes_without_homeroom"]["url"] == reverse(
        "setup:list", kwargs={"kind": "class"}
    )


def test_a_school_without_a_current_year_is_told_to_add_one(world: World) -> None:
    bare = School.objects.create(district=world.school.district, name="Новая", short_name="Новая")
    status = setup_status(school=bare)
    assert [item["key"] for item in status] == ["no_current_year"]
    assert status[0]["message"] == "Не задан текущий учебный год."


def test_a_scheme_used_by_classes_without_periods_is_reported(world: World) -> None:
    SchoolClass.objects.create(
        school=world.school,
        year=world.year,
        grade=10,
        letter="А",
        period_scheme=PeriodScheme.HALVES,
        homeroom_teacher=world.user("teacher_7b"),
    )
    messages = [item["message"] for item in setup_status(school=world.school)]
    assert "В учебном году 2026/2027 не заданы полугодия, а классы учатся по ним." in messages
    assert "Классы без обучающихся: 10А." in messages


def test_a_complete_setup_has_nothing_missing(world: World) -> None:
    world.class_7b.homeroom_teacher = world.user("teacher_7b")
    world.class_7b.save()
    Guardian.objects.create(
        school=world.school, student=world.pupil_7b, user=world.user("guardian_7a")
    )
    assert setup_status(school=world.school) == []


def test_every_status_link_opens_for_the_admin(world: World, client_for: Callable) -> None:
    world.year.start = datetime.date(2026, 12, 1)  # no year covers today
    world.year.save()
    items = setup_status(school=world.school)
    assert items
    for item in items:
        assert client_for("admin").get(item["url"]).status_code == 200
