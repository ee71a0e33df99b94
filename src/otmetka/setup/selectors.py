"""Reads of the setup pages: what is still missing in the school's setup."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from otmetka.core.dates import active_on
from otmetka.curriculum.models import Subject
from otmetka.people.models import Student
from otmetka.school.models import AcademicYear, Period, PeriodScheme, School, SchoolClass
from otmetka.school.selectors import class_rows, current_year


def _item(key: str, message: str, kind: str, count: int | None = None) -> dict[str, Any]:
    return {
        "key": key,
        "message": message,
        "count": count,
        "link": "setup:list",
        "link_kwargs": {"kind": kind},
        "url": reverse("setup:list", kwargs={"kind": kind}),
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
    # `student_count` is annotated by `class_rows()` (the stubs see a plain SchoolClass).
    empty = [str(c) for c in classes if not c.student_count]  # type: ignore[attr-defined]
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


def setup_status(*, school: School) -> list[dict[str, Any]]:
    """What is still missing in the school's setup: each item has a Russian `message`, a link
    name (`link`, `link_kwargs`) and the resolved `url`. Empty when nothing is missing."""
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
        .filter(active_on(today, prefix="enrollments__"))
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
