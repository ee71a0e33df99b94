"""API v1 of the journal over real HTTP: grid, cells, lesson, files, history; access; queries."""

import datetime
import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client

from otmetka.audit.models import Event
from otmetka.curriculum.models import Course
from otmetka.journal import services
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, Substitution
from tests.journal.helpers import TODAY, code, kind, lesson_on, lessons_make, students_add
from tests.world import World

GET_QUERIES = 5  # the session with its user (one read; roles ride in the session; was 6 with
# the user read apart), the course (access, with the school's
# reference version: its periods, kinds of work, absence codes and marking policy then come from
# the per-school cache), the grid; the period column (grading.column): the entered period marks;
# the deadlines of the «!» markers (compliance.grid_due, when a lesson lacks an entry).
# Was 7 (the periods and the marking policy read on every request). A cold cache adds the four
# parts' reads once per version: GET_QUERIES_COLD.
GET_QUERIES_COLD = GET_QUERIES + 4
# marks and «н» of a column (the audit chain's head rides in the save's read; the rollups are
# the worker's, from the events: was 10, 8, 10, 12); see tests/api/test_cells_answer.py
POST_QUERIES = 7  # was 8 with the user read apart from the session
# A school's first audit event creates its chain's head: one statement, once (audit.chain).
CHAIN_START = 1
Clients = Callable[[str | None], Client]


def _post(client: Client, lesson: Lesson, changes: list, reason: str = "") -> object:
    body = json.dumps({"changes": changes, "reason": reason})
    return client.post(f"/api/v1/lessons/{lesson.pk}/cells", body, content_type="application/json")


def _patch(client: Client, lesson: Lesson, data: dict) -> object:
    return client.patch(
        f"/api/v1/lessons/{lesson.pk}", json.dumps(data), content_type="application/json"
    )


def _written() -> tuple[int, int, int]:
    return Mark.objects.count(), Absence.objects.count(), Event.objects.count()


def test_grid_for_the_teacher_and_404_for_a_teacher_of_another_class(
    world: World, client_for: Clients
) -> None:
    lesson_on(world.course_7a_math, TODAY)
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    body = client_for("teacher_7a_math").get(url).json()
    assert body["course"]["title"] == "Математика — 7А" and len(body["lessons"]) == 1
    assert body["period"]["name"] == "2 четверть"
    assert client_for("teacher_7b").get(url).status_code == 404
    assert client_for("teacher_other_school").get(url).status_code == 404
    assert client_for("homeroom_7a").get(url).status_code == 200
    assert client_for(None).get(url).status_code == 401


def test_a_homeroom_teacher_or_substitute_opens_only_their_class_or_lesson_s_course(
    world: World, client_for: Clients
) -> None:
    """The journal rights' three EXISTS on the course read by hand (`journal_course_for`): a
    homeroom teacher of 7А (teaching nothing) and a substitute of one 7Б lesson open exactly those
    courses' grid and page, and no other course of the school."""
    lesson_7b = lesson_on(world.course_7b_russian, TODAY)
    Substitution.objects.create(
        school=world.school, lesson=lesson_7b, substitute=world.user("teacher_7a_math"),
        created_by=world.user("deputy"),
    )  # fmt: skip
    for persona, opens, not_opens in (
        ("homeroom_7a", world.course_7a_math, world.course_7b_russian),
        ("teacher_7a_math", world.course_7b_russian, None),
        ("teacher_7b", world.course_7b_russian, world.course_7a_math),
    ):
        client = client_for(persona)
        for url in ("/api/v1/journal/{}", "/journal/{}/"):
            assert client.get(url.format(opens.pk)).status_code == 200, (persona, url)
            if not_opens is not None:
                assert client.get(url.format(not_opens.pk)).status_code == 404, (persona, url)
    for url in ("/api/v1/journal/{}", "/journal/{}/"):  # no such course; another school's
        other = Course.objects.filter(school=world.other_school).first()
        assert client_for("deputy").get(url.format(10**6)).status_code == 404
        assert (
            other is not None and client_for("deputy").get(url.format(other.pk)).status_code == 404
        )


def test_grid_of_another_period_and_a_foreign_period(world: World, client_for: Clients) -> None:
    client = client_for("teacher_7a_math")
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    first = world.year.period_set.get(number=1)
    body = client.get(url, {"period": first.pk}).json()
    assert body["period"]["closed"] is True and body["course"]["can_write"] is False
    foreign = world.other_school.period_set.first()
    assert client.get(url, {"period": foreign.pk}).status_code == 404


def test_cells_save_and_refusal(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    k = kind(world)
    code(world, "н")
    client = client_for("teacher_7a_math")
    response = _post(
        client,
        lesson,
        [{"student": world.pupil_7a.pk, "marks": [{"value": "5", "kind": k.pk}], "absence": None}],
    )
    assert response.status_code == 200
    body = response.json()
    mark = Mark.objects.get()
    assert body == {
        "ok": True,
        "errors": {},
        "cells": {
            f"{lesson.pk}:{world.pupil_7a.pk}": {
                "marks": [{"id": mark.pk, "value": "5", "kind": k.pk, "comment": ""}],
                "absence": None,
            }
        },
        "students": {
            str(world.pupil_7a.pk): {"average": "5.00", "weighted_average": "5.00", "absences": 0}
        },
    }
    before = _written()
    response = _post(
        client,
        lesson,
        [
            {"student": world.pupil_7a.pk, "marks": [{"id": mark.pk, "value": "4", "kind": k.pk}]},
            {"student": world.pupil_7b.pk, "absence": {"code": "н"}},
        ],
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        str(world.pupil_7b.pk): "Обучающийся не числится в классе на дату урока."
    }
    assert _written() == before and Mark.objects.get().value == "5"
    response = _post(
        client, lesson, [{"student": world.pupil_7a.pk, "marks": [{"value": "4.5", "kind": k.pk}]}]
    )
    assert response.json()["errors"] == {
        str(world.pupil_7a.pk): "Дробные отметки не допускаются: введите целую отметку."
    }
    assert _written() == before


def test_cells_delete_and_absence_keep(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    k, late = kind(world), code(world, "оп")
    client = client_for("teacher_7a_math")
    pk = world.pupil_7a.pk
    _post(client, lesson, [{"student": pk, "absence": {"code": late.code, "minutes": 5}}])
    mark = services.mark_add(
        actor=world.user("teacher_7a_math"), lesson=lesson, student=world.pupil_7a, value="3",
        kind=k,
    )  # fmt: skip
    body = _post(client, lesson, [{"student": pk, "delete_marks": [mark.pk]}]).json()
    assert body["cells"][f"{lesson.pk}:{pk}"] == {
        "marks": [],
        "absence": {"code": "оп", "minutes": 5},
    }
    mark.refresh_from_db()
    assert mark.is_deleted


def test_substitute_gets_403_for_another_lesson(world: World, client_for: Clients) -> None:
    first, second = lessons_make(world.course_7a_math, 2, start=datetime.date(2026, 11, 17))
    services.substitution_assign(
        actor=world.user("deputy"), lesson=first, substitute=world.user("teacher_7b"),
        reason="Курсы повышения квалификации",
    )  # fmt: skip
    k = kind(world)
    client = client_for("teacher_7b")
    change = [{"student": world.pupil_7a.pk, "marks": [{"value": "5", "kind": k.pk}]}]
    assert _post(client, first, change).status_code == 200
    before = _written()
    response = _post(client, second, change)
    assert response.status_code == 403
    assert response.json() == {"detail": "У вас нет права изменять эту запись журнала."}
    assert _patch(client, second, {"topic": "Дроби"}).status_code == 403
    assert _written() == before
    grid = client.get(f"/api/v1/journal/{world.course_7a_math.pk}").json()
    assert [ls["can_write"] for ls in grid["lessons"]] == [True, False]


def test_closed_period_over_http(world: World, client_for: Clients) -> None:
    old = lesson_on(world.course_7a_math, datetime.date(2026, 10, 20))
    k = kind(world)
    change = [{"student": world.pupil_7a.pk, "marks": [{"value": "5", "kind": k.pk}]}]
    before = _written()
    assert _post(client_for("teacher_7a_math"), old, change).status_code == 403
    deputy = client_for("deputy")
    response = _post(deputy, old, change)
    assert response.status_code == 400
    assert response.json() == {"detail": "Период закрыт: укажите причину изменения."}
    assert _written() == before
    assert _post(deputy, old, change, reason="Ошибка учителя, служебная записка").json()["ok"]
    assert Event.objects.get(action="mark_add").reason == "Ошибка учителя, служебная записка"


def test_patch_lesson(world: World, client_for: Clients) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    body = _patch(client, lesson, {"topic": "Lhj,b", "homework": "§3", "all_present": True}).json()
    assert body["topic"] == "Lhj,b" and body["homework"] == "§3" and body["attendance_taken"]
    assert body["warnings"] == [
        "Похоже, тема набрана в английской раскладке: вы имели в виду «Дроби»? Переключите "
        "раскладку на русскую и исправьте тему."
    ]
    assert body["missing"] == []
    response = _patch(client, lesson, {"topic": "т" * 501})
    assert response.status_code == 400
    assert response.json()["detail"] == "Тема урока длиннее 500 символов."  # refused by the schema
    lesson.refresh_from_db()
    assert lesson.topic == "Lhj,b"
    assert _patch(client_for("director"), lesson, {"topic": "x"}).status_code == 403
    assert _patch(client_for("teacher_7b"), lesson, {"topic": "x"}).status_code == 404


def test_files_and_history(
    world: World, client_for: Clients, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = client_for("teacher_7a_math")
    url = f"/api/v1/lessons/{lesson.pk}/files"
    # A real PDF head: since issue 8 the content must match the extension.
    body = client.post(url, {"file": SimpleUploadedFile("дз.pdf", b"%PDF-1.4\n%%EOF\n")}).json()
    assert body["files"][0]["name"] == "дз.pdf"
    response = client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Файлы такого типа не принимаются.")
    services.mark_add(
        actor=world.user("teacher_7a_math"), lesson=lesson, student=world.pupil_7a, value="4",
        kind=kind(world),
    )  # fmt: skip
    history_url = f"/api/v1/lessons/{lesson.pk}/history"
    history = client.get(history_url, {"student": world.pupil_7a.pk}).json()
    assert [h["action"] for h in history] == ["mark_add"]
    assert history[0]["actor"] == "Числов Максим Андреевич" and history[0]["after"]["value"] == "4"
    assert client_for("homeroom_7a").get(history_url, {"student": world.pupil_7a.pk}).json()
    assert client_for("teacher_7b").get(history_url, {"student": 1}).status_code == 404


def test_csrf_is_enforced_for_the_browser(world: World) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("teacher_7a_math"))
    assert _post(client, lesson, []).status_code == 403
    client.get(f"/api/v1/journal/{world.course_7a_math.pk}")
    token = client.cookies.get("csrftoken")
    if token is None:  # the grid page sets it; get one from any page with a form
        client.get("/accounts/login/")
        token = client.cookies.get("csrftoken")
    assert token is not None
    response = client.post(
        f"/api/v1/lessons/{lesson.pk}/cells",
        json.dumps({"changes": []}),
        content_type="application/json",
        headers={"X-CSRFToken": token.value},
    )
    assert response.status_code == 200


def _big(world: World, students: int, lessons: int) -> list[Lesson]:
    students_add(world, world.class_7a, students - 1)
    made = lessons_make(world.course_7a_math, lessons)
    kind(world)
    code(world, "н")
    return made


@pytest.mark.parametrize(("students", "lessons"), [(2, 5), (30, 5), (2, 50), (30, 50)])
def test_endpoint_query_counts_are_constant(
    world: World,
    client_for: Clients,
    django_assert_num_queries: object,
    students: int,
    lessons: int,
) -> None:
    made = _big(world, students, lessons)
    client = client_for("teacher_7a_math")
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    code(world, "н")
    # A bulk update (no signals) gives the school a new version: the per-school cache is cold.
    AbsenceCode.objects.filter(school=world.school).update(position=F("position"))
    with django_assert_num_queries(GET_QUERIES_COLD):  # type: ignore[operator]
        assert client.get(url).status_code == 200
    with django_assert_num_queries(GET_QUERIES):  # type: ignore[operator]
        assert client.get(url).status_code == 200
    k = kind(world).pk
    pupils = [s["id"] for s in client.get(url).json()["students"]]
    column = [
        {"student": sid, "marks": [{"value": "5", "kind": k}], "absence": {"code": "н"}}
        for sid in pupils
    ]
    with django_assert_num_queries(POST_QUERIES + CHAIN_START):  # type: ignore[operator]
        assert _post(client, made[-1], column).json()["ok"]
    assert Mark.objects.count() == Absence.objects.count() == students
    assert Event.objects.count() == 2 * students


def test_saved_cells_answer_is_what_the_database_then_holds(
    world: World, client_for: Clients
) -> None:
    from otmetka.journal.selectors import lesson_cells

    lesson = lesson_on(world.course_7a_math, TODAY)
    pupils = [world.pupil_7a.pk] + [s.pk for s in students_add(world, world.class_7a, 3)]
    k, n, late = kind(world), code(world, "н"), code(world, "оп")
    client = client_for("teacher_7a_math")
    first = [
        {"student": pupils[0], "marks": [{"value": "5", "kind": k.pk}], "absence": {"code": "н"}},
        {"student": pupils[1], "marks": [{"value": "3", "kind": k.pk, "comment": " устно "}]},
        {"student": pupils[2], "absence": {"code": late.code, "minutes": 7}},
    ]
    assert _post(client, lesson, first).json()["cells"] == lesson_cells(lesson, pupils[:3])
    marks = {m.student_id: m for m in Mark.objects.filter(lesson=lesson)}
    second = [  # change, delete and add marks; change, clear and keep absences; a new cell
        {
            "student": pupils[0],
            "marks": [{"id": marks[pupils[0]].pk, "value": "4", "kind": k.pk}],
            "absence": {"code": late.code, "minutes": 3},
        },
        {"student": pupils[1], "delete_marks": [marks[pupils[1]].pk], "absence": None},
        {"student": pupils[2], "marks": [{"value": "2", "kind": k.pk}]},
        {
            "student": pupils[3],
            "marks": [{"value": "5", "kind": k.pk}],
            "absence": {"code": n.code},
        },
        {"student": pupils[0], "marks": [{"value": "3", "kind": k.pk}]},
    ]
    body = _post(client, lesson, second).json()
    assert body["ok"] and body["cells"] == lesson_cells(lesson, pupils)
    assert [m["value"] for m in body["cells"][f"{lesson.pk}:{pupils[0]}"]["marks"]] == ["4", "3"]
    assert body["cells"][f"{lesson.pk}:{pupils[1]}"] == {"marks": [], "absence": None}


def test_one_cell_and_thirty_cells_save_with_the_same_queries(
    world: World, client_for: Clients, django_assert_num_queries: object
) -> None:
    made = _big(world, 30, 3)
    k = kind(world).pk
    client = client_for("teacher_7a_math")
    pupils = [
        s["id"] for s in client.get(f"/api/v1/journal/{world.course_7a_math.pk}").json()["students"]
    ]
    warm = [{"student": pupils[0], "marks": [{"value": "5", "kind": k}]}]
    assert _post(client, made[2], warm).json()["ok"]  # the school's chain starts (CHAIN_START)
    for lesson, who in ((made[0], pupils[:1]), (made[1], pupils)):
        cells = [
            {"student": sid, "marks": [{"value": "4", "kind": k}], "absence": {"code": "н"}}
            for sid in who
        ]
        with django_assert_num_queries(POST_QUERIES):  # type: ignore[operator]
            assert _post(client, lesson, cells).json()["ok"]
    assert Mark.objects.count() - 1 == Absence.objects.count() == 31


def _prepared(fragment: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{fragment}%"],
        )
        return int(cursor.fetchone()[0])


def test_grid_and_save_once_prepared_answer_the_same_and_still_refuse(
    world: World, client_for: Clients
) -> None:
    """On PostgreSQL the grid's and the save's statements are prepared on the connection from
    their fifth run (`core.rows.planned_cursor`): the prepared ones give the same grid, a save
    still lands and shows in the next grid, another class's teacher still gets 404, and the
    captured SQL of a prepared statement is still its text (the tests' and bench's counts)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = _big(world, 3, 6)
    client = client_for("teacher_7a_math")
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    first = client.get(url).json()
    for _ in range(6):
        assert client.get(url).json() == first
    k = kind(world).pk
    pupil = first["students"][0]["id"]
    for n, lesson in enumerate(made):
        cell = [{"student": pupil, "marks": [{"value": "4", "kind": k}]}]
        assert _post(client, lesson, cell).json()["ok"], n
    with CaptureQueriesContext(connection) as captured:
        after = client.get(url).json()
    assert all(isinstance(q["sql"], str) and q["sql"] for q in captured.captured_queries)
    assert sum(len(c["marks"]) for c in after["cells"].values()) == len(made)
    if connection.vendor == "postgresql":
        assert _prepared("UNION ALL") >= 2  # the grid's and the save's reads
        assert _prepared("session_data") == 1
    assert client_for("teacher_7b").get(url).status_code == 404
