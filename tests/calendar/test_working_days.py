"""Working-day arithmetic (R30): production calendar with transfers plus the regional overlay."""

import datetime
from zoneinfo import ZoneInfo

import holidays
import pytest

from otmetka.school.calendar import (
    SchoolCalendar,
    Status,
    add_working_days,
    calendar_for,
    federal_status,
)
from otmetka.school.models import CalendarOverride, DayKind, School
from tests.calendar.rows import D

MSK = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 12, 30), 3, D(2026, 1, 14)),
        (D(2025, 4, 30), 3, D(2025, 5, 7)),
        (D(2025, 10, 31), 3, D(2025, 11, 6)),
    ],
)
def test_r30_examples_hold_without_an_overlay(
    moscow_school: School, start: datetime.date, n: int, expected: datetime.date
) -> None:
    assert add_working_days(moscow_school, start, n) == expected


def test_working_saturday_of_november_2025_counts(moscow_school: School) -> None:
    calendar = calendar_for(moscow_school, D(2025, 10, 1), D(2025, 11, 30))
    assert calendar.is_working_day(D(2025, 11, 1))
    assert not calendar.is_working_day(D(2025, 11, 3))
    assert calendar.add_working_days(D(2025, 10, 31), 1) == D(2025, 11, 1)


@pytest.mark.parametrize("day", [D(2026, 1, 9), D(2026, 3, 9), D(2026, 5, 11), D(2026, 12, 31)])
def test_transfers_of_2026_are_days_off(moscow_school: School, day: datetime.date) -> None:
    assert federal_status(day) is Status.OFF
    assert not calendar_for(moscow_school, D(2026, 1, 1), D(2026, 12, 31)).is_working_day(day)


def test_crimean_day_off_moves_the_deadline(school: School, crimean_days_off: None) -> None:
    assert add_working_days(school, D(2025, 3, 28), 1) == D(2025, 4, 1)


def test_crimean_day_off_does_not_reach_another_region(
    moscow_school: School, crimean_days_off: None
) -> None:
    assert add_working_days(moscow_school, D(2025, 3, 28), 1) == D(2025, 3, 31)


def test_school_working_day_beats_the_region_day_off(
    school: School, neighbour: School, crimean_days_off: None
) -> None:
    CalendarOverride.objects.create(
        school=school, date=D(2025, 3, 31), kind=DayKind.WORKING, reason="Отработка"
    )
    assert add_working_days(school, D(2025, 3, 28), 1) == D(2025, 3, 31)
    assert add_working_days(neighbour, D(2025, 3, 28), 1) == D(2025, 4, 1)


def test_counting_from_a_saturday_starts_on_monday(moscow_school: School) -> None:
    assert add_working_days(moscow_school, D(2025, 10, 25), 1) == D(2025, 10, 27)


def test_zero_days_from_a_day_off_is_the_next_working_day(moscow_school: School) -> None:
    assert add_working_days(moscow_school, D(2025, 11, 2), 0) == D(2025, 11, 5)
    assert add_working_days(moscow_school, D(2025, 11, 5), 0) == D(2025, 11, 5)


def test_negative_days_count_backwards_over_the_new_year(moscow_school: School) -> None:
    assert add_working_days(moscow_school, D(2026, 1, 12), -1) == D(2025, 12, 30)


def test_aware_datetime_keeps_the_school_wall_clock(moscow_school: School) -> None:
    moment = datetime.datetime(2025, 10, 31, 12, 0, tzinfo=datetime.UTC)
    result = add_working_days(moscow_school, moment, 3)
    assert result == datetime.datetime(2025, 11, 6, 15, 0, tzinfo=MSK)
    assert result.utcoffset() == datetime.timedelta(hours=3)


def test_aware_datetime_counts_from_the_school_local_date(moscow_school: School) -> None:
    # 22:30 UTC on Friday 31.10 is already 01:30 on the working Saturday 01.11 in Moscow.
    moment = datetime.datetime(2025, 10, 31, 22, 30, tzinfo=datetime.UTC)
    assert add_working_days(moscow_school, moment, 1) == datetime.datetime(
        2025, 11, 5, 1, 30, tzinfo=MSK
    )


def test_naive_datetime_is_refused(moscow_school: School) -> None:
    with pytest.raises(ValueError, match="naive"):
        add_working_days(moscow_school, datetime.datetime(2025, 10, 31, 12, 0), 1)


def test_working_days_between_counts_after_start_up_to_end(moscow_school: School) -> None:
    calendar = calendar_for(moscow_school, D(2025, 10, 1), D(2025, 11, 30))
    assert calendar.working_days_between(D(2025, 10, 31), D(2025, 11, 6)) == 3
    assert calendar.working_days_between(D(2025, 11, 6), D(2025, 10, 31)) == -3
    assert calendar.working_days_between(D(2025, 11, 6), D(2025, 11, 6)) == 0
    assert calendar.working_days_between(D(2025, 11, 2), D(2025, 11, 4)) == 0


def test_a_walk_past_the_window_loads_the_next_year(
    school: School, django_assert_max_num_queries: object
) -> None:
    CalendarOverride.objects.create(
        school=school, date=D(2026, 6, 15), kind=DayKind.DAY_OFF, reason="Выпускной"
    )
    # 12.06 is Russia Day, 15.06 the school's own day off.
    calendar = SchoolCalendar(school=school, start=D(2026, 6, 1), end=D(2026, 6, 5))
    with django_assert_max_num_queries(3):
        assert calendar.add_working_days(D(2026, 6, 5), 5) == D(2026, 6, 16)
    assert calendar.end >= D(2027, 6, 5)


def test_partial_grade_day_off_is_not_a_school_wide_day_off(school: School) -> None:
    CalendarOverride.objects.create(
        school=school,
        date=D(2025, 12, 1),
        kind=DayKind.DAY_OFF,
        reason="Только 1–4",
        min_grade=1,
        max_grade=4,
    )
    calendar = calendar_for(school, D(2025, 12, 1), D(2025, 12, 31))
    assert calendar.is_working_day(D(2025, 12, 1))
    assert not calendar.is_working_day(D(2025, 12, 1), grade=2)
    assert calendar.is_working_day(D(2025, 12, 1), grade=5)


def test_federal_layer_agrees_with_the_holidays_package_every_day_of_2024_to_2027() -> None:
    production = holidays.country_holidays("RU", years=range(2023, 2029))
    day = D(2024, 1, 1)
    while day <= D(2027, 12, 31):
        assert (federal_status(day) is Status.WORKING) == production.is_working_day(day), day
        day += datetime.timedelta(days=1)
