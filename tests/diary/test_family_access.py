"""Whose diary: a student their own, a guardian their children in every school where the link
is (the choice remembered), nobody else; homework files through the diary's own check."""

from collections.abc import Callable

from django.test import Client

from otmetka.audit.models import Event
from otmetka.diary.models import DiaryChoice
from tests.diary.helpers import FILE_BYTES, diary_world
from tests.world import World


def test_a_student_sees_only_themself(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    diary_world(world)
    html = client_for("student_7b").get("/diary/").content.decode()
    assert "Петрова Дарья" in html and "Иванов Иван" not in html and "Тема 1" not in html
    response = client_for("student_7b").post("/diary/child/", {"student": world.pupil_7a.pk})
    assert response.status_code == 404


def test_a_guardian_switches_to_a_child_in_another_school_and_the_choice_stays(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    dw = diary_world(world)
    client = client_for("guardian_7a")
    html = client.get("/diary/").content.decode()
    assert 'id="child-select"' in html and "Сидоров Семён — Орловская СШ" in html
    assert "Тема 1" in html  # the first child by name: Иванов
    response = client.post("/diary/child/", {"student": dw.other_child.pk, "next": "marks"})
    assert response.status_code == 302 and response["Location"] == "/diary/marks/"
    choice = DiaryChoice.objects.get(user=world.user("guardian_7a"))
    assert choice.student == dw.other_child and choice.school == world.other_school
    assert Event.objects.filter(action="diary_choice", actor=world.user("guardian_7a")).exists()
    again = client_for("guardian_7a").get("/diary/").content.decode()  # a new session
    assert "Сидоров Семён Орловская" not in again and "Тема 1" not in again
    assert f'<option value="{dw.other_child.pk}" selected>' in again


def test_a_guardian_cannot_open_a_child_who_is_not_theirs(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    client = client_for("guardian_7a")
    for bad in (world.pupil_7b.pk, world.other_pupil.pk, "abc", "1\x00", 10**30, ""):
        assert client.post("/diary/child/", {"student": bad}).status_code == 404
    assert not DiaryChoice.objects.exists()


def test_the_homework_file_downloads_for_the_family_only(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    dw = diary_world(world)
    url = f"/diary/files/{dw.file.pk}/"
    response = client_for("guardian_7a").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == FILE_BYTES
    assert "attachment" in response["Content-Disposition"]
    for persona in ("student_7b", "teacher_other_school", "homeroom_7a", "outsider"):
        assert client_for(persona).get(url).status_code == 404


def test_staff_without_children_have_no_diary(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    for persona in ("director", "teacher_7a_math", "homeroom_7a", "region_viewer"):
        assert client_for(persona).get("/diary/").status_code == 404


def test_the_menu_and_the_home_page_lead_to_the_diary(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    for persona in ("guardian_7a", "student_7a"):
        html = client_for(persona).get("/").content.decode()
        assert '<a href="/diary/">Дневник</a>' in html
        assert 'class="btn" href="/diary/">Открыть дневник' in html
    assert '<a href="/diary/">' not in client_for("teacher_7a_math").get("/").content.decode()
