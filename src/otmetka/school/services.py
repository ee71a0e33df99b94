"""Writes on the school's reference data: years, periods, the calendar overlay, classes and
enrollments. Every service re-checks access, validates before writing and records an audit event
in the same transaction."""

import datetime
import json
import re
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access.rules import CHANGE, require, require_region, staff_now
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
    LocalAct,
    LocalActKind,
    Period,
    PeriodScheme,
    Region,
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


# --- the school's settings ----------------------------------------------------------------------

# The zones of Russia (and Crimea's own name for Moscow time) offered on the settings page.
TIME_ZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Simferopol",
    "Europe/Volgograd",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
)
MAX_CLOSE_AFTER_DAYS = 60


def _settings_problems(
    *,
    name: str,
    short_name: str,
    time_zone: str,
    six_day_from_grade: int,
    period_close_after_days: int | None,
) -> Errors:
    errors: Errors = {}
    if not name.strip():
        add(errors, "name", _("Write the school's full name."))
    if not short_name.strip():
        add(errors, "short_name", _("Write the school's short name."))
    if time_zone not in TIME_ZONES:
        add(errors, "time_zone", _("Choose a time zone from the list."))
    if six_day_from_grade and not 1 <= six_day_from_grade <= 11:
        add(errors, "six_day_from_grade", _("A grade is a number from 1 to 11 (0: none)."))
    if period_close_after_days is not None and not (
        0 <= period_close_after_days <= MAX_CLOSE_AFTER_DAYS
    ):
        add(
            errors,
            "period_close_after_days",
            _("From 0 to %(max)s days, or empty.") % {"max": MAX_CLOSE_AFTER_DAYS},
        )
    return errors


def school_settings_update(*, actor: User, school: School, **fields: Any) -> School:
    """Change the school's own settings; fields: name, short_name, time_zone,
    six_day_from_grade, period_close_after_days. Classes keep their week (the setting is the
    default of new classes)."""
    require(actor, school, "school", CHANGE)
    problems = partial(_settings_problems, **fields)
    return row_save(
        actor=actor, obj=school, kind="school_settings", fields=fields, problems=problems
    )


# --- the regional calendar (the region operator) ----------------------------------------------


def _region_override_problems(
    *, region: Region, date: datetime.date, kind: str, reason: str, min_grade: int, max_grade: int
) -> Errors:
    errors: Errors = {}
    _grades_problems(errors, min_grade, max_grade)
    if kind not in DayKind.values:
        add(errors, "kind", _("Choose the kind of the day."))
    if not reason.strip():
        add(errors, "reason", _("Write the reason (for example, a decree number)."))
    same = CalendarOverride.objects.filter(
        region=region, date=date, min_grade__lte=max_grade, max_grade__gte=min_grade
    )
    if same.exists():
        add(errors, "date", _("This date already has a calendar change for these grades."))
    return errors


def region_override_create(*, actor: User, region: Region, **fields: Any) -> CalendarOverride:
    """Add a regional day off, working day or quarantine for every school of the region;
    fields: date, kind, reason, min_grade, max_grade."""
    require_region(actor, region.pk)
    override = CalendarOverride(region=region)
    problems = partial(_region_override_problems, region=region, **fields)
    return row_save(
        actor=actor, obj=override, kind="region_calendar", fields=fields, problems=problems
    )


def region_override_delete(*, actor: User, region: Region, override: CalendarOverride) -> None:
    """Remove a regional calendar change (the audit event keeps what it was)."""
    require_region(actor, region.pk)
    if override.region_id != region.pk:
        raise Http404
    with transaction.atomic():
        event_record(
            actor=actor,
            action="region_calendar_delete",
            obj=override,
            before=snapshot(override),
        )
        override.delete()


REGIONAL_DATA = Path(__file__).parent / "data"


def _regional_data(name: str) -> dict[str, Any]:
    return dict(json.loads((REGIONAL_DATA / f"{name}.json").read_text(encoding="utf-8")))


def regional_days(name: str) -> list[dict[str, str]]:
    """The regional days shipped with Otmetka (`school/data/<name>.json`)."""
    return list(_regional_data(name)["days"])


def regional_data_name(region: Region) -> str | None:
    """The shipped data of the region (by its name or code), None when Otmetka has none."""
    for path in sorted(REGIONAL_DATA.glob("*.json")):
        data = _regional_data(path.stem)
        if region.name == data["region"] or (region.code and region.code in data["codes"]):
            return path.stem
    return None


def regional_days_load(*, actor: Any, region: Region, name: str) -> int:
    """Add the shipped regional days to the region's calendar (idempotent: dates the region
    already has are skipped); returns how many were added. `actor` None: a command or the demo."""
    if actor is not None:
        require_region(actor, region.pk)
    with transaction.atomic():
        taken = set(CalendarOverride.objects.filter(region=region).values_list("date", flat=True))
        rows = [
            CalendarOverride(
                region=region,
                date=datetime.date.fromisoformat(day["date"]),
                kind=day["kind"],
                reason=day["reason"][:200],
            )
            for day in regional_days(name)
            if datetime.date.fromisoformat(day["date"]) not in taken
        ]
        CalendarOverride.objects.bulk_create(rows)
        event_record(
            actor=actor,
            action="region_calendar_load",
            obj=region,
            after={"data": name, "dates": [row.date.isoformat() for row in rows]},
        )
    return len(rows)


# --- local acts ---------------------------------------------------------------------------------

LOCAL_ACT_MAX_BYTES = 20 * 1024 * 1024


def _local_act_problems(
    *,
    kind: str,
    title: str,
    approved_on: datetime.date,
    effective_from: datetime.date | None,
    upload: Any,
) -> Errors:
    errors: Errors = {}
    if kind not in LocalActKind.values:
        add(errors, "kind", _("Choose the kind of the act."))
    if not title.strip():
        add(errors, "title", _("Write the act's title."))
    if effective_from is not None and effective_from < approved_on:
        add(errors, "effective_from", _("An act comes into force on or after its approval."))
    if upload is not None:
        if upload.size > LOCAL_ACT_MAX_BYTES:
            add(errors, "file", _("The file is larger than 20 MB."))
        else:
            upload.seek(0)
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                add(errors, "file", _("Upload the act as a PDF file."))
    return errors


def local_act_save(
    *, actor: User, school: School, act: LocalAct | None = None, upload: Any = None, **fields: Any
) -> LocalAct:
    """Add a local act (a PDF is required) or change one (a new PDF replaces the old); fields:
    kind, title, number, approved_on, effective_from."""
    require(actor, school, "localact", CHANGE)
    if act is None:
        if upload is None:
            raise ValidationError({"file": _("Attach the act's PDF.")})
        act = LocalAct(school=school, uploaded_by=actor)
    own(act, school)
    problems = partial(
        _local_act_problems,
        kind=fields["kind"],
        title=fields["title"],
        approved_on=fields["approved_on"],
        effective_from=fields.get("effective_from"),
        upload=upload,
    )
    with transaction.atomic():
        fail_if(problems())
        before = _act_snapshot(act) if act.pk else None
        for field, value in fields.items():
            setattr(act, field, value)
        if upload is not None:
            act.name = Path(str(upload.name)).name[-200:] or "act.pdf"
            act.size = upload.size
            act.file = upload
        action = "local_act_update" if act.pk else "local_act_create"
        act.save()
        event_record(actor=actor, action=action, obj=act, before=before, after=_act_snapshot(act))
    return act


def _act_snapshot(act: LocalAct) -> dict[str, Any]:
    """The act's fields for its audit event (the file by its stored name)."""
    return {**snapshot(act), "file": act.file.name}
