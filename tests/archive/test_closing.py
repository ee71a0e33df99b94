"""Closing the year on a small world: locks, archive, next year, classes rolled up, idempotent."""

import datetime

import pytest
from django.core.management import call_command

from otmetka.access.rules import period_is_closed
from otmetka.archive.closing import year_close, year_close_plan
from otmetka.archive.models import Archive
from otmetka.audit.models import Event
from otmetka.grading.models import AcademicDebt
from otmetka.school.models import AcademicYear, Enrollment, Period, SchoolClass
from tests.factories import (
    AcademicDebtFactory,
    ConditionalTransferFactory,
    EnrollmentFactory,
    SchoolClassFactory,
    StudentFactory,
)
from tests.world import World


@pytest.fixture
def leavers(world: World) -> SchoolClass:
    eleventh = SchoolClassFactory(school=world.school, year=world.year, grade=11, letter="А")
    for _n in range(2):
        EnrollmentFactory(
            school=world.school,
            school_class=eleventh,
            student=StudentFactory(school=world.school),
            start=datetime.date(2026, 9, 1),
        )
    return eleventh


def test_dry_run_prints_the_plan_and_changes_nothing(
    world: World, leavers: SchoolClass, capsys: pytest.CaptureFixture
) -> None:
    call_command("close_year", "2026/2027", "--school", str(world.school.pk), "--dry-run")
    out = capsys.readouterr().out
    assert "Заблокировать период 1 четверть." in out
    assert "Открыть год 2027/2028 (01.09.2027–26.05.2028)." in out
    assert "7А → 8А: 1 обучающийся." in out
    assert "11А: 2 обучающихся заканчивают школу, их зачисления закрываются." in out
    assert not AcademicYear.objects.filter(name="2027/2028").exists()
    assert not Period.objects.filter(closed_at__isnull=False).exists()
    assert not Archive.objects.exists()


def test_closing_rolls_classes_up_and_is_idempotent(world: World, leavers: SchoolClass) -> None:
    director = world.user("director")
    year_close(actor=director, year=world.year)
    nxt = AcademicYear.objects.get(school=world.school, name="2027/2028")
    first = Period.objects.filter(year=nxt).order_by("number").first()
    assert first is not None
    assert (first.number, first.start, first.end) == (
        1,
        nxt.start,
        datetime.date(2027, 10, 23),
    )
    assert Period.objects.filter(year=nxt).count() == 4
    eighth = SchoolClass.objects.get(year=nxt, grade=8, letter="А")
    assert eighth.homeroom_teacher == world.user("homeroom_7a")
    assert list(
        Enrollment.objects.filter(school_class=eighth).values_list("student", flat=True)
    ) == [world.pupil_7a.pk]
    old = Enrollment.objects.get(school_class=world.class_7a)
    assert old.end == world.year.end
    assert not SchoolClass.objects.filter(year=nxt, grade=12).exists()
    assert set(Enrollment.objects.filter(school_class=leavers).values_list("end", flat=True)) == {
        world.year.end
    }
    assert all(period_is_closed(p, world.school) for p in Period.objects.filter(year=world.year))
    assert Archive.objects.filter(year=world.year).count() == 1
    assert Event.objects.filter(action="year_close", actor=director).count() == 1
    events = Event.objects.count()
    assert year_close_plan(year=world.year).lines() == []
    year_close(actor=director, year=world.year)
    assert Event.objects.filter(action="enrollment_open").count() == 2  # 7А → 8А, 7Б → 8Б
    assert Event.objects.count() == events + 1  # only the second "year_close"


def test_a_resumed_close_finishes_what_is_left(world: World) -> None:
    """The next year was already opened by hand with one period: only the rest is added."""
    nxt = AcademicYear.objects.create(
        school=world.school,
        name="2027/2028",
        start=datetime.date(2027, 9, 1),
        end=datetime.date(2028, 5, 26),
    )
    Period.objects.create(
        school=world.school,
        year=nxt,
        scheme="quarters",
        number=1,
        start=nxt.start,
        end=datetime.date(2027, 10, 27),
    )
    plan = year_close_plan(year=world.year)
    assert [n for _s, n, _a, _b in plan.missing_periods] == [2, 3, 4]
    year_close(actor=None, year=world.year)
    assert Period.objects.get(year=nxt, number=1).end == datetime.date(2027, 10, 27)
    assert AcademicYear.objects.filter(school=world.school).count() == 2


def test_debts_of_a_conditional_transfer_are_carried_and_others_warned(
    world: World, capsys: pytest.CaptureFixture
) -> None:
    """7А's pupil is transferred conditionally: the debt stays open and is named in the plan
    and the result; 7Б's pupil has a debt and no transfer: a warning, not silence."""
    director = world.user("director")
    teacher = world.user("teacher_7a_math")
    carried = AcademicDebtFactory(
        student=world.pupil_7a, course=world.course_7a_math, created_by=teacher
    )
    ConditionalTransferFactory(student=world.pupil_7a, year=world.year, created_by=director)
    AcademicDebtFactory(student=world.pupil_7b, course=world.course_7b_russian, created_by=teacher)
    subject_a = world.course_7a_math.subject.name
    subject_b = world.course_7b_russian.subject.name
    call_command("close_year", "2026/2027", "--school", str(world.school.pk), "--dry-run")
    out = capsys.readouterr().out
    name_a, name_b = world.pupil_7a.full_name, world.pupil_7b.full_name
    assert f"Условно переведён(а): {name_a} переносит задолженности в 8А: {subject_a}." in out
    assert f"Внимание: {name_b} (7Б): открытые задолженности ({subject_b})" in out
    year_close(actor=director, year=world.year, progress=print)
    out = capsys.readouterr().out
    assert f"{name_a} — переходят задолженности: {subject_a}." in out
    assert f"Внимание: {name_b} (7Б)" in out
    carried.refresh_from_db()
    assert carried.status == AcademicDebt.Status.OPEN
    assert Event.objects.filter(action="debt_carry", object_id=str(carried.pk)).count() == 1
    year_close(actor=director, year=world.year)  # a second run carries nothing again
    assert Event.objects.filter(action="debt_carry").count() == 1
    assert year_close_plan(year=world.year).lines() == []
