"""The homeroom teacher's class: the student list with gaps and guardians' logins, the summary
with the attestation-risk and low-mean flags; constant queries in the class size."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from otmetka.diary.classes import class_roster, class_summary
from otmetka.journal.models import Absence, Mark
from tests.diary.helpers import diary_world, enroll
from tests.journal.helpers import code, kind
from tests.world import World


def test_the_class_page_lists_students_gaps_and_guardians(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    world.user("guardian_7a").last_login = None
    world.user("guardian_7a").save()
    enroll(world, 1)
    roster = class_roster(school_class=world.class_7a)
    rows = {r["student"].last_name: r for r in roster["rows"]}
    assert rows["Иванов"]["missing"] == ["birth_date", "guardian_phone"]
    assert rows["Ученик00"]["missing"] == ["birth_date", "guardian"]
    assert roster["connected"] == 0 and roster["share"] == 0
    html = client_for("homeroom_7a").get(f"/diary/class/{world.class_7a.pk}/").content.decode()
    assert "Иванова Ирина Сергеевна" in html and "логин выдан, ни разу не входил" in html
    assert "дата рождения, телефон родителя" in html
    client_for("guardian_7a")  # force_login records the login
    assert class_roster(school_class=world.class_7a)["connected"] == 1


def test_the_summary_flags_risk_and_a_low_mean(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    dw = diary_world(world)  # Иванов: 4 and 5, one absence of the three lessons held by today
    weak, _quiet = enroll(world, 2)
    teacher = world.user("teacher_7a_math")
    for lesson, value in zip(dw.lessons[:3], ("2", "2", "3"), strict=True):
        Mark.objects.create(
            school=world.school,
            lesson=lesson,
            student=weak,
            value=value,
            kind=kind(world),
            created_by=teacher,
        )
    for lesson in dw.lessons[1:3]:
        Absence.objects.create(
            school=world.school,
            lesson=lesson,
            student=weak,
            code=code(world, "нп"),
            created_by=teacher,
        )
    summary = class_summary(school_class=world.class_7a)
    rows = {r["student"].last_name: r for r in summary["rows"]}
    ivanov, weak_row = rows["Иванов"], rows["Ученик00"]
    assert ivanov["cells"][0]["average"] == "4.75" and ivanov["risk"] and not ivanov["low"]
    assert not rows["Ученик01"]["risk"] and rows["Ученик01"]["cells"][0]["average"] is None
    assert weak_row["cells"][0] == {
        "average": "2.33",
        "simple": "2.33",
        "twos": 2,
        "missed": 2,
        "risk": True,
        "low": True,
        "period_mark": None,
    }
    assert weak_row["codes"] == {"нп": 2} and summary["codes"] == ["б", "нп"]
    url = f"/diary/class/{world.class_7a.pk}/summary/"
    html = client_for("homeroom_7a").get(url).content.decode()
    assert "риск неаттестации" in html and 'class="cell-risk cell-low"' in html


@pytest.mark.parametrize("size", [2, 30])
def test_class_pages_read_a_constant_number_of_queries(
    world: World, django_assert_num_queries: Callable, size: int
) -> None:
    diary_world(world)
    students = enroll(world, size - 1)
    day = datetime.date(2026, 11, 16)
    for s in students:
        lesson = world.course_7a_math.lessons.get(date=day)
        Mark.objects.create(
            school=world.school,
            lesson=lesson,
            student=s,
            value="4",
            kind=kind(world),
            created_by=world.user("teacher_7a_math"),
        )
    # Enrollments, guardians, their diary visits, the school's views by day.
    with django_assert_num_queries(4):
        assert len(class_roster(school_class=world.class_7a)["rows"]) == size
    # Periods, enrollments, courses, marks, absences, lessons held, period marks.
    with django_assert_num_queries(7):
        assert len(class_summary(school_class=world.class_7a)["rows"]) == size
