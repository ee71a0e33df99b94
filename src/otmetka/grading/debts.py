"""Academic debts (273-ФЗ ст. 58, R12–R14): opened by a failing year mark, cleared by a
passing retake (at most two, the second before a commission) within one year of arising,
extended by recorded illness; conditional transfers of students with debts. Writes are
audited in the transaction that checks them; reads for the reports read a constant number of
queries whatever the school's size."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access import debts as access
from otmetka.audit.services import event_build, event_record, events_save, snapshot
from otmetka.core.input import text_problem
from otmetka.curriculum.models import Course
from otmetka.grading.models import (
    FAIL,
    NA,
    PASS,
    AcademicDebt,
    ConditionalTransfer,
    DebtPause,
    PeriodMark,
    Retake,
)
from otmetka.journal.validation import mark_value_clean
from otmetka.school.models import AcademicYear, Enrollment, SchoolClass

MAX_RETAKES = 2
BASIS_MAX = 200
COMMISSION_MAX = 300
ORDER_MAX = 40


def is_failing(value: str, na_reason: str) -> bool:
    """A year mark that opens a debt (R12): «2» (or «1»), «незач», «н/а» without a valid reason."""
    if value == NA:
        return na_reason == PeriodMark.NaReason.INVALID
    return value in ("1", "2", FAIL)


def is_passing(value: str) -> bool:
    """A retake result that clears a debt: «3» and above, or «зач»."""
    return value == PASS or (value.isdigit() and int(value) >= 3)


def _one_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def deadline(
    arose_on: datetime.date, pauses: Iterable[tuple[datetime.date, datetime.date]]
) -> datetime.date:
    """The last day to clear a debt (R13): one year from arising, plus every day of recorded
    illness that falls inside the window (the window grows as it is extended)."""
    end = _one_year_later(arose_on)
    counted: set[datetime.date] = set()
    for start, stop in sorted(pauses):
        if stop < arose_on or start > end:
            continue
        day = max(start, arose_on)
        while day <= stop:
            if day not in counted:
                counted.add(day)
                end += datetime.timedelta(days=1)
            day += datetime.timedelta(days=1)
    return end


def _clean_text(value: Any, *, limit: int, required: str = "") -> str:
    text = str(value or "").strip()
    if text_problem(text):
        raise ValidationError(text_problem(text))
    if required and not text:
        raise ValidationError(required)
    if len(text) > limit:
        raise ValidationError(_("The text is longer than %(n)s characters.") % {"n": limit})
    return text


def _open(actor: Any, mark: PeriodMark, day: datetime.date) -> AcademicDebt:
    return AcademicDebt.objects.create(
        school_id=mark.school_id,
        student_id=mark.student_id,
        course_id=mark.course_id,
        year_id=mark.year_id,
        value=mark.value,
        arose_on=day,
        created_by=actor,
    )


def _sync(
    actor: Any,
    marks: list[PeriodMark],
    debts: dict[tuple[int, int], AcademicDebt],
    cleared: set[tuple[int, int]],
    day: datetime.date,
) -> list[Any]:
    """Open the debts failing marks call for, cancel untried debts whose mark no longer fails
    (`cleared`: keys whose year mark was removed or corrected). Returns the audit events."""
    events = []
    tried = set(
        Retake.objects.filter(debt__in=[d.pk for d in debts.values()]).values_list(
            "debt_id", flat=True
        )
    )
    for mark in marks:
        key = (mark.student_id, mark.course_id)
        debt = debts.get(key)
        if is_failing(mark.value, mark.na_reason):
            cleared.discard(key)
            if debt is None:
                debt = _open(actor, mark, day)
                events.append(
                    event_build(actor=actor, action="debt_open", obj=debt, after=snapshot(debt))
                )
            elif debt.status == AcademicDebt.Status.CANCELLED:
                before = snapshot(debt)
                debt.status, debt.value, debt.arose_on = AcademicDebt.Status.OPEN, mark.value, day
                debt.save(update_fields=["status", "value", "arose_on"])
                events.append(
                    event_build(
                        actor=actor,
                        action="debt_open",
                        obj=debt,
                        before=before,
                        after=snapshot(debt),
                    )
                )
        else:
            cleared.add(key)
    for key in cleared:
        debt = debts.get(key)
        if debt is None or debt.status != AcademicDebt.Status.OPEN or debt.pk in tried:
            continue
        before = snapshot(debt)
        debt.status = AcademicDebt.Status.CANCELLED
        debt.save(update_fields=["status"])
        events.append(
            event_build(
                actor=actor, action="debt_cancel", obj=debt, before=before, after=snapshot(debt)
            )
        )
    return events


def _debts_by_key(qs: QuerySet[AcademicDebt]) -> dict[tuple[int, int], AcademicDebt]:
    rows = qs.select_for_update()
    return {(d.student_id, d.course_id): d for d in rows}


def debts_sync(*, actor: Any, course: Course, student_ids: list[int]) -> int:
    """After year marks of a course were saved (inside that transaction): open a debt for each
    failing one, cancel an untried open debt whose year mark was corrected. Returns events."""
    marks = list(
        PeriodMark.objects.filter(
            course=course, period__isnull=True, is_deleted=False, student_id__in=student_ids
        )
    )
    debts = _debts_by_key(
        AcademicDebt.objects.filter(
            course=course, year_id=course.year_id, student_id__in=student_ids
        )
    )
    cleared = {(sid, course.pk) for sid in student_ids}
    events = _sync(actor, marks, debts, cleared, timezone.localdate())
    events_save(events)
    return len(events)


@transaction.atomic
def debts_check_year(*, actor: Any, school: Any, year: AcademicYear) -> int:
    """Open every debt the year's failing year marks call for (the deputy's check); returns
    how many changed. Debts already open or tried are left as they are."""
    access.debts_write_require(actor, school)
    if year.school_id != school.pk:
        raise ValidationError(_("Unknown academic year."))
    marks = list(
        PeriodMark.objects.filter(school=school, year=year, period__isnull=True, is_deleted=False)
    )
    debts = _debts_by_key(AcademicDebt.objects.filter(school=school, year=year))
    events = _sync(actor, marks, debts, set(), timezone.localdate())
    events_save(events)
    return len(events)


def pauses_of(student_ids: Iterable[int]) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    """Recorded illness periods by student, one query."""
    found: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    rows = DebtPause.objects.filter(student_id__in=list(student_ids))
    for sid, start, end in rows.values_list("student_id", "start", "end"):
        found[sid].append((start, end))
    return found


@transaction.atomic
def retake_record(
    *, actor: Any, school: Any, debt_id: int, date: datetime.date, result: Any, commission: Any = ""
) -> Retake:
    """Record a retake (R13): the first or the second (with its commission); a third, a date
    out of the window or in the future is refused. A passing result clears the debt."""
    access.debts_write_require(actor, school)
    try:
        debt = (
            AcademicDebt.objects.select_for_update()
            .select_related("course")
            .get(pk=debt_id, school=school)
        )
    except (AcademicDebt.DoesNotExist, ValueError, TypeError, OverflowError):
        raise ValidationError(_("Unknown academic debt.")) from None
    if debt.status != AcademicDebt.Status.OPEN:
        raise ValidationError(_("The debt is not open: retakes are not recorded."))
    number = debt.retakes.count() + 1
    if number > MAX_RETAKES:
        raise ValidationError(
            _("A third retake is not allowed: the law gives two attempts (273-ФЗ ст. 58 ч. 5).")
        )
    if date > timezone.localdate():
        raise ValidationError(
            _("A retake is recorded after it took place: the date is in the future.")
        )
    if date < debt.arose_on:
        raise ValidationError(_("The retake date is before the debt arose."))
    last = deadline(debt.arose_on, pauses_of([debt.student_id])[debt.student_id])
    if date > last:
        raise ValidationError(
            _("The one-year window to clear the debt ended on %(day)s.")
            % {"day": last.strftime("%d.%m.%Y")}
        )
    previous = debt.retakes.order_by("-number").first()
    if previous is not None and date < previous.date:
        raise ValidationError(_("The second retake cannot be earlier than the first."))
    text = str(result or "").strip().lower()
    value = NA if text in ("н/а", "на") else mark_value_clean(debt.course.assessment, text)
    members = _clean_text(commission, limit=COMMISSION_MAX)
    if number == MAX_RETAKES and not members:
        raise ValidationError(
            _("The second retake is taken before a commission: name its members.")
        )
    retake = Retake.objects.create(
        debt=debt, number=number, date=date, result=value, commission=members, created_by=actor
    )
    event_record(actor=actor, action="retake_add", obj=retake, after=snapshot(retake))
    if is_passing(value):
        before = snapshot(debt)
        debt.status, debt.closed_on = AcademicDebt.Status.CLOSED, date
        debt.save(update_fields=["status", "closed_on"])
        event_record(
            actor=actor, action="debt_close", obj=debt, before=before, after=snapshot(debt)
        )
    return retake


@transaction.atomic
def pause_record(
    *,
    actor: Any,
    school: Any,
    student_id: int,
    start: datetime.date,
    end: datetime.date,
    basis: Any,
) -> DebtPause:
    """Record an illness (or leave) of a student that extends the window of their debts."""
    access.debts_write_require(actor, school)
    from otmetka.people.models import Student

    if not Student.objects.filter(pk=student_id, school=school).exists():
        raise ValidationError(_("Unknown student."))
    if end < start:
        raise ValidationError(_("The end of the period is before its start."))
    text = _clean_text(
        basis,
        limit=BASIS_MAX,
        required=_("State the basis: the document, e.g. a certificate number."),
    )
    pause = DebtPause.objects.create(
        school=school, student_id=student_id, start=start, end=end, basis=text, created_by=actor
    )
    event_record(actor=actor, action="debt_pause_add", obj=pause, after=snapshot(pause))
    return pause


@transaction.atomic
def transfer_record(
    *,
    actor: Any,
    school: Any,
    student_id: int,
    year: AcademicYear,
    order_number: Any,
    order_date: datetime.date,
) -> ConditionalTransfer:
    """Record «переведён условно» by the school's order (R14): only for a student with a debt
    of the year or a year «н/а» for a valid reason; once per student and year."""
    access.debts_write_require(actor, school)
    if year.school_id != school.pk:
        raise ValidationError(_("Unknown academic year."))
    number = _clean_text(order_number, limit=ORDER_MAX, required=_("State the order number."))
    owes = (
        AcademicDebt.objects.filter(
            student_id=student_id, school=school, year=year, status=AcademicDebt.Status.OPEN
        ).exists()
        or PeriodMark.objects.filter(
            student_id=student_id,
            school=school,
            year=year,
            period__isnull=True,
            is_deleted=False,
            value=NA,
            na_reason=PeriodMark.NaReason.VALID,
        ).exists()
    )
    if not owes:
        raise ValidationError(
            _(
                "Conditional transfer is for a student with an open academic debt of the year "
                "or a year «н/а» for a valid reason."
            )
        )
    if ConditionalTransfer.objects.filter(student_id=student_id, year=year).exists():
        raise ValidationError(_("The student is already transferred conditionally this year."))
    transfer = ConditionalTransfer.objects.create(
        school=school,
        student_id=student_id,
        year=year,
        order_number=number,
        order_date=order_date,
        created_by=actor,
    )
    event_record(actor=actor, action="transfer_add", obj=transfer, after=snapshot(transfer))
    return transfer


# ---- reads for the pages and reports ----


@dataclass
class DebtRow:
    """One line of the «Академические задолженности» report."""

    debt: AcademicDebt
    student: str
    school_class: str
    subject: str
    deadline: datetime.date
    retakes: list[Retake] = field(default_factory=list)
    transferred: ConditionalTransfer | None = None

    @property
    def overdue(self) -> bool:
        """Still open after its window ended."""
        return self.debt.status == AcademicDebt.Status.OPEN and self.deadline < timezone.localdate()


def years_of(school: Any) -> list[AcademicYear]:
    """The school's years that have started, latest first."""
    return list(AcademicYear.objects.filter(school=school, start__lte=timezone.localdate()))


def year_for(school: Any, asked: Any) -> AcademicYear | None:
    """The asked year of the school (by id), else the latest that has started; LookupError for
    an unknown id."""
    years = years_of(school)
    if asked in (None, ""):
        return years[0] if years else None
    found = next((y for y in years if str(y.pk) == str(asked)), None)
    if found is None:
        raise LookupError(asked)
    return found


def classes_of(school: Any, year: AcademicYear) -> list[SchoolClass]:
    """The school's classes of the year (the reports' filter)."""
    return list(SchoolClass.objects.filter(school=school, year=year))


def transfer_choices(school: Any, year: AcademicYear) -> list[tuple[int, str]]:
    """Students with an open debt of the year and no transfer yet (the form's list)."""
    rows = (
        AcademicDebt.objects.filter(school=school, year=year, status=AcademicDebt.Status.OPEN)
        .exclude(student__conditional_transfers__year=year)
        .values_list("student_id", "student__last_name", "student__first_name")
        .distinct()
        .order_by("student__last_name", "student__first_name")
    )
    return [(sid, f"{last} {first}") for sid, last, first in rows]


def class_names(year: AcademicYear, student_ids: Iterable[int]) -> dict[int, str]:
    """The class each student was last enrolled in during the year, one query."""
    rows = (
        Enrollment.objects.filter(student_id__in=list(student_ids), school_class__year=year)
        .order_by("start")
        .values_list("student_id", "school_class__grade", "school_class__letter")
    )
    return {sid: f"{grade}{letter}" for sid, grade, letter in rows}


def _in_class(class_id: int | None) -> Q:
    return Q() if class_id is None else Q(student__enrollments__school_class_id=class_id)


def debt_rows(
    *,
    user: Any,
    school: Any,
    year: AcademicYear,
    class_id: int | None = None,
    only_open: bool = False,
) -> list[DebtRow]:
    """The debts of the year the user reads, optionally of one class or only the open ones:
    five queries whatever their number."""
    qs = access.visible_debts(user, school).filter(_in_class(class_id), year=year)
    if only_open:
        qs = qs.filter(status=AcademicDebt.Status.OPEN)
    debts = list(
        qs.select_related("student", "course__subject")
        .order_by(
            "student__last_name", "student__first_name", "student_id", "course__subject__name"
        )
        .distinct()
    )
    ids = {d.student_id for d in debts}
    retakes: dict[int, list[Retake]] = defaultdict(list)
    for r in Retake.objects.filter(debt__in=[d.pk for d in debts]).order_by("number"):
        retakes[r.debt_id].append(r)
    pauses = pauses_of(ids)
    transfers = {
        t.student_id: t for t in ConditionalTransfer.objects.filter(year=year, student_id__in=ids)
    }
    classes = class_names(year, ids)
    return [
        DebtRow(
            debt=d,
            student=f"{d.student.last_name} {d.student.first_name}",
            school_class=classes.get(d.student_id, ""),
            subject=d.course.subject.name,
            deadline=deadline(d.arose_on, pauses.get(d.student_id, [])),
            retakes=retakes.get(d.pk, []),
            transferred=transfers.get(d.student_id),
        )
        for d in debts
    ]


def transfer_rows(
    *, school: Any, year: AcademicYear, class_id: int | None = None
) -> list[dict[str, Any]]:
    """The «Условно переведённые» report: each transfer with the student's class and open
    debts (subjects), four queries."""
    transfers = list(
        ConditionalTransfer.objects.filter(_in_class(class_id), school=school, year=year)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student_id")
        .distinct()
    )
    ids = [t.student_id for t in transfers]
    subjects: dict[int, list[str]] = defaultdict(list)
    open_debts = AcademicDebt.objects.filter(
        year=year, student_id__in=ids, status=AcademicDebt.Status.OPEN
    )
    for sid, name in open_debts.order_by("course__subject__name").values_list(
        "student_id", "course__subject__name"
    ):
        subjects[sid].append(name)
    classes = class_names(year, ids)
    return [
        {
            "transfer": t,
            "student": f"{t.student.last_name} {t.student.first_name}",
            "school_class": classes.get(t.student_id, ""),
            "subjects": subjects.get(t.student_id, []),
        }
        for t in transfers
    ]


def student_debts(*, user: Any, school: Any, student_id: Any) -> dict[str, Any]:
    """A student's own debts and transfer (the family's view); 404 for whoever may not read."""
    student = access.family_student(user, school, student_id)
    debts = list(
        AcademicDebt.objects.filter(student=student)
        .exclude(status=AcademicDebt.Status.CANCELLED)
        .select_related("course__subject", "year")
        .prefetch_related("retakes")
        .order_by("-year__start", "course__subject__name")
    )
    pauses = pauses_of([student.pk]).get(student.pk, [])
    rows = [
        {"debt": d, "deadline": deadline(d.arose_on, pauses), "retakes": list(d.retakes.all())}
        for d in debts
    ]
    transfers = list(ConditionalTransfer.objects.filter(student=student).select_related("year"))
    return {"student": student, "debt_rows": rows, "transfers": transfers}
