"""School days of a class: working days for the grade, inside the year, outside vacations and
quarantines, with the class's 5- or 6-day week."""

import datetime

import pytest

from otmetka.school.calendar import SchoolCalendar, calendar_for, is_school_day
from otmetka.school.models import AcademicYear, CalendarOverride, DayKind, Region, School
from tests.calendar.rows import D, make_class, make_year


@pytest.fixture
def calendar(school: School, year: AcademicYear) -> SchoolCalendar:
    return calendar_for(school, year.start, year.end)


def test_extra_february_vacation_closes_grade_one_only(calendar: SchoolCalendar) -> None:
    monday = D(2026, 2, 16)
    assert not calendar.is_school_day(monday, grade=1, week_days=5)
    assert calendar.is_school_day(monday, grade=2, week_days=5)
    assert calendar.is_working_day(monday)


def test_autumn_vacation_closes_every_grade(calendar: SchoolCalendar) -> None:
    for grade in range(1, 12):
        assert not calendar.is_school_day(D(2025, 10, 27), grade=grade, week_days=5)


def test_holidays_are_no_school_days(calendar: SchoolCalendar) -> None:
    for day in (D(2025, 11, 4), D(2026, 2, 23), D(2026, 3, 9), D(2026, 5, 1), D(2026, 5, 11)):
        assert not calendar.is_school_day(day, grade=5, week_days=5), day
        assert not calendar.is_school_day(day, grade=5, week_days=6), day


def test_six_day_week_studies_on_plain_saturdays(calendar: SchoolCalendar) -> None:
    saturday = D(2025, 9, 6)
    assert calendar.is_school_day(saturday, grade=10, week_days=6)
    assert not calendar.is_school_day(saturday, grade=10, week_days=5)
    assert not calendar.is_working_day(saturday)


def test_six_day_week_rests_on_a_holiday_saturday_and_on_sundays(calendar: SchoolCalendar) -> None:
    assert not calendar.is_school_day(D(2026, 5, 9), grade=10, week_days=6)
    assert calendar.is_school_day(D(2026, 5, 16), grade=10, week_days=6)
    assert not calendar.is_school_day(D(2025, 9, 7), grade=10, week_days=6)


def test_transferred_working_saturday_is_a_school_day_in_a_five_day_week(school: School) -> None:
    make_year(school)  # no vacations: 01.11.2025 is not inside an autumn break here
    calendar = calendar_for(school, D(2025, 9, 1), D(2026, 5, 26))
    assert calendar.is_school_day(D(2025, 11, 1), grade=5, week_days=5)
    assert not calendar.is_school_day(D(2025, 11, 3), grade=5, week_days=5)


def test_quarantine_closes_only_its_grades(school: School, calendar: SchoolCalendar) -> None:
    for day in (D(2025, 12, 1), D(2025, 12, 2)):
        CalendarOverride.objects.create(
            school=school,
            date=day,
            kind=DayKind.QUARANTINE,
            reason="ОРВИ",
            min_grade=1,
            max_grade=4,
        )
    calendar = calendar_for(school, D(2025, 9, 1), D(2026, 5, 26))
    assert not calendar.is_school_day(D(2025, 12, 1), grade=3, week_days=5)
    assert calendar.is_school_day(D(2025, 12, 1), grade=5, week_days=5)
    assert calendar.is_school_day(D(2025, 12, 3), grade=3, week_days=5)
    assert calendar.is_working_day(D(2025, 12, 1))


def test_regional_quarantine_cannot_be_lifted_by_the_school(
    crimea: Region, school: School, year: AcademicYear
) -> None:
    CalendarOverride.objects.create(
        region=crimea, date=D(2025, 12, 10), kind=DayKind.QUARANTINE, reason="Грипп"
    )
    CalendarOverride.objects.create(
        school=school, date=D(2025, 12, 10), kind=DayKind.WORKING, reason="Обычный день"
    )
    calendar = calendar_for(school, year.start, year.end)
    assert not calendar.is_school_day(D(2025, 12, 10), grade=7, week_days=5)
    assert calendar.is_working_day(D(2025, 12, 10))


def test_school_override_beats_region_override(
    crimea: Region, school: School, neighbour: School, year: AcademicYear
) -> None:
    make_year(neighbour)
    CalendarOverride.objects.create(
        region=crimea, date=D(2025, 12, 15), kind=DayKind.DAY_OFF, reason="Региональный выходной"
    )
    CalendarOverride.objects.create(
        school=school, date=D(2025, 12, 15), kind=DayKind.WORKING, reason="Отработка"
    )
    CalendarOverride.objects.create(
        region=crimea, date=D(2025, 12, 20), kind=DayKind.WORKING, reason="Рабочая суббота"
    )
    CalendarOverride.objects.create(
        school=school, date=D(2025, 12, 20), kind=DayKind.DAY_OFF, reason="Ремонт"
    )
    ours = calendar_for(school, year.start, year.end)
    theirs = calendar_for(neighbour, year.start, year.end)
    assert ours.is_school_day(D(2025, 12, 15), grade=7, week_days=5)
    assert not theirs.is_school_day(D(2025, 12, 15), grade=7, week_days=5)
    assert not ours.is_school_day(D(2025, 12, 20), grade=7, week_days=5)
    assert theirs.is_school_day(D(2025, 12, 20), grade=7, week_days=5)


def test_working_saturday_for_senior_grades_only(school: School, year: AcademicYear) -> None:
    CalendarOverride.objects.create(
        school=school,
        date=D(2025, 12, 6),
        kind=DayKind.WORKING,
        reason="Пробный экзамен",
        min_grade=9,
        max_grade=11,
    )
    calendar = calendar_for(school, year.start, year.end)
    assert calendar.is_school_day(D(2025, 12, 6), grade=9, week_days=5)
    assert not calendar.is_school_day(D(2025, 12, 6), grade=8, week_days=5)
    assert calendar.is_working_day(D(2025, 12, 6), grade=9)
    assert not calendar.is_working_day(D(2025, 12, 6))


def test_days_outside_the_academic_year_are_no_school_days(calendar: SchoolCalendar) -> None:
    assert not calendar.is_school_day(D(2025, 8, 29), grade=5, week_days=5)
    assert not calendar.is_school_day(D(2026, 5, 27), grade=5, week_days=5)
    assert calendar.is_working_day(D(2026, 5, 27))
    assert calendar.is_school_day(D(2026, 5, 26), grade=5, week_days=5)


def test_school_days_lists_a_week_in_order(calendar: SchoolCalendar) -> None:
    week = calendar.school_days(D(2025, 11, 3), D(2025, 11, 9), grade=5, week_days=5)
    assert week == [D(2025, 11, 5), D(2025, 11, 6), D(2025, 11, 7)]
    six = calendar.school_days(D(2025, 11, 3), D(2025, 11, 9), grade=5, week_days=6)
    assert six == [D(2025, 11, 5), D(2025, 11, 6), D(2025, 11, 7), D(2025, 11, 8)]


def test_a_2025_26_quarter_has_the_expected_number_of_school_days(
    calendar: SchoolCalendar,
) -> None:
    first_quarter = calendar.school_days(D(2025, 9, 1), D(2025, 10, 24), grade=5, week_days=5)
    assert len(first_quarter) == 40  # 8 whole weeks, no holidays in September–October


def test_class_helper_uses_the_class_grade_week_and_year(
    school: School, year: AcademicYear
) -> None:
    first = make_class(year, grade=1)
    tenth = make_class(year, grade=10, week_days=6)
    assert not is_school_day(first, D(2026, 2, 16))
    assert is_school_day(tenth, D(2026, 2, 16))
    assert is_school_day(tenth, D(2026, 2, 14))
    assert not is_school_day(first, D(2026, 2, 14))


def test_class_helper_refuses_days_of_another_year(school: School, year: AcademicYear) -> None:
    next_year = make_year(school, 2026)
    seventh = make_class(year, grade=7)
    assert is_school_day(seventh, D(2026, 5, 26))
    assert not is_school_day(seventh, D(2026, 9, 1))
    assert is_school_day(make_class(next_year, grade=7), D(2026, 9, 1))


def test_week_other_than_five_or_six_days_is_refused(calendar: SchoolCalendar) -> None:
    with pytest.raises(ValueError, match="week_days"):
        calendar.is_school_day(D(2025, 9, 1), grade=5, week_days=7)


def test_a_school_without_years_has_no_school_days(school: School) -> None:
    calendar = calendar_for(school, D(2025, 9, 1), D(2025, 9, 30))
    days = calendar.school_days(D(2025, 9, 1), D(2025, 9, 30), grade=5, week_days=5)
    assert days == []
    assert calendar.is_working_day(datetime.date(2025, 9, 1))
