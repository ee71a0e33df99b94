"""lessons_generate over a real calendar: holidays, vacations, weekends, idempotence, changes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from otmetka.audit.models import Event
from otmetka.journal.models import Lesson
from otmetka.journal.schedule import GenerationResult, lessons_generate
from otmetka.school.models import Vacation
from tests.curriculum.helpers import bells, mark, slot
from tests.world import World

NOV_1, NOV_30 = datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)


def _dates(course: object) -> list[datetime.date]:
    return list(
        Lesson.objects.filter(course=course).order_by("date").values_list("date", flat=True)
    )


@pytest.fixture
def timetable(world: World) -> dict:
    b = bells(world.school)
    Vacation.objects.create(
        school=world.school,
        year=world.year,
        name="Осенние",
        start=datetime.date(2026, 10, 26),
        end=datetime.date(2026, 11, 8),
    )
    world.class_7b.week_days = 6
    world.class_7b.save()
    return {
        "bells": b,
        "math_mon": slot(world.course_7a_math, 0, b[1], room="12"),
        "math_wed": slot(world.course_7a_math, 2, b[2], room="12"),
        "math_sat": slot(world.course_7a_math, 5, b[3]),
        "ru_sat": slot(world.course_7b_russian, 5, b[4], room="7"),
    }


def test_generation_follows_the_calendar(world: World, timetable: dict) -> None:
    deputy = world.user("deputy")
    result = lessons_generate(actor=deputy, school=world.school, start=NOV_1, end=NOV_30)
    # 7А, five days: Mondays and Wednesdays after the vacation (ends 08.11); no Saturdays.
    math = [datetime.date(2026, 11, d) for d in (9, 11, 16, 18, 23, 25, 30)]
    assert _dates(world.course_7a_math) == math
    # 7Б, six days: Saturdays after the vacation.
    ru = [datetime.date(2026, 11, d) for d in (14, 21, 28)]
    assert _dates(world.course_7b_russian) == ru
    assert result == GenerationResult(created=10, kept=0, flagged=0, removed=0)
    lesson = Lesson.objects.get(course=world.course_7a_math, date=datetime.date(2026, 11, 11))
    assert (lesson.bell_number, lesson.starts_at, lesson.ends_at, lesson.room) == (
        2,
        datetime.time(9, 0),
        datetime.time(9, 45),
        "12",
    )
    assert lesson.slot == timetable["math_wed"]
    event = Event.objects.get(action="lessons_generate")
    assert event.after["created"] == 10 and event.school_id == world.school.pk


def test_no_lessons_on_a_federal_holiday(world: World, timetable: dict) -> None:
    Vacation.objects.all().delete()
    lessons_generate(
        actor=world.user("deputy"),
        school=world.school,
        start=datetime.date(2026, 11, 2),
        end=datetime.date(2026, 11, 4),
    )
    # 04.11 (Wednesday) is the Day of National Unity.
    assert _dates(world.course_7a_math) == [datetime.date(2026, 11, 2)]


def test_second_run_creates_nothing(world: World, timetable: dict) -> None:
    deputy = world.user("deputy")
    lessons_generate(actor=deputy, school=world.school, start=NOV_1, end=NOV_30)
    again = lessons_generate(actor=deputy, school=world.school, start=NOV_1, end=NOV_30)
    assert again == GenerationResult(created=0, kept=10, flagged=0, removed=0)
    assert Lesson.objects.count() == 10
    assert Event.objects.filter(action="lessons_generate").count() == 2


def test_timetable_change_keeps_data_removes_empty_spares_past(
    world: World, timetable: dict
) -> None:
    deputy = world.user("deputy")
    lessons_generate(actor=deputy, school=world.school, start=NOV_1, end=NOV_30)
    course = world.course_7a_math
    past = Lesson.objects.get(course=course, date=datetime.date(2026, 11, 16))
    future_marked = Lesson.objects.get(course=course, date=datetime.date(2026, 11, 23))
    mark(future_marked, world.pupil_7a, world.user("teacher_7a_math"))
    future_topic = Lesson.objects.get(course=course, date=datetime.date(2026, 11, 30))
    future_topic.topic = "Линейная функция"
    future_topic.save()
    # Monday lessons move to Tuesday from now on.
    timetable["math_mon"].valid_to = datetime.date(2026, 11, 18)
    timetable["math_mon"].save()
    slot(course, 1, timetable["bells"][1], valid_from=datetime.date(2026, 11, 19))
    result = lessons_generate(actor=deputy, school=world.school, start=NOV_1, end=NOV_30)
    # Mondays 23.11 (mark) and 30.11 (topic) are kept and flagged; 16.11 is past and untouched.
    assert result == GenerationResult(created=1, kept=8, flagged=2, removed=0)
    assert Lesson.objects.filter(pk=past.pk, needs_review=False).exists()
    flagged = set(Lesson.objects.filter(needs_review=True).values_list("pk", flat=True))
    assert flagged == {future_marked.pk, future_topic.pk}
    tuesdays = [datetime.date(2026, 11, 24)]
    assert (
        list(Lesson.objects.filter(course=course, date__week_day=3).values_list("date", flat=True))
        == tuesdays
    )


def test_empty_future_lesson_is_removed(world: World, timetable: dict) -> None:
    deputy = world.user("deputy")
    lessons_generate(actor=deputy, school=world.school, start=NOV_1, end=NOV_30)
    timetable["math_wed"].delete()
    result = lessons_generate(actor=deputy, school=world.school, start=NOV_1, end=NOV_30)
    # Wednesdays 11.11 and 18.11 (today) stay: not in the future; 25.11 goes.
    assert result.removed == 1
    wednesdays = list(
        Lesson.objects.filter(course=world.course_7a_math, date__week_day=4).values_list(
            "date", flat=True
        )
    )
    assert wednesdays == [datetime.date(2026, 11, 11), datetime.date(2026, 11, 18)]


def test_generation_runs_in_constant_queries(
    world: World, timetable: dict, django_assert_max_num_queries: object
) -> None:
    deputy = world.user("deputy")
    deputy.refresh_from_db()
    with django_assert_max_num_queries(16):
        lessons_generate(
            actor=deputy,
            school=world.school,
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2027, 5, 26),
        )
    assert Lesson.objects.count() > 100


def test_teacher_may_not_generate(world: World, timetable: dict) -> None:
    with pytest.raises(PermissionDenied):
        lessons_generate(
            actor=world.user("teacher_7a_math"), school=world.school, start=NOV_1, end=NOV_30
        )
    assert Lesson.objects.count() == 0
    assert not Event.objects.filter(action="lessons_generate").exists()


def test_flagged_lessons_are_listed_for_the_deputy(
    world: World, timetable: dict, client_for: object
) -> None:
    deputy = world.user("deputy")
    lessons_generate(actor=deputy, school=world.school, start=NOV_1, end=NOV_30)
    lesson = Lesson.objects.get(course=world.course_7a_math, date=datetime.date(2026, 11, 25))
    lesson.homework = "№ 245"
    lesson.save()
    timetable["math_wed"].delete()
    lessons_generate(actor=deputy, school=world.school, start=NOV_1, end=NOV_30)
    page = client_for("deputy").get("/curriculum/timetable/").content.decode()
    assert f"/journal/lessons/{lesson.pk}/" in page and "25.11.2026" in page
    teacher_page = client_for("teacher_7a_math").get("/curriculum/timetable/").content.decode()
    assert f"/journal/lessons/{lesson.pk}/" not in teacher_page
