"""The order's deadlines, clause by clause, with a frozen clock (table-driven)."""

import datetime

import pytest
import time_machine

from otmetka.compliance.deadlines import Status
from otmetka.compliance.models import Entity, NoPcDay, TeacherAbsence
from otmetka.compliance.services import rule_change
from otmetka.curriculum.models import Course, CourseKind, PlannedTopic, ThematicPlan
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, MarkKind, Substitution
from otmetka.school.models import CalendarOverride, DayKind
from tests.compliance.helpers import at, lesson, verdict
from tests.world import World

D = datetime.date
WED = D(2026, 11, 18)
E = Entity

# clause, lesson times, class's other lesson end, entered at, now → deadline, status
TOPIC_CASES = [
    ("5.4 on time", ("09:00", "09:45"), None, "15:59", "17:00", "16:00", Status.ON_TIME),
    ("5.4 late by a minute", ("09:00", "09:45"), None, "16:01", "17:00", "16:00", Status.LATE),
    ("5.4 missing after 16:00", ("09:00", "09:45"), None, None, "16:01", "16:00", Status.MISSING),
    ("5.4 pending before 16:00", ("09:00", "09:45"), None, None, "12:00", "16:00", Status.PENDING),
    ("5.4 last lesson ends 14:30: still 16:00", ("13:45", "14:30"), None, None, "15:45", "16:00",
     Status.PENDING),
    ("5.4 last lesson after 16:00: 1 h after it", ("16:00", "16:40"), None, "17:30", "18:00",
     "17:40", Status.ON_TIME),
    ("5.4 a lesson of a day ending 16:40", ("09:00", "09:45"), "16:40", None, "17:00", "17:40",
     Status.PENDING),
]  # fmt: skip


@pytest.mark.parametrize(("name", "times", "day_end", "entered", "now", "due", "status"),
                         TOPIC_CASES, ids=[c[0] for c in TOPIC_CASES])  # fmt: skip
def test_topic_deadline_of_the_order(
    world: World, name: str, times: tuple, day_end: str | None, entered: str | None, now: str,
    due: str, status: Status,
) -> None:  # fmt: skip
    course = world.course_7a_math
    if day_end is not None:
        other = Course.objects.create(
            school=world.school,
            year=world.year,
            subject=world.math,
            school_class=world.class_7a,
            name="гр",
        )
        h, m = day_end.split(":")
        lesson(other, WED, f"{int(h) - 1}:{m}", day_end)
    row = lesson(course, WED, *times, topic="Дроби" if entered else "",
                 topic_entered_at=at(WED, entered) if entered else None)  # fmt: skip
    assert verdict(row, E.TOPIC, at(WED, now)) == (at(WED, due), status)


def _kind_course(world: World, kind: str) -> Course:
    course = Course.objects.create(school=world.school, year=world.year, subject=world.math,
                                   kind=kind, name=kind)  # fmt: skip
    course.teachers.add(world.user("teacher_7b"))
    return course


@pytest.mark.parametrize(
    ("kind", "due"),
    [(CourseKind.EXTRACURRICULAR, at(WED, "19:40")),  # 6.3: 4 h after the students' last lesson
     (CourseKind.ADDITIONAL, at(D(2026, 11, 19), "15:40"))],  # 7.3: 24 h
)  # fmt: skip
def test_absences_of_extracurricular_and_additional_courses(
    world: World, kind: str, due: datetime.datetime
) -> None:
    lesson(world.course_7a_math, WED, "13:45", "14:30")
    row = lesson(_kind_course(world, kind), WED, "15:00", "15:40")
    assert verdict(row, E.ATTENDANCE, at(WED, "16:00")) == (due, Status.PENDING)


def _written(world: World, row: object, when: datetime.datetime) -> None:
    kind = MarkKind.objects.create(school=world.school, name="Контрольная", is_written=True)
    with time_machine.travel(when, tick=False):
        Mark.objects.create(school=world.school, lesson=row, student=world.pupil_7a, value="5",
                            kind=kind, created_by=world.user("teacher_7a_math"))  # fmt: skip


@pytest.mark.parametrize(
    ("day", "marked", "due"),
    [
        (WED, at(D(2026, 11, 25), "20:00"), at(D(2026, 11, 25), "23:59:59")),  # 5.5: one week
        (D(2026, 12, 28), at(D(2026, 12, 29), "12:00"), at(D(2026, 12, 29), "23:59:59")),  # −1 day
        (
            D(2026, 12, 30),
            at(D(2026, 12, 30), "18:00"),
            at(D(2026, 12, 30), "23:59:59"),
        ),  # last day
    ],
    ids=["a week", "two days before the quarter ends", "on the quarter's last day"],
)
def test_written_work_marks(
    world: World, day: datetime.date, marked: datetime.datetime, due: datetime.datetime
) -> None:
    row = lesson(world.course_7a_math, day)
    _written(world, row, marked)
    assert verdict(row, E.WRITTEN_MARKS, at(D(2027, 1, 20), "12:00")) == (due, Status.ON_TIME)


def test_written_work_marked_after_the_week_is_late(world: World) -> None:
    row = lesson(world.course_7a_math, WED)
    _written(world, row, at(D(2026, 11, 26), "08:00"))
    assert verdict(row, E.WRITTEN_MARKS, at(D(2026, 12, 1), "12:00"))[1] is Status.LATE


def _control(world: World, day: datetime.date) -> Lesson:
    """A lesson on the КТП's control (written) work: 5.5 applies before any mark exists."""
    plan = ThematicPlan.objects.get_or_create(school=world.school, course=world.course_7a_math)[0]
    topic = PlannedTopic.objects.create(
        school=world.school, plan=plan, position=plan.topics.count() + 1,
        title="Контрольная работа № 2", is_control=True, work_kind="Контрольная работа",
    )  # fmt: skip
    return lesson(world.course_7a_math, day, planned_topic=topic, topic=topic.title)


def _answer(world: World, row: Lesson, when: datetime.datetime) -> None:
    """A mark of an ordinary (not written) kind of work."""
    kind = MarkKind.objects.create(school=world.school, name="Ответ", is_written=False)
    with time_machine.travel(when, tick=False):
        Mark.objects.create(school=world.school, lesson=row, student=world.pupil_7a, value="4",
                            kind=kind, created_by=world.user("teacher_7a_math"))  # fmt: skip


# A control work of the КТП (no marks yet, or marked with a written or an ordinary kind):
# (lesson day, how it was marked and when, now) → (deadline, status).
CONTROL_CASES = [
    ("nothing yet, within the week", WED, None, at(D(2026, 11, 24), "12:00"),
     at(D(2026, 11, 25), "23:59:59"), Status.PENDING),
    ("nothing after the week: missing", WED, None, at(D(2026, 11, 26), "08:00"),
     at(D(2026, 11, 25), "23:59:59"), Status.MISSING),
    ("two days before the quarter ends: due the day before its end", D(2026, 12, 28), None,
     at(D(2026, 12, 30), "09:00"), at(D(2026, 12, 29), "23:59:59"), Status.MISSING),
    ("on the quarter's last day: that day", D(2026, 12, 30), None,
     at(D(2026, 12, 30), "20:00"), at(D(2026, 12, 30), "23:59:59"), Status.PENDING),
    ("written kind within the week", WED, ("written", at(D(2026, 11, 23), "18:00")),
     at(D(2026, 12, 1), "12:00"), at(D(2026, 11, 25), "23:59:59"), Status.ON_TIME),
    ("an ordinary kind counts on a control lesson", WED, ("answer", at(D(2026, 11, 24), "18:00")),
     at(D(2026, 12, 1), "12:00"), at(D(2026, 11, 25), "23:59:59"), Status.ON_TIME),
    ("marked after the week: late", WED, ("answer", at(D(2026, 11, 27), "10:00")),
     at(D(2026, 12, 1), "12:00"), at(D(2026, 11, 25), "23:59:59"), Status.LATE),
]  # fmt: skip


@pytest.mark.parametrize(("name", "day", "marked", "now", "due", "status"), CONTROL_CASES,
                         ids=[c[0] for c in CONTROL_CASES])  # fmt: skip
def test_a_control_work_of_the_ktp_is_due_before_any_mark(
    world: World,
    name: str,
    day: datetime.date,
    marked: tuple[str, datetime.datetime] | None,
    now: datetime.datetime,
    due: datetime.datetime,
    status: Status,
) -> None:
    row = _control(world, day)
    if marked is not None:
        (_written if marked[0] == "written" else _answer)(world, row, marked[1])
    assert verdict(row, E.WRITTEN_MARKS, now) == (due, status)


def test_an_ordinary_lesson_without_written_marks_owes_none(world: World) -> None:
    row = lesson(world.course_7a_math, WED)
    _answer(world, row, at(WED, "12:00"))
    with pytest.raises(AssertionError, match="no verdict"):
        verdict(row, E.WRITTEN_MARKS, at(D(2026, 12, 1), "12:00"))


FRI = D(2026, 11, 20)


@pytest.mark.parametrize(
    ("day", "overlay", "due"),
    [
        (FRI, None, D(2026, 11, 25)),  # Mon, Tue, Wed
        (FRI, D(2026, 11, 24), D(2026, 11, 26)),  # a regional day off (Crimea) is skipped
        (D(2026, 11, 21), None, D(2026, 11, 25)),  # a Saturday lesson: Mon, Tue, Wed
        (D(2026, 11, 3), None, D(2026, 11, 9)),  # 4.11 is a federal holiday
    ],
    ids=["weekend", "regional day off", "saturday", "holiday"],
)
def test_no_pc_day_gives_3_working_days(
    world: World, day: datetime.date, overlay: datetime.date | None, due: datetime.date
) -> None:
    if overlay:
        CalendarOverride.objects.create(region=world.school.district.region, date=overlay,
                                        kind=DayKind.DAY_OFF, reason="Ураза-байрам")  # fmt: skip
    row = lesson(world.course_7a_math, day)
    NoPcDay.objects.create(school=world.school, teacher=world.user("teacher_7a_math"), day=day,
                           comment="Нет интернета")  # fmt: skip
    for entity in (E.TOPIC, E.HOMEWORK, E.ATTENDANCE):
        assert verdict(row, entity, at(day, "17:00")) == (at(due, "23:59:59"), Status.PENDING)


def test_a_revoked_no_pc_day_counts_no_more(world: World) -> None:
    row = lesson(world.course_7a_math, WED)
    NoPcDay.objects.create(school=world.school, teacher=world.user("teacher_7a_math"), day=WED,
                           comment="Нет ПК", revoked_at=at(WED, "18:00"))  # fmt: skip
    assert verdict(row, E.TOPIC, at(WED, "17:00")) == (at(WED, "16:00"), Status.MISSING)


def _ill(world: World, start: datetime.date, end: datetime.date) -> None:
    TeacherAbsence.objects.create(school=world.school, teacher=world.user("teacher_7a_math"),
                                  start=start, end=end, reason="illness",
                                  created_by=world.user("deputy"))  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "day", "due"),
    [
        (D(2026, 11, 16), FRI, WED, D(2026, 11, 27)),  # 5.8: back Monday → that Friday
        (D(2026, 10, 30), D(2026, 11, 3), D(2026, 10, 30), D(2026, 11, 11)),  # over 4.11
    ],
    ids=["a week of illness", "illness crossing a holiday"],
)
def test_after_an_illness_a_working_week_from_the_return(
    world: World, start: datetime.date, end: datetime.date, day: datetime.date,
    due: datetime.date,
) -> None:  # fmt: skip
    _ill(world, start, end)
    row = lesson(world.course_7a_math, day)
    assert verdict(row, E.TOPIC, at(day, "17:00")) == (at(due, "23:59:59"), Status.PENDING)
    assert (
        verdict(row, E.ATTENDANCE, at(due, "23:59:59") + datetime.timedelta(seconds=1))[1]
        is Status.MISSING
    )


def test_a_substituted_lesson_keeps_the_ordinary_deadline(world: World) -> None:
    _ill(world, D(2026, 11, 16), FRI)
    row = lesson(world.course_7a_math, WED)
    Substitution.objects.create(
        school=world.school, lesson=row, substitute=world.user("teacher_7b"),
        absent_teacher=world.user("teacher_7a_math"), created_by=world.user("deputy"),
    )  # fmt: skip
    assert verdict(row, E.TOPIC, at(WED, "17:00")) == (at(WED, "16:00"), Status.MISSING)


def test_a_moved_lesson_is_due_on_its_new_day(world: World) -> None:
    row = lesson(world.course_7a_math, WED)
    row.date = FRI
    row.save()
    assert verdict(row, E.TOPIC, at(FRI, "12:00")) == (at(FRI, "16:00"), Status.PENDING)


def test_attendance_is_entered_by_the_first_absence(world: World) -> None:
    row = lesson(world.course_7a_math, WED)
    code = AbsenceCode.objects.create(school=world.school, code="н", name="н", reason="unknown")
    with time_machine.travel(at(WED, "10:00"), tick=False):
        Absence.objects.create(school=world.school, lesson=row, student=world.pupil_7a, code=code,
                               created_by=world.user("teacher_7a_math"))  # fmt: skip
    assert verdict(row, E.ATTENDANCE, at(WED, "17:00")) == (at(WED, "16:00"), Status.ON_TIME)


def test_a_rule_change_applies_from_its_date_and_never_rewrites_history(world: World) -> None:
    before = lesson(world.course_7a_math, WED)
    after = lesson(world.course_7a_math, D(2026, 11, 19))
    rule_change(actor=world.user("deputy"), school=world.school, key="topic-16", entity=E.TOPIC,
                anchor="lesson_end", offset_kind="clock", offset_value=18 * 60,
                course_kinds=["lesson"], valid_from=D(2026, 11, 19))  # fmt: skip
    assert verdict(before, E.TOPIC, at(WED, "12:00"))[0] == at(WED, "16:00")
    assert verdict(after, E.TOPIC, at(WED, "12:00"))[0] == at(D(2026, 11, 19), "18:00")


@pytest.mark.parametrize("kind", [CourseKind.ADDITIONAL, CourseKind.EXTRACURRICULAR])
def test_after_an_other_courses_teachers_illness_a_working_week_from_the_return(
    world: World, kind: str
) -> None:
    # 7.5 (additional education) and 6.3's courses: what the ill teacher missed is due a working
    # week after the return day, not 24 h / 4 h after the lesson.
    TeacherAbsence.objects.create(school=world.school, teacher=world.user("teacher_7b"),
                                  start=D(2026, 11, 16), end=FRI, reason="illness",
                                  created_by=world.user("deputy"))  # fmt: skip
    row = lesson(_kind_course(world, kind), WED, "15:00", "15:40")
    assert verdict(row, E.ATTENDANCE, at(WED, "17:00")) == (
        at(D(2026, 11, 27), "23:59:59"),
        Status.PENDING,
    )
