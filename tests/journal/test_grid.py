"""The grid read model: shape, averages, arrivals and departures, constant queries."""

import datetime
from decimal import Decimal

import pytest

from otmetka.journal.models import Absence, HomeworkFile, Lesson, Mark, Substitution
from otmetka.journal.selectors import default_period, journal_course_for, journal_grid
from otmetka.school.models import Enrollment
from tests.journal.helpers import TODAY, code, kind, lesson_on, lessons_make, students_add
from tests.world import World

GRID_QUERIES = 2  # the grid's one UNION ALL (the course, its period and the roles are read before;
# kinds of work and absence codes come from the per-school cache) + the deadlines of the «!»
# markers (compliance.grid_due: one UNION ALL, only when some lesson lacks an entry)


def _grid(world: World, persona: str = "teacher_7a_math") -> dict:
    course = world.course_7a_math
    return journal_grid(user=world.user(persona), course=course, period=default_period(course))


def _mark(world: World, lesson: Lesson, value: str, kind_name: str) -> Mark:
    return Mark.objects.create(
        school=world.school,
        lesson=lesson,
        student=world.pupil_7a,
        value=value,
        kind=kind(world, kind_name),
        created_by=world.user("teacher_7a_math"),
    )


def test_grid_shape(world: World) -> None:
    lesson = lesson_on(world.course_7a_math, datetime.date(2026, 11, 17), topic="Дроби")
    mark = _mark(world, lesson, "5", "Ответ на уроке")
    Absence.objects.create(
        school=world.school, lesson=lesson, student=world.pupil_7a, code=code(world, "оп"),
        minutes_late=7, created_by=world.user("teacher_7a_math"),
    )  # fmt: skip
    grid = _grid(world)
    assert grid["course"] == {
        "id": world.course_7a_math.pk,
        "title": "Математика — 7А",
        "class": "7А",
        "subject": "Математика",
        "assessment": "points_2_5",
        "kind": "lesson",
        "teachers": ["Числов Максим Андреевич"],
        "can_write": True,
        "is_teacher": True,  # for the period-mark column (grading.column): its write rule
    }
    assert grid["period"] == {
        "id": grid["period"]["id"],
        "name": "2 четверть",
        "start": "2026-11-05",
        "end": "2026-12-30",
        "closed": False,
    }
    assert grid["lessons"] == [
        {
            "id": lesson.pk,
            "date": "2026-11-17",
            "number": 1,
            "starts": None,
            "topic": "Дроби",
            "homework": "",
            "homework_minutes": None,
            "planned_topic": None,
            "status": "planned",
            "attendance_taken": False,
            "teacher": "Числов Максим Андреевич",
            "substitution": False,
            "can_write": True,
            "missing": ["attendance", "homework"],
            # The engine's words (compliance, through journal's hook): 16:00 the lesson's day.
            "due": {"attendance": "просрочено на 21 ч", "homework": "просрочено на 21 ч"},
            "files": [],
        }
    ]
    assert grid["students"] == [
        {
            "id": world.pupil_7a.pk,
            "name": "Иванов Иван",
            "number": 1,
            "from": None,
            "to": None,
            "average": "5.00",
            "weighted_average": "5.00",
            "absences": 0,
        }
    ]
    kind_id = kind(world).pk
    assert grid["cells"] == {
        f"{lesson.pk}:{world.pupil_7a.pk}": {
            "marks": [{"id": mark.pk, "value": "5", "kind": kind_id, "comment": ""}],
            "absence": {"code": "оп", "minutes": 7},
        }
    }
    assert {"code": "нп", "name": "Без уважительной причины", "reason": "invalid"}.items() <= {
        **next(c for c in grid["absence_codes"] if c["code"] == "нп")
    }.items()
    assert {k["name"]: k["weight"] for k in grid["mark_kinds"]}["Контрольная работа"] == "3.0"


def test_homeroom_and_director_read_only(world: World) -> None:
    lesson_on(world.course_7a_math, datetime.date(2026, 11, 17))
    for persona in ("homeroom_7a", "director"):
        grid = _grid(world, persona)
        assert not grid["course"]["can_write"]
        assert not grid["lessons"][0]["can_write"]
    assert _grid(world, "deputy")["course"]["can_write"]


def test_averages_simple_and_weighted(world: World) -> None:
    lessons = lessons_make(world.course_7a_math, 3, start=datetime.date(2026, 11, 16))
    _mark(world, lessons[0], "5", "Ответ на уроке")  # weight 1
    _mark(world, lessons[1], "4", "Контрольная работа")  # weight 3
    _mark(world, lessons[2], "3", "Самостоятельная работа")  # weight 2
    deleted = _mark(world, lessons[2], "2", "Ответ на уроке")
    deleted.is_deleted = True
    deleted.save()
    row = _grid(world)["students"][0]
    # (5 + 4 + 3) / 3 = 4; (5·1 + 4·3 + 3·2) / 6 = 23/6 = 3.833…
    assert (row["average"], row["weighted_average"]) == ("4.00", "3.83")


def test_averages_round_half_up(world: World) -> None:
    lessons = lessons_make(world.course_7a_math, 8, start=datetime.date(2026, 11, 9))
    for i, lesson in enumerate(lessons):
        _mark(world, lesson, "5" if i == 0 else "4", "Ответ на уроке")
    row = _grid(world)["students"][0]
    assert Decimal(33) / 8 == Decimal("4.125")
    assert row["average"] == row["weighted_average"] == "4.13"


def test_no_averages_without_points(world: World) -> None:
    world.course_7a_math.assessment = "pass_fail"
    world.course_7a_math.save()
    lesson = lesson_on(world.course_7a_math, datetime.date(2026, 11, 17))
    _mark(world, lesson, "зач", "Ответ на уроке")
    row = _grid(world)["students"][0]
    assert row["average"] is None and row["weighted_average"] is None


def test_absences_count_without_lateness(world: World) -> None:
    lessons = lessons_make(world.course_7a_math, 3, start=datetime.date(2026, 11, 16))
    teacher = world.user("teacher_7a_math")
    for lesson, value in zip(lessons, ("н", "б", "оп"), strict=True):
        Absence.objects.create(
            school=world.school, lesson=lesson, student=world.pupil_7a, code=code(world, value),
            minutes_late=5 if value == "оп" else None, created_by=teacher,
        )  # fmt: skip
    assert _grid(world)["students"][0]["absences"] == 2


def test_arrivals_and_departures(world: World) -> None:
    lessons_make(world.course_7a_math, 4, start=datetime.date(2026, 11, 10), end=TODAY)
    c7a = world.class_7a
    (arrived,) = students_add(world, c7a, 1, start=datetime.date(2026, 11, 12), prefix="Пришёл")
    (left,) = students_add(world, c7a, 1, end=datetime.date(2026, 11, 11), prefix="Ушёл")
    (gone,) = students_add(world, c7a, 1, end=datetime.date(2026, 11, 6), prefix="Давно")
    (later,) = students_add(world, c7a, 1, start=datetime.date(2026, 11, 20), prefix="Будущий")
    rows = {r["id"]: r for r in _grid(world)["students"]}
    assert set(rows) == {world.pupil_7a.pk, arrived.pk, left.pk}
    assert (rows[arrived.pk]["from"], rows[arrived.pk]["to"]) == ("2026-11-12", None)
    assert (rows[left.pk]["from"], rows[left.pk]["to"]) == (None, "2026-11-11")
    assert (rows[world.pupil_7a.pk]["from"], rows[world.pupil_7a.pk]["to"]) == (None, None)
    assert [r["number"] for r in _grid(world)["students"]] == [1, 2, 3]
    assert gone.pk not in rows and later.pk not in rows


def test_transfer_between_classes_shows_in_both(world: World) -> None:
    lessons_make(world.course_7a_math, 4, start=datetime.date(2026, 11, 10), end=TODAY)
    Enrollment.objects.filter(student=world.pupil_7b).update(end=datetime.date(2026, 11, 11))
    Enrollment.objects.create(
        school=world.school, student=world.pupil_7b, school_class=world.class_7a,
        start=datetime.date(2026, 11, 12),
    )  # fmt: skip
    rows = {r["id"]: r for r in _grid(world)["students"]}
    assert rows[world.pupil_7b.pk]["from"] == "2026-11-12"


def _fill(world: World, students: int, lessons: int) -> None:
    """A full journal: a mark and an absence in every cell, files, a substitution."""
    extra = students_add(world, world.class_7a, students - 1)
    pupils = [world.pupil_7a, *extra]
    made = lessons_make(world.course_7a_math, lessons)
    k, n = kind(world), code(world, "н")
    teacher = world.user("teacher_7a_math")
    Mark.objects.bulk_create(
        Mark(school=world.school, lesson=ls, student=p, value="4", kind=k, created_by=teacher)
        for ls in made
        for p in pupils
    )
    Absence.objects.bulk_create(
        Absence(school=world.school, lesson=ls, student=p, code=n, created_by=teacher)
        for ls in made
        for p in pupils
    )
    for ls in made:
        HomeworkFile.objects.create(
            school=world.school, lesson=ls, file="homework/x.pdf", name="x.pdf", size=1,
            uploaded_by=teacher,
        )  # fmt: skip
    Substitution.objects.create(
        school=world.school, lesson=made[0], substitute=world.user("teacher_7b"),
        created_by=world.user("deputy"),
    )  # fmt: skip


@pytest.mark.parametrize(("students", "lessons"), [(2, 5), (30, 5), (2, 50), (30, 50)])
def test_grid_query_count_is_constant(
    world: World, django_assert_num_queries: object, students: int, lessons: int
) -> None:
    _fill(world, students, lessons)
    user = world.user("teacher_7a_math")
    # Read as the API reads it: with the school's reference version (kinds, codes, periods
    # then come from the per-school cache, filled by the first grid).
    course = journal_course_for(user=user, school=world.school, pk=world.course_7a_math.pk)
    period = default_period(course)
    journal_grid(user=user, course=course, period=period)
    user._otmetka_roles = None  # a fresh request loads the roles once
    with django_assert_num_queries(GRID_QUERIES):  # type: ignore[operator]
        grid = journal_grid(user=user, course=course, period=period)
    assert len(grid["students"]) == students and len(grid["lessons"]) == lessons
    assert len(grid["cells"]) == students * lessons


def test_group_course_lists_its_members(world: World) -> None:
    from otmetka.curriculum.models import Course, CourseMember

    group = Course.objects.create(
        school=world.school, year=world.year, subject=world.math, school_class=world.class_7a,
        name="группа 1",
    )  # fmt: skip
    group.teachers.add(world.user("teacher_7b"))
    CourseMember.objects.create(
        school=world.school, course=group, student=world.pupil_7a,
        start=datetime.date(2026, 11, 10),
    )  # fmt: skip
    lessons_make(group, 3, start=datetime.date(2026, 11, 9), end=datetime.date(2026, 11, 11))
    grid = journal_grid(user=world.user("teacher_7b"), course=group, period=default_period(group))
    assert [(s["id"], s["from"]) for s in grid["students"]] == [(world.pupil_7a.pk, "2026-11-10")]
    assert grid["course"]["can_write"] and grid["course"]["title"] == "Математика — группа 1"


def test_grid_suggests_ktp_topics_in_order_for_lessons_without_one(world: World) -> None:
    from otmetka.curriculum.models import PlannedTopic, ThematicPlan

    course = world.course_7a_math
    plan = ThematicPlan.objects.create(school=world.school, course=course)
    first = PlannedTopic.objects.create(
        school=world.school, plan=plan, position=1, title="Степень с натуральным показателем",
        hours=2,
    )  # fmt: skip
    second = PlannedTopic.objects.create(
        school=world.school, plan=plan, position=2, title="Одночлены", hours=1
    )
    days = [datetime.date(2026, 11, d) for d in (9, 10, 11, 12)]
    lessons = [
        Lesson.objects.create(school=world.school, course=course, date=d, bell_number=2)
        for d in days
    ]
    lessons[0].topic, lessons[0].planned_topic = "Степень с натуральным показателем", first
    lessons[0].save()
    grid = journal_grid(
        user=world.user("teacher_7a_math"), course=course, period=default_period(course)
    )
    planned = {row["id"]: row["planned_topic"] for row in grid["lessons"]}
    assert planned[lessons[0].pk] == {"id": first.pk, "title": first.title}
    # the 2-hour topic has one lesson left, then the next topic; the plan then runs out
    assert planned[lessons[1].pk] == {"id": first.pk, "title": first.title, "suggested": True}
    assert planned[lessons[2].pk] == {"id": second.pk, "title": second.title, "suggested": True}
    assert planned[lessons[3].pk] is None


PAGE_QUERIES = (
    3  # the session with its user (roles ride in the session), the course (access, subject, year,
)
# class and the school's reference version: the period tabs and the legend come from the
# per-school cache), the menu's unread messages (messaging). Was 5: the period tabs were read
# with their year on every request; 4 until the session and the user came in one read.


@pytest.mark.parametrize(("students", "lessons"), [(2, 5), (30, 50)])
def test_grid_page_query_count_is_constant(
    world: World, django_assert_num_queries: object, students: int, lessons: int
) -> None:
    from django.test import Client

    _fill(world, students, lessons)
    client = Client()
    client.force_login(world.user("teacher_7a_math"))
    url = f"/journal/{world.course_7a_math.pk}/"
    assert client.get(url).status_code == 200  # fills the per-school cache
    with django_assert_num_queries(PAGE_QUERIES):  # type: ignore[operator]
        response = client.get(url)
    assert response.status_code == 200 and "2 четверть 2026/2027" in response.content.decode()


def _control_work(world: World, day: datetime.date) -> Lesson:
    """A lesson on a КТП control (written) work of the course (5.5: its marks are due)."""
    from otmetka.curriculum.models import PlannedTopic, ThematicPlan

    course = world.course_7a_math
    plan = ThematicPlan.objects.get_or_create(school=world.school, course=course)[0]
    topic = PlannedTopic.objects.create(
        school=world.school, plan=plan, position=plan.topics.count() + 1,
        title="Контрольная работа", is_control=True, work_kind="Контрольная работа",
    )  # fmt: skip
    return lesson_on(
        course, day, planned_topic=topic, topic=topic.title, homework="—",
        attendance_taken_at=datetime.datetime(2026, 11, 16, 9, tzinfo=datetime.UTC),
    )  # fmt: skip


def _row(grid: dict, lesson: Lesson) -> dict:
    return next(r for r in grid["lessons"] if r["id"] == lesson.pk)


def test_a_written_work_without_marks_owes_them_within_a_week(
    world: World, django_assert_num_queries: object
) -> None:
    """5.5 in the «!» markers: a held КТП control work with no mark lacks «written_marks», due a
    week after it (the engine's words, as the teacher's own gaps say them); a mark clears it; the
    grid's queries stay the same."""
    from otmetka.compliance.selectors import teacher_gaps

    work = _control_work(world, datetime.date(2026, 11, 16))
    plain = lesson_on(world.course_7a_math, datetime.date(2026, 11, 17), topic="Дроби")
    user = world.user("teacher_7a_math")
    course = journal_course_for(user=user, school=world.school, pk=world.course_7a_math.pk)
    period = default_period(course)
    journal_grid(user=user, course=course, period=period)
    user._otmetka_roles = None
    with django_assert_num_queries(GRID_QUERIES):  # type: ignore[operator]
        grid = journal_grid(user=user, course=course, period=period)
    row = _row(grid, work)
    assert row["missing"] == ["written_marks"]
    assert row["due"] == {"written_marks": "до 23:59 23.11.2026"}
    assert "written_marks" not in _row(grid, plain)["missing"]  # not a written work
    gaps = teacher_gaps(user=user, school=world.school)
    (gap,) = [g for g in gaps if (g.lesson_id, g.verdict.entity) == (work.pk, "written_marks")]
    assert gap.when == row["due"]["written_marks"]
    _mark(world, work, "4", "Контрольная работа")
    assert _row(_grid(world), work)["missing"] == []


def test_a_written_work_near_the_period_end_is_due_the_day_before_it(world: World) -> None:
    """Two days before the quarter ends (30.12) the week is cut to the day before the end."""
    import time_machine

    work = _control_work(world, datetime.date(2026, 12, 28))
    with time_machine.travel(datetime.datetime(2026, 12, 28, 12, tzinfo=datetime.UTC)):
        row = _row(_grid(world), work)
    assert row["missing"] == ["written_marks"]
    assert row["due"] == {"written_marks": "до 23:59 завтра"}


def test_the_kept_deadlines_follow_every_change_they_depend_on(world: World) -> None:
    """The «!» markers' deadlines are kept in the process under the rows they come from
    (compliance.grid_due): a second read gives the same words, and the words still follow the
    clock, a no-PC day declared and revoked, and the calendar a no-PC day counts working days
    by (those deadlines are not kept: the calendar is not in the rows)."""
    import time_machine

    from otmetka.compliance.models import NoPcDay
    from otmetka.school.models import CalendarOverride, DayKind

    friday = datetime.date(2026, 11, 20)
    lesson = lesson_on(world.course_7a_math, friday)
    evening = datetime.datetime(2026, 11, 20, 14, tzinfo=datetime.UTC)  # 17:00 in Moscow

    def due(when: datetime.datetime = evening) -> dict[str, str]:
        with time_machine.travel(when):
            return dict(_row(_grid(world), lesson)["due"])

    first = due()
    assert first["topic"] == "просрочено на 1 ч"
    assert due() == first
    assert due(evening + datetime.timedelta(days=2))["topic"] == "просрочено на 2 дня"

    no_pc = NoPcDay.objects.create(
        school=world.school, teacher=world.user("teacher_7a_math"), day=friday, comment="Сбой"
    )
    assert due()["topic"] == "до 23:59 25.11.2026"  # Mon, Tue, Wed
    CalendarOverride.objects.create(
        region=world.school.district.region, date=datetime.date(2026, 11, 24),
        kind=DayKind.DAY_OFF, reason="Ураза-байрам",
    )  # fmt: skip
    assert due()["topic"] == "до 23:59 26.11.2026"  # the day off is skipped
    no_pc.revoked_at = evening
    no_pc.save(update_fields=["revoked_at"])
    assert due() == first
