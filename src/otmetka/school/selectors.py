"""Reads on the school's reference data: years, periods, calendar overlay, classes."""

import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from otmetka.core.dates import active_on
from otmetka.school.models import (
    AcademicYear,
    CalendarOverride,
    LocalAct,
    Period,
    Region,
    School,
    SchoolClass,
    Vacation,
)


def year_rows() -> QuerySet[AcademicYear]:
    """Academic years, newest first."""
    return AcademicYear.objects.order_by("-start")


def period_rows() -> QuerySet[Period]:
    """Periods with their years, newest year first."""
    return Period.objects.select_related("year").order_by("-year__start", "scheme", "number")


def vacation_rows() -> QuerySet[Vacation]:
    """Vacations with their years, newest year first."""
    return Vacation.objects.select_related("year").order_by("-year__start", "start")


def override_rows() -> QuerySet[CalendarOverride]:
    """Calendar changes, latest date first."""
    return CalendarOverride.objects.order_by("-date")


def class_rows() -> QuerySet[SchoolClass]:
    """Classes with year, homeroom teacher and the number of current students."""
    today = timezone.localdate()
    return (
        SchoolClass.objects.select_related("year", "homeroom_teacher")
        .annotate(
            student_count=Count(
                "enrollments", filter=active_on(today, prefix="enrollments__"), distinct=True
            )
        )
        .order_by("-year__start", "grade", "letter")
    )


def current_year(*, school: School, day: datetime.date | None = None) -> AcademicYear | None:
    """The academic year of the school that contains `day` (today by default)."""
    day = day or timezone.localdate()
    return AcademicYear.objects.filter(school=school, start__lte=day, end__gte=day).first()


def year_structure_warnings(
    *, year: AcademicYear, periods: list[Period], vacations: list[Vacation]
) -> list[str]:
    """Warnings about the year's structure (R29) from the calendar module, when installed."""
    try:
        from otmetka.school.calendar import year_structure_problems
    except ImportError:
        return []
    return [str(p) for p in year_structure_problems(year, periods, vacations)]


def year_details(*, year: AcademicYear) -> dict[str, Any]:
    """A year's periods, vacations and structure warnings, for the year's page."""
    periods = list(Period.objects.filter(year=year).order_by("scheme", "number"))
    vacations = list(Vacation.objects.filter(year=year).order_by("start"))
    return {
        "periods": periods,
        "vacations": vacations,
        "warnings": year_structure_warnings(year=year, periods=periods, vacations=vacations),
    }


def local_act_rows(*, school: School) -> QuerySet[LocalAct]:
    """The school's local acts, the newest approval first."""
    return LocalAct.objects.filter(school=school).order_by("-approved_on", "title")


def operated_region_rows(*, region_ids: set[int]) -> QuerySet[Region]:
    """The regions of the given ids (those a region operator keeps)."""
    return Region.objects.filter(pk__in=region_ids).order_by("name")


def region_override_rows(*, region: Region) -> QuerySet[CalendarOverride]:
    """The regional calendar changes of a region, by date."""
    return CalendarOverride.objects.filter(region=region).order_by("date", "min_grade")
