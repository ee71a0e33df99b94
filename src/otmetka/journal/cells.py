"""Writes of the grid's cells: marks and absences of students in one lesson, in batches.

Every batch re-checks access (`lesson_write_role`), is validated whole before anything is
written, is written in bulk with its audit events in one transaction, and answers with what the
grid patches: the batch's cells and the changed students' row summaries. A refused batch writes
nothing (`CellsError` names each refused student's cell)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access import rules
from otmetka.access.lesson_writes import lesson_write_decide, lesson_write_period
from otmetka.audit.models import Event
from otmetka.audit.services import event_build, events_save, snapshot
from otmetka.core.input import ID_MAX
from otmetka.core.rows import instance, rows_insert
from otmetka.curriculum.models import Course
from otmetka.journal.cellread import CellsRead, Row, Scope, cells_read
from otmetka.journal.changes import AbsenceChange, CellChange, CellsSaved, MarkChange
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, MarkKind, cell_group
from otmetka.journal.selectors import lesson_periods
from otmetka.journal.signals import cells_saved
from otmetka.journal.summary import summaries_from_rows
from otmetka.journal.validation import mark_value_clean, reason_check
from otmetka.school.models import Period, School

OnSaved = Callable[[Any], None] | None


class CellsError(ValidationError):
    """A refused batch of cells: `errors` maps a student id to a Russian message."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _first_message(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else str(exc)


def write_check(actor: Any, lesson: Lesson, reason: str) -> Period | None:
    """Refuse an actor without a write role on the lesson (PermissionDenied) and a change of a
    closed period without a stated reason; the lesson's period."""
    reason_check(reason)
    # One query: the period and the role.
    period = lesson_write_period(actor, lesson, lesson_periods(lesson))  # one query
    if rules.period_is_closed(period, lesson.school) and not (reason or "").strip():
        raise ValidationError(_("The period is closed: state the reason for the change."))
    return period


def lesson_is_open_for_entries(lesson: Lesson) -> None:
    """Refuse entries on a cancelled lesson or one that has not taken place yet."""
    if lesson.status == Lesson.Status.CANCELLED:
        raise ValidationError(_("The lesson is cancelled: nothing is entered for it."))
    if lesson.date > timezone.localdate():
        raise ValidationError(_("The lesson has not taken place yet."))


def lesson_for_write(lesson: Lesson) -> Lesson:
    """The lesson with its course (subject, class) and school loaded: the checks need them. A
    lesson just read with them (the API's `journal_lesson_for`) is used as it is."""
    course_field = Lesson._meta.get_field("course")
    if course_field.is_cached(lesson) and Lesson._meta.get_field("school").is_cached(lesson):
        course = lesson.course
        # Both are foreign keys (get_field() is typed as any field or relation).
        if all(Course._meta.get_field(f).is_cached(course) for f in ("subject", "school_class")):  # type: ignore[union-attr]
            return lesson
    related = ("course__subject", "course__school_class", "school")
    return Lesson.objects.select_related(*related).get(pk=lesson.pk)


def _an_id(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and 1 <= value <= ID_MAX


@dataclass
class _Batch:
    """A batch of one lesson's cells: what its checks read once, and the writes planned."""

    actor: Any
    lesson: Lesson
    read: CellsRead
    students: set[int] = field(default_factory=set)  # students of the school among the batch's
    enrolled: set[int] = field(default_factory=set)  # … in the class on the lesson's date
    kinds: dict[int, MarkKind] = field(default_factory=dict)  # the school's active kinds
    codes: dict[str, AbsenceCode] = field(default_factory=dict)  # the school's codes
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


def _once(seen: set[int], key: int, message: str) -> None:
    """Refuse a second change of the same absence or mark in one batch: which would win is
    unclear, and two new absences of one student break the unique constraint."""
    if key in seen:
        raise ValidationError(message)
    seen.add(key)


def _student_ids(changes: list[CellChange]) -> list[int]:
    ids = [c.student for c in changes]
    if any(not isinstance(i, int) or not 1 <= i <= ID_MAX for i in ids):  # SQLite: 64 bits
        raise ValidationError(_("Unknown student."))
    return ids


@dataclass
class LessonInScope:
    """A lesson named by its id, found in `scope` (the caller's access scope:
    `access.rules.journal_lessons_sql`) by the save's one read — the access check and the
    batch's facts in one query (the API's cells save)."""

    school: School
    scope: Scope
    pk: int


def _batch_read(actor: Any, lesson: Lesson | LessonInScope, changes: list[CellChange]) -> _Batch:
    """What the batch's checks and its answer need, read once for all its cells (one query:
    `cells_read`, which finds the lesson of a `LessonInScope` or raises Http404, and gives the
    cells' absences as rows); the cells' marks as rows only when the batch changes or deletes
    marks (a second query)."""
    ids = [c.student for c in changes if _an_id(c.student)]
    kind_ids = sorted({m.kind for c in changes for m in c.marks if _an_id(m.kind)})
    codes = sorted({c.absence.code.strip().lower() for c in changes if c.absence is not None})
    if isinstance(lesson, LessonInScope):
        school, scope = lesson.school, lesson.scope
    else:  # checked by the caller
        school, scope = lesson.school, ("x.school_id = %s", [lesson.school_id])
    read = cells_read(actor, school, scope, lesson.pk, ids, kind_ids, codes)
    if read.lesson is None:
        raise Http404
    found = read.lesson if isinstance(lesson, LessonInScope) else lesson
    batch = _Batch(actor=actor, lesson=found, read=read)
    batch.students, batch.enrolled = read.students, read.enrolled
    batch.kinds = {k: instance(MarkKind, pk=k, weight=w) for k, w in read.kinds.items()}
    batch.codes = read.codes
    if any(c.delete_marks or any(m.id is not None for m in c.marks) for c in changes):
        marks = Mark.objects.filter(lesson=found, student_id__in=ids, is_deleted=False)
        batch.marks = {m.pk: m for m in marks}
    touched = {c.student for c in changes if c.absence is not None or c.clear_absence}
    batch.absences = {sid: a for sid, a in read.absences.items() if sid in touched}
    return batch


def _own_mark(batch: _Batch, mark_id: int | None, student: int) -> Mark:
    """A mark of the student in this lesson, changed at most once in the batch."""
    mark = batch.marks.get(mark_id) if mark_id is not None else None
    if mark is None or mark.student_id != student:
        raise ValidationError(_("The mark is not found."))
    _once(batch.seen_marks, mark.pk, _("The mark is given twice in one batch."))
    return mark


def _plan_change(batch: _Batch, change: CellChange) -> None:
    """Validate one cell and add its writes to the batch."""
    sid = change.student
    if sid not in batch.students:
        raise ValidationError(_("Unknown student."))
    for mark_id in change.delete_marks:
        mark = _own_mark(batch, mark_id, sid)
        before = snapshot(mark)
        mark.is_deleted = True
        batch.deleted_marks.append((mark, before))
    if change.enters_something:
        lesson_is_open_for_entries(batch.lesson)
        if sid not in batch.enrolled:
            raise ValidationError(_("The student is not in the class on the lesson's date."))
    for item in change.marks:
        _plan_mark(batch, sid, item)
    if change.absence is not None or change.clear_absence:
        _once(batch.seen_absences, sid, _("The student's absence is given twice in one batch."))
        if change.absence is not None:
            _plan_absence(batch, sid, change.absence)
        elif sid in batch.absences:
            batch.cleared_absences.append(batch.absences[sid])


def _plan_mark(batch: _Batch, sid: int, item: MarkChange) -> None:
    """A new or changed mark of the cell, validated."""
    lesson = batch.lesson
    value = mark_value_clean(lesson.course.assessment, item.value)
    kind = batch.kinds.get(item.kind) if item.kind is not None else None
    if kind is None:
        raise ValidationError(_("Choose the kind of work."))
    comment = (item.comment or "").strip()
    if len(comment) > 300:
        raise ValidationError(_("The comment is longer than 300 characters."))
    if item.id is not None:
        mark = _own_mark(batch, item.id, sid)
        before = snapshot(mark)
        mark.value, mark.kind, mark.comment = value, kind, comment
        batch.changed_marks.append((mark, before))
        return
    batch.new_marks.append(
        # By ids, not instances: a relation's descriptor checks each (a tenth of a column's
        # build); `snapshot`, the events and the answer read only the ids.
        instance(
            Mark, school_id=lesson.school_id, lesson_id=lesson.pk, student_id=sid, value=value,
            kind_id=kind.pk, comment=comment, created_by_id=batch.actor.pk,
        )
    )  # fmt: skip


def _late_minutes(code: AbsenceCode, minutes: int | None) -> int | None:
    """The minutes late: 1–45 for a lateness code, none for any other."""
    if code.reason == AbsenceCode.Reason.LATE:
        if minutes is None or not 1 <= minutes <= 45:
            raise ValidationError(_("For lateness enter the minutes late, from 1 to 45."))
        return minutes
    if minutes is not None:
        raise ValidationError(_("Minutes are entered only for lateness."))
    return None


def _plan_absence(batch: _Batch, sid: int, absence: AbsenceChange) -> None:
    """The cell's absence set (new or changed), validated."""
    code = batch.codes.get((absence.code or "").strip().lower())
    if code is None:
        raise ValidationError(_("Unknown absence code."))
    minutes = _late_minutes(code, absence.minutes)
    existing = batch.absences.get(sid)
    if existing is not None:
        before = snapshot(existing)
        existing.code, existing.minutes_late = code, minutes
        batch.changed_absences.append((existing, before))
        return
    lesson = batch.lesson
    batch.new_absences.append(
        Absence(
            school_id=lesson.school_id, lesson=lesson, student_id=sid, code=code,
            minutes_late=minutes, created_by=batch.actor,
        )
    )  # fmt: skip


def _event(actor: Any, action: str, obj: Any, before: Any, after: Any, reason: str) -> Event:
    """The audit event of a mark or an absence, in its cell's group."""
    group = cell_group(obj.lesson_id, obj.student_id)
    return event_build(
        actor=actor, action=action, obj=obj, before=before, after=after, reason=reason, group=group
    )


def _marks_write(batch: _Batch, reason: str) -> list[Event]:
    """Insert the new marks, update the changed and deleted ones; their audit events."""
    actor = batch.actor
    events = []
    if batch.new_marks:
        rows_insert(batch.new_marks)
        events += [_event(actor, "mark_add", m, None, snapshot(m), reason) for m in batch.new_marks]
    touched = [m for m, _b in batch.changed_marks + batch.deleted_marks]
    if touched:
        now = timezone.now()
        for m in touched:
            m.updated_at = now
        Mark.objects.bulk_update(touched, ["value", "kind", "comment", "is_deleted", "updated_at"])
        for action, pairs in (
            ("mark_change", batch.changed_marks),
            ("mark_delete", batch.deleted_marks),
        ):
            events += [_event(actor, action, m, b, snapshot(m), reason) for m, b in pairs]
    return events


def _absences_write(batch: _Batch, reason: str) -> list[Event]:
    """Insert, update and delete the batch's absences; their audit events."""
    actor = batch.actor
    events = []
    if batch.new_absences:
        rows_insert(batch.new_absences)
        events += [
            _event(actor, "absence_set", a, None, snapshot(a), reason) for a in batch.new_absences
        ]
    if batch.changed_absences:
        Absence.objects.bulk_update(
            [a for a, _b in batch.changed_absences], ["code", "minutes_late"]
        )
        events += [
            _event(actor, "absence_set", a, b, snapshot(a), reason)
            for a, b in batch.changed_absences
        ]
    if batch.cleared_absences:
        events += [
            _event(actor, "absence_clear", a, snapshot(a), None, reason)
            for a in batch.cleared_absences
        ]
        Absence.objects.filter(pk__in=[a.pk for a in batch.cleared_absences]).delete()
    return events


def _cells_apply(
    *,
    actor: Any,
    lesson: Lesson | LessonInScope,
    changes: list[CellChange],
    reason: str,
    made_at: datetime.datetime | None = None,
) -> tuple[_Batch, Period | None]:
    """Check, validate and write a batch (call inside the transaction): all or nothing. The
    write role and the closed period are decided from the batch's one read."""
    reason_check(reason)
    batch = _batch_read(actor, lesson, changes)
    lesson = batch.lesson
    read = batch.read
    period = read.period
    lesson_write_decide(
        actor, lesson, period, is_teacher=read.is_teacher, substitute_id=read.substitute_id
    )
    if rules.period_is_closed(period, lesson.school) and not (reason or "").strip():
        raise ValidationError(_("The period is closed: state the reason for the change."))
    _student_ids(changes)
    errors = {}
    for change in changes:
        try:
            _plan_change(batch, change)
        except ValidationError as exc:
            errors[change.student] = _first_message(exc)
    if errors:
        raise CellsError(errors)
    if made_at is not None:
        _made_offline(batch, made_at)
    events = _marks_write(batch, reason) + _absences_write(batch, reason)
    if made_at is not None:
        _events_made_offline(events, made_at)
    if events:
        # The chain's head was read (and on PostgreSQL locked) by the batch's one read.
        heads = {lesson.school_id: read.head} if read.head is not None else None
        events_save(events, heads)
        cells_saved.send(sender=Lesson, lesson=lesson)
    return batch, period


def _made_offline(batch: _Batch, made_at: datetime.datetime) -> None:
    """The new marks and absences of a batch made offline keep when they were made (the
    deadline engine reads it on a day declared without PC/Internet); no statement added."""
    for mark in batch.new_marks:
        mark.made_at = made_at
    for absence in batch.new_absences:
        absence.made_at = made_at


def _events_made_offline(events: list[Event], made_at: datetime.datetime) -> None:
    """Each event of a batch made offline says when that change was made (`after.made_at`),
    beside its own time (`at`: when it reached the server)."""
    made = made_at.isoformat()
    for event in events:
        event.after = {**(event.after or {}), "made_at": made}


def _answer_rows(batch: _Batch) -> list[Row]:
    """The read rows patched with what the batch wrote: the answer's cells and averages
    without reading them back."""
    lesson_id = batch.lesson.pk
    weights = {k: kind.weight for k, kind in batch.kinds.items()}
    gone = {m.pk for m, _b in batch.changed_marks + batch.deleted_marks}
    reset = batch.seen_absences
    rows = [
        r
        for r in batch.read.rows
        if not (r[6] is not None and r[2] in gone and r[1] == lesson_id)
        and not (r[6] is None and r[1] == lesson_id and r[0] in reset)
    ]
    for m, _b in batch.changed_marks:
        rows.append(
            (m.student_id, lesson_id, m.pk, m.value, m.kind_id, m.comment, weights[m.kind_id],
             m.created_at)
        )  # fmt: skip
    for m in batch.new_marks:
        rows.append(
            (m.student_id, lesson_id, m.pk, m.value, m.kind_id, m.comment, weights[m.kind_id],
             m.created_at)
        )  # fmt: skip
    for a in batch.new_absences + [a for a, _b in batch.changed_absences]:
        code = a.code
        rows.append((a.student_id, lesson_id, a.minutes_late, code.code, None, code.reason, None,
                     a.created_at))  # fmt: skip
    return rows


def cells_save(
    *,
    actor: Any,
    lesson: Lesson | LessonInScope,
    changes: list[CellChange],
    reason: str = "",
    on_saved: OnSaved = None,
    made_at: datetime.datetime | None = None,
) -> CellsSaved:
    """Save a batch of one lesson's cells in one transaction (CellsError lists refused cells;
    Http404 for a `LessonInScope` not in its scope) and answer what the grid patches: the cells
    as saved and the changed students' row summaries. `on_saved` gets the answer inside the
    transaction (the API stores it there: an Idempotency-Key); without it the answer is built
    after COMMIT. `made_at`: when the batch was made offline (checked
    by `validation.made_at_clean`), kept on its new rows and in its audit events."""
    if isinstance(lesson, Lesson):
        lesson = lesson_for_write(lesson)
    ids = sorted({c.student for c in changes})
    with transaction.atomic():
        batch, period = _cells_apply(
            actor=actor, lesson=lesson, changes=changes, reason=reason, made_at=made_at
        )
        if on_saved is not None:  # what is stored is what is returned: built inside
            saved = _answer(batch, period, ids)
            on_saved(saved)
            return saved
    # Built from what was read and written, after COMMIT: on SQLite the database's one write
    # turn is not held while the answer's cells and averages are computed.
    return _answer(batch, period, ids)


def _answer(batch: _Batch, period: Period | None, ids: list[int]) -> CellsSaved:
    """The saved cells and the changed students' row summaries (none for a lesson outside the
    periods), computed from the read rows patched with the batch's writes."""
    read = batch.read
    rows = _answer_rows(batch)
    cells, summaries = summaries_from_rows(batch.lesson, rows, ids, read.totals, read.absent)
    return CellsSaved(cells=cells, students=summaries if period is not None else {})


def cell_change_one(actor: Any, lesson: Lesson, change: CellChange, reason: str) -> _Batch:
    """Save one cell (the single-cell services below): a ValidationError with its message."""
    lesson = lesson_for_write(lesson)
    try:
        with transaction.atomic():
            batch, _period = _cells_apply(
                actor=actor, lesson=lesson, changes=[change], reason=reason
            )
    except CellsError as exc:
        raise ValidationError(next(iter(exc.errors.values()))) from None
    return batch
