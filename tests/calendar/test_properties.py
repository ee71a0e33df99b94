"""Properties of the calendar arithmetic, checked by hypothesis over 2024–2027 with an overlay."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otmetka.school.calendar import SchoolCalendar, Status, calendar_for
from otmetka.school.models import AcademicYear, CalendarOverride, DayKind, Region, School
from tests.calendar.rows import D

DAYS = st.dates(min_value=D(2024, 6, 1), max_value=D(2027, 6, 30))
COUNTS = st.integers(min_value=0, max_value=40)
GRADES = st.integers(min_value=1, max_value=11)
WEEKS = st.sampled_from([5, 6])


@pytest.fixture
def calendar(
    crimea: Region, school: School, year: AcademicYear, crimean_days_off: None
) -> SchoolCalendar:
    """A Crimean school's calendar with regional days off, a quarantine and a working Saturday."""
    CalendarOverride.objects.create(
        school=school, date=D(2025, 12, 6), kind=DayKind.WORKING, reason="Отработка"
    )
    CalendarOverride.objects.create(
        region=crimea,
        date=D(2026, 2, 3),
        kind=DayKind.QUARANTINE,
        reason="Грипп",
        min_grade=1,
        max_grade=6,
    )
    return calendar_for(school, D(2025, 1, 1), D(2025, 12, 31))


def test_adding_working_days_lands_on_a_working_day(calendar: SchoolCalendar) -> None:
    @settings(deadline=None, max_examples=300)
    @given(day=DAYS, n=COUNTS)
    def check(day: datetime.date, n: int) -> None:
        assert calendar.is_working_day(calendar.add_working_days(day, n))

    check()


def test_adding_working_days_is_monotone_in_n(calendar: SchoolCalendar) -> None:
    @settings(deadline=None, max_examples=300)
    @given(day=DAYS, n=COUNTS)
    def check(day: datetime.date, n: int) -> None:
        here, after = calendar.add_working_days(day, n), calendar.add_working_days(day, n + 1)
        assert day <= here <= after
        # From a day off, 0 and 1 working days both give the first working day after it.
        assert here < after or (n == 0 and not calendar.is_working_day(day))

    check()


def test_adding_working_days_composes_from_a_working_day(calendar: SchoolCalendar) -> None:
    @settings(deadline=None, max_examples=300)
    @given(day=DAYS, a=COUNTS, b=COUNTS)
    def check(day: datetime.date, a: int, b: int) -> None:
        start = calendar.add_working_days(day, 0)  # the nearest working day
        assert calendar.is_working_day(start)
        assert calendar.add_working_days(start, a + b) == calendar.add_working_days(
            calendar.add_working_days(start, a), b
        )

    check()


def test_counting_working_days_undoes_adding_them(calendar: SchoolCalendar) -> None:
    @settings(deadline=None, max_examples=300)
    @given(day=DAYS, n=st.integers(min_value=1, max_value=40))
    def check(day: datetime.date, n: int) -> None:
        later = calendar.add_working_days(day, n)
        assert calendar.working_days_between(day, later) == n
        assert calendar.working_days_between(later, day) == -n

    check()


def test_going_back_undoes_going_forward_from_a_working_day(calendar: SchoolCalendar) -> None:
    @settings(deadline=None, max_examples=200)
    @given(day=DAYS, n=COUNTS)
    def check(day: datetime.date, n: int) -> None:
        start = calendar.add_working_days(day, 0)
        assert calendar.add_working_days(calendar.add_working_days(start, n), -n) == start

    check()


def test_school_days_are_working_days_or_six_day_saturdays(calendar: SchoolCalendar) -> None:
    @settings(deadline=None, max_examples=100)
    @given(start=DAYS, length=st.integers(min_value=0, max_value=120), grade=GRADES, week=WEEKS)
    def check(start: datetime.date, length: int, grade: int, week: int) -> None:
        end = start + datetime.timedelta(days=length)
        for day in calendar.school_days(start, end, grade=grade, week_days=week):
            assert start <= day <= end
            if week == 5:
                assert calendar.is_working_day(day, grade=grade)
            elif not calendar.is_working_day(day, grade=grade):
                assert day.weekday() == 5
                assert calendar.status(day, grade=grade) is Status.WEEKEND

    check()


def test_school_days_agree_with_single_day_questions(calendar: SchoolCalendar) -> None:
    @settings(deadline=None, max_examples=100)
    @given(start=DAYS, length=st.integers(min_value=0, max_value=60), grade=GRADES, week=WEEKS)
    def check(start: datetime.date, length: int, grade: int, week: int) -> None:
        end = start + datetime.timedelta(days=length)
        listed = set(calendar.school_days(start, end, grade=grade, week_days=week))
        day = start
        while day <= end:
            asked = calendar.is_school_day(day, grade=grade, week_days=week)
            assert asked == (day in listed)
            day += datetime.timedelta(days=1)

    check()
