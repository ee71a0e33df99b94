"""Writes on the school's reference data: years, periods, the calendar overlay, classes and
enrollments. Every service re-checks access, validates before writing and records an audit event
in the same transaction."""

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access.rules import CHANGE, require, staff_now
from otmetka.accounts.models import User
from otmetka.audit.services import event_record, save_audited, snapshot
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


def _year_save(
    *, actor: User, school: School, year: AcademicYear, action: str, **fields: Any
) -> AcademicYear:
    fail_if(_year_problems(school=school, year=year, **fields))
    before = snapshot(year) if year.pk else None
    for name, value in fields.items():
        setattr(year, name, value)
    with transaction.atomic():
        save_audited(actor=actor, obj=year, action=action, before=before)
    return year


def year_create(
    *, actor: User, school: School, name: str, start: datetime.date, end: datetime.date
) -> AcademicYear:
    """Add an academic year (2026/2027) to the school."""
    require(actor, school, "year", CHANGE)
    year = AcademicYear(school=school)
    return _year_save(
        actor=actor, school=school, year=year, action="year_create", name=name, start=start, end=end
    )


def year_update(
    *,
    actor: User,
    school: School,
    year: AcademicYear,
    name: str,
    start: datetime.date,
    end: datetime.date,
) -> AcademicYear:
    """Change an academic year's name or dates."""
    require(actor, school, "year", CHANGE)
    own(year, school)
    return _year_save(
        actor=actor, school=school, year=year, action="year_update", name=name, start=start, end=end
    )


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


def _period_save(
    *, actor: User, school: School, period: Period, action: str, **fields: Any
) -> Period:
    journal_closed = fields.pop("journal_closed", period.closed_at is not None)
    year = fields["year"]
    own(year, school)
    fail_if(_period_problems(period=period, **fields))
    before = snapshot(period) if period.pk else None
    for name, value in fields.items():
        setattr(period, name, value)
    if not journal_closed:
        period.closed_at = None
    elif period.closed_at is None:
        period.closed_at = timezone.now()
    with transaction.atomic():
        save_audited(actor=actor, obj=period, action=action, before=before)
    return period


def period_create(*, actor: User, school: School, **fields: Any) -> Period:
    """Add a period (quarter, half-year, trimester); fields: year, scheme, number, start, end."""
    require(actor, school, "period", CHANGE)
    return _period_save(
        actor=actor, school=school, period=Period(school=school), action="period_create", **fields
    )


def period_update(*, actor: User, school: School, period: Period, **fields: Any) -> Period:
    """Change a period's dates, number or scheme."""
    require(actor, school, "period", CHANGE)
    own(period, school)
    return _period_save(actor=actor, school=school, period=period, action="period_update", **fields)


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


def _vacation_save(
    *, actor: User, school: School, vacation: Vacation, action: str, **fields: Any
) -> Vacation:
    own(fields["year"], school)
    fail_if(_vacation_problems(**fields))
    before = snapshot(vacation) if vacation.pk else None
    for name, value in fields.items():
        setattr(vacation, name, value)
    with transaction.atomic():
        save_audited(actor=actor, obj=vacation, action=action, before=before)
    return vacation


def vacation_create(*, actor: User, school: School, **fields: Any) -> Vacation:
    """Add vacations (каникулы); fields: year, name, start, end, min_grade, max_grade."""
    require(actor, school, "calendar", CHANGE)
    vacation = Vacation(school=school)
    return _vacation_save(
        actor=actor, school=school, vacation=vacation, action="vacation_create", **fields
    )


def vacation_update(*, actor: User, school: School, vacation: Vacation, **fields: Any) -> Vacation:
    """Change vacations' name, dates or grades."""
    require(actor, school, "calendar", CHANGE)
    own(vacation, school)
    return _vacation_save(
        actor=actor, school=school, vacation=vacation, action="vacation_update", **fields
    )


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


def _override_save(
    *, actor: User, school: School, override: CalendarOverride, action: str, **fields: Any
) -> CalendarOverride:
    fail_if(_override_problems(school=school, override=override, **fields))
    before = snapshot(override) if override.pk else None
    for name, value in fields.items():
        setattr(override, name, value)
    with transaction.atomic():
        save_audited(actor=actor, obj=override, action=action, before=before)
    return override


def override_create(*, actor: User, school: School, **fields: Any) -> CalendarOverride:
    """Add a school day off, working day or quarantine; fields: date, kind, reason, grades."""
    require(actor, school, "calendar", CHANGE)
    override = CalendarOverride(school=school)
    return _override_save(
        actor=actor, school=school, override=override, action="calendar_override_create", **fields
    )


def override_update(
    *, actor: User, school: School, override: CalendarOverride, **fields: Any
) -> CalendarOverride:
    """Change one calendar change of the school."""
    require(actor, school, "calendar", CHANGE)
    own(override, school)
    return _override_save(
        actor=actor, school=school, override=override, action="calendar_override_update", **fields
    )


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


def _class_save(
    *, actor: User, school: School, school_class: SchoolClass, action: str, **fields: Any
) -> SchoolClass:
    own(fields["year"], school)
    fields["letter"] = fields["letter"].strip().upper()
    if fields.get("week_days") is None:
        fields["week_days"] = school.week_days_for_grade(fields["grade"])
    fail_if(_class_problems(school=school, school_class=school_class, **fields))
    before = snapshot(school_class) if school_class.pk else None
    for name, value in fields.items():
        setattr(school_class, name, value)
    with transaction.atomic():
        save_audited(actor=actor, obj=school_class, action=action, before=before)
    return school_class


def class_create(*, actor: User, school: School, **fields: Any) -> SchoolClass:
    """Add a class; fields: year, grade, letter, homeroom_teacher, period_scheme, week_days."""
    require(actor, school, "class", CHANGE)
    school_class = SchoolClass(school=school)
    return _class_save(
        actor=actor, school=school, school_class=school_class, action="class_create", **fields
    )


def class_update(
    *, actor: User, school: School, school_class: SchoolClass, **fields: Any
) -> SchoolClass:
    """Change a class: its homeroom teacher, scheme, week or name."""
    require(actor, school, "class", CHANGE)
    own(school_class, school)
    return _class_save(
        actor=actor, school=school, school_class=school_class, action="class_update", **fields
    )


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
    overlapping = Enrollment.objects.filter(student=student).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
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
