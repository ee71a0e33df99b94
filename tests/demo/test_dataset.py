"""`otmetka dataset`: benchmark datasets load whole and consistent, on SQLite and PostgreSQL, at a
tiny scale (the real sizes are loaded by hand: docs/benchmarks.md)."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client

from otmetka.compliance.models import DayRollup, SchoolDayRollup
from otmetka.curriculum.models import AssessmentMode, Course
from otmetka.demo.dataset import BENCH_CLOCK, DATASETS, dataset_load, dataset_shapes
from otmetka.journal.models import Absence, Lesson, Mark
from otmetka.school.models import Period, School

# Two weeks of school: small enough for the suite, enough for marks and absences.
TODAY = datetime.date(2026, 9, 15)


def test_shapes_follow_the_scale() -> None:
    full = dataset_shapes("region-M")
    assert len(full) == 530
    assert full.count(((3, 4), 27)) == 60
    assert full.count(((1, 1), 16)) == 250
    assert len(dataset_shapes("region-M", 0.1)) == 6 + 22 + 25
    # Every size of school stays represented however small the scale.
    assert len(set(dataset_shapes("region-M", 0.0001))) == len(DATASETS["region-M"])
    assert dataset_shapes("school-S", 5) == [((3, 4), 30)] * 5
    with pytest.raises(ValueError, match="unknown dataset"):
        dataset_shapes("region-XXL")
    with pytest.raises(ValueError, match="positive"):
        dataset_shapes("school-S", 0)


@pytest.mark.django_db
def test_tiny_dataset_is_whole_and_consistent() -> None:
    result = dataset_load("tiny", today=TODAY)

    assert result.schools == School.objects.count() == 2
    assert result.rows["Lesson"] == Lesson.objects.count() > 100
    assert result.rows["Mark"] == Mark.objects.count() > 50
    assert result.rows["Absence"] == Absence.objects.count()
    assert result.rate > 0
    # Marks: on held lessons of their own school, for students of the lesson's class.
    assert not Mark.objects.exclude(lesson__school=F("school")).exists()
    assert not Mark.objects.filter(lesson__date__gt=TODAY).exists()
    assert (
        Mark.objects.count()
        == Mark.objects.filter(
            student__enrollments__school_class=F("lesson__course__school_class")
        ).count()
    )
    # Lessons held have their topics; the ids reserved for the load do not collide later.
    held = Lesson.objects.filter(date__lt=TODAY)
    assert held.exclude(topic="").count() > held.count() * 0.9
    lesson = Lesson.objects.order_by("-pk").first()
    extra = Lesson.objects.create(
        school=lesson.school, course=lesson.course, date=lesson.date, is_extra=True
    )
    assert extra.pk > lesson.pk


@pytest.mark.django_db
def test_a_second_load_is_refused_and_changes_nothing() -> None:
    dataset_load("tiny", today=TODAY)
    before = (School.objects.count(), Lesson.objects.count(), Mark.objects.count())
    with pytest.raises(CommandError, match="already holds schools"):
        call_command("dataset", "tiny", "--today", TODAY.isoformat(), "--no-progress")
    assert (School.objects.count(), Lesson.objects.count(), Mark.objects.count()) == before


@pytest.mark.django_db
def test_command_prints_counts_and_the_journal_reads_the_data() -> None:
    out = io.StringIO()
    call_command("dataset", "tiny", "--today", TODAY.isoformat(), stdout=out, stderr=io.StringIO())
    printed = out.getvalue()
    assert "tiny × 1: 2 schools" in printed
    assert f"Mark {Mark.objects.count():,}" in printed
    assert "rows/s" in printed

    course = (
        Course.objects.filter(assessment=AssessmentMode.POINTS_2_5, school_class__grade=5)
        .order_by("pk")
        .first()
    )
    period = Period.objects.get(
        year=course.year, scheme=course.school_class.period_scheme, start__lte=TODAY, end__gte=TODAY
    )
    client = Client()
    teacher = course.teachers.get()
    teacher.must_change_password = False
    teacher.save()
    client.force_login(teacher)
    answer = client.get(f"/api/v1/journal/{course.pk}?period={period.pk}")
    assert answer.status_code == 200
    cells = answer.json()["cells"]
    marks = Mark.objects.filter(
        lesson__course=course, lesson__date__range=(period.start, period.end)
    ).count()
    assert marks > 0
    assert sum(len(cell["marks"]) for cell in cells.values()) == marks


@pytest.mark.django_db
def test_a_dataset_after_the_real_clock_has_the_rollups_of_its_last_week() -> None:
    # The bench loads a `today` months after the machine's clock: the rollups are computed as
    # seen at the bench's clock on `today`, not clipped at the real day (which would leave the
    # measured weeks without any).
    with time_machine.travel(datetime.datetime(2026, 9, 5, 12, tzinfo=datetime.UTC)):
        dataset_load("tiny", today=TODAY)

    monday = TODAY - datetime.timedelta(days=TODAY.weekday() + 7)
    week = (monday, monday + datetime.timedelta(days=4))
    for school in School.objects.all():
        held = Lesson.objects.filter(school=school, date__range=week).count()
        assert held > 0
        rolled = DayRollup.objects.filter(school=school, day__range=week)
        assert sum(rolled.values_list("lessons", flat=True)) == held
        days = SchoolDayRollup.objects.filter(school=school, day__range=week)
        assert sum(days.values_list("lessons", flat=True)) == held
        # Today as seen at 12:00 in Crimea: its lessons are rolled up, their deadlines pending.
        today = DayRollup.objects.filter(school=school, day=TODAY)
        assert today.exists()
        assert not today.filter(next_change_at__isnull=True).exists()
        now = datetime.datetime.combine(TODAY, BENCH_CLOCK)
        assert set(today.values_list("computed_at", flat=True)) == {now}
        assert not DayRollup.objects.filter(school=school, day__gt=TODAY).exists()
