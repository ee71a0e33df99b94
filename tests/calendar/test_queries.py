"""The calendar answers a year of questions with a constant, small number of queries."""

import datetime

import pytest

from otmetka.school.calendar import calendar_for
from otmetka.school.models import AcademicYear, CalendarOverride, DayKind, Region, School
from tests.calendar.rows import D


def _overlay(crimea: Region, school: School, days: int) -> None:
    for n in range(days):
        day = D(2025, 9, 1) + datetime.timedelta(days=7 * n + 2)
        CalendarOverride.objects.create(
            region=crimea, date=day, kind=DayKind.DAY_OFF, reason="Региональный выходной"
        )
        CalendarOverride.objects.create(
            school=school,
            date=day,
            kind=DayKind.QUARANTINE,
            reason="Карантин",
            min_grade=1,
            max_grade=4,
        )


@pytest.mark.parametrize("overrides", [1, 20])
def test_a_year_of_questions_costs_one_query(
    crimea: Region,
    school: School,
    year: AcademicYear,
    overrides: int,
    django_assert_num_queries: object,
) -> None:
    _overlay(crimea, school, overrides)
    days = [year.start + datetime.timedelta(days=n) for n in range(365)]
    with django_assert_num_queries(1):  # the overlay, vacations and years in one read
        calendar = calendar_for(school, D(2025, 9, 1), D(2026, 8, 31))
        school_days = {
            (grade, week): sum(calendar.is_school_day(d, grade=grade, week_days=week) for d in days)
            for grade in range(1, 12)
            for week in (5, 6)
        }
        working = sum(calendar.is_working_day(day) for day in days)
        deadlines = [calendar.add_working_days(day, 3) for day in days[:200]]
    assert school_days[(1, 5)] < school_days[(5, 5)] < school_days[(5, 6)]
    assert 0 < working < 365
    assert all(deadline > day for deadline, day in zip(deadlines, days, strict=False))


def test_a_year_of_questions_stays_within_a_small_bound(
    school: School, year: AcademicYear, django_assert_max_num_queries: object
) -> None:
    answers = []
    with django_assert_max_num_queries(3):
        calendar = calendar_for(school, year.start, year.start + datetime.timedelta(days=364))
        for n in range(365):
            day = year.start + datetime.timedelta(days=n)
            answers.append(calendar.is_school_day(day, grade=7, week_days=5))
    assert 150 < sum(answers) < 200
