"""The period-mark column of the journal grid over real HTTP: the suggestion and the flags in the
grid JSON, one POST per mark answered with the student's cell, refusals that write nothing,
who may write (across two schools too), the last-day banner and the grid's query count."""

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from otmetka.audit.models import Event
from otmetka.grading.models import NA, MarkingPolicy, PeriodMark
from tests.grading.conftest import GradingWorld, add_students, give_marks

Clients = Callable[[str | None], Client]
GRID_QUERIES = 5  # the grid's 4 (tests/api/test_journal_api.py) + the period marks (the policy
# comes from the per-school cache, filled by the first request)


def _grid(client: Client, gw: GradingWorld) -> Any:
    return client.get(f"/api/v1/journal/{gw.world.course_7a_math.pk}?period={gw.q2.pk}")


def _save(client: Client, gw: GradingWorld, body: dict | str, course: Any = None) -> Any:
    course_id = gw.world.course_7a_math.pk if course is None else course
    data = body if isinstance(body, str) else json.dumps({"period": gw.q2.pk, **body})
    return client.post(f"/grading/course/{course_id}/grid/", data, content_type="application/json")


def _other_course(gw: GradingWorld) -> int:
    from otmetka.curriculum.models import Course

    return Course.objects.get(school=gw.world.other_school).pk


def _written() -> tuple[int, int]:
    events = Event.objects.filter(action__startswith="period_mark")
    return PeriodMark.objects.count(), events.count()


def test_the_grid_shows_the_suggestion_and_too_few_marks(
    grading: GradingWorld, client_for: Clients
) -> None:
    pupil = grading.world.pupil_7a
    give_marks(grading, pupil.pk, [("5", grading.answer), ("4", grading.test)])
    client = client_for("teacher_7a_math")
    column = _grid(client, grading).json()["period_column"]
    cell = column["values"][str(pupil.pk)]
    assert cell == {
        "value": "", "na_reason": "", "basis": "", "suggested": "4", "differs": False,
        "count": 2, "too_few": False,
    }  # fmt: skip  # (5 + 4·3)/4 = 4.25 → 4; the quarter ends in 42 days, warned from 14
    assert column["can_write"] and not column["needs_reason"]
    assert column["allowed"] == ["5", "4", "3", "2", NA, "осв"] and column["banner"] == ""
    MarkingPolicy.objects.create(
        school=grading.world.school, warn_days=45, mean="simple", rounding="thresholds"
    )
    cell = _grid(client, grading).json()["period_column"]["values"][str(pupil.pk)]
    assert (cell["suggested"], cell["too_few"]) == ("4", True)  # simple 4.5 < 4.65; 2 < 3 marks


def test_a_teacher_sets_a_period_mark_in_one_round_trip(
    grading: GradingWorld, client_for: Clients
) -> None:
    pupil = grading.world.pupil_7a
    give_marks(grading, pupil.pk, [("5", grading.answer), ("4", grading.test)])
    client = client_for("teacher_7a_math")
    response = _save(client, grading, {"student": pupil.pk, "value": "5"})
    assert response.status_code == 200
    cell = response.json()["cell"]
    assert (cell["value"], cell["suggested"], cell["differs"]) == ("5", "4", True)
    mark = PeriodMark.objects.get(student=pupil, period=grading.q2)
    assert (mark.value, mark.suggested, mark.differs) == ("5", "4", True)
    assert Event.objects.filter(action="period_mark_add").count() == 1
    grid_cell = _grid(client, grading).json()["period_column"]["values"][str(pupil.pk)]
    assert grid_cell == cell  # the answer is what the grid then reads
    cleared = _save(client, grading, {"student": pupil.pk, "value": ""}).json()["cell"]
    assert cleared["value"] == "" and not PeriodMark.objects.filter(is_deleted=False).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"value": "4-"}, "целую"),
        ({"value": "6"}, ""),
        ({"value": "н/а"}, "причину"),
        ({"value": "осв"}, "основание"),
        ({"value": "5\x00"}, ""),
        ({"value": "\ud800"}, ""),
        ({"value": "5" * 5000}, ""),
        ({"value": 5}, "Запрос"),
        ({"student": 10**30}, "Запрос"),
        ({"student": "1"}, "Запрос"),
        ('{"student": ', "Запрос"),
        ("[]", "Запрос"),
    ],
)
def test_bad_input_is_a_4xx_with_a_russian_message_and_nothing_written(
    grading: GradingWorld, client_for: Clients, body: Any, message: str
) -> None:
    if isinstance(body, dict):
        body = {"student": grading.world.pupil_7a.pk, "value": "5", **body}
    response = _save(client_for("teacher_7a_math"), grading, body)
    assert response.status_code == 400 and _written() == (0, 0)
    detail = response.json()["detail"]
    assert message in detail and any("а" <= ch <= "я" for ch in detail.lower())


def test_na_with_its_reason_and_a_student_of_another_class(
    grading: GradingWorld, client_for: Clients
) -> None:
    client = client_for("teacher_7a_math")
    pupil = grading.world.pupil_7a
    ok = _save(client, grading, {"student": pupil.pk, "value": "на", "na_reason": "invalid"})
    assert ok.status_code == 200 and ok.json()["cell"]["value"] == NA
    stranger = grading.world.pupil_7b.pk
    refused = _save(client, grading, {"student": stranger, "value": "5"})
    assert refused.status_code == 400 and "не учится" in refused.json()["detail"]


def test_who_may_write_across_two_schools(grading: GradingWorld, client_for: Clients) -> None:
    pupil = grading.world.pupil_7a.pk
    body = {"student": pupil, "value": "5"}
    assert _save(client_for("teacher_7b"), grading, body).status_code == 404
    assert _save(client_for("teacher_other_school"), grading, body).status_code == 404
    assert _save(client_for("homeroom_7a"), grading, body).status_code == 403
    assert _save(client_for(None), grading, body).status_code == 302
    other_course = _other_course(grading)
    assert _save(client_for("deputy"), grading, body, course=other_course).status_code == 404
    assert _written() == (0, 0)
    deputy = client_for("deputy")
    column = _grid(deputy, grading).json()["period_column"]
    assert column["can_write"] and column["needs_reason"]  # a corrector always states a reason
    assert _save(deputy, grading, body).status_code == 400
    assert _save(deputy, grading, {**body, "reason": "по заявлению"}).status_code == 200


def test_after_the_period_closes_only_the_deputy_changes_it(
    grading: GradingWorld, client_for: Clients
) -> None:
    grading.q2.closed_at = datetime.datetime(2026, 11, 17, tzinfo=datetime.UTC)
    grading.q2.save()
    pupil = grading.world.pupil_7a.pk
    teacher = client_for("teacher_7a_math")
    assert not _grid(teacher, grading).json()["period_column"]["can_write"]
    assert _save(teacher, grading, {"student": pupil, "value": "5"}).status_code == 403
    deputy = client_for("deputy")
    saved = _save(deputy, grading, {"student": pupil, "value": "5", "reason": "исправление"})
    assert saved.status_code == 200 and _written() == (1, 1)


def test_the_last_day_of_the_period_shows_the_written_work_banner(
    grading: GradingWorld, client_for: Clients, time_machine: Any
) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 30, 10, 0, tzinfo=datetime.UTC))
    client = client_for("teacher_7a_math")  # logged in on the day (a session expires)
    assert grading.q2.end == datetime.date(2026, 12, 30)
    assert "за письменные работы" in _grid(client, grading).json()["period_column"]["banner"]
    time_machine.move_to(datetime.datetime(2026, 12, 29, 10, 0, tzinfo=datetime.UTC))
    assert _grid(client, grading).json()["period_column"]["banner"] == ""


@pytest.mark.parametrize("students", [2, 30])
def test_the_column_adds_one_query_at_any_class_size(
    grading: GradingWorld, client_for: Clients, django_assert_num_queries: Any, students: int
) -> None:
    extra = add_students(grading.world, students - 1)
    for s in [grading.world.pupil_7a, *extra]:
        give_marks(grading, s.pk, [("5", grading.answer), ("3", grading.test)])
        PeriodMark.objects.create(
            school=grading.world.school, student=s, course=grading.world.course_7a_math,
            year=grading.world.year, period=grading.q2, value="4",
            created_by=grading.world.user("teacher_7a_math"),
            updated_by=grading.world.user("teacher_7a_math"),
        )  # fmt: skip
    client = client_for("teacher_7a_math")
    _grid(client, grading)
    with django_assert_num_queries(GRID_QUERIES):
        body = _grid(client, grading).json()
    assert len(body["period_column"]["values"]) == students
    assert {c["value"] for c in body["period_column"]["values"].values()} == {"4"}
