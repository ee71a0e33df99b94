"""The timetable grid: saving slots, refusing double bookings, regenerating lessons."""

import datetime

import pytest

from otmetka.audit.models import Event
from otmetka.curriculum.models import Course, CourseMember, TimetableSlot
from otmetka.journal.models import Lesson
from otmetka.people.models import Student
from otmetka.school.models import Enrollment
from tests.curriculum.helpers import bells, slot
from tests.world import World

TUESDAY = 1


@pytest.fixture
def b(world: World) -> dict:
    return bells(world.school)


def _grid(world: World) -> str:
    return f"/curriculum/timetable/{world.class_7a.pk}/"


def _post(client: object, world: World, cells: dict, **extra: str) -> object:
    data = {"valid_from": "2026-11-18", **extra}
    for (weekday, bell), (course, room) in cells.items():
        data[f"course-{weekday}-{bell.pk}"] = str(course.pk) if course else ""
        data[f"room-{weekday}-{bell.pk}"] = room
    return client.post(_grid(world), data)


def _counts() -> tuple[int, int, int]:
    return TimetableSlot.objects.count(), Lesson.objects.count(), Event.objects.count()


def test_saving_a_cell_creates_a_slot_and_lessons(
    world: World, client_for: object, b: dict
) -> None:
    client = client_for("deputy")
    response = _post(client, world, {(TUESDAY, b[3]): (world.course_7a_math, "12")}, regenerate="1")
    assert response.status_code == 302
    made = TimetableSlot.objects.get()
    assert (made.course, made.weekday, made.bell, made.room) == (
        world.course_7a_math,
        TUESDAY,
        b[3],
        "12",
    )
    assert made.valid_from == datetime.date(2026, 11, 18)
    dates = Lesson.objects.values_list("date", flat=True)
    assert dates and min(dates) == datetime.date(2026, 11, 24)
    assert all(d.weekday() == TUESDAY for d in dates)
    assert Event.objects.filter(action="lessons_generate").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Расписание сохранено" in page


def test_changing_a_cell_ends_the_old_slot(world: World, client_for: object, b: dict) -> None:
    old = slot(world.course_7a_math, TUESDAY, b[3], room="12")
    other = Course.objects.create(
        school=world.school,
        year=world.year,
        subject=world.math,
        school_class=world.class_7a,
        name="Геометрия",
    )
    _post(client_for("deputy"), world, {(TUESDAY, b[3]): (other, "14")})
    old.refresh_from_db()
    assert old.valid_to == datetime.date(2026, 11, 17)
    assert TimetableSlot.objects.get(valid_to__isnull=True).course == other


def test_teacher_double_booking_is_refused(world: World, client_for: object, b: dict) -> None:
    maths_7b = Course.objects.create(
        school=world.school, year=world.year, subject=world.math, school_class=world.class_7b
    )
    maths_7b.teachers.add(world.user("teacher_7a_math"))
    slot(maths_7b, TUESDAY, b[3], room="5")
    before = _counts()
    response = _post(client_for("deputy"), world, {(TUESDAY, b[3]): (world.course_7a_math, "")})
    assert response.status_code == 200
    assert "Учитель Числов М. А. уже ведёт урок в 7Б во вторник, 3-й урок." in (
        response.content.decode()
    )
    assert _counts() == before


def test_room_double_booking_is_refused(world: World, client_for: object, b: dict) -> None:
    slot(world.course_7b_russian, TUESDAY, b[3], room="12")
    before = _counts()
    response = _post(client_for("deputy"), world, {(TUESDAY, b[3]): (world.course_7a_math, "12")})
    assert "Кабинет 12 уже занят: урок в 7Б во вторник, 3-й урок." in response.content.decode()
    assert _counts() == before


def test_class_and_group_double_booking_is_refused(
    world: World, client_for: object, b: dict
) -> None:
    # A cross-class club with a 7А student meets on Tuesday, lesson 3.
    club = Course.objects.create(
        school=world.school,
        year=world.year,
        subject=world.math,
        name="Кружок",
        kind="extracurricular",
    )
    CourseMember.objects.create(
        school=world.school, course=club, student=world.pupil_7a, start=datetime.date(2026, 9, 1)
    )
    slot(club, TUESDAY, b[3], room="30")
    before = _counts()
    response = _post(client_for("deputy"), world, {(TUESDAY, b[3]): (world.course_7a_math, "")})
    message = "У обучающихся уже есть урок во вторник, 3-й урок: Математика (Кружок)."
    assert message in response.content.decode()
    assert _counts() == before


def test_teacher_sees_the_grid_read_only_and_cannot_save(
    world: World, client_for: object, b: dict
) -> None:
    slot(world.course_7a_math, TUESDAY, b[3], room="12")
    teacher = client_for("teacher_7a_math")
    page = teacher.get(_grid(world))
    assert page.status_code == 200 and 'name="course-' not in page.content.decode()
    assert "Математика, 12" in page.content.decode()
    before = _counts()
    response = _post(teacher, world, {(TUESDAY, b[4]): (world.course_7a_math, "")})
    assert response.status_code == 403
    assert _counts() == before


def test_other_school_class_is_404(world: World, client_for: object, b: dict) -> None:
    assert (
        client_for("deputy").get(f"/curriculum/timetable/{world.other_class.pk}/").status_code
        == 404
    )


def _students(world: World, n: int) -> None:
    for i in range(n):
        s = Student.objects.create(school=world.school, last_name=f"Ученик{i}", first_name="А")
        Enrollment.objects.create(
            school=world.school,
            student=s,
            school_class=world.class_7a,
            start=datetime.date(2026, 9, 1),
        )


def _courses(world: World, n: int, b: dict) -> None:
    for i in range(n):
        c = Course.objects.create(
            school=world.school,
            year=world.year,
            subject=world.math,
            school_class=world.class_7a,
            name=f"Группа {i}",
        )
        c.teachers.add(world.user("teacher_7a_math"))
        slot(c, i % 5, b[1 + i % 6], room=str(i))


@pytest.mark.parametrize("persona", ["deputy", "teacher_7a_math"])
def test_grid_queries_do_not_grow(
    world: World,
    client_for: object,
    b: dict,
    persona: str,
    django_assert_num_queries: object,
) -> None:
    client = client_for(persona)
    _students(world, 2)
    _courses(world, 2, b)
    client.get(_grid(world))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(_grid(world)).status_code == 200
    _students(world, 28)
    _courses(world, 20, b)
    client.get(_grid(world))  # new courses of the teacher: the auth context is rebuilt once
    with CaptureQueriesContext(connection) as big:
        assert client.get(_grid(world)).status_code == 200
    assert len(big) == len(small)
