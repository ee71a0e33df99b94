"""Every curriculum page renders for the deputy."""

import pytest

from tests.curriculum.helpers import bells, slot
from tests.world import World


@pytest.mark.parametrize(
    "url",
    [
        "/curriculum/plan/?grade=7",
        "/curriculum/courses/",
        "/curriculum/courses/new/",
        "/curriculum/load/",
        "/curriculum/timetable/",
        "/journal/lessons/extra/",
        "/journal/substitutions/",
        "/journal/substitutions/month/",
        "/setup/bell/",
        "/setup/bell/new/",
    ],
)
def test_page_renders(world: World, client_for: object, url: str) -> None:
    b = bells(world.school)
    slot(world.course_7a_math, 0, b[1], room="12")
    response = client_for("deputy").get(url)
    assert response.status_code == 200, response.content[:2000]


def test_grid_and_course_edit_render(world: World, client_for: object) -> None:
    b = bells(world.school)
    slot(world.course_7a_math, 0, b[1], room="12")
    client = client_for("deputy")
    assert client.get(f"/curriculum/timetable/{world.class_7a.pk}/").status_code == 200
    assert client.get(f"/curriculum/courses/{world.course_7a_math.pk}/").status_code == 200
    r = client.get(
        f"/journal/substitutions/?teacher={world.user('teacher_7a_math').pk}&start=2026-11-01&end=2026-11-30"
    )
    assert r.status_code == 200
