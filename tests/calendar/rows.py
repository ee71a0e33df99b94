"""Building blocks of the calendar tests: R29's example year as rows."""

import datetime

from otmetka.school.models import (
    AcademicYear,
    Period,
    PeriodScheme,
    School,
    SchoolClass,
    Vacation,
)

D = datetime.date

# R29's example 2025/26: quarters and 9-day vacations, plus extra February vacation for grade 1.
EXAMPLE_QUARTERS = [
    (D(2025, 9, 1), D(2025, 10, 24)),
    (D(2025, 11, 5), D(2025, 12, 30)),
    (D(2026, 1, 9), D(2026, 3, 20)),
    (D(2026, 3, 30), D(2026, 5, 26)),
]
EXAMPLE_VACATIONS = [
    ("Осенние каникулы", D(2025, 10, 25), D(2025, 11, 2), 1, 11),
    ("Зимние каникулы", D(2025, 12, 31), D(2026, 1, 8), 1, 11),
    ("Дополнительные каникулы", D(2026, 2, 14), D(2026, 2, 22), 1, 1),
    ("Весенние каникулы", D(2026, 3, 21), D(2026, 3, 29), 1, 11),
]


def make_year(school: School, start_year: int = 2025) -> AcademicYear:
    """An academic year from 1 September to 26 May, with no periods or vacations."""
    return AcademicYear.objects.create(
        school=school,
        name=f"{start_year}/{start_year + 1}",
        start=D(start_year, 9, 1),
        end=D(start_year + 1, 5, 26),
    )


def add_example_structure(year: AcademicYear) -> None:
    """R29's example quarters and vacations as rows of the year."""
    for number, (start, end) in enumerate(EXAMPLE_QUARTERS, start=1):
        Period.objects.create(
            school=year.school,
            year=year,
            scheme=PeriodScheme.QUARTERS,
            number=number,
            start=start,
            end=end,
        )
    for name, start, end, min_grade, max_grade in EXAMPLE_VACATIONS:
        Vacation.objects.create(
            school=year.school,
            year=year,
            name=name,
            start=start,
            end=end,
            min_grade=min_grade,
            max_grade=max_grade,
        )


def make_class(
    year: AcademicYear, grade: int, letter: str = "А", week_days: int = 5
) -> SchoolClass:
    """A class of the year."""
    return SchoolClass.objects.create(
        school=year.school,
        year=year,
        grade=grade,
        letter=letter,
        period_scheme=PeriodScheme.QUARTERS,
        week_days=week_days,
    )
