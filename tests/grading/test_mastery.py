"""Mastery sheets (ведомость освоения) of extracurricular and additional-education courses over
HTTP: the teacher fills «зач»/«незач» or the course's levels, refusals write nothing, the deputy
corrects with a reason and downloads XLSX; other courses and other schools get 404."""

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from otmetka.audit.models import Event
from otmetka.curriculum.models import Course
from otmetka.grading.models import MasteryScale, PeriodMark
from otmetka.school.models import Period
from tests.grading.conftest import add_students, mastery_course
from tests.world import World

Clients = Callable[[str | None], Client]


@pytest.fixture
def sheet(world: World) -> tuple[Course, Period]:
    return mastery_course(world), Period.objects.get(school=world.school, number=2)


def _url(course: Course, period: Period, tail: str = "") -> str:
    return f"/grading/mastery/{course.pk}/{tail}?period={period.pk}"


def test_the_teacher_fills_pass_fail_and_sees_it(
    world: World, sheet: tuple[Course, Period], client_for: Clients
) -> None:
    course, period = sheet
    client = client_for("teacher_7a_math")
    html = client.get(_url(course, period)).content.decode()
    assert "Ведомость освоения" in html and "Иванов Иван" in html and "незач" in html
    pupil = world.pupil_7a.pk
    assert client.post(_url(course, period), {f"v_{pupil}": "зач"}).status_code == 302
    mark = PeriodMark.objects.get(course=course, period=period)
    assert (mark.student_id, mark.value) == (pupil, "зач")
    assert Event.objects.filter(action="period_mark_add").count() == 1
    assert '<option value="зач" selected>' in client.get(_url(course, period)).content.decode()
    grid = client.get(f"/journal/{course.pk}/").content.decode()
    assert f"/grading/mastery/{course.pk}/" in grid  # the journal links its sheet


@pytest.mark.parametrize("value", ["5", "высокий", "зач\x00", "з" * 300])
def test_a_value_off_the_scale_is_refused_and_nothing_written(
    world: World, sheet: tuple[Course, Period], client_for: Clients, value: str
) -> None:
    course, period = sheet
    response = client_for("teacher_7a_math").post(
        _url(course, period), {f"v_{world.pupil_7a.pk}": value}
    )
    assert response.status_code == 400
    assert "не из шкалы ведомости" in response.content.decode()
    assert not PeriodMark.objects.exists() and not Event.objects.exists()


def test_levels_of_the_course_and_a_used_value_kept(
    world: World, sheet: tuple[Course, Period], client_for: Clients
) -> None:
    course, period = sheet
    client = client_for("teacher_7a_math")
    scale = {"action": "scale", "kind": "levels", "levels": "Высокий, средний,низкий"}
    assert client.post(_url(course, period), scale).status_code == 302
    saved = MasteryScale.objects.get(course=course)
    assert saved.values() == ["высокий", "средний", "низкий"]
    pupil = world.pupil_7a.pk
    assert client.post(_url(course, period), {f"v_{pupil}": "средний"}).status_code == 302
    assert client.post(_url(course, period), {f"v_{pupil}": "зач"}).status_code == 400
    back = client.post(_url(course, period), {"action": "scale", "kind": "pass_fail"})
    assert back.status_code == 400 and "средний" in back.content.decode()
    for bad in ("один", "а, а", "оченьвысокий, низкий", "1, 2, 3, 4, 5, 6"):
        refused = client.post(_url(course, period), {**scale, "levels": bad})
        assert refused.status_code == 400
    assert MasteryScale.objects.get(course=course).levels == "высокий, средний, низкий"


def test_who_reads_and_writes_across_two_schools(
    world: World, sheet: tuple[Course, Period], client_for: Clients
) -> None:
    course, period = sheet
    assert client_for("teacher_7b").get(_url(course, period)).status_code == 404
    assert client_for("teacher_other_school").get(_url(course, period)).status_code == 404
    assert client_for("student_7a").get(_url(course, period)).status_code == 404
    lesson_course = world.course_7a_math.pk
    assert client_for("deputy").get(f"/grading/mastery/{lesson_course}/").status_code == 404
    post = {f"v_{world.pupil_7a.pk}": "зач"}
    assert client_for("homeroom_7a").post(_url(course, period), post).status_code == 403
    deputy = client_for("deputy")
    assert deputy.post(_url(course, period), post).status_code == 400  # no reason
    assert not PeriodMark.objects.exists()
    assert deputy.post(_url(course, period), {**post, "reason": "ведомость"}).status_code == 302
    period.closed_at = datetime.datetime(2026, 11, 17, tzinfo=datetime.UTC)
    period.save()
    teacher = client_for("teacher_7a_math")
    assert teacher.post(_url(course, period), {f"v_{world.pupil_7a.pk}": ""}).status_code == 403
    assert PeriodMark.objects.get().value == "зач"


def test_the_deputy_downloads_the_sheet_as_xlsx(
    world: World, sheet: tuple[Course, Period], client_for: Clients
) -> None:
    course, period = sheet
    add_students(world, 1)
    client_for("teacher_7a_math").post(_url(course, period), {f"v_{world.pupil_7a.pk}": "незач"})
    response = client_for("deputy").get(_url(course, period, "xlsx/"))
    assert response.status_code == 200 and response["Content-Type"].endswith(".sheet")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows: list[Any] = list(ws.iter_rows(values_only=True))
    assert "Ведомость освоения" in rows[0][0] and "Робототехника" in rows[0][0]
    assert rows[1][0] == "Шкала: зач, незач" and rows[2] == ("№", "Обучающийся", "Результат")
    assert rows[3] == (1, "Иванов Иван", "незач") and rows[4] == (2, "Учеников00 Пётр", None)
    assert ws.freeze_panes == "A4"


@pytest.mark.parametrize("students", [2, 30])
def test_the_sheet_takes_the_same_queries_at_any_class_size(
    world: World, sheet: tuple[Course, Period], client_for: Clients, students: int
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course, period = sheet
    add_students(world, students - 1)
    client = client_for("teacher_7a_math")
    client.get(_url(course, period))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(course, period)).status_code == 200
    assert len(queries) == MASTERY_QUERIES


# the session with its user (one read, roles in it; was 12), the course, periods, roster, marks, …
MASTERY_QUERIES = 11
