"""The marks page: every mark of a subject in a period, the grid's averages (Decimal, half up),
the class's average, absences and lateness, a chart; the period mark's seam."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from otmetka.diary.selectors import diary_marks, period_marks
from otmetka.grading.models import PeriodMark
from otmetka.journal.grid import averages as _averages
from otmetka.journal.models import Absence, Mark
from tests.diary.helpers import diary_world, enroll, more_lessons
from tests.journal.helpers import code, kind
from tests.world import World


def test_averages_are_the_grid_s_with_kinds_weights(world: World) -> None:
    diary_world(world)  # 4 (weight 1) and 5 (weight 3) in the second quarter
    subjects = diary_marks(student=world.pupil_7a)["subjects"]
    maths = next(s for s in subjects if s["subject"] == "Математика")
    assert [m["value"] for m in maths["marks"]] == ["4", "5"]
    assert maths["average"] == "4.50" and maths["weighted"] == "4.75"
    assert (maths["average"], maths["weighted"]) == _averages(
        [("4", Decimal(1)), ("5", Decimal(3))]
    )
    assert maths["absences"] == 1 and maths["late"] == 0
    assert maths["chart"] is not None and len(maths["chart"]["dots"]) == 2


def test_half_up_rounding_and_the_class_average(world: World) -> None:
    dw = diary_world(world)
    classmate = enroll(world, 1)[0]
    teacher = world.user("teacher_7a_math")
    for value in ("5", "4", "4"):  # the classmate: 13/3 = 4.333…
        Mark.objects.create(
            school=world.school,
            lesson=dw.lessons[0],
            student=classmate,
            value=value,
            kind=kind(world),
            created_by=teacher,
        )
    Absence.objects.create(
        school=world.school,
        lesson=dw.lessons[2],
        student=world.pupil_7a,
        code=code(world, "оп"),
        minutes_late=5,
        created_by=teacher,
    )
    maths = diary_marks(student=world.pupil_7a)["subjects"][0]
    # The class: 4, 5, 5, 4, 4 → 22 / 5 = 4.40
    assert maths["class_average"] == "4.40"
    assert maths["late"] == 1 and maths["absences"] == 1
    two = _averages([("5", Decimal(1)), ("4", Decimal(1)), ("4", Decimal(1)), ("4", Decimal(1))])
    assert two == ("4.25", "4.25")  # 4.25 stays; half up is the grid's rule


def test_the_marks_page_shows_the_periods_and_the_chart(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    diary_world(world)
    html = client_for("guardian_7a").get("/diary/marks/").content.decode()
    assert "2 четверть" in html and 'aria-current="page">2 четверть' in html
    assert "4.75" in html and "<svg" in html and "<polyline" in html
    first = client_for("guardian_7a").get("/diary/marks/?period=999999999999999999999")
    assert first.status_code == 200


def test_the_period_marks_are_grading_s_current_ones(world: World) -> None:
    diary_world(world)
    period = diary_marks(student=world.pupil_7a)["period"]
    assert period_marks(student_ids=[world.pupil_7a.pk], period=period) == {}
    teacher = world.user("teacher_7a_math")
    common = {"school": world.school, "student": world.pupil_7a, "course": world.course_7a_math}
    common |= {"year": world.year, "period": period, "created_by": teacher, "updated_by": teacher}
    PeriodMark.objects.create(**common, value="3", is_deleted=True)  # a replaced one
    PeriodMark.objects.create(**common, value="5")
    key = (world.pupil_7a.pk, world.course_7a_math.pk)
    assert period_marks(student_ids=[world.pupil_7a.pk], period=period) == {key: "5"}
    subjects = diary_marks(student=world.pupil_7a)["subjects"]
    maths = next(s for s in subjects if s["course"].pk == key[1])
    assert maths["period_mark"] == "5"


@pytest.mark.parametrize("extra", [0, 30])
def test_the_marks_page_reads_a_constant_number_of_queries(
    world: World, django_assert_num_queries: Callable, extra: int
) -> None:
    diary_world(world)
    more_lessons(world, extra)
    enroll(world, extra)
    # Today's class (2), periods, the period's class and groups (2), courses, marks,
    # absences, the class's averages, the period marks.
    with django_assert_num_queries(10):
        subjects = diary_marks(student=world.pupil_7a)["subjects"]
    assert len(subjects[0]["marks"]) == 2 + extra
    assert datetime.date(2026, 11, 18) >= subjects[0]["marks"][0]["date"]
