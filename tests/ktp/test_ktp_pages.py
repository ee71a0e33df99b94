"""КТП pages over HTTP: persona access, import form with its error report, editing, copy, print."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from otmetka.audit.models import Event
from otmetka.curriculum import ktp
from otmetka.curriculum.models import PlannedTopic
from tests.ktp.conftest import counts, csv_file, lesson, sample, xlsx
from tests.world import World


def _url(world: World, suffix: str = "") -> str:
    return f"/curriculum/ktp/{world.course_7a_math.pk}/{suffix}"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teacher_7a_math", 200),
        ("deputy", 200),
        ("director", 200),
        ("homeroom_7a", 200),
        ("teacher_7b", 404),
        ("teacher_other_school", 404),
        ("outsider", 404),
    ],
)
def test_plan_page_access(
    world: World, client_for: Callable[[str], Client], persona: str, status: int
) -> None:
    assert client_for(persona).get(_url(world)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teacher_7a_math", 302),
        ("deputy", 302),
        ("admin", 302),
        ("director", 403),
        ("homeroom_7a", 403),
        ("teacher_7b", 404),
        ("teacher_other_school", 404),
    ],
)
def test_adding_a_topic_by_persona(
    world: World, client_for: Callable[[str], Client], persona: str, status: int
) -> None:
    before = counts()
    data = {"title": "Углы", "hours": "1", "planned_date": "", "work_kind": ""}
    response = client_for(persona).post(_url(world, "topic/add/"), data)
    assert response.status_code == status
    if status == 302:
        assert [t.title for t in ktp.plan_for(world.course_7a_math)] == ["Углы"]
        assert Event.objects.filter(action="ktp_topic_add").count() == 1
    else:
        assert counts() == before


def test_import_page_loads_a_sample_and_shows_the_plan(
    world: World, client_for: Callable[[str], Client]
) -> None:
    client = client_for("teacher_7a_math")
    response = client.post(_url(world, "import/"), {"file": sample("ktp_algebra_7.xlsx")})
    assert response.status_code == 302
    page = client.get(_url(world)).content.decode()
    assert "Входная контрольная работа" in page
    assert "09.09.2026" in page
    assert "Загрузить из файла" in page


def test_import_page_shows_the_row_report_and_writes_nothing(
    world: World, client_for: Callable[[str], Client]
) -> None:
    before = counts()
    upload = xlsx([["№", "Тема урока", "Часы"], [1, "", 1], [2, "Дроби", -1]])
    response = client_for("teacher_7a_math").post(_url(world, "import/"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Файл не загружен. Исправьте строки:" in page
    assert "<td>2</td><td>Тема урока</td><td>Не указана тема урока.</td>" in page
    assert "<td>3</td><td>Часы</td>" in page
    assert counts() == before


def test_second_import_without_replace_is_refused_on_the_form(
    world: World, client_for: Callable[[str], Client]
) -> None:
    client = client_for("teacher_7a_math")
    client.post(_url(world, "import/"), {"file": sample("ktp_cp1251_comma.csv")})
    before = counts()
    response = client.post(_url(world, "import/"), {"file": sample("ktp_utf8_bom_semicolon.csv")})
    assert "В плане уже есть темы" in response.content.decode()
    assert counts() == before
    response = client.post(
        _url(world, "import/"), {"file": csv_file("№;Тема;Часы\n1;Одна;1\n"), "replace": "on"}
    )
    assert response.status_code == 302
    assert [t.title for t in ktp.plan_for(world.course_7a_math)] == ["Одна"]


def test_edit_move_and_delete_topics(world: World, client_for: Callable[[str], Client]) -> None:
    client = client_for("teacher_7a_math")
    client.post(_url(world, "import/"), {"file": sample("ktp_algebra_7.xlsx")})
    topics = ktp.plan_for(world.course_7a_math)
    data = {"title": "Новая тема", "hours": "3", "planned_date": "10.09.2026", "work_kind": ""}
    assert client.post(_url(world, f"topic/{topics[1].pk}/"), data).status_code == 302
    changed = PlannedTopic.objects.get(pk=topics[1].pk)
    assert (changed.title, changed.hours, changed.planned_date) == (
        "Новая тема",
        3,
        datetime.date(2026, 9, 10),
    )
    client.post(_url(world, f"topic/{topics[4].pk}/move/"), {"position": "1"})
    assert [t.pk for t in ktp.plan_for(world.course_7a_math)] == [
        topics[4].pk,
        topics[0].pk,
        topics[1].pk,
        topics[2].pk,
        topics[3].pk,
    ]
    client.post(_url(world, f"topic/{topics[0].pk}/delete/"))
    assert [t.position for t in ktp.plan_for(world.course_7a_math)] == [1, 2, 3, 4]
    assert not PlannedTopic.objects.filter(pk=topics[0].pk).exists()
    assert Event.objects.filter(action="ktp_topic_delete").count() == 1


def test_topic_edit_refuses_a_date_outside_the_year(
    world: World, client_for: Callable[[str], Client]
) -> None:
    client = client_for("teacher_7a_math")
    client.post(_url(world, "topic/add/"), {"title": "Углы", "hours": "1"})
    topic = ktp.plan_for(world.course_7a_math)[0]
    before = counts()
    data = {"title": "Углы", "hours": "1", "planned_date": "01.08.2027"}
    response = client.post(_url(world, f"topic/{topic.pk}/"), data)
    assert "Дата 01.08.2027 вне учебного года 2026/2027." in response.content.decode()
    assert counts() == before


def test_deleting_a_topic_lessons_point_to_is_refused(
    world: World, client_for: Callable[[str], Client]
) -> None:
    client = client_for("teacher_7a_math")
    client.post(_url(world, "topic/add/"), {"title": "Углы", "hours": "1"})
    topic = ktp.plan_for(world.course_7a_math)[0]
    lesson(world.course_7a_math, datetime.date(2026, 9, 2), topic)
    before = counts()
    response = client.post(_url(world, f"topic/{topic.pk}/delete/"), follow=True)
    assert "Эту тему нельзя удалить: на неё уже ссылаются уроки." in response.content.decode()
    assert counts() == before


def test_topic_of_another_course_is_404(
    world: World, client_for: Callable[[str], Client], make_topics: Callable
) -> None:
    other = make_topics(world.course_7b_russian, 1)[0]
    client = client_for("deputy")
    assert client.get(_url(world, f"topic/{other.pk}/")).status_code == 404
    assert client.post(_url(world, f"topic/{other.pk}/delete/")).status_code == 404
    assert PlannedTopic.objects.filter(pk=other.pk).exists()


def test_print_view_is_a_paper_table(
    world: World, client_for: Callable[[str], Client], make_topics: Callable
) -> None:
    make_topics(world.course_7a_math, 3)
    page = client_for("director").get(_url(world, "print/")).content.decode()
    assert "Календарно-тематическое планирование" in page
    assert "curriculum/ktp-print.css" in page  # the paper styles (@media print) live there (CSP)
    assert page.count('<tr><td class="n">') == 3
    assert "Итого" in page
