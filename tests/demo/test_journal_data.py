"""The demo's timetable, КТП and journal data: consistent with the calendar, the courses'
assessment, the enrollments and the timetable; deterministic; visible to the printed teacher."""

import datetime
import io
import itertools
import re
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import Client

from otmetka.accounts.models import User
from otmetka.curriculum.models import (
    AssessmentMode,
    Course,
    PlannedTopic,
    ThematicPlan,
    TimetableSlot,
)
from otmetka.demo.generator import DemoResult, generate
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, Substitution
from otmetka.school.calendar import calendar_for
from otmetka.school.models import Bell, Enrollment, School

TODAY = datetime.date(2026, 11, 18)
TINY: dict[str, Any] = {"classes_per_grade": (1, 1), "students_per_class": 5, "today": TODAY}
POINTS = {"2", "3", "4", "5"}


@pytest.fixture
def demo(db: None) -> DemoResult:
    return generate(seed=7, **TINY)


def test_bells_run_from_eight_with_forty_minute_lessons(demo: DemoResult) -> None:
    bells = list(Bell.objects.order_by("number"))
    assert bells[0].start == datetime.time(8, 0)
    for bell, after in itertools.pairwise(bells):
        minutes = (bell.end.hour * 60 + bell.end.minute) - (
            bell.start.hour * 60 + bell.start.minute
        )
        gap = (after.start.hour * 60 + after.start.minute) - (bell.end.hour * 60 + bell.end.minute)
        assert minutes == 40 and gap in (10, 20)


def test_every_course_gets_its_hours_and_nobody_is_in_two_places(demo: DemoResult) -> None:
    slots = list(TimetableSlot.objects.select_related("course__school_class", "bell"))
    per_course = Counter(s.course_id for s in slots)
    for course in Course.objects.all():
        assert per_course[course.pk] == int(course.hours_per_week), course
    teachers = dict(Course.teachers.through.objects.values_list("course_id", "user_id"))
    teacher_spots = Counter((teachers[s.course_id], s.weekday, s.bell.number) for s in slots)
    assert max(teacher_spots.values()) == 1
    class_spots = Counter(
        (s.course.school_class_id, s.weekday, s.bell.number)
        for s in slots
        if s.course.school_class_id
    )
    assert max(class_spots.values()) == 1
    per_day = Counter((s.course.school_class, s.weekday) for s in slots if s.course.school_class_id)
    for (cls, weekday), n in per_day.items():
        assert weekday < cls.week_days
        assert n <= (5 if cls.grade == 1 else 7), (cls, weekday, n)
    rooms = {s.room for s in slots}
    assert "Спортзал" in rooms and "" not in rooms


def test_lessons_fall_on_school_days_up_to_two_weeks_ahead(demo: DemoResult) -> None:
    school = School.objects.get()
    year = school.academicyear_set.get()
    lessons = list(
        Lesson.objects.filter(course__school_class__isnull=False).select_related(
            "course__school_class"
        )
    )
    assert lessons
    calendar = calendar_for(school, year.start, year.end)
    for lesson in lessons:
        cls = lesson.course.school_class
        assert calendar.is_school_day(lesson.date, grade=cls.grade, week_days=cls.week_days)
    dates = [x.date for x in lessons]
    assert min(dates) == year.start
    assert TODAY + datetime.timedelta(days=10) <= max(dates) <= TODAY + datetime.timedelta(days=14)
    assert not Lesson.objects.filter(
        date__gte=datetime.date(2026, 10, 26), date__lte=datetime.date(2026, 11, 4)
    ).exists()


def test_marks_follow_each_courses_assessment(demo: DemoResult) -> None:
    values: dict[str, set[str]] = {}
    for mode, value in Mark.objects.values_list("lesson__course__assessment", "value").distinct():
        values.setdefault(mode, set()).add(value)
    assert AssessmentMode.NONE not in values
    assert values[AssessmentMode.POINTS_2_5] == POINTS
    assert values[AssessmentMode.PASS_FAIL] <= {"зач", "незач"}
    assert "зач" in values[AssessmentMode.PASS_FAIL]


def test_marks_only_for_enrolled_present_students_on_held_lessons(demo: DemoResult) -> None:
    marks = list(Mark.objects.select_related("lesson__course"))
    assert marks
    enrolled = {(e.student_id, e.school_class_id): e for e in Enrollment.objects.all()}
    absent = set(
        Absence.objects.exclude(code__reason=AbsenceCode.Reason.LATE).values_list(
            "lesson_id", "student_id"
        )
    )
    for mark in marks:
        lesson = mark.lesson
        assert lesson.date < TODAY and lesson.status == Lesson.Status.PLANNED
        e = enrolled[(mark.student_id, lesson.course.school_class_id)]
        assert e.start <= lesson.date and (e.end is None or lesson.date <= e.end)
        assert (lesson.pk, mark.student_id) not in absent
        assert mark.created_by_id in set(lesson.course.teachers.values_list("pk", flat=True))
    assert not Lesson.objects.filter(date__gte=TODAY).exclude(topic="").exists()


def test_the_amounts_look_like_a_real_half_term(demo: DemoResult) -> None:
    graded = Course.objects.exclude(assessment=AssessmentMode.NONE).values("school_class")
    students = Enrollment.objects.filter(school_class__in=graded).count()
    weeks = 10  # 1 September to 18 November less the autumn vacation
    per_week = Mark.objects.count() / students / weeks
    assert 6 <= per_week <= 10, per_week
    student_lessons = sum(
        len(Enrollment.objects.filter(school_class=c.school_class_id)) * c.n
        for c in Course.objects.filter(school_class__isnull=False).annotate(
            n=Count("lessons", filter=Q(lessons__date__lt=TODAY))
        )
    )
    share = Absence.objects.count() / student_lessons
    assert 0.03 <= share <= 0.07, share
    assert Absence.objects.filter(code__code="оп", minutes_late__gt=0).exists()
    assert not Absence.objects.filter(~Q(code__code="оп"), minutes_late__isnull=False).exists()
    past = Lesson.objects.filter(date__lt=TODAY, course__school_class__isnull=False)
    with_topic = past.exclude(topic="")
    assert with_topic.count() >= 0.95 * past.count()
    assert past.exclude(homework="").count() >= 0.6 * past.count()
    late = [
        x for x in with_topic.only("date", "topic_entered_at") if x.topic_entered_at.date() > x.date
    ]
    assert 0.02 * past.count() <= len(late) <= 0.15 * past.count()
    kinds = Counter(Mark.objects.values_list("kind__name", flat=True))
    assert kinds.most_common(1)[0][0] == "Ответ на уроке"
    assert kinds["Контрольная работа"] and kinds["Диктант"]


def test_illness_spells_last_several_consecutive_days(demo: DemoResult) -> None:
    ill = Absence.objects.filter(code__code="б").values_list("student_id", "lesson__date")
    days_of: dict[int, set[datetime.date]] = {}
    for student, day in ill:
        days_of.setdefault(student, set()).add(day)
    assert days_of
    assert any(len(days) >= 2 for days in days_of.values())


def test_thematic_plans_order_the_lessons_and_flag_control_works(demo: DemoResult) -> None:
    plans = {
        (p.course.school_class.grade, p.course.subject.name): p
        for p in ThematicPlan.objects.select_related("course__school_class", "course__subject")
    }
    assert set(plans) >= {
        (5, "Математика"),
        (7, "Русский язык"),
        (9, "Физика"),
        (2, "Окружающий мир"),
    }
    for plan in plans.values():
        topics = list(plan.topics.order_by("position"))
        assert 30 <= len(topics) <= 70
        assert any(t.is_control for t in topics)
        lessons = list(plan.course.lessons.order_by("date", "bell_number"))
        positions = [x.planned_topic.position for x in lessons]
        assert positions == sorted(positions) and positions[0] == 1
        for lesson in lessons:
            if lesson.date < TODAY and lesson.topic:
                assert lesson.topic == lesson.planned_topic.title
    assert PlannedTopic.objects.filter(is_control=True, work_kind="Контрольная работа").exists()


def test_control_work_lessons_mark_the_whole_class(demo: DemoResult) -> None:
    lesson = (
        Lesson.objects.filter(planned_topic__is_control=True, date__lt=TODAY)
        .exclude(attendance_taken_at=None)
        .select_related("course__school_class")
        .first()
    )
    assert lesson is not None
    students = set(
        Enrollment.objects.filter(school_class=lesson.course.school_class_id).values_list(
            "student_id", flat=True
        )
    )
    absent = set(
        lesson.absences.exclude(code__reason=AbsenceCode.Reason.LATE).values_list(
            "student_id", flat=True
        )
    )
    marked = set(lesson.marks.values_list("student_id", flat=True))
    assert marked == students - absent
    assert set(lesson.marks.values_list("kind__weight", flat=True)) > {1} or all(
        w > 1 for w in lesson.marks.values_list("kind__weight", flat=True)
    )


def test_substitutes_teach_the_same_subject_and_are_free(demo: DemoResult) -> None:
    subs = list(Substitution.objects.select_related("lesson__course", "lesson__slot__bell"))
    assert len(subs) >= 2
    for sub in subs:
        course = sub.lesson.course
        assert sub.absent_teacher in course.teachers.all()
        assert sub.substitute != sub.absent_teacher
        assert Course.objects.filter(subject=course.subject, teachers=sub.substitute).exists()
        busy = TimetableSlot.objects.filter(
            course__teachers=sub.substitute,
            weekday=sub.lesson.date.weekday(),
            bell__number=sub.lesson.bell_number,
        )
        assert not busy.exists()


def snapshot_of(seed: int) -> list[tuple[Any, ...]]:
    """Generate in a savepoint, describe the journal, roll it back."""
    with transaction.atomic():
        generate(seed=seed, **TINY)
        rows: list[tuple[Any, ...]] = list(
            TimetableSlot.objects.order_by("pk").values_list(
                "course__subject__name",
                "course__school_class__grade",
                "weekday",
                "bell__number",
                "room",
            )
        )
        rows += list(
            Lesson.objects.order_by(
                "course__subject__name", "course__school_class__grade", "date", "bell_number"
            ).values_list("date", "bell_number", "topic", "homework", "topic_entered_at")
        )
        rows += sorted(
            Mark.objects.values_list(
                "student__user__username",
                "lesson__date",
                "lesson__bell_number",
                "value",
                "kind__name",
            )
        )
        rows += sorted(
            Absence.objects.values_list(
                "student__user__username",
                "lesson__date",
                "lesson__bell_number",
                "code__code",
                "minutes_late",
            )
        )
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_journal(db: None) -> None:
    first = snapshot_of(7)
    assert snapshot_of(7) == first
    assert snapshot_of(8) != first


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "tiny", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_prints_the_journal_sizes_and_the_teacher_sees_lessons(
    school_day: object,
) -> None:
    output = run_demo()
    found = re.search(r"Уроков: (\d+), отметок: (\d+), пропусков: (\d+)\.", output)
    assert found, output
    assert tuple(map(int, found.groups())) == (
        Lesson.objects.count(),
        Mark.objects.count(),
        Absence.objects.count(),
    )
    line = next(x for x in output.splitlines() if x.startswith("Учитель-предметник"))
    login, password = re.split(r"\s{2,}", line)[1:3]
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": login, "password": password}).status_code
        == 302
    )
    teacher = User.objects.get(username=login)
    courses = list(Course.objects.filter(teachers=teacher).order_by("pk"))
    page = client.get("/journal/").content.decode()
    for course in courses:
        assert f"/journal/{course.pk}/" in page
    grid = client.get(f"/api/v1/journal/{courses[0].pk}").json()
    assert grid["lessons"] and grid["students"]
    assert any(cell["marks"] for cell in grid["cells"].values())
    assert any(x["topic"] for x in grid["lessons"])
