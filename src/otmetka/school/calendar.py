"""The school calendar: is date D a school day for a class, and moment T plus N working days.

Layers, from the bottom up:

1. the Russian production calendar from the ``holidays`` package (``holidays.RU``): named days off,
   days off transferred onto weekdays, and weekend days turned into working days by the transfer
   decrees (``weekend_workdays``, e.g. Saturday 01.11.2025);
2. the overlay of ``CalendarOverride`` rows of the school's region and of the school itself
   (``day_off``, ``working``, ``quarantine``; each for a range of grades). For a date and a grade
   the school's ``day_off``/``working`` rows beat the region's; ``quarantine`` rows of either
   layer close the grades they name (a school cannot lift a regional quarantine);
3. vacations (``Vacation``, per grade range), the academic years' bounds and the class's week
   (5 or 6 days).

A *working day* is a day of the production calendar with the overlay (deadlines count these).
A *school day* of a grade is a working day for that grade — or, in a 6-day week, a plain Saturday
that is not a holiday — inside an academic year, outside vacations and quarantines of the grade.
A transferred working Saturday is a working day, so it is a school day in a 5-day week too.

``SchoolCalendar`` loads the overlay once for a date window (one query: the overlay, vacations
and years as one UNION ALL) and answers from precomputed sets; asking about a date outside the
window widens it (one more query), never a query per day.
"""

import datetime
import enum
import functools
from collections.abc import Iterable, Iterator
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import holidays
from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from otmetka.school.models import (
    SCHEME_PERIOD_COUNT,
    AcademicYear,
    CalendarOverride,
    DayKind,
    District,
    Period,
    PeriodScheme,
    School,
    SchoolClass,
    Vacation,
)

ONE_DAY = datetime.timedelta(days=1)
MIN_GRADE, MAX_GRADE = 1, 11
MIN_VACATION_DAYS = 7
# Widening the loaded window by a year at a time keeps a long walk to a handful of queries.
EXTEND_BY = datetime.timedelta(days=366)
# No real calendar has ten years without a working day; this only stops a broken overlay.
MAX_WALK_DAYS = 3660

Moment = TypeVar("Moment", datetime.date, datetime.datetime)


class Status(enum.Enum):
    """What the production calendar with the overlay says about a day."""

    WORKING = "working"
    OFF = "off"  # a holiday, a transferred day off or an overlay day off
    WEEKEND = "weekend"  # a plain Saturday or Sunday


class _Row(NamedTuple):
    kind: str
    min_grade: int
    max_grade: int

    def covers(self, grade: int | None) -> bool:
        """Whether the row applies to the grade (None: to the whole school)."""
        if grade is None:
            return self.min_grade <= MIN_GRADE and self.max_grade >= MAX_GRADE
        return self.min_grade <= grade <= self.max_grade


class _Span(NamedTuple):
    start: datetime.date
    end: datetime.date
    min_grade: int
    max_grade: int
    name: str = ""


OVERRIDE, VACATION, YEAR = range(3)  # the tags of the window's rows


@functools.cache
def _window_sql(vendor: str) -> str:
    """The overlay, vacations and academic years of a window as one UNION ALL (dates as text:
    PostgreSQL's UNION wants one type a column). Parameters: the school twice, start, end (the
    overlay); the school, end, start (vacations); the same (years)."""
    del vendor  # one text per database: quote_name is the backend's
    q = connection.ops.quote_name
    t = {m.__name__: q(m._meta.db_table) for m in (CalendarOverride, Vacation, AcademicYear,
                                                   School, District)}  # fmt: skip
    end = q("end")
    region = (
        f"(SELECT d.region_id FROM {t['District']} d JOIN {t['School']} s"
        " ON s.district_id = d.id WHERE s.id = %s)"
    )
    return f"""
        SELECT {OVERRIDE}, o.school_id, CAST(o.date AS TEXT), NULL, o.kind, o.min_grade,
               o.max_grade
          FROM {t["CalendarOverride"]} o
         WHERE (o.school_id = %s OR o.region_id = {region}) AND o.date BETWEEN %s AND %s
        UNION ALL
        SELECT {VACATION}, v.id, CAST(v.start AS TEXT), CAST(v.{end} AS TEXT), v.name,
               v.min_grade, v.max_grade
          FROM {t["Vacation"]} v WHERE v.school_id = %s AND v.start <= %s AND v.{end} >= %s
        UNION ALL
        SELECT {YEAR}, y.id, CAST(y.start AS TEXT), CAST(y.{end} AS TEXT), NULL, NULL, NULL
          FROM {t["AcademicYear"]} y WHERE y.school_id = %s AND y.start <= %s AND y.{end} >= %s
         ORDER BY 1, 3, 2
    """


@functools.lru_cache(maxsize=64)
def _federal_year(year: int) -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
    """(days off, weekend working days) of one year of the Russian production calendar."""
    # Neighbouring years are populated too: a transfer may cross the New Year.
    calendar = holidays.country_holidays("RU", years=[year - 1, year, year + 1])
    days_off = frozenset(day for day in calendar if day.year == year)
    workdays = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, workdays


def federal_status(day: datetime.date) -> Status:
    """The production calendar's word on a day, without any regional or school overlay."""
    days_off, weekend_workdays = _federal_year(day.year)
    if day in weekend_workdays:
        return Status.WORKING
    if day in days_off:
        return Status.OFF
    return Status.WORKING if day.weekday() < 5 else Status.WEEKEND


def _iso(text: str) -> datetime.date:
    """A date read as text (YYYY-MM-DD, on SQLite and PostgreSQL)."""
    return datetime.date.fromisoformat(text[:10])


def _days(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def _check_week(week_days: int) -> None:
    if week_days not in (5, 6):
        raise ValueError(f"week_days must be 5 or 6, not {week_days!r}")


class SchoolCalendar:
    """The effective calendar of one school, loaded for a date window with one query."""

    def __init__(self, *, school: School, start: datetime.date, end: datetime.date) -> None:
        if end < start:
            raise ValueError("the calendar window ends before it starts")
        self.school = school
        self._school_day_sets: dict[tuple[int, int], frozenset[datetime.date]] = {}
        self._load(start, end)

    # --- loading -------------------------------------------------------------------------------

    def _load(self, start: datetime.date, end: datetime.date) -> None:
        """Load the overlay, vacations and academic years of the window and precompute sets."""
        self.start, self.end = start, end
        self._school_rows: dict[datetime.date, list[_Row]] = {}
        self._region_rows: dict[datetime.date, list[_Row]] = {}
        a, b = (connection.ops.adapt_datefield_value(d) for d in (start, end))
        school = self.school.pk
        with connection.cursor() as cursor:
            cursor.execute(
                _window_sql(connection.vendor),
                [school, school, a, b, school, b, a, school, b, a],
            )
            rows = cursor.fetchall()
        self._vacations: list[_Span] = []
        self._years: dict[int, tuple[datetime.date, datetime.date]] = {}
        for tag, pk, first, last, text, low, high in rows:
            day = _iso(first)
            if tag == OVERRIDE:
                layer = self._school_rows if pk is not None else self._region_rows
                layer.setdefault(day, []).append(_Row(text, low, high))
            elif tag == VACATION:
                self._vacations.append(_Span(day, _iso(last), low, high, text))
            else:
                self._years[pk] = (day, _iso(last))
        self._working = frozenset(
            day for day in _days(start, end) if self.status(day) is Status.WORKING
        )
        self._school_day_sets.clear()

    @property
    def vacations(self) -> list[_Span]:
        """The loaded window's vacations (with their names), by first day."""
        return self._vacations

    def _ensure(self, start: datetime.date, end: datetime.date) -> None:
        """Widen the loaded window (by at least a year) when a question falls outside it."""
        if start >= self.start and end <= self.end:
            return
        new_start = min(self.start, start - EXTEND_BY) if start < self.start else self.start
        new_end = max(self.end, end + EXTEND_BY) if end > self.end else self.end
        self._load(new_start, new_end)

    # --- single days ---------------------------------------------------------------------------

    def status(self, day: datetime.date, *, grade: int | None = None) -> Status:
        """The production calendar with the overlay for a grade (None: the whole school)."""
        self._ensure(day, day)
        for layer in (self._school_rows, self._region_rows):
            kinds = {
                row.kind
                for row in layer.get(day, ())
                if row.kind != DayKind.QUARANTINE and row.covers(grade)
            }
            if kinds:
                return Status.OFF if DayKind.DAY_OFF in kinds else Status.WORKING
        return federal_status(day)

    def is_working_day(self, day: datetime.date, *, grade: int | None = None) -> bool:
        """Whether the day is a working day by the production calendar and the overlay.

        Without a grade only overrides for all grades (1–11) count; with one, those covering it.
        """
        if grade is None:
            self._ensure(day, day)
            return day in self._working
        return self.status(day, grade=grade) is Status.WORKING

    def _is_closed(self, day: datetime.date, grade: int) -> bool:
        """Whether a vacation or a quarantine of the grade, or the year's bounds, close the day."""
        if not any(first <= day <= last for first, last in self._years.values()):
            return True
        if any(
            v.start <= day <= v.end and v.min_grade <= grade <= v.max_grade for v in self._vacations
        ):
            return True
        return any(
            row.kind == DayKind.QUARANTINE and row.covers(grade)
            for layer in (self._school_rows, self._region_rows)
            for row in layer.get(day, ())
        )

    def _compute_school_day(self, day: datetime.date, grade: int, week_days: int) -> bool:
        status = self.status(day, grade=grade)
        if status is Status.OFF:
            return False
        if status is Status.WEEKEND and day.weekday() >= week_days:
            return False
        return not self._is_closed(day, grade)

    def _school_day_set(self, grade: int, week_days: int) -> frozenset[datetime.date]:
        key = (grade, week_days)
        if key not in self._school_day_sets:
            self._school_day_sets[key] = frozenset(
                day
                for day in _days(self.start, self.end)
                if self._compute_school_day(day, grade, week_days)
            )
        return self._school_day_sets[key]

    def is_school_day(
        self,
        day: datetime.date,
        *,
        grade: int,
        week_days: int,
        year_id: int | None = None,
    ) -> bool:
        """Whether a class of the grade with this week has lessons on the day.

        A working day for the grade (a plain Saturday counts in a 6-day week; a transferred
        working Saturday counts in a 5-day week too), inside an academic year (the given one if
        ``year_id`` is passed), outside the grade's vacations and quarantines.
        """
        _check_week(week_days)
        self._ensure(day, day)
        if year_id is not None:
            bounds = self._years.get(year_id)
            if bounds is None or not bounds[0] <= day <= bounds[1]:
                return False
        return day in self._school_day_set(grade, week_days)

    # --- ranges and arithmetic -----------------------------------------------------------------

    def school_days(
        self, start: datetime.date, end: datetime.date, *, grade: int, week_days: int
    ) -> list[datetime.date]:
        """The school days of the grade from start to end, both included, in order."""
        _check_week(week_days)
        if end < start:
            return []
        self._ensure(start, end)
        days = self._school_day_set(grade, week_days)
        return [day for day in _days(start, end) if day in days]

    def _local_date(self, moment: datetime.date) -> datetime.date:
        if isinstance(moment, datetime.datetime):
            if moment.tzinfo is None:
                raise ValueError("a naive datetime: pass an aware one")
            return moment.astimezone(ZoneInfo(self.school.time_zone)).date()
        return moment

    def add_working_days(self, moment: Moment, n: int) -> Moment:
        """The moment N working days later (earlier for a negative N), whole school calendar.

        Counting starts on the day after the moment's date, so from a day off (a Saturday, a
        holiday) the first working day after it is day 1: Saturday + 1 = Monday. N = 0 gives
        the moment's date if it is a working day, else the next working day. A date gives a date;
        an aware datetime gives the same wall-clock time in the school's time zone on that day.
        """
        day = self._local_date(moment)
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining, walked = abs(n), 0
        if n == 0:
            while not self.is_working_day(day):
                day, walked = day + ONE_DAY, walked + 1
                self._check_walk(walked)
        while remaining:
            day, walked = day + step, walked + 1
            self._check_walk(walked)
            if self.is_working_day(day):
                remaining -= 1
        if isinstance(moment, datetime.datetime):
            zone = ZoneInfo(self.school.time_zone)
            local = moment.astimezone(zone)
            return datetime.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)
        return day

    @staticmethod
    def _check_walk(walked: int) -> None:
        if walked > MAX_WALK_DAYS:
            raise ValueError("no working day within ten years: check the calendar changes")

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after start up to and including end (negative when end is earlier).

        So ``add_working_days(start, working_days_between(start, end)) == end`` for a working
        day ``end`` later than ``start``; a deadline "within 3 working days" is ``<= 3``.
        """
        first, last = self._local_date(start), self._local_date(end)
        sign = 1
        if last < first:
            first, last, sign = last, first, -1
        if first == last:
            return 0
        self._ensure(first + ONE_DAY, last)
        return sign * sum(1 for day in _days(first + ONE_DAY, last) if day in self._working)


# --- convenience -------------------------------------------------------------------------------


def calendar_for(school: School, start: datetime.date, end: datetime.date) -> SchoolCalendar:
    """The calendar of a school loaded for the window from start to end."""
    return SchoolCalendar(school=school, start=start, end=end)


def is_school_day(school_class: SchoolClass, day: datetime.date) -> bool:
    """Whether the class has lessons on the day (one-off question; build a calendar for many)."""
    calendar = calendar_for(school_class.school, day, day)
    return calendar.is_school_day(
        day,
        grade=school_class.grade,
        week_days=school_class.week_days,
        year_id=school_class.year_id,
    )


def add_working_days(school: School, moment: Moment, n: int) -> Moment:
    """The moment N working days later by the school's calendar (see SchoolCalendar)."""
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    # Two calendar weeks per five working days plus the New Year's break covers most walks.
    margin = datetime.timedelta(days=abs(n) * 2 + 21)
    calendar = calendar_for(school, day - margin, day + margin)
    return calendar.add_working_days(moment, n)


# --- R29: the structure of a school year -------------------------------------------------------


def _next_working(
    day: datetime.date, step: datetime.timedelta, calendar: SchoolCalendar | None
) -> datetime.date:
    def working(d: datetime.date) -> bool:
        if calendar is not None:
            return calendar.is_working_day(d)
        return federal_status(d) is Status.WORKING

    while not working(day):
        day += step
    return day


def year_bounds(
    start_year: int, *, calendar: SchoolCalendar | None = None
) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the school year starting in start_year.

    1 September or the next working day; 26 May or the previous working day. The production
    calendar decides, with the school's overlay when a calendar is given.
    """
    first = _next_working(datetime.date(start_year, 9, 1), ONE_DAY, calendar)
    last = _next_working(datetime.date(start_year + 1, 5, 26), -ONE_DAY, calendar)
    return first, last


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _uncovered(
    start: datetime.date, end: datetime.date, vacations: list[Vacation]
) -> tuple[datetime.date, datetime.date] | None:
    """(first, last) working day between start and end that lies in no vacation, or None."""
    days = [
        day
        for day in _days(start, end)
        if federal_status(day) is Status.WORKING
        and not any(v.start <= day <= v.end for v in vacations)
    ]
    return (days[0], days[-1]) if days else None


def _bounds_problems(year: AcademicYear) -> list[str]:
    first, last = year_bounds(year.start.year if year.start.month >= 6 else year.start.year - 1)
    problems = []
    if year.start != first:
        problems.append(
            _(
                "The year starts on %(start)s, but by the rules it starts on %(expected)s "
                "(1 September or the next working day)."
            )
            % {"start": _fmt(year.start), "expected": _fmt(first)}
        )
    if year.end != last:
        problems.append(
            _(
                "The year ends on %(end)s, but by the rules it ends on %(expected)s "
                "(26 May or the previous working day)."
            )
            % {"end": _fmt(year.end), "expected": _fmt(last)}
        )
    return problems


def _vacation_problems(year: AcademicYear, vacations: list[Vacation]) -> list[str]:
    problems = []
    for vacation in vacations:
        values = {"name": vacation.name, "start": _fmt(vacation.start), "end": _fmt(vacation.end)}
        if (vacation.end - vacation.start).days + 1 < MIN_VACATION_DAYS:
            problems.append(
                _("The vacation «%(name)s» (%(start)s–%(end)s) is shorter than 7 calendar days.")
                % values
            )
        if vacation.start < year.start or vacation.end > year.end:
            problems.append(
                _("The vacation «%(name)s» (%(start)s–%(end)s) lies outside the year.") % values
            )
    return problems


def _scheme_problems(
    year: AcademicYear, scheme: str, periods: list[Period], vacations: list[Vacation]
) -> list[str]:
    """Count, bounds, overlaps and uncovered gaps of one scheme's periods."""
    label = PeriodScheme(scheme).label
    problems = []
    expected = SCHEME_PERIOD_COUNT[PeriodScheme(scheme)]
    if len(periods) != expected:
        problems.append(
            _("Scheme «%(scheme)s»: %(expected)s periods expected, %(count)s given.")
            % {"scheme": label, "expected": expected, "count": len(periods)}
        )
    previous_end = year.start - ONE_DAY
    previous: Period | None = None
    for period in sorted(periods, key=lambda p: (p.start, p.number)):
        values = {"period": period.name, "start": _fmt(period.start), "end": _fmt(period.end)}
        if period.start < year.start or period.end > year.end:
            problems.append(_("%(period)s (%(start)s–%(end)s) lies outside the year.") % values)
        if previous is not None and period.start <= previous.end:
            problems.append(
                _("%(period)s and %(other)s overlap.")
                % {"period": previous.name, "other": period.name}
            )
        elif gap := _uncovered(previous_end + ONE_DAY, period.start - ONE_DAY, vacations):
            problems.append(_gap_message(label, *gap))
        previous_end = max(previous_end, period.end)
        previous = period
    if periods and (gap := _uncovered(previous_end + ONE_DAY, year.end, vacations)):
        problems.append(_gap_message(label, *gap))
    return problems


def _gap_message(label: str | Promise, start: datetime.date, end: datetime.date) -> str:
    return _(
        "Scheme «%(scheme)s»: working days from %(start)s to %(end)s are in no period "
        "and no vacation."
    ) % {"scheme": label, "start": _fmt(start), "end": _fmt(end)}


def year_structure_problems(
    year: AcademicYear, periods: Iterable[Period], vacations: Iterable[Vacation]
) -> list[str]:
    """Messages for every R29 rule the year's structure breaks (empty when it is sound).

    Checks the year's first and last days, vacations of at least 7 calendar days inside the
    year, and for each period scheme: the number of periods, periods inside the year, no
    overlaps, and every working day of the year in a period or a vacation. Rows may be unsaved.
    """
    vacations = list(vacations)
    by_scheme: dict[str, list[Period]] = {}
    for period in periods:
        by_scheme.setdefault(period.scheme, []).append(period)
    problems = _bounds_problems(year) + _vacation_problems(year, vacations)
    for scheme in sorted(by_scheme):
        problems += _scheme_problems(year, scheme, by_scheme[scheme], vacations)
    return [str(problem) for problem in problems]
