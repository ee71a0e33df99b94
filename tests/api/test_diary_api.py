"""The diary's JSON API: the same data and the same access as the pages (a guardian only their
children, in every school, while the link lasts), in OpenAPI."""

import datetime
from collections.abc import Callable

from django.test import Client

from otmetka.people.models import Guardian
from tests.diary.helpers import MONDAY, diary_world
from tests.world import World


def test_a_guardian_reads_their_childrens_week_marks_and_homework(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    dw = diary_world(world)
    client = client_for("guardian_7a")
    children = client.get("/api/v1/diary/children").json()["children"]
    assert [c["name"] for c in children] == ["Иванов Иван Иванович", "Сидоров Семён"]
    assert children[0]["current"] and children[1]["school"] == "Орловская СШ"
    pupil = world.pupil_7a.pk
    week = client.get(f"/api/v1/diary/{pupil}/week?date={MONDAY:%Y-%m-%d}").json()
    assert week["monday"] == "2026-11-16" and week["student"] == pupil
    monday = week["days"][0]["lessons"][0]
    assert monday["topic"] == "Тема 1" and monday["homework"] == "Упражнение 1"
    assert monday["marks"][0]["value"] == "4" and monday["files"][0]["name"] == "задачи.txt"
    assert client.get(monday["files"][0]["url"]).status_code == 200
    assert week["days"][1]["lessons"][0]["absence"]["code"] == "б"
    assert week["days"][4]["lessons"][0]["state"] == "cancelled"
    marks = client.get(f"/api/v1/diary/{pupil}/marks").json()
    maths = marks["subjects"][0]
    assert [m["value"] for m in maths["marks"]] == ["4", "5"] and maths["absences"] == 1
    assert marks["period"]["name"] and len(marks["periods"]) >= 1
    homework = client.get(f"/api/v1/diary/{pupil}/homework").json()
    assert homework["student"] == pupil and isinstance(homework["items"], list)
    other = client.get(f"/api/v1/diary/{dw.other_child.pk}/week").json()
    assert other["student"] == dw.other_child.pk


def test_the_api_refuses_other_children_ended_links_and_bad_input(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    diary_world(world)
    client = client_for("guardian_7a")
    for bad in (world.pupil_7b.pk, world.other_pupil.pk + 10**6):
        assert client.get(f"/api/v1/diary/{bad}/week").status_code == 404
    assert client.get(f"/api/v1/diary/{10**30}/week").status_code == 400
    assert client.get(f"/api/v1/diary/{world.pupil_7a.pk}/week?date=вчера").status_code == 400
    assert client.get(f"/api/v1/diary/{world.pupil_7a.pk}/marks?period=0").status_code == 400
    assert Client().get("/api/v1/diary/children").status_code == 401
    yesterday = datetime.date(2026, 11, 17)  # the tests' today is 18 November
    Guardian.objects.filter(user=world.user("guardian_7a"), student=world.pupil_7a).update(
        end=yesterday, end_basis="Решение суда"
    )
    assert client.get(f"/api/v1/diary/{world.pupil_7a.pk}/marks").status_code == 404
    names = [c["name"] for c in client.get("/api/v1/diary/children").json()["children"]]
    assert names == ["Сидоров Семён"]


def test_the_diary_api_is_in_the_openapi_schema(
    client_for: Callable[[str | None], Client],
) -> None:
    schema = client_for("admin").get("/api/v1/openapi.json").json()
    assert "/api/v1/diary/{student_id}/week" in schema["paths"]
    assert "WeekOut" in schema["components"]["schemas"]
