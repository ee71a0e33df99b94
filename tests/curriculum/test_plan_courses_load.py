"""Study plan, courses with groups, the load report: numbers, refusals, access, query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otmetka.audit.models import Event
from otmetka.curriculum.models import Course, CourseMember, StudyPlanRow, Subject
from otmetka.curriculum.selectors import load_by_class, load_by_teacher
from otmetka.people.models import Student
from otmetka.school.models import Enrollment
from tests.world import World


def _counts() -> tuple[int, int, int, int]:
    return (
        StudyPlanRow.objects.count(),
        Course.objects.count(),
        CourseMember.objects.count(),
        Event.objects.count(),
    )


def test_study_plan_saves_hours(world: World, client_for: object) -> None:
    russian = Subject.objects.get(school=world.school, name="Русский язык")
    client = client_for("deputy")
    response = client.post(
        "/curriculum/plan/?grade=7",
        {f"subject-{world.math.pk}": "5", f"subject-{russian.pk}": "4,5"},
    )
    assert response.status_code == 302
    rows = dict(StudyPlanRow.objects.values_list("subject__name", "hours_per_week"))
    assert rows == {"Математика": Decimal("5"), "Русский язык": Decimal("4.5")}
    assert Event.objects.filter(action="study_plan_set").count() == 2
    client.post("/curriculum/plan/?grade=7", {f"subject-{russian.pk}": ""})
    assert list(StudyPlanRow.objects.values_list("subject__name", flat=True)) == ["Математика"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "«Математика»: «abc» — не число часов"),
        ("41", "«Математика»: часов в неделю — от 0 до 40."),
        ("NaN", "«Математика»: часов в неделю — от 0 до 40."),
    ],
)
def test_study_plan_refuses_bad_hours(
    world: World, client_for: object, value: str, message: str
) -> None:
    before = _counts()
    response = client_for("deputy").post(
        "/curriculum/plan/?grade=7", {f"subject-{world.math.pk}": value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    # What was typed stays in its field, to be corrected.
    assert f'name="subject-{world.math.pk}" inputmode="decimal" size="4" value="{value}"' in (
        response.content.decode()
    )
    assert _counts() == before


def test_director_reads_plan_but_cannot_save(world: World, client_for: object) -> None:
    client = client_for("director")
    assert client.get("/curriculum/plan/?grade=7").status_code == 200
    before = _counts()
    response = client.post("/curriculum/plan/?grade=7", {f"subject-{world.math.pk}": "5"})
    assert response.status_code == 403
    assert _counts() == before


def _course_data(world: World, **extra: object) -> dict:
    data = {
        "subject": world.math.pk,
        "school_class": world.class_7a.pk,
        "name": "",
        "kind": "lesson",
        "assessment": "points_2_5",
        "hours_per_week": "3",
        "teachers": [world.user("teacher_7a_math").pk],
        "members_from": "",
    }
    data.update(extra)
    return data


def test_course_group_of_a_class(world: World, client_for: object) -> None:
    response = client_for("deputy").post(
        "/curriculum/courses/new/",
        _course_data(
            world, name="1 группа", members=[world.pupil_7a.pk], members_from="2026-11-18"
        ),
    )
    assert response.status_code == 302
    course = Course.objects.get(name="1 группа")
    assert list(course.teachers.all()) == [world.user("teacher_7a_math")]
    member = CourseMember.objects.get(course=course)
    assert (member.student, member.start) == (world.pupil_7a, datetime.date(2026, 11, 18))
    assert Event.objects.filter(action="course_create").get().after["members"] == [
        world.pupil_7a.pk
    ]


def test_course_member_from_another_class_is_refused(world: World, client_for: object) -> None:
    before = _counts()
    response = client_for("deputy").post(
        "/curriculum/courses/new/",
        _course_data(
            world, name="1 группа", members=[world.pupil_7b.pk], members_from="2026-11-18"
        ),
    )
    assert response.status_code == 200
    assert "В группу входят только обучающиеся 7А класса." in response.content.decode()
    assert _counts() == before


def test_cross_class_lesson_course_is_refused(world: World, client_for: object) -> None:
    before = _counts()
    response = client_for("deputy").post(
        "/curriculum/courses/new/", _course_data(world, school_class="", name="Сборная")
    )
    assert "Урочный курс относится к классу" in response.content.decode()
    assert _counts() == before


def test_cross_class_club(world: World, client_for: object) -> None:
    response = client_for("deputy").post(
        "/curriculum/courses/new/",
        _course_data(
            world,
            school_class="",
            name="Шахматы",
            kind="extracurricular",
            members=[world.pupil_7a.pk, world.pupil_7b.pk],
            members_from="2026-11-18",
        ),
    )
    assert response.status_code == 302
    club = Course.objects.get(name="Шахматы")
    assert club.school_class is None
    assert set(club.members.values_list("student", flat=True)) == {
        world.pupil_7a.pk,
        world.pupil_7b.pk,
    }


def test_removing_a_member_ends_the_membership(world: World, client_for: object) -> None:
    group = Course.objects.create(
        school=world.school,
        year=world.year,
        subject=world.math,
        school_class=world.class_7a,
        name="1 группа",
    )
    CourseMember.objects.create(
        school=world.school, course=group, student=world.pupil_7a, start=datetime.date(2026, 9, 1)
    )
    client_for("deputy").post(
        f"/curriculum/courses/{group.pk}/",
        _course_data(world, name="1 группа", members=[], members_from="2026-11-18"),
    )
    assert CourseMember.objects.get().end == datetime.date(2026, 11, 17)


def test_teacher_cannot_see_courses_and_other_school_course_is_404(
    world: World, client_for: object
) -> None:
    assert client_for("teacher_7a_math").get("/curriculum/courses/").status_code == 404
    other = Course.objects.get(school=world.other_school)
    assert client_for("deputy").get(f"/curriculum/courses/{other.pk}/").status_code == 404


def test_load_numbers(world: World) -> None:
    StudyPlanRow.objects.create(
        school=world.school, year=world.year, grade=7, subject=world.math, hours_per_week=5
    )
    world.course_7a_math.hours_per_week = 4
    world.course_7a_math.save()
    # Two English-like groups of 7Б in mathematics, 3 hours each: the class studies 3 hours.
    for name in ("1 группа", "2 группа"):
        g = Course.objects.create(
            school=world.school,
            year=world.year,
            subject=world.math,
            school_class=world.class_7b,
            name=name,
            hours_per_week=3,
        )
        g.teachers.add(world.user("teacher_7b"))
    teachers = {
        e["teacher"].username: e for e in load_by_teacher(school=world.school, year=world.year)
    }
    assert teachers["math7a"]["hours"] == Decimal("4")
    assert teachers["teacher7b"]["hours"] == Decimal("7")  # Russian 1 + two groups of 3
    assert len(teachers["teacher7b"]["courses"]) == 3
    classes = {
        str(e["school_class"]): e for e in load_by_class(school=world.school, year=world.year)
    }
    math_7a = next(r for r in classes["7А"]["rows"] if r["subject"] == world.math)
    assert (math_7a["plan"], math_7a["load"], math_7a["mismatch"]) == (5, 4, True)
    math_7b = next(r for r in classes["7Б"]["rows"] if r["subject"] == world.math)
    assert (math_7b["plan"], math_7b["load"], math_7b["mismatch"]) == (5, 3, True)


def _grow(world: World, students: int, courses: int, tag: str) -> None:
    for i in range(students):
        s = Student.objects.create(school=world.school, last_name=f"Ученик{tag}{i}", first_name="Б")
        Enrollment.objects.create(
            school=world.school,
            student=s,
            school_class=world.class_7a,
            start=datetime.date(2026, 9, 1),
        )
    for i in range(courses):
        subject = Subject.objects.create(school=world.school, name=f"Предмет {tag}{i}")
        c = Course.objects.create(
            school=world.school, year=world.year, subject=subject, school_class=world.class_7b
        )
        c.teachers.add(world.user("teacher_7b"), world.user("homeroom_7a"))
        StudyPlanRow.objects.create(
            school=world.school, year=world.year, grade=7, subject=subject, hours_per_week=2
        )


@pytest.mark.parametrize(
    "url", ["/curriculum/load/", "/curriculum/courses/", "/curriculum/plan/?grade=7"]
)
def test_pages_queries_do_not_grow(world: World, client_for: object, url: str) -> None:
    client = client_for("deputy")
    _grow(world, 2, 2, "a")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 28, 20, "b")
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    assert len(big) == len(small), url
