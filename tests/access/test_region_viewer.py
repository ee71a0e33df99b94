"""A region viewer oversees schools through aggregates: the pages open for it name no teacher
(courses, journals, load, timetable, classes), while the school's own staff see the names."""

from collections.abc import Callable

import pytest
from django.test import Client

from otmetka.access.rules import sees_people
from tests.curriculum.helpers import bells, slot
from tests.world import World

# Pages a region viewer may open (see the endpoint table) that list courses, classes or lessons.
PAGES = {
    "courses": lambda w: "/curriculum/courses/",
    "load": lambda w: "/curriculum/load/",
    "timetable of 7А": lambda w: f"/curriculum/timetable/{w.class_7a.pk}/",
    "classes": lambda w: "/setup/class/",
}
TEACHERS = ("teacher_7a_math", "teacher_7b", "homeroom_7a")


@pytest.fixture
def taught(world: World) -> World:
    """7А's maths has a lesson in the timetable; 7А has its homeroom teacher."""
    slot(world.course_7a_math, 0, bells(world.school, 1)[1])
    world.class_7a.homeroom_teacher = world.user("homeroom_7a")
    world.class_7a.save()
    return world


def _names(world: World) -> list[str]:
    return [world.user(p).last_name for p in TEACHERS]


@pytest.mark.parametrize("page", PAGES)
def test_region_viewer_sees_no_teacher_names(
    page: str, taught: World, client_for: Callable[[str | None], Client]
) -> None:
    client = client_for("region_viewer")
    client.post("/school/switch/", {"school": taught.school.pk})  # it oversees both schools
    response = client.get(PAGES[page](taught))
    assert response.status_code == 200
    html = response.content.decode()
    assert [name for name in _names(taught) if name in html] == []


@pytest.mark.parametrize("page", PAGES)
def test_the_schools_director_sees_them(
    page: str, taught: World, client_for: Callable[[str | None], Client]
) -> None:
    html = client_for("director").get(PAGES[page](taught)).content.decode()
    assert any(name in html for name in _names(taught))


def test_load_by_class_stays_for_the_region_viewer(
    taught: World, client_for: Callable[[str | None], Client]
) -> None:
    html = client_for("region_viewer").get("/curriculum/load/").content.decode()
    assert taught.math.name in html


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("region_viewer", False), ("deputy", True), ("teacher_7b", True), ("student_7a", True)],
)
def test_sees_people_rule(persona: str, sees: bool, world: World) -> None:
    assert sees_people(world.user(persona), world.school) is sees
