"""Calendar test fixtures: a Crimean school, a school of another region, the 2025/26 year."""

import pytest

from otmetka.school.models import AcademicYear, CalendarOverride, DayKind, District, Region, School
from tests.calendar.rows import D, add_example_structure, make_year


@pytest.fixture
def crimea(db: None) -> Region:
    return Region.objects.create(name="Республика Крым", code="91")


@pytest.fixture
def school(crimea: Region) -> School:
    district = District.objects.create(region=crimea, name="Сакский район")
    return School.objects.create(
        district=district, name="МБОУ «Столбовская СШ»", short_name="Столбовская СШ"
    )


@pytest.fixture
def neighbour(school: School) -> School:
    """Another school of the same district and region."""
    return School.objects.create(
        district=school.district, name="МБОУ «Орловская СШ»", short_name="Орловская СШ"
    )


@pytest.fixture
def moscow_school(db: None) -> School:
    region = Region.objects.create(name="Москва", code="77")
    district = District.objects.create(region=region, name="ЦАО")
    return School.objects.create(district=district, name="ГБОУ Школа № 1", short_name="Школа № 1")


@pytest.fixture
def year(school: School) -> AcademicYear:
    """2025/26 of the school with R29's example quarters and vacations."""
    year = make_year(school)
    add_example_structure(year)
    return year


@pytest.fixture
def crimean_days_off(crimea: Region) -> None:
    """Crimea's extra days off of 2025 (decree of the Head of the Republic)."""
    for day in (D(2025, 3, 31), D(2025, 4, 21), D(2025, 6, 6), D(2025, 6, 9)):
        CalendarOverride.objects.create(
            region=crimea, date=day, kind=DayKind.DAY_OFF, reason="Указ Главы Республики Крым"
        )
