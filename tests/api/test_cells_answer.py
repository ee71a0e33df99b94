"""The cells save answers with what the grid patches in place — the batch's cells and each changed
student's averages and absences, equal to what the grid then shows — in a constant number of
queries whatever the class size."""

import json
from collections.abc import Callable

import pytest
from django.test import Client

from otmetka.audit.models import Event
from otmetka.journal.models import Absence, Lesson, Mark
from otmetka.school.models import Enrollment
from tests.journal.helpers import TODAY, code, kind, lesson_on, lessons_make, students_add
from tests.world import World

Clients = Callable[[str | None], Client]
# The whole request, as the test client counts it: the session with its user (1, the
# authentication: one statement, accounts/sessions.py; the roles ride in the session's auth
# context), SAVEPOINT and RELEASE of the
# test's transaction (2; BEGIN and COMMIT in production), then the save itself: ONE read
# (journal/cellread.py: the lesson through the access scope with its course's facts and the
# school's reference version, the lesson's period with the write role's facts, the students,
# and the students' marks and absences in the period — the cells among them; the kinds of work
# and the absence codes come from the per-school cache), the marks' INSERT and the audit events'
# INSERT; the answer is computed from what was read and written, with no read-back. The audit
# chain's head (issue 15) is read — on PostgreSQL locked — as one more part of that read
# (audit.chain.head_sql), and the deadline rollups (issue 14) are found by the worker in the
# audit events: the save writes nothing for them. Was 9 (the chain's upsert and the rollup's
# stale mark apart), 7 before them, 8 with the lesson read apart, 10, 15 before that; 7 with
# the user read apart from the session (until 01.12.2026).
ONE_MARK_QUERIES = 6
# A column of marks and «н»: the same, plus the absences' INSERT (was 8, 10, 9, 12, 17).
COLUMN_QUERIES = 7


def _post(client: Client, lesson: Lesson, changes: list, key: str | None = None) -> dict:
    headers = {"Idempotency-Key": key} if key else {}
    response = client.post(
        f"/api/v1/lessons/{lesson.pk}/cells",
        json.dumps({"changes": changes}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code in (200, 400), response.content
    return response.json()


def _grid_rows(client: Client, world: World) -> dict[str, dict]:
    grid = client.get(f"/api/v1/journal/{world.course_7a_math.pk}").json()
    fields = ("average", "weighted_average", "absences")
    return {str(s["id"]): {f: s[f] for f in fields} for s in grid["students"]}


def test_the_answer_holds_the_summaries_the_grid_then_shows(
    world: World, client_for: Clients
) -> None:
    first, second = lessons_make(world.course_7a_math, 2)
    anna, boris = students_add(world, world.class_7a, 2)
    answer, test = kind(world).pk, kind(world, "Контрольная работа").pk
    code(world, "н")
    client = client_for("teacher_7a_math")
    body = _post(
        client,
        first,
        [
            {"student": anna.pk, "marks": [{"value": "5", "kind": answer}]},
            {"student": anna.pk, "marks": [{"value": "2", "kind": test}]},
            {"student": boris.pk, "absence": {"code": "н"}},
        ],
    )
    assert body["students"][str(anna.pk)] == {
        "average": "3.50",
        "weighted_average": "2.75",  # (5·1 + 2·3) / 4
        "absences": 0,
    }
    assert body["students"][str(boris.pk)]["absences"] == 1
    assert len(body["cells"][f"{first.pk}:{anna.pk}"]["marks"]) == 2
    body = _post(
        client,
        second,
        [
            {"student": anna.pk, "marks": [{"value": "4", "kind": answer}]},
            {"student": boris.pk, "absence": {"code": "оп", "minutes": 5}},
        ],
    )
    rows = _grid_rows(client, world)
    assert set(body["students"]) == {str(anna.pk), str(boris.pk)}
    for sid, summary in body["students"].items():
        assert summary == rows[sid]
    assert body["students"][str(anna.pk)]["average"] == "3.67"  # (5 + 2 + 4) / 3, half up
    assert body["students"][str(boris.pk)]["absences"] == 1  # lateness is not an absence


def test_a_deleted_mark_and_a_cleared_absence_come_back_in_the_summary(
    world: World, client_for: Clients
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    pupil = world.pupil_7a.pk
    client = client_for("teacher_7a_math")
    code(world, "н")
    body = _post(
        client,
        lesson,
        [{"student": pupil, "marks": [{"value": "3", "kind": kind(world).pk}]}],
    )
    mark = body["cells"][f"{lesson.pk}:{pupil}"]["marks"][0]["id"]
    body = _post(
        client, lesson, [{"student": pupil, "delete_marks": [mark], "absence": {"code": "н"}}]
    )
    assert body["students"][str(pupil)] == {
        "average": None,
        "weighted_average": None,
        "absences": 1,
    }
    body = _post(client, lesson, [{"student": pupil, "absence": None}])
    assert body["students"][str(pupil)]["absences"] == 0
    assert body["cells"] == {f"{lesson.pk}:{pupil}": {"marks": [], "absence": None}}


def test_a_refused_batch_answers_the_cells_as_they_are_and_no_summaries(
    world: World, client_for: Clients
) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    before = (Mark.objects.count(), Event.objects.count())
    body = _post(
        client_for("teacher_7a_math"),
        lesson,
        [{"student": world.pupil_7b.pk, "marks": [{"value": "5", "kind": kind(world).pk}]}],
    )
    assert body["ok"] is False and "students" not in body
    assert body["cells"] == {f"{lesson.pk}:{world.pupil_7b.pk}": {"marks": [], "absence": None}}
    assert (Mark.objects.count(), Event.objects.count()) == before


@pytest.mark.parametrize("students", [2, 30])
def test_one_mark_and_a_column_take_the_same_queries_at_any_class_size(
    world: World, client_for: Clients, django_assert_num_queries: Callable, students: int
) -> None:
    students_add(world, world.class_7a, students - 1)
    made = lessons_make(world.course_7a_math, 3)
    k = kind(world).pk
    code(world, "н")
    client = client_for("teacher_7a_math")
    enrolled = Enrollment.objects.filter(school_class=world.class_7a)
    pupils = list(enrolled.values_list("student_id", flat=True))
    assert len(pupils) == students
    _post(client, made[0], [{"student": pupils[0], "marks": [{"value": "4", "kind": k}]}])
    with django_assert_num_queries(ONE_MARK_QUERIES):
        body = _post(
            client, made[0], [{"student": pupils[1], "marks": [{"value": "5", "kind": k}]}]
        )
    assert body["ok"] and list(body["students"]) == [str(pupils[1])]
    column = [
        {"student": sid, "marks": [{"value": "5", "kind": k}], "absence": {"code": "н"}}
        for sid in pupils
    ]
    with django_assert_num_queries(COLUMN_QUERIES):
        body = _post(client, made[1], column)
    assert len(body["students"]) == students and len(body["cells"]) == students
    assert Mark.objects.filter(lesson=made[1]).count() == Absence.objects.count() == students


def test_a_changed_mark_and_absence_answer_what_the_grid_then_shows(
    world: World, client_for: Clients
) -> None:
    """The answer is computed from the rows read before the save and what it wrote: a changed
    mark (value and kind, so its weight) and a changed absence come back as the grid shows them."""
    first, second = lessons_make(world.course_7a_math, 2)
    anna, boris = students_add(world, world.class_7a, 2)
    answer, test = kind(world).pk, kind(world, "Контрольная работа").pk
    code(world, "н")
    client = client_for("teacher_7a_math")
    _post(client, first, [{"student": anna.pk, "marks": [{"value": "5", "kind": answer}]}])
    body = _post(
        client,
        second,
        [
            {"student": anna.pk, "marks": [{"value": "4", "kind": answer}]},
            {"student": boris.pk, "absence": {"code": "н"}},
        ],
    )
    mark = body["cells"][f"{second.pk}:{anna.pk}"]["marks"][0]["id"]
    body = _post(
        client,
        second,
        [
            {"student": anna.pk, "marks": [{"id": mark, "value": "2", "kind": test}]},
            {"student": boris.pk, "absence": {"code": "оп", "minutes": 5}},
        ],
    )
    assert body["students"][str(anna.pk)]["weighted_average"] == "2.75"  # (5·1 + 2·3) / 4
    assert body["students"][str(boris.pk)]["absences"] == 0
    cell = body["cells"][f"{second.pk}:{anna.pk}"]
    assert [(m["id"], m["value"], m["kind"]) for m in cell["marks"]] == [(mark, "2", test)]
    assert body["cells"][f"{second.pk}:{boris.pk}"]["absence"]["minutes"] == 5
    rows = _grid_rows(client, world)
    for sid, summary in body["students"].items():
        assert summary == rows[sid]
