"""The deadline pages: bad input changes nothing (a Russian message, 400), rules across schools,
the region dashboard (aggregates only, constant queries), the teacher's deadlines in words."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otmetka.compliance.models import DayRollup, DeadlineRule, NoPcDay, TeacherAbsence
from otmetka.compliance.rollups import rollups_recompute
from otmetka.school.calendar import calendar_for
from tests.compliance.helpers import at, lesson
from tests.world import World

D = datetime.date
TODAY = D(2026, 11, 18)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-11-16", "end": "2026-11-10"}, "раньше первого"),
        ({"note": "\x00"}, ""),
        ({"teacher": "other"}, ""),
        ({"teacher": "99999999999999999999"}, ""),
        ({"note": "я" * 201}, ""),
    ],
    ids=["end before start", "NUL", "a teacher of another school", "huge id", "over-long"],
)
def test_a_bad_absence_is_refused_and_nothing_written(
    world: World, client_for: Callable[[str], Client], data: dict, message: str
) -> None:
    form = {"teacher": world.user("teacher_7a_math").pk, "start": "2026-11-16",
            "end": "2026-11-17", "reason": "illness", "note": ""} | data  # fmt: skip
    if form["teacher"] == "other":
        form["teacher"] = world.user("teacher_other_school").pk
    response = client_for("deputy").post("/compliance/absences/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TeacherAbsence.objects.exists()


def test_a_rule_cannot_change_back_in_time(world: World, client_for: Callable) -> None:
    form = {
        "key": "topic-16", "entity": "topic", "anchor": "lesson_end", "offset_kind": "clock",
        "offset_value": "1020", "course_kinds": ["lesson"], "valid_from": "2026-11-17",
    }  # fmt: skip
    response = client_for("deputy").post("/compliance/rules/", form)
    assert response.status_code == 400 and "никогда задним числом" in response.content.decode()
    assert not DeadlineRule.objects.exists()


@pytest.mark.parametrize("day", ["2026-11-19", "2026-10-01"], ids=["future", "months ago"])
def test_a_no_pc_day_is_declared_on_the_day_or_within_a_week(
    world: World, client_for: Callable, day: str
) -> None:
    response = client_for("teacher_7a_math").post(
        "/compliance/no-pc/", {"day": day, "comment": "x"}
    )
    assert response.status_code == 400
    assert not NoPcDay.objects.exists()


def test_the_deputy_of_one_school_revokes_nothing_of_another(
    world: World, client_for: Callable
) -> None:
    other = NoPcDay.objects.create(school=world.other_school, day=TODAY, comment="Нет сети",
                                   teacher=world.user("teacher_other_school"))  # fmt: skip
    response = client_for("deputy").post(f"/compliance/no-pc/{other.pk}/revoke/")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_the_teacher_sees_the_deadline_in_words(world: World, client_for: Callable) -> None:
    import time_machine

    lesson(world.course_7a_math, TODAY, "09:00", "09:45")
    lesson(world.course_7a_math, D(2026, 11, 13), "09:00", "09:45")
    with time_machine.travel(at(TODAY, "12:00"), tick=False):
        html = client_for("teacher_7a_math").get("/").content.decode()
    assert "до 16:00 сегодня" in html
    assert "просрочено на 4 дня" in html  # Friday 16:00 → Wednesday noon


def test_the_region_dashboard_shows_shares_and_no_names(
    world: World, client_for: Callable, django_assert_num_queries: Callable
) -> None:

    week = [D(2026, 11, 9) + datetime.timedelta(days=i) for i in range(5)]
    for i, day in enumerate(week):  # 3 of 5 topics on time, 1 late, 1 missing
        entered = {0: "10:00", 1: "11:00", 2: "15:00", 3: "18:00"}.get(i)
        lesson(world.course_7a_math, day, topic="Тема" if entered else "",
               topic_entered_at=at(day, entered) if entered else None)  # fmt: skip
    rollups_recompute(school=world.school, start=week[0], end=TODAY)
    assert DayRollup.objects.filter(school=world.school).count() == 5
    client = client_for("region_viewer")
    # the session with its user (one read); roles; the viewer's schools (exists, then listed);
    # the rollups summed (was 5: the session and the user apart)
    with django_assert_num_queries(4):
        html = client.get("/compliance/region/?sort=topic").content.decode()
    assert "Столбовская СШ" in html and "Орловская СШ" in html
    assert "60,0" in html  # topic on time: 3 of 5
    for name in ("Числов", "Иванов", "Завучева"):
        assert name not in html
    trend = client.get(f"/compliance/region/{world.school.pk}/").content.decode()
    assert "60,0" in trend
    assert client.get(f"/compliance/region/{world.school.pk + 999}/").status_code == 404


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=st.dates(D(2025, 1, 1), D(2027, 12, 31)), n=st.integers(1, 15))
def test_working_days_arithmetic_round_trips(world: World, day: datetime.date, n: int) -> None:
    calendar = calendar_for(world.school, day, day)
    later = calendar.add_working_days(day, n)
    assert later > day and calendar.is_working_day(later)
    assert calendar.working_days_between(day, later) == n
    assert calendar.add_working_days(later, -n) <= day or not calendar.is_working_day(day)
