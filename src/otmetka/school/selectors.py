"""Reads on the school's reference data: years, periods, calendar overlay, classes, and what is
still missing in the school's setup."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from otmetka.school.models import (
    AcademicYear,
    CalendarOverride,
    Period,
    PeriodScheme,
    SchoolClass,
    Vacation,
)


def _current(prefix: str, day: Any) -> Q:
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
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
                "enrollments", filter=_current("enrollments__", today), distinct=True
            )
        )
        .order_by("-year__start", "grade", "letter")
    )


def current_year(*, school: Any, day: Any = None) -> AcademicYear | None:
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


def _item(key: str, message: str, kind: str, count: int | None = None) -> dict[str, Any]:
    return {
        "key": key,
        "message": message,
        "count": count,
        "link": "school:setup_list",
        "link_kwargs": {"kind": kind},
        "url": reverse("school:setup_list", kwargs={"kind": kind}),
    }


def _class_problems(classes: list[SchoolClass], year: AcademicYear) -> list[dict[str, Any]]:
    items = []
    schemes = {c.period_scheme for c in classes}
    with_periods = set(Period.objects.filter(year=year).values_list("scheme", flat=True))
    for scheme in sorted(schemes - with_periods):
        items.append(
            _item(
                f"no_periods_{scheme}",
                _("The year %(year)s has no %(scheme)s, but classes follow them.")
                % {"year": year.name, "scheme": PeriodScheme(scheme).label},
                "period",
            )
        )
    no_homeroom = [str(c) for c in classes if c.homeroom_teacher_id is None]
    if no_homeroom:
        items.append(
            _item(
                "classes_without_homeroom",
                _("Classes without a homeroom teacher: %(classes)s.")
                % {"classes": ", ".join(no_homeroom)},
                "class",
                len(no_homeroom),
            )
        )
    empty = [str(c) for c in classes if not c.student_count]
    if empty:
        items.append(
            _item(
                "classes_without_students",
                _("Classes without students: %(classes)s.") % {"classes": ", ".join(empty)},
                "class",
                len(empty),
            )
        )
    return items


def setup_status(*, school: Any) -> list[dict[str, Any]]:
    """What is still missing in the school's setup: each item has a Russian `message`, a link
    name (`link`, `link_kwargs`) and the resolved `url`. Empty when nothing is missing."""
    from otmetka.curriculum.models import Subject
    from otmetka.people.models import Student

    year = current_year(school=school)
    if year is None:
        return [_item("no_current_year", _("No academic year covers today."), "year")]
    classes = list(class_rows().filter(school=school, year=year))
    items = _class_problems(classes, year)
    if not classes:
        items.append(_item("no_classes", _("The current year has no classes."), "class"))
    if not Subject.objects.filter(school=school).exists():
        items.append(_item("no_subjects", _("The subject catalogue is empty."), "subject"))
    today = timezone.localdate()
    orphans = (
        Student.objects.filter(school=school)
        .filter(_current("enrollments__", today))
        .filter(guardians__isnull=True)
        .distinct()
        .count()
    )
    if orphans:
        message = ngettext(
            "%(count)s student has no guardian linked.",
            "%(count)s students have no guardian linked.",
            orphans,
        ) % {"count": orphans}
        items.append(_item("students_without_guardians", message, "student", orphans))
    return items
