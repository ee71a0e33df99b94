"""R29: the school year's bounds and the structure of its periods and vacations."""

import datetime

import pytest
from django.utils import translation

from otmetka.school.calendar import calendar_for, year_bounds, year_structure_problems
from otmetka.school.models import (
    AcademicYear,
    CalendarOverride,
    DayKind,
    Period,
    PeriodScheme,
    School,
    Vacation,
)
from tests.calendar.rows import EXAMPLE_QUARTERS, EXAMPLE_VACATIONS, D

QUARTERS = PeriodScheme.QUARTERS


@pytest.fixture(autouse=True)
def _english() -> object:
    # The Russian text lives in the school app's catalogue; the English msgids are stable.
    with translation.override("en"):
        yield


def quarters(bounds: list[tuple[datetime.date, datetime.date]]) -> list[Period]:
    return [
        Period(scheme=QUARTERS, number=n, start=start, end=end)
        for n, (start, end) in enumerate(bounds, start=1)
    ]


def vacations(rows: list[tuple[str, datetime.date, datetime.date, int, int]]) -> list[Vacation]:
    return [
        Vacation(name=name, start=start, end=end, min_grade=lo, max_grade=hi)
        for name, start, end, lo, hi in rows
    ]


def example_year() -> AcademicYear:
    return AcademicYear(name="2025/2026", start=D(2025, 9, 1), end=D(2026, 5, 26))


@pytest.mark.parametrize(
    ("start_year", "first", "last"),
    [
        (2025, D(2025, 9, 1), D(2026, 5, 26)),  # Monday, Tuesday
        (2024, D(2024, 9, 2), D(2025, 5, 26)),  # 1 September 2024 is a Sunday
        (2029, D(2029, 9, 3), D(2030, 5, 24)),  # a Saturday; 26 May 2030 is a Sunday
    ],
)
def test_year_bounds_move_off_days_off(
    start_year: int, first: datetime.date, last: datetime.date
) -> None:
    assert year_bounds(start_year) == (first, last)


def test_year_bounds_follow_the_school_overlay(school: School) -> None:
    CalendarOverride.objects.create(
        school=school, date=D(2025, 9, 1), kind=DayKind.DAY_OFF, reason="Ремонт"
    )
    calendar = calendar_for(school, D(2025, 8, 1), D(2026, 6, 30))
    assert year_bounds(2025, calendar=calendar) == (D(2025, 9, 2), D(2026, 5, 26))


def test_r29_example_loads_and_has_no_problems(year: AcademicYear) -> None:
    periods = Period.objects.filter(year=year)
    rows = Vacation.objects.filter(year=year)
    assert periods.count() == 4
    assert rows.count() == 4
    assert year_structure_problems(year, periods, rows) == []


def test_half_years_beside_quarters_are_fine() -> None:
    halves = [
        Period(scheme=PeriodScheme.HALVES, number=1, start=D(2025, 9, 1), end=D(2025, 12, 30)),
        Period(scheme=PeriodScheme.HALVES, number=2, start=D(2026, 1, 9), end=D(2026, 5, 26)),
    ]
    problems = year_structure_problems(
        example_year(), quarters(EXAMPLE_QUARTERS) + halves, vacations(EXAMPLE_VACATIONS)
    )
    assert problems == []


def test_a_short_vacation_is_reported() -> None:
    rows = vacations(EXAMPLE_VACATIONS)
    rows[0].end = D(2025, 10, 30)
    problems = year_structure_problems(example_year(), quarters(EXAMPLE_QUARTERS), rows)
    assert (
        "The vacation «Осенние каникулы» (25.10.2025–30.10.2025) is shorter than 7 calendar days."
        in problems
    )


def test_a_seven_day_vacation_is_long_enough() -> None:
    rows = vacations(EXAMPLE_VACATIONS)
    rows[0].end = D(2025, 10, 31)
    problems = year_structure_problems(example_year(), quarters(EXAMPLE_QUARTERS), rows)
    assert not any("shorter" in problem for problem in problems)
    # 02.11–04.11 are days off, but the transferred working Saturday 01.11 is left uncovered.
    assert problems == [
        "Scheme «quarters»: working days from 01.11.2025 to 01.11.2025 are in no period "
        "and no vacation."
    ]


def test_overlapping_periods_are_reported() -> None:
    bounds = list(EXAMPLE_QUARTERS)
    bounds[1] = (D(2025, 10, 20), D(2025, 12, 30))
    problems = year_structure_problems(
        example_year(), quarters(bounds), vacations(EXAMPLE_VACATIONS)
    )
    assert problems == ["1 quarter and 2 quarter overlap."]


def test_a_period_outside_the_year_is_reported() -> None:
    bounds = list(EXAMPLE_QUARTERS)
    bounds[3] = (D(2026, 3, 30), D(2026, 5, 29))
    problems = year_structure_problems(
        example_year(), quarters(bounds), vacations(EXAMPLE_VACATIONS)
    )
    assert problems == ["4 quarter (30.03.2026–29.05.2026) lies outside the year."]


def test_a_missing_period_is_reported_with_its_uncovered_days() -> None:
    bounds = [b for n, b in enumerate(EXAMPLE_QUARTERS) if n != 2]
    periods = quarters(bounds)
    problems = year_structure_problems(example_year(), periods, vacations(EXAMPLE_VACATIONS))
    assert problems == [
        "Scheme «quarters»: 4 periods expected, 3 given.",
        "Scheme «quarters»: working days from 12.01.2026 to 20.03.2026 are in no period "
        "and no vacation.",
    ]


def test_a_last_period_ending_before_the_year_is_reported() -> None:
    bounds = list(EXAMPLE_QUARTERS)
    bounds[3] = (D(2026, 3, 30), D(2026, 5, 22))
    problems = year_structure_problems(
        example_year(), quarters(bounds), vacations(EXAMPLE_VACATIONS)
    )
    assert problems == [
        "Scheme «quarters»: working days from 25.05.2026 to 26.05.2026 are in no period "
        "and no vacation."
    ]


def test_wrong_year_bounds_are_reported() -> None:
    year = AcademicYear(name="2025/2026", start=D(2025, 9, 2), end=D(2026, 5, 29))
    problems = year_structure_problems(year, [], [])
    assert problems == [
        "The year starts on 02.09.2025, but by the rules it starts on 01.09.2025 "
        "(1 September or the next working day).",
        "The year ends on 29.05.2026, but by the rules it ends on 26.05.2026 "
        "(26 May or the previous working day).",
    ]


def test_a_vacation_outside_the_year_is_reported() -> None:
    rows = [
        *vacations(EXAMPLE_VACATIONS),
        Vacation(name="Летние", start=D(2026, 5, 27), end=D(2026, 8, 31)),
    ]
    problems = year_structure_problems(example_year(), quarters(EXAMPLE_QUARTERS), rows)
    assert problems == ["The vacation «Летние» (27.05.2026–31.08.2026) lies outside the year."]


def test_problems_read_in_russian_with_the_school_catalogue() -> None:
    rows = vacations(EXAMPLE_VACATIONS)
    rows[0].end = D(2025, 10, 30)
    with translation.override("ru"):
        problems = year_structure_problems(example_year(), quarters(EXAMPLE_QUARTERS), rows)
    assert "Каникулы «Осенние каникулы» (25.10.2025–30.10.2025) короче 7 календарных дней." in (
        problems
    )
