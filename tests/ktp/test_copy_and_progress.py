"""КТП copy, plan against lessons delivered, next topics, and constant query counts."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otmetka.audit.models import Event
from otmetka.curriculum import ktp
from otmetka.curriculum.models import Course, PlannedTopic
from otmetka.journal import progress
from otmetka.journal.models import Lesson
from otmetka.school.models import AcademicYear, Period, SchoolClass
from tests.ktp.conftest import counts, lesson
from tests.world import World


def _last_year_course(world: World) -> Course:
    year = AcademicYear.objects.create(
        school=world.school,
        name="2025/2026",
        start=datetime.date(2025, 9, 1),
        end=datetime.date(2026, 5, 26),
    )
    old_class = SchoolClass.objects.create(
        school=world.school, year=year, grade=7, letter="А", period_scheme="quarters"
    )
    return Course.objects.create(
        school=world.school, year=year, subject=world.math, school_class=old_class
    )


def test_copy_from_last_years_course_drops_dates(world: World, make_topics: Callable) -> None:
    old = _last_year_course(world)
    make_topics(old, 4)
    teacher = world.user("teacher_7a_math")
    sources = list(ktp.copy_sources(user=teacher, course=world.course_7a_math))
    assert sources == [old]
    n = ktp.plan_copy(actor=teacher, source_course=old, target_course=world.course_7a_math)
    assert n == 4
    topics = ktp.plan_for(world.course_7a_math)
    assert [t.title for t in topics] == ["Тема 1", "Тема 2", "Тема 3", "Тема 4"]
    assert all(t.planned_date is None for t in topics)
    assert Event.objects.get(action="ktp_copy").after == {"topics": 4, "source_course": old.pk}


def test_copy_from_another_course_of_the_teacher_keeps_dates(
    world: World, make_topics: Callable
) -> None:
    teacher = world.user("teacher_7a_math")
    world.course_7b_russian.teachers.add(teacher)
    make_topics(world.course_7b_russian, 2)
    ktp.plan_copy(
        actor=teacher, source_course=world.course_7b_russian, target_course=world.course_7a_math
    )
    assert ktp.plan_for(world.course_7a_math)[1].planned_date == datetime.date(2026, 9, 8)


def test_copy_refused_when_target_has_topics_unless_replace(
    world: World, make_topics: Callable
) -> None:
    old = _last_year_course(world)
    make_topics(old, 3)
    make_topics(world.course_7a_math, 1)
    deputy = world.user("deputy")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        ktp.plan_copy(actor=deputy, source_course=old, target_course=world.course_7a_math)
    assert "В плане уже есть темы" in caught.value.messages[0]
    assert counts() == before
    ktp.plan_copy(actor=deputy, source_course=old, target_course=world.course_7a_math, replace=True)
    assert len(ktp.plan_for(world.course_7a_math)) == 3


def test_copy_from_an_ineligible_course_or_by_a_reader_is_refused(
    world: World, make_topics: Callable
) -> None:
    make_topics(world.course_7b_russian, 2)  # not the teacher's course, another subject
    old = _last_year_course(world)
    make_topics(old, 1)
    before = counts()
    with pytest.raises(Http404):
        ktp.plan_copy(
            actor=world.user("teacher_7a_math"),
            source_course=world.course_7b_russian,
            target_course=world.course_7a_math,
        )
    with pytest.raises(PermissionDenied):
        ktp.plan_copy(
            actor=world.user("director"), source_course=old, target_course=world.course_7a_math
        )
    assert counts() == before


def test_copy_page_lists_sources_and_copies(
    world: World, client_for: Callable[[str], Client], make_topics: Callable
) -> None:
    old = _last_year_course(world)
    make_topics(old, 2)
    client = client_for("teacher_7a_math")
    url = f"/curriculum/ktp/{world.course_7a_math.pk}/copy/"
    page = client.get(url).content.decode()
    assert f'value="{old.pk}"' in page and "2025/2026" in page
    assert client.post(url, {"source": old.pk}).status_code == 302
    assert len(ktp.plan_for(world.course_7a_math)) == 2


def test_plan_vs_delivered_numbers(world: World, make_topics: Callable) -> None:
    course = world.course_7a_math
    topics = make_topics(course, 12)  # weekly from 01.09.2026: 12 topics due by 18.11.2026
    topics[0].hours = 2
    topics[0].save()
    lesson(course, datetime.date(2026, 9, 1), topics[0])
    lesson(course, datetime.date(2026, 9, 3), topics[0])
    lesson(course, datetime.date(2026, 9, 8), topics[1])
    lesson(course, datetime.date(2026, 9, 10), None, "Тема вне плана")
    lesson(course, datetime.date(2026, 11, 12), topics[2], "")  # no topic written: not held
    Lesson.objects.create(
        school=world.school,
        course=course,
        date=datetime.date(2026, 9, 15),
        topic="Отменён",
        planned_topic=topics[3],
        status=Lesson.Status.CANCELLED,
    )
    lesson(world.course_7b_russian, datetime.date(2026, 9, 15), topics[3])  # another course
    result = progress.plan_vs_delivered(course=course)
    assert [r.delivered for r in result.rows[:4]] == [2, 1, 0, 0]
    assert result.planned_hours == 13
    assert result.due_hours == 13
    assert result.held_hours == 4
    assert result.lag == 9
    assert [r.overdue for r in result.rows[:3]] == [False, False, True]

    q2 = Period.objects.get(year=world.year, number=2)
    in_q2 = progress.plan_vs_delivered(course=course, period=q2)
    assert [r.topic.position for r in in_q2.rows] == [11, 12]
    assert in_q2.held_hours == 0 and in_q2.due_hours == 2


def test_next_planned_topics_skips_delivered(world: World, make_topics: Callable) -> None:
    topics = make_topics(world.course_7a_math, 6)
    lesson(world.course_7a_math, datetime.date(2026, 9, 1), topics[0])
    lesson(world.course_7a_math, datetime.date(2026, 9, 8), topics[2])
    lesson(world.course_7a_math, datetime.date(2026, 9, 9), topics[1], "")  # topic not written
    with CaptureQueriesContext(connection) as queries:
        found = progress.next_planned_topics(course=world.course_7a_math)
    assert [t.position for t in found] == [2, 4, 5]
    assert len(queries) <= 2


@pytest.mark.parametrize("page", ["", "print/"])
def test_plan_pages_query_count_is_constant(
    world: World,
    client_for: Callable[[str], Client],
    make_topics: Callable,
    django_assert_num_queries: Callable,
    page: str,
) -> None:
    client = client_for("teacher_7a_math")
    url = f"/curriculum/ktp/{world.course_7a_math.pk}/{page}"
    topics = make_topics(world.course_7a_math, 5)
    lesson(world.course_7a_math, datetime.date(2026, 9, 1), topics[0])
    client.get(url)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    PlannedTopic.objects.filter(plan__course=world.course_7a_math).delete()
    topics = make_topics(world.course_7a_math, 60)
    for t in topics[:20]:
        lesson(world.course_7a_math, t.planned_date, t)
    with django_assert_num_queries(len(five)):
        response = client.get(url)
    assert response.content.decode().count("Тема 60") == 1
