"""Writes of the class journal: marks, absences, lesson topics and homework, substitutions.

Every write re-checks access through `lesson_write_role`, runs in one transaction and appends
audit events (before/after, reason) in it; a refused input writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access import rules
from otmetka.audit.models import Event
from otmetka.audit.services import (
    changed_fields,
    event_build,
    event_record,
    events_save,
    snapshot,
)
from otmetka.core.input import ID_MAX
from otmetka.curriculum.models import Course, CourseMember
from otmetka.journal.models import (
    Absence,
    AbsenceCode,
    HomeworkFile,
    Lesson,
    Mark,
    MarkKind,
    Substitution,
    cell_group,
)
from otmetka.journal.selectors import SUBSTITUTION_PREFIX, cells_from_rows, lesson_period
from otmetka.journal.validation import (
    homework_file_check,
    homework_file_content_check,
    homework_text_check,
    mark_value_clean,
    reason_check,
    topic_warning,
)
from otmetka.people.models import Student
from otmetka.school.models import Enrollment


class CellsError(ValidationError):
    """A refused batch of cells: `errors` maps a student id to a Russian message."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _first_message(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else str(exc)


def _write_check(actor: Any, lesson: Lesson, reason: str) -> str:
    """The actor's role on the lesson; a closed period also needs a stated reason."""
    reason_check(reason)
    period = lesson_period(lesson)
    role = rules.lesson_write_role(actor, lesson, period)
    if rules.period_is_closed(period, lesson.school) and not (reason or "").strip():
        raise ValidationError(_("The period is closed: state the reason for the change."))
    return role


def _school_students(lesson: Lesson, student_ids: list[int]) -> tuple[set[int], set[int]]:
    """Which of the ids are students of the school, and which of those are in the course's
    class (or group) on the lesson's date (one query)."""
    day = lesson.date
    on_day = Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))
    course = lesson.course
    if course.school_class_id and not course.name:
        rows = Enrollment.objects.filter(on_day, school_class_id=course.school_class_id)
    else:
        rows = CourseMember.objects.filter(on_day, course_id=course.pk)
    found = (
        Student.objects.filter(school_id=lesson.school_id, pk__in=student_ids)
        .annotate(enrolled=Exists(rows.filter(student_id=OuterRef("pk"))))
        .values_list("pk", "enrolled")
    )
    students, enrolled = set(), set()
    for pk, is_enrolled in found:
        students.add(pk)
        if is_enrolled:
            enrolled.add(pk)
    return students, enrolled


def _lesson_is_open_for_entries(lesson: Lesson) -> None:
    if lesson.status == Lesson.Status.CANCELLED:
        raise ValidationError(_("The lesson is cancelled: nothing is entered for it."))
    if lesson.date > timezone.localdate():
        raise ValidationError(_("The lesson has not taken place yet."))


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


@dataclass
class _Plan:
    marks: dict[int, Mark] = field(default_factory=dict)  # the cells' marks before the batch
    absences: dict[int, Absence] = field(default_factory=dict)  # by student, before the batch
    new_marks: list[Mark] = field(default_factory=list)
    changed_marks: list[tuple[Mark, dict]] = field(default_factory=list)
    deleted_marks: list[tuple[Mark, dict]] = field(default_factory=list)
    new_absences: list[Absence] = field(default_factory=list)
    changed_absences: list[tuple[Absence, dict]] = field(default_factory=list)
    cleared_absences: list[Absence] = field(default_factory=list)
    seen_absences: set[int] = field(default_factory=set)  # students whose absence the batch sets
    seen_marks: set[int] = field(default_factory=set)  # mark ids the batch changes or deletes


def _once(seen: set[int], key: Any, message: str) -> None:
    """Refuse a second change of the same absence or mark in one batch: which would win is
    unclear, and two new absences of one student break the unique constraint."""
    if key in seen:
        raise ValidationError(message)
    seen.add(key)


def _cells_apply(
    *, actor: Any, lesson: Lesson, changes: list[dict], reason: str
) -> tuple[_Plan, dict[int, str]]:
    """Validate a batch of one lesson's cells and write it (all or nothing); constant queries."""
    _write_check(actor, lesson, reason)
    school = lesson.school
    student_ids = []
    for change in changes:
        try:
            student_ids.append(int(_pk(change.get("student"))))
        except (TypeError, ValueError):
            raise ValidationError(_("Unknown student.")) from None
        if not 1 <= student_ids[-1] <= ID_MAX:  # SQLite cannot even compare a larger id
            raise ValidationError(_("Unknown student."))
    students, enrolled = _school_students(lesson, student_ids)
    needs_kinds = any(c.get("marks") for c in changes)
    needs_codes = any(c.get("absence") for c in changes)
    kinds = (
        {k.pk: k for k in MarkKind.objects.filter(school=school, is_active=True)}
        if needs_kinds
        else {}
    )
    codes = {c.code: c for c in AbsenceCode.objects.filter(school=school)} if needs_codes else {}
    marks = {
        m.pk: m
        for m in Mark.objects.filter(lesson=lesson, student_id__in=student_ids, is_deleted=False)
    }
    absences = {
        a.student_id: a
        for a in Absence.objects.filter(lesson=lesson, student_id__in=student_ids).select_related(
            "code"
        )
    }
    plan, errors = _Plan(marks=marks, absences=absences), {}
    for sid, change in zip(student_ids, changes, strict=True):
        try:
            _plan_change(
                plan, actor, lesson, sid, change, students, enrolled, kinds, codes, marks, absences
            )
        except ValidationError as exc:
            errors[sid] = _first_message(exc)
    if errors:
        return plan, errors
    _plan_write(plan, actor, lesson, reason)
    return plan, {}


def _plan_change(
    plan: _Plan,
    actor: Any,
    lesson: Lesson,
    sid: int,
    change: dict,
    students: set[int],
    enrolled: set[int],
    kinds: dict,
    codes: dict,
    marks: dict,
    absences: dict,
) -> None:
    """Validate one cell and add its writes to the plan."""
    if sid not in students:
        raise ValidationError(_("Unknown student."))
    for mark_id in change.get("delete_marks") or []:
        mark = marks.get(_pk(mark_id))
        if mark is None or mark.student_id != sid:
            raise ValidationError(_("The mark is not found."))
        _once(plan.seen_marks, mark.pk, _("The mark is given twice in one batch."))
        before = snapshot(mark)
        mark.is_deleted = True
        plan.deleted_marks.append((mark, before))
    new_marks = change.get("marks") or []
    absence = change.get("absence", ...)
    if new_marks or (absence is not ... and absence):
        _lesson_is_open_for_entries(lesson)
        if sid not in enrolled:
            raise ValidationError(_("The student is not in the class on the lesson's date."))
    for item in new_marks:
        value = mark_value_clean(lesson.course.assessment, item.get("value"))
        kind = kinds.get(_int_or_none(_pk(item.get("kind"))))
        if kind is None:
            raise ValidationError(_("Choose the kind of work."))
        comment = (item.get("comment") or "").strip()
        if len(comment) > 300:
            raise ValidationError(_("The comment is longer than 300 characters."))
        if item.get("id"):
            mark = marks.get(_int_or_none(_pk(item["id"])))
            if mark is None or mark.student_id != sid:
                raise ValidationError(_("The mark is not found."))
            _once(plan.seen_marks, mark.pk, _("The mark is given twice in one batch."))
            before = snapshot(mark)
            mark.value, mark.kind, mark.comment = value, kind, comment
            plan.changed_marks.append((mark, before))
        else:
            plan.new_marks.append(
                Mark(
                    school_id=lesson.school_id,
                    lesson=lesson,
                    student_id=sid,
                    value=value,
                    kind=kind,
                    comment=comment,
                    created_by=actor,
                )
            )
    if absence is ...:
        return
    _once(plan.seen_absences, sid, _("The student's absence is given twice in one batch."))
    existing = absences.get(sid)
    if not absence:
        if existing is not None:
            plan.cleared_absences.append(existing)
        return
    if not isinstance(absence, dict):
        raise ValidationError(_("Unknown absence code."))
    code = codes.get(str(absence.get("code") or "").strip().lower())
    if code is None:
        raise ValidationError(_("Unknown absence code."))
    minutes = absence.get("minutes")
    if code.reason == AbsenceCode.Reason.LATE:
        minutes = _int_or_none(minutes)
        if minutes is None or not 1 <= minutes <= 45:
            raise ValidationError(_("For lateness enter the minutes late, from 1 to 45."))
    elif minutes not in (None, ""):
        raise ValidationError(_("Minutes are entered only for lateness."))
    else:
        minutes = None
    if existing is not None:
        before = snapshot(existing)
        existing.code, existing.minutes_late = code, minutes
        plan.changed_absences.append((existing, before))
    else:
        plan.new_absences.append(
            Absence(
                school_id=lesson.school_id,
                lesson=lesson,
                student_id=sid,
                code=code,
                minutes_late=minutes,
                created_by=actor,
            )
        )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _event(actor: Any, action: str, obj: Any, before: Any, after: Any, reason: str) -> Event:
    """The audit event of a mark or an absence, in its cell's group."""
    group = cell_group(obj.lesson_id, obj.student_id)
    return event_build(
        actor=actor, action=action, obj=obj, before=before, after=after, reason=reason, group=group
    )


def _plan_write(plan: _Plan, actor: Any, lesson: Lesson, reason: str) -> None:
    """Write a validated plan in bulk (a constant number of queries) with its audit events."""
    events: list[Event] = []
    if plan.new_marks:
        Mark.objects.bulk_create(plan.new_marks)
        events += [_event(actor, "mark_add", m, None, snapshot(m), reason) for m in plan.new_marks]
    now = timezone.now()
    touched = [m for m, _b in plan.changed_marks + plan.deleted_marks]
    if touched:
        for m in touched:
            m.updated_at = now
        Mark.objects.bulk_update(touched, ["value", "kind", "comment", "is_deleted", "updated_at"])
        events += [
            _event(actor, "mark_change", m, b, snapshot(m), reason) for m, b in plan.changed_marks
        ]
        events += [
            _event(actor, "mark_delete", m, b, snapshot(m), reason) for m, b in plan.deleted_marks
        ]
    if plan.new_absences:
        Absence.objects.bulk_create(plan.new_absences)
        events += [
            _event(actor, "absence_set", a, None, snapshot(a), reason) for a in plan.new_absences
        ]
    if plan.changed_absences:
        Absence.objects.bulk_update(
            [a for a, _b in plan.changed_absences], ["code", "minutes_late"]
        )
        events += [
            _event(actor, "absence_set", a, b, snapshot(a), reason)
            for a, b in plan.changed_absences
        ]
    if plan.cleared_absences:
        events += [
            _event(actor, "absence_clear", a, snapshot(a), None, reason)
            for a in plan.cleared_absences
        ]
        Absence.objects.filter(pk__in=[a.pk for a in plan.cleared_absences]).delete()
    if events:
        events_save(events)


def _lesson_for_write(lesson: Lesson) -> Lesson:
    """The lesson with its course (subject, class) and school loaded: the checks need them. A
    lesson just read with them (the API's `journal_lesson_for`) is used as it is."""
    course_field = Lesson._meta.get_field("course")
    if course_field.is_cached(lesson) and Lesson._meta.get_field("school").is_cached(lesson):
        course = lesson.course
        if all(Course._meta.get_field(f).is_cached(course) for f in ("subject", "school_class")):
            return lesson
    related = ("course__subject", "course__school_class", "school")
    return Lesson.objects.select_related(*related).get(pk=lesson.pk)


def _cells_after(plan: _Plan, lesson: Lesson, student_ids: list[int]) -> dict[str, dict]:
    """The batch's cells as written, from what the batch read and wrote (no query): the same
    rows `lesson_cells` would read back."""
    cleared = {a.student_id for a in plan.cleared_absences}
    absences = {sid: a for sid, a in plan.absences.items() if sid not in cleared}
    absences.update((a.student_id, a) for a in plan.new_absences)
    marks = [m for m in plan.marks.values() if not m.is_deleted] + plan.new_marks
    marks.sort(key=lambda m: (m.created_at, m.pk))
    return cells_from_rows(
        lesson.pk,
        [(m.pk, m.lesson_id, m.student_id, m.value, m.kind_id, m.comment) for m in marks],
        [
            (a.lesson_id, a.student_id, a.code.code, a.minutes_late, a.code.reason)
            for a in absences.values()
        ],
        student_ids,
    )


OnSaved = Callable[[Any], None] | None


def cells_save(
    *,
    actor: Any,
    lesson: Lesson,
    changes: list[dict],
    reason: str = "",
    on_saved: OnSaved = None,
) -> dict[str, dict]:
    """Save a batch of one lesson's cells in one transaction and return them as saved (the
    grid's cell JSON, keyed like `lesson_cells`); CellsError lists refused cells. `on_saved`
    gets the saved cells inside the transaction (the API stores its answer there)."""
    lesson = _lesson_for_write(lesson)
    with transaction.atomic():
        plan, errors = _cells_apply(actor=actor, lesson=lesson, changes=changes, reason=reason)
        if errors:
            raise CellsError(errors)
        cells = _cells_after(plan, lesson, [int(_pk(c.get("student"))) for c in changes])
        if on_saved is not None:
            on_saved(cells)
    return cells


def _one_cell(actor: Any, lesson: Lesson, change: dict, reason: str) -> _Plan:
    with transaction.atomic():
        plan, errors = _cells_apply(actor=actor, lesson=lesson, changes=[change], reason=reason)
        if errors:
            raise ValidationError(next(iter(errors.values())))
    return plan


def mark_add(
    *,
    actor: Any,
    lesson: Lesson,
    student: Student,
    value: str,
    kind: MarkKind | int,
    comment: str = "",
    reason: str = "",
) -> Mark:
    """Give a mark of a kind to a student in a lesson."""
    lesson = _lesson_for_write(lesson)
    change = {"student": student, "marks": [{"value": value, "kind": kind, "comment": comment}]}
    return _one_cell(actor, lesson, change, reason).new_marks[0]


def mark_change(
    *, actor: Any, mark: Mark, value: str, kind: MarkKind | int, comment: str, reason: str = ""
) -> Mark:
    """Change a mark's value, kind or comment."""
    lesson = _lesson_for_write(mark.lesson)
    item = {"id": mark.pk, "value": value, "kind": kind, "comment": comment}
    return _one_cell(
        actor, lesson, {"student": mark.student_id, "marks": [item]}, reason
    ).changed_marks[0][0]


def mark_delete(*, actor: Any, mark: Mark, reason: str = "") -> None:
    """Delete a mark softly: it stays in the database and the history."""
    lesson = _lesson_for_write(mark.lesson)
    _one_cell(actor, lesson, {"student": mark.student_id, "delete_marks": [mark.pk]}, reason)


def absence_set(
    *,
    actor: Any,
    lesson: Lesson,
    student: Student,
    code: str,
    minutes: int | None = None,
    reason: str = "",
) -> None:
    """Record a student's absence or lateness at a lesson by the school's code."""
    lesson = _lesson_for_write(lesson)
    change = {"student": student, "absence": {"code": code, "minutes": minutes}}
    _one_cell(actor, lesson, change, reason)


def absence_clear(*, actor: Any, lesson: Lesson, student: Student, reason: str = "") -> None:
    """Remove a student's absence at a lesson (the history keeps it)."""
    lesson = _lesson_for_write(lesson)
    _one_cell(actor, lesson, {"student": student, "absence": None}, reason)


def _strip_prefix(topic: str) -> str:
    text = topic.strip()
    if text.lower().startswith(SUBSTITUTION_PREFIX.lower()):
        text = text[len(SUBSTITUTION_PREFIX) :].lstrip(" .:—-")
    return text


def lesson_update(
    *,
    actor: Any,
    lesson: Lesson,
    topic: str | None = None,
    homework: str | None = None,
    planned_topic: Any = None,
    reason: str = "",
    on_saved: OnSaved = None,
) -> list[str]:
    """Set a lesson's topic, homework or planned КТП topic; returns warnings (never blocking);
    `on_saved` gets them inside the transaction."""
    from otmetka.curriculum.models import PlannedTopic

    lesson = _lesson_for_write(lesson)
    warnings: list[str] = []
    with transaction.atomic():
        _write_check(actor, lesson, reason)
        before = snapshot(lesson)
        now = timezone.now()
        if topic is not None:
            topic = _strip_prefix(topic)
            if len(topic) > 500:
                raise ValidationError(_("The lesson topic is longer than 500 characters."))
            if topic and lesson.status == Lesson.Status.CANCELLED:
                raise ValidationError(_("The lesson is cancelled: nothing is entered for it."))
            warning = topic_warning(topic, lesson.course.subject.name)
            if warning:
                warnings.append(warning)
            lesson.topic = topic
            if topic and lesson.topic_entered_at is None:
                lesson.topic_entered_at = now
        if homework is not None:
            homework_text_check(homework.strip())
            lesson.homework = homework.strip()
            if lesson.homework and lesson.homework_entered_at is None:
                lesson.homework_entered_at = now
        if planned_topic is not None:
            pid = _int_or_none(_pk(planned_topic))
            if pid in (None, 0):
                lesson.planned_topic = None
            else:
                found = PlannedTopic.objects.filter(
                    pk=pid, plan__course_id=lesson.course_id
                ).first()
                if found is None:
                    raise ValidationError(_("The topic is not in this course's plan."))
                lesson.planned_topic = found
                if topic is None and not lesson.topic:
                    lesson.topic = found.title
                    lesson.topic_entered_at = lesson.topic_entered_at or now
        lesson.save()
        after = snapshot(lesson)
        if after != before:
            event_record(
                actor=actor,
                action="lesson_update",
                obj=lesson,
                # Only what changed: the homework text is not stored twice when it stays.
                before=changed_fields(before, after),
                after=after,
                reason=reason,
            )
        if on_saved is not None:
            on_saved(warnings)
    return warnings


def attendance_mark_all_present(
    *, actor: Any, lesson: Lesson, reason: str = "", on_saved: OnSaved = None
) -> None:
    """Mark attendance as taken: everyone without an absence code was present; `on_saved` is
    called inside the transaction."""
    lesson = _lesson_for_write(lesson)
    with transaction.atomic():
        _write_check(actor, lesson, reason)
        _lesson_is_open_for_entries(lesson)
        before = snapshot(lesson)
        if lesson.attendance_taken_at is None:
            lesson.attendance_taken_at = timezone.now()
            lesson.save(update_fields=["attendance_taken_at"])
            event_record(
                actor=actor,
                action="attendance_taken",
                obj=lesson,
                before=before,
                after=snapshot(lesson),
                reason=reason,
            )
        if on_saved is not None:
            on_saved(None)


def homework_file_add(
    *, actor: Any, lesson: Lesson, uploaded_file: Any, reason: str = "", on_saved: OnSaved = None
) -> HomeworkFile:
    """Attach a file (≤ 10 MB; documents and pictures) to a lesson's homework; `on_saved` gets
    it inside the transaction."""
    lesson = _lesson_for_write(lesson)
    name = (getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        _write_check(actor, lesson, reason)
        homework_file_check(name, int(getattr(uploaded_file, "size", 0) or 0))
        homework_file_content_check(name, uploaded_file)
        hw = HomeworkFile(
            school_id=lesson.school_id,
            lesson=lesson,
            name=name,
            size=uploaded_file.size,
            uploaded_by=actor,
        )
        # On disk under a random ASCII name: the user's name is only shown and sent back.
        hw.file.save(
            f"{uuid.uuid4().hex}.{name.rsplit('.', 1)[-1].lower()}", uploaded_file, save=False
        )
        hw.save()
        if lesson.homework_entered_at is None:
            lesson.homework_entered_at = timezone.now()
            lesson.save(update_fields=["homework_entered_at"])
        event_record(
            actor=actor,
            action="homework_file_add",
            obj=hw,
            after={**snapshot(hw), "file": hw.file.name},
            reason=reason,
        )
        if on_saved is not None:
            on_saved(hw)
    return hw


def substitution_assign(
    *, actor: Any, lesson: Lesson, substitute: Any, reason: str
) -> Substitution:
    """The deputy gives a lesson to a substitute teacher of the school (one per lesson)."""
    lesson = _lesson_for_write(lesson)
    school = lesson.school
    with transaction.atomic():
        rules.require(actor, school, "journal", rules.CHANGE)
        if not (reason or "").strip():
            raise ValidationError(_("State the reason for the substitution."))
        if not rules.teachers_of(school).filter(pk=_pk(substitute)).exists():
            raise ValidationError(_("The substitute must be a teacher of the school."))
        if lesson.course.teachers.filter(pk=_pk(substitute)).exists():
            raise ValidationError(_("This teacher already teaches the course."))
        if Substitution.objects.filter(lesson=lesson).exists():
            raise ValidationError(_("The lesson already has a substitute."))
        if lesson.status == Lesson.Status.CANCELLED:
            raise ValidationError(_("The lesson is cancelled: nothing is entered for it."))
        absent = lesson.course.teachers.order_by("pk").values_list("pk", flat=True).first()
        sub = Substitution.objects.create(
            school=school,
            lesson=lesson,
            substitute_id=_pk(substitute),
            absent_teacher_id=absent,
            reason=reason.strip(),
            created_by=actor,
        )
        event_record(
            actor=actor, action="substitution_assign", obj=sub, after=snapshot(sub), reason=reason
        )
    return sub


__all__ = [
    "CellsError",
    "absence_clear",
    "absence_set",
    "attendance_mark_all_present",
    "cells_save",
    "homework_file_add",
    "lesson_update",
    "mark_add",
    "mark_change",
    "mark_delete",
    "substitution_assign",
]
