"""Writes on the school's reference data: years, periods, the calendar overlay, classes and
enrollments. Every service re-checks access, validates before writing and records an audit event
in the same transaction."""

import datetime
import re
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access.rules import CHANGE, require, staff_now
from otmetka.accounts.models import User
from otmetka.audit.services import event_record, row_save, save_audited, snapshot
from otmetka.core.dates import d
from otmetka.core.validation import Errors, add, fail_if, own
from otmetka.school.models import (
    SCHEME_PERIOD_COUNT,
    AcademicYear,
    CalendarOverride,
    DayKind,
    Enrollment,
    Period,
    PeriodScheme,
    School,
    SchoolClass,
    Vacation,
)

YEAR_NAME = re.compile(r"^(\d{4})/(\d{4})$")
CLASS_LETTER = re.compile(r"^[А-ЯЁ]$")
MIN_VACATION_DAYS = 7


def _grades_problems(errors: Errors, min_grade: int, max_grade: int) -> None:
    for field, grade in (("min_grade", min_grade), ("max_grade", max_grade)):
        if not 1 <= grade <= 11:
            add(errors, field, _("A grade is a number from 1 to 11."))
    if min_grade > max_grade:
        add(errors, "max_grade", _("The last grade must not be below the first grade."))


def _inside_year(
    errors: Errors, year: AcademicYear, start: datetime.date, end: datetime.date
) -> None:
    if start < year.start or end > year.end:
        add(
            errors,
            "__all__",
            _("The dates must lie inside the academic year %(year)s (%(start)s–%(end)s).")
            % {"year": year.name, "start": d(year.start), "end": d(year.end)},
        )


def _end_after_start(
    errors: Errors, start: datetime.date, end: datetime.date, *, strict: bool = False
) -> bool:
    if end < start or (strict and end == start):
        add(errors, "end", _("The last day must be after the first day."))
        return False
    return True


# --- academic years ---------------------------------------------------------------------------


def _year_problems(
    *, school: School, year: AcademicYear, name: str, start: datetime.date, end: datetime.date
) -> Errors:
    errors: Errors = {}
    match = YEAR_NAME.match(name)
    if not match or int(match[2]) != int(match[1]) + 1:
        add(errors, "name", _("Write the year as «2026/2027»: two consecutive years with a slash."))
    elif start.year != int(match[1]) or end.year != int(match[2]):
        add(
            errors,
            "name",
            _("The year %(name)s must start in %(first)s and end in %(second)s.")
            % {"name": name, "first": match[1], "second": match[2]},
        )
    if not _end_after_start(errors, start, end, strict=True):
        return errors
    others = AcademicYear.objects.filter(school=school).exclude(pk=year.pk)
    if others.filter(name=name).exists():
        add(errors, "name", _("The school already has the year %(name)s.") % {"name": name})
    elif others.filter(start__lte=end, end__gte=start).exists():
        add(errors, "__all__", _("The dates overlap another academic year."))
    if year.pk:
        outside = ~Q(start__gte=start, end__lte=end)
        if Period.objects.filter(outside, year=year).exists() or (
            Vacation.objects.filter(outside, year=year).exists()
        ):
            add(
                errors,
                "__all__",
                _("Some periods or vacations of this year fall outside the new dates."),
            )
    return errors


def year_update(*, actor: Any, school: Any, year: AcademicYear, **fields: Any) -> AcademicYear:
    """Change an academic year's name or dates."""
    require(actor, school, "year", CHANGE)
    own(year, school)
    problems = partial(_year_problems, school=school, year=year, **fields)
    return row_save(actor=actor, obj=year, kind="year", fields=fields, problems=problems)


def year_create(
    *, actor: User, school: School, name: str, start: datetime.date, end: datetime.date
) -> AcademicYear:
    """Add an academic year (2026/2027) to the school."""
    year = AcademicYear(school=school)
    return year_update(actor=actor, school=school, year=year, name=name, start=start, end=end)


# --- periods ----------------------------------------------------------------------------------


def _period_problems(
    *,
    period: Period,
    year: AcademicYear,
    scheme: str,
    number: int,
    start: datetime.date,
    end: datetime.date,
) -> Errors:
    errors: Errors = {}
    count = SCHEME_PERIOD_COUNT[PeriodScheme(scheme)]
    if not 1 <= number <= count:
        add(
            errors,
            "number",
            _("Periods of the scheme «%(scheme)s» are numbered from 1 to %(count)s.")
            % {"scheme": PeriodScheme(scheme).label, "count": count},
        )
    if not _end_after_start(errors, start, end):
        return errors
    _inside_year(errors, year, start, end)
    for other in Period.objects.filter(year=year, scheme=scheme).exclude(pk=period.pk):
        if other.number == number:
            add(errors, "number", _("The period number %(n)s already exists.") % {"n": number})
        elif other.start <= end and start <= other.end:
            add(
                errors,
                "__all__",
                _("The dates overlap the period %(name)s (%(start)s–%(end)s).")
                % {"name": other.name, "start": d(other.start), "end": d(other.end)},
            )
        elif (other.number < number) != (other.end < start):
            add(
                errors,
                "number",
                _("Periods must be numbered in the order of their dates (see %(name)s).")
                % {"name": other.name},
            )
    return errors


def period_update(*, actor: Any, school: Any, period: Period, **fields: Any) -> Period:
    """Change a period's dates, number or scheme."""
    require(actor, school, "period", CHANGE)
    own(period, school)
    own(fields["year"], school)
    closed = fields.pop("journal_closed", period.closed_at is not None)
    problems = partial(_period_problems, period=period, **fields)
    fields["closed_at"] = (period.closed_at or timezone.now()) if closed else None
    return row_save(actor=actor, obj=period, kind="period", fields=fields, problems=problems)


def period_create(*, actor: Any, school: Any, **fields: Any) -> Period:
    """Add a period (quarter, half-year, trimester); fields: year, scheme, number, start, end."""
    return period_update(actor=actor, school=school, period=Period(school=school), **fields)


# --- calendar overlay: vacations and single-day changes ----------------------------------------


def _vacation_problems(
    *,
    year: AcademicYear,
    start: datetime.date,
    end: datetime.date,
    min_grade: int,
    max_grade: int,
    **_rest: Any,
) -> Errors:
    errors: Errors = {}
    _grades_problems(errors, min_grade, max_grade)
    if not _end_after_start(errors, start, end):
        return errors
    _inside_year(errors, year, start, end)
    if (end - start).days + 1 < MIN_VACATION_DAYS:
        add(
            errors,
            "end",
            _("Vacations last at least %(days)s calendar days.") % {"days": MIN_VACATION_DAYS},
        )
    return errors


def vacation_update(*, actor: Any, school: Any, vacation: Vacation, **fields: Any) -> Vacation:
    """Change vacations' name, dates or grades."""
    require(actor, school, "calendar", CHANGE)
    own(vacation, school)
    own(fields["year"], school)
    problems = partial(_vacation_problems, **fields)
    return row_save(actor=actor, obj=vacation, kind="vacation", fields=fields, problems=problems)


def vacation_create(*, actor: Any, school: Any, **fields: Any) -> Vacation:
    """Add vacations (каникулы); fields: year, name, start, end, min_grade, max_grade."""
    return vacation_update(actor=actor, school=school, vacation=Vacation(school=school), **fields)


def _override_problems(
    *,
    school: School,
    override: CalendarOverride,
    date: datetime.date,
    kind: str,
    reason: str,
    min_grade: int,
    max_grade: int,
) -> Errors:
    errors: Errors = {}
    _grades_problems(errors, min_grade, max_grade)
    if kind not in DayKind.values:
        add(errors, "kind", _("Choose the kind of the day."))
    if not reason.strip():
        add(errors, "reason", _("Write the reason (for example, a decree number)."))
    if not AcademicYear.objects.filter(school=school, start__lte=date, end__gte=date).exists():
        add(errors, "date", _("The date must lie inside one of the school's academic years."))
    same = CalendarOverride.objects.filter(
        school=school, date=date, min_grade__lte=max_grade, max_grade__gte=min_grade
    ).exclude(pk=override.pk)
    if same.exists():
        add(errors, "date", _("This date already has a calendar change for these grades."))
    return errors


def override_update(
    *, actor: User, school: School, override: CalendarOverride, **fields: Any
) -> CalendarOverride:
    """Change one calendar change of the school."""
    require(actor, school, "calendar", CHANGE)
    own(override, school)
    problems = partial(_override_problems, school=school, override=override, **fields)
    kind = "calendar_override"
    return row_save(actor=actor, obj=override, kind=kind, fields=fields, problems=problems)


def override_create(*, actor: Any, school: Any, **fields: Any) -> CalendarOverride:
    """Add a school day off, working day or quarantine; fields: date, kind, reason, grades."""
    override = CalendarOverride(school=school)
    return override_update(actor=actor, school=school, override=override, **fields)


# --- classes ----------------------------------------------------------------------------------


def _class_problems(
    *,
    school: School,
    school_class: SchoolClass,
    year: AcademicYear,
    grade: int,
    letter: str,
    homeroom_teacher: User | None,
    period_scheme: str,
    week_days: int,
) -> Errors:
    errors: Errors = {}
    if not 1 <= grade <= 11:
        add(errors, "grade", _("A grade is a number from 1 to 11."))
    if not CLASS_LETTER.match(letter):
        add(errors, "letter", _("The letter is one capital Cyrillic letter (А–Я)."))
    if week_days not in (5, 6):
        add(errors, "week_days", _("A school week has 5 or 6 days."))
    if period_scheme not in PeriodScheme.values:
        add(errors, "period_scheme", _("Choose the period scheme."))
    duplicate = SchoolClass.objects.filter(year=year, grade=grade, letter=letter)
    if duplicate.exclude(pk=school_class.pk).exists():
        add(
            errors,
            "__all__",
            _("The class %(name)s already exists in %(year)s.")
            % {"name": f"{grade}{letter}", "year": year.name},
        )
    if (
        homeroom_teacher is not None
        and not staff_now(school).filter(pk=homeroom_teacher.pk).exists()
    ):
        add(errors, "homeroom_teacher", _("The homeroom teacher must work at the school."))
    return errors


def class_update(
    *, actor: Any, school: Any, school_class: SchoolClass, **fields: Any
) -> SchoolClass:
    """Change a class: its homeroom teacher, scheme, week or name."""
    require(actor, school, "class", CHANGE)
    own(school_class, school)
    own(fields["year"], school)
    fields["letter"] = fields["letter"].strip().upper()
    if fields.get("week_days") is None:
        fields["week_days"] = school.week_days_for_grade(fields["grade"])
    problems = partial(_class_problems, school=school, school_class=school_class, **fields)
    return row_save(actor=actor, obj=school_class, kind="class", fields=fields, problems=problems)


def class_create(*, actor: User, school: School, **fields: Any) -> SchoolClass:
    """Add a class; fields: year, grade, letter, homeroom_teacher, period_scheme, week_days."""
    school_class = SchoolClass(school=school)
    return class_update(actor=actor, school=school, school_class=school_class, **fields)


# --- enrollments (contingent movement) --------------------------------------------------------


def enrollment_open(
    *,
    actor: User,
    school: School,
    student: Any,  # a people.Student (people is above school in the app order)
    school_class: SchoolClass,
    start: datetime.date,
    order_ref: str = "",
    action: str = "enrollment_open",
) -> Enrollment:
    """Put a student into a class from `start` (call inside the caller's transaction)."""
    require(actor, school, "student", CHANGE)
    own(school_class, school)
    own(student, school)
    errors: Errors = {}
    year = school_class.year
    if not year.start <= start <= year.end:
        add(
            errors,
            "start",
            _("The date must lie inside the academic year %(year)s (%(start)s–%(end)s).")
            % {"year": year.name, "start": d(year.start), "end": d(year.end)},
        )
    overlapping = Enrollment.objects.not_ended(start).filter(student=student)
    if overlapping.exists():
        add(errors, "start", _("The student is already in a class on this date."))
    fail_if(errors)
    enrollment = Enrollment(
        school=school, student=student, school_class=school_class, start=start, order_ref=order_ref
    )
    save_audited(actor=actor, obj=enrollment, action=action, before=None)
    return enrollment


def enrollment_close(
    *,
    actor: User,
    school: School,
    enrollment: Enrollment,
    end: datetime.date,
    reason: str = "",
    action: str = "enrollment_close",
) -> Enrollment:
    """End an enrollment on `end` (its last day in the class); history is kept."""
    require(actor, school, "student", CHANGE)
    own(enrollment, school)
    if end < enrollment.start:
        raise ValidationError(
            {
                "end": _("The date must not be before the student joined the class (%(start)s).")
                % {"start": d(enrollment.start)}
            }
        )
    before = snapshot(enrollment)
    enrollment.end = end
    enrollment.save(update_fields=["end"])
    event_record(
        actor=actor,
        action=action,
        obj=enrollment,
        before=before,
        after=snapshot(enrollment),
        reason=reason,
    )
    return enrollment
