"""Closing a school year: lock its journals (every period closed: only the deputy corrects,
with a reason), make its archive, open the next year with its periods, roll the classes up
(7А → 8А with the same students; the 9th and 11th grades leave: their enrolments end).

Idempotent and resumable: the plan is read from the database each time, so a second run (or a
run after an interruption) does only what is still missing; `dry_run` prints the plan only.
The writes cross apps (school, people) in one transaction per step with an audit event per row:
closing the year is the director's act, which the reference-data services do not grant."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from otmetka.archive.models import Archive
from otmetka.archive.services import RETENTION_YEARS, archive_create
from otmetka.audit.models import Event
from otmetka.audit.services import event_record, save_audited, snapshot
from otmetka.grading.models import AcademicDebt, ConditionalTransfer
from otmetka.school.calendar import year_bounds
from otmetka.school.models import AcademicYear, Enrollment, Period, PeriodScheme, SchoolClass

GRADUATING = (9, 11)  # basic and secondary general education end here (a 10th is a new intake)


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _warning(item: dict[str, Any]) -> str:
    return (
        _(
            "Warning: %(name)s (%(from)s) has open debts (%(subjects)s) and no conditional"
            " transfer; the school decides: repeat the year or transfer conditionally."
        )
        % item
    )


@dataclass
class Move:
    """A class of the closing year and where its students go (None: they leave)."""

    school_class: SchoolClass
    target: str | None
    students: list[Enrollment]


@dataclass
class Plan:
    """What closing the year would still change."""

    year: AcademicYear
    open_periods: list[Period]
    needs_archive: bool
    next_name: str
    next_start: datetime.date
    next_end: datetime.date
    next_year: AcademicYear | None
    missing_periods: list[tuple[str, int, datetime.date, datetime.date]]
    moves: list[Move] = field(default_factory=list)
    debts: list[dict[str, Any]] = field(default_factory=list)
    debt_warnings: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The plan in Russian, one change a line (the dry run's output)."""
        out = [_("Lock period %(name)s.") % {"name": p.name} for p in self.open_periods]
        if self.needs_archive:
            out.append(_("Make the archive of %(year)s.") % {"year": self.year.name})
        if self.next_year is None:
            out.append(
                _("Open the year %(name)s (%(start)s–%(end)s).")
                % {"name": self.next_name, "start": _d(self.next_start), "end": _d(self.next_end)}
            )
        for scheme, number, start, end in self.missing_periods:
            out.append(
                _("Add period %(number)s (%(scheme)s) %(start)s–%(end)s.")
                % {
                    "number": number,
                    "scheme": PeriodScheme(scheme).label,
                    "start": _d(start),
                    "end": _d(end),
                }
            )
        for move in self.moves:
            n = len(move.students)
            args = {"from": move.school_class, "to": move.target, "n": n}
            if move.target is None:
                text = ngettext(
                    "%(from)s: %(n)s student finishes school, the enrolment ends.",
                    "%(from)s: %(n)s students finish school, their enrolments end.",
                    n,
                )
            else:
                text = ngettext(
                    "%(from)s → %(to)s: %(n)s student.", "%(from)s → %(to)s: %(n)s students.", n
                )
            out.append(text % args)
        for item in self.debts:
            text = _(
                "Conditionally transferred: %(name)s carries the debts into %(to)s: %(subjects)s."
            )
            out.append(text % item)
        out += [_warning(item) for item in self.debt_warnings]
        return out


def _open_debts(year: AcademicYear, student_ids: list[int]) -> dict[int, list[AcademicDebt]]:
    """The year's open debts of these students not yet carried, by student (two queries)."""
    debts = list(
        AcademicDebt.objects.filter(
            year=year, status=AcademicDebt.Status.OPEN, student_id__in=student_ids
        )
        .select_related("student", "course__subject")
        .order_by("student__last_name", "student__first_name", "course__subject__name")
    )
    carried = set(
        Event.objects.filter(
            action="debt_carry", object_type=AcademicDebt._meta.label_lower
        ).values_list("object_id", flat=True)
    )
    found: dict[int, list[AcademicDebt]] = {}
    for debt in debts:
        if str(debt.pk) not in carried:
            found.setdefault(debt.student_id, []).append(debt)
    return found


def conditional_debts(
    *, year: AcademicYear, moves: list[Move]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The open debts of the students still to move (R12–R14), as two lists of
    {"name", "from", "to", "subjects", "debts"}: those conditionally transferred (their debts
    stay open and go with them) and those with no transfer (a warning: the school decides)."""
    where = {e.student_id: m for m in moves for e in m.students}
    by_student = _open_debts(year, list(where))
    transferred = set(
        ConditionalTransfer.objects.filter(year=year, student_id__in=list(by_student)).values_list(
            "student_id", flat=True
        )
    )
    carry: list[dict[str, Any]] = []
    warn: list[dict[str, Any]] = []
    for student_id, debts in by_student.items():
        move = where[student_id]
        item = {
            "name": debts[0].student.full_name,
            "from": str(move.school_class),
            "to": move.target or "—",
            "subjects": ", ".join(d.course.subject.name for d in debts),
            "debts": debts,
        }
        (carry if student_id in transferred else warn).append(item)
    return carry, warn


def debts_carry(*, actor: Any, plan: Plan, next_year: AcademicYear) -> int:
    """Carry the conditionally transferred students' open debts into the next year: they stay
    open (their deadline is unchanged) and each gets a `debt_carry` event, so a second run
    lists and records nothing again."""
    n = 0
    with transaction.atomic():
        for item in plan.debts:
            for debt in item["debts"]:
                event_record(
                    actor=actor,
                    action="debt_carry",
                    obj=debt,
                    after={"next_year": next_year.name, "to": item["to"]},
                    school_id=debt.school_id,
                )
                n += 1
    return n


def _next_bounds(year: AcademicYear) -> tuple[str, datetime.date, datetime.date]:
    first = year.start.year + 1
    start, end = year_bounds(first)
    return f"{first}/{first + 1}", start, end


def _shift(day: datetime.date, lo: datetime.date, hi: datetime.date) -> datetime.date:
    try:
        moved = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        moved = day.replace(year=day.year + 1, day=28)
    return min(max(moved, lo), hi)


def _missing_periods(
    year: AcademicYear, next_year: AcademicYear | None, start: datetime.date, end: datetime.date
) -> list[tuple[str, int, datetime.date, datetime.date]]:
    """This year's periods a year later inside the next year's bounds (the first starts on its
    first day, the last ends on its last), minus those the next year already has."""
    have = set()
    if next_year is not None:
        have = set(Period.objects.filter(year=next_year).values_list("scheme", "number"))
    periods = list(Period.objects.filter(year=year).order_by("scheme", "number"))
    found = []
    for p in periods:
        if (p.scheme, p.number) in have:
            continue
        last = max(q.number for q in periods if q.scheme == p.scheme)
        first_day = start if p.number == 1 else _shift(p.start, start, end)
        last_day = end if p.number == last else _shift(p.end, start, end)
        found.append((p.scheme, p.number, first_day, last_day))
    return found


def _moves(year: AcademicYear, next_year: AcademicYear | None) -> list[Move]:
    """Every class's students still enrolled on the last day and not yet moved."""
    moved: set[int] = set()
    if next_year is not None:
        moved = set(
            Enrollment.objects.filter(school_class__year=next_year).values_list(
                "student_id", flat=True
            )
        )
    moves = []
    classes = SchoolClass.objects.filter(year=year).order_by("grade", "letter")
    for school_class in classes:
        rows = Enrollment.objects.active_on(year.end).filter(school_class=school_class)
        rows = rows.select_related("student")
        graduates = school_class.grade in GRADUATING
        mine = [e for e in rows if (e.end is None if graduates else e.student_id not in moved)]
        if mine:
            target = None if graduates else f"{school_class.grade + 1}{school_class.letter}"
            moves.append(Move(school_class, target, mine))
    return moves


def year_close_plan(*, year: AcademicYear) -> Plan:
    """What closing `year` would still change."""
    name, start, end = _next_bounds(year)
    next_year = (
        AcademicYear.objects.filter(school_id=year.school_id, start__gt=year.end)
        .order_by("start")
        .first()
    )
    if next_year is not None:
        name, start, end = next_year.name, next_year.start, next_year.end
    moves = _moves(year, next_year)
    debts, warnings = conditional_debts(year=year, moves=moves)
    return Plan(
        year=year,
        open_periods=list(Period.objects.filter(year=year, closed_at__isnull=True)),
        needs_archive=not Archive.objects.filter(year=year, state=Archive.State.READY).exists(),
        next_name=name,
        next_start=start,
        next_end=end,
        next_year=next_year,
        missing_periods=_missing_periods(year, next_year, start, end),
        moves=moves,
        debts=debts,
        debt_warnings=warnings,
    )


def _lock(actor: Any, plan: Plan) -> None:
    with transaction.atomic():
        for period in plan.open_periods:
            before = snapshot(period)
            period.closed_at = timezone.now()
            save_audited(actor=actor, obj=period, action="period_close", before=before)


def _open_next(actor: Any, plan: Plan) -> AcademicYear:
    with transaction.atomic():
        next_year = plan.next_year
        if next_year is None:
            next_year = AcademicYear(
                school_id=plan.year.school_id,
                name=plan.next_name,
                start=plan.next_start,
                end=plan.next_end,
            )
            save_audited(actor=actor, obj=next_year, action="year_create", before=None)
        for scheme, number, start, end in plan.missing_periods:
            period = Period(
                school_id=next_year.school_id,
                year=next_year,
                scheme=scheme,
                number=number,
                start=start,
                end=end,
            )
            save_audited(actor=actor, obj=period, action="period_create", before=None)
    return next_year


def _target_class(actor: Any, source: SchoolClass, next_year: AcademicYear) -> SchoolClass:
    found = SchoolClass.objects.filter(
        year=next_year, grade=source.grade + 1, letter=source.letter
    ).first()
    if found is None:
        found = SchoolClass(
            school_id=source.school_id,
            year=next_year,
            grade=source.grade + 1,
            letter=source.letter,
            homeroom_teacher_id=source.homeroom_teacher_id,
            period_scheme=source.period_scheme,
            week_days=source.week_days,
        )
        save_audited(actor=actor, obj=found, action="class_create", before=None)
    return found


def _roll(actor: Any, plan: Plan, next_year: AcademicYear) -> None:
    for move in plan.moves:
        with transaction.atomic():
            target = (
                None if move.target is None else _target_class(actor, move.school_class, next_year)
            )
            for enrollment in move.students:
                if enrollment.end is None:
                    before = snapshot(enrollment)
                    enrollment.end = plan.year.end
                    action = "enrollment_close"
                    save_audited(actor=actor, obj=enrollment, action=action, before=before)
                if target is not None:
                    new = Enrollment(
                        school_id=target.school_id,
                        student_id=enrollment.student_id,
                        school_class=target,
                        start=next_year.start,
                    )
                    save_audited(actor=actor, obj=new, action="enrollment_open", before=None)


def year_close(
    *, actor: Any, year: AcademicYear, progress: Callable[[str], None] = lambda line: None
) -> Plan:
    """Do what the plan still lists, step by step (each step its own transaction)."""
    plan = year_close_plan(year=year)
    _lock(actor, plan)
    progress(_("Journals locked."))
    if plan.needs_archive:
        archive_create(actor=actor, year=year, retention_years=RETENTION_YEARS, progress=progress)
    next_year = _open_next(actor, plan)
    _roll(actor, plan, next_year)
    if debts_carry(actor=actor, plan=plan, next_year=next_year):
        for item in plan.debts:
            progress(_("%(name)s: the debts go along: %(subjects)s.") % item)
    for item in plan.debt_warnings:
        progress(_warning(item))
    event_record(actor=actor, action="year_close", obj=year, after={"next_year": next_year.name})
    progress(_("The year %(year)s is closed.") % {"year": year.name})
    return plan
