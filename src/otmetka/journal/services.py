"""Writes of the class journal: marks, absences, lesson topics and homework, substitutions.

Every write re-checks access through `lesson_write_role`, runs in one transaction and appends
audit events (before/after, reason) in it; a refused input writes nothing.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access import rules
from otmetka.audit.services import (
    changed_fields,
    event_record,
    snapshot,
)
from otmetka.journal.cells import (
    CellsError,
    LessonInScope,
    OnSaved,
    cell_change_one,
    cells_save,
    lesson_for_write,
    lesson_is_open_for_entries,
    write_check,
)
from otmetka.journal.changes import AbsenceChange, CellChange, MarkChange
from otmetka.journal.models import HomeworkFile, Lesson, Mark, MarkKind, Substitution
from otmetka.journal.selectors import SUBSTITUTION_PREFIX
from otmetka.journal.validation import (
    homework_file_check,
    homework_file_content_check,
    homework_text_check,
    topic_warning,
)
from otmetka.people.models import Student


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
    item = MarkChange(value=value, kind=_pk(kind), comment=comment)
    change = CellChange(student=_pk(student), marks=(item,))
    return cell_change_one(actor, lesson, change, reason).new_marks[0]


def mark_change(
    *, actor: Any, mark: Mark, value: str, kind: MarkKind | int, comment: str, reason: str = ""
) -> Mark:
    """Change a mark's value, kind or comment."""
    item = MarkChange(value=value, kind=_pk(kind), comment=comment, id=mark.pk)
    change = CellChange(student=mark.student_id, marks=(item,))
    return cell_change_one(actor, mark.lesson, change, reason).changed_marks[0][0]


def mark_delete(*, actor: Any, mark: Mark, reason: str = "") -> None:
    """Delete a mark softly: it stays in the database and the history."""
    change = CellChange(student=mark.student_id, delete_marks=(mark.pk,))
    cell_change_one(actor, mark.lesson, change, reason)


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
    change = CellChange(student=_pk(student), absence=AbsenceChange(code=code, minutes=minutes))
    cell_change_one(actor, lesson, change, reason)


def absence_clear(*, actor: Any, lesson: Lesson, student: Student, reason: str = "") -> None:
    """Remove a student's absence at a lesson (the history keeps it)."""
    cell_change_one(actor, lesson, CellChange(student=_pk(student), clear_absence=True), reason)


def _strip_prefix(topic: str) -> str:
    text = topic.strip()
    if text.lower().startswith(SUBSTITUTION_PREFIX.lower()):
        text = text[len(SUBSTITUTION_PREFIX) :].lstrip(" .:—-")
    return text


class Keep:
    """An argument left out: the field stays as it is (None would clear it)."""


KEEP = Keep()
HOMEWORK_MINUTES_MAX = 240  # R38's longest daily load (11th grade, 3.5 h) rounded up


def homework_minutes_check(minutes: int | None) -> int | None:
    """The homework's minutes (R38 load): a whole number 0..240, or None (not estimated)."""
    if minutes is not None and (
        isinstance(minutes, bool) or not 0 <= minutes <= HOMEWORK_MINUTES_MAX
    ):
        raise ValidationError(
            _("Enter the homework time as whole minutes from 0 to %(max)s, or leave it empty.")
            % {"max": HOMEWORK_MINUTES_MAX}
        )
    return minutes


def lesson_update(
    *,
    actor: Any,
    lesson: Lesson,
    topic: str | None = None,
    homework: str | None = None,
    planned_topic: Any = None,
    homework_minutes: int | Keep | None = KEEP,
    reason: str = "",
    on_saved: OnSaved = None,
    made_at: datetime.datetime | None = None,
) -> list[str]:
    """Set a lesson's topic, homework, homework minutes (None clears them) or planned КТП topic;
    returns warnings (never blocking); `on_saved` gets them inside the transaction. `made_at`:
    when the change was made offline (checked by `validation.made_at_clean`): the first
    topic/homework keep it, the audit event says it."""
    lesson = lesson_for_write(lesson)
    warnings: list[str] = []
    with transaction.atomic():
        write_check(actor, lesson, reason)
        before = snapshot(lesson)
        now = timezone.now()
        if topic is not None:
            first = lesson.topic_entered_at is None
            warning = _topic_set(lesson, topic, now)
            if warning:
                warnings.append(warning)
            if first and lesson.topic_entered_at is not None and made_at is not None:
                lesson.topic_made_at = made_at
        if homework is not None:
            first = lesson.homework_entered_at is None
            _homework_set(lesson, homework, now)
            if first and lesson.homework_entered_at is not None and made_at is not None:
                lesson.homework_made_at = made_at
        if not isinstance(homework_minutes, Keep):
            lesson.homework_minutes = homework_minutes_check(homework_minutes)
        if planned_topic is not None:
            _planned_topic_set(lesson, planned_topic, now, topic_given=topic is not None)
        lesson.save()
        after = snapshot(lesson)
        if after != before:
            event_record(
                actor=actor,
                action="lesson_update",
                obj=lesson,
                # Only what changed: the homework text is not stored twice when it stays.
                before=changed_fields(before, after),
                after=after if made_at is None else {**after, "made_at": made_at.isoformat()},
                reason=reason,
            )
        if on_saved is not None:
            on_saved(warnings)
    return warnings


def _topic_set(lesson: Lesson, topic: str, now: datetime.datetime) -> str:
    """Set the topic (checked); its warning, or "" (`topic_warning`)."""
    topic = _strip_prefix(topic)
    if len(topic) > 500:
        raise ValidationError(_("The lesson topic is longer than 500 characters."))
    if topic and lesson.status == Lesson.Status.CANCELLED:
        raise ValidationError(_("The lesson is cancelled: nothing is entered for it."))
    lesson.topic = topic
    if topic and lesson.topic_entered_at is None:
        lesson.topic_entered_at = now
    return topic_warning(topic, lesson.course.subject.name)


def _homework_set(lesson: Lesson, homework: str, now: datetime.datetime) -> None:
    homework_text_check(homework.strip())
    lesson.homework = homework.strip()
    if lesson.homework and lesson.homework_entered_at is None:
        lesson.homework_entered_at = now


def _planned_topic_set(
    lesson: Lesson, planned_topic: Any, now: datetime.datetime, *, topic_given: bool
) -> None:
    """Link the course's КТП topic (0 or empty: none); its title becomes the topic when the
    lesson has none and none was given."""
    from otmetka.curriculum.models import PlannedTopic

    pid = _int_or_none(_pk(planned_topic))
    if pid in (None, 0):
        lesson.planned_topic = None
        return
    found = PlannedTopic.objects.filter(pk=pid, plan__course_id=lesson.course_id).first()
    if found is None:
        raise ValidationError(_("The topic is not in this course's plan."))
    lesson.planned_topic = found
    if not topic_given and not lesson.topic:
        lesson.topic = found.title
        lesson.topic_entered_at = lesson.topic_entered_at or now


def attendance_mark_all_present(
    *, actor: Any, lesson: Lesson, reason: str = "", on_saved: OnSaved = None
) -> None:
    """Mark attendance as taken: everyone without an absence code was present; `on_saved` is
    called inside the transaction."""
    lesson = lesson_for_write(lesson)
    with transaction.atomic():
        write_check(actor, lesson, reason)
        lesson_is_open_for_entries(lesson)
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
    lesson = lesson_for_write(lesson)
    name = (getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        write_check(actor, lesson, reason)
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
    lesson = lesson_for_write(lesson)
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
        _substitute_free_check(lesson, _pk(substitute))
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


def _substitute_free_check(lesson: Lesson, substitute_id: int) -> None:
    """Refuse a substitute who teaches another lesson at the same time that day: their own (not
    given to someone else) or one they already substitute."""
    if lesson.bell_number is not None:
        same_time = Q(bell_number=lesson.bell_number)
    elif lesson.starts_at is not None:
        same_time = Q(starts_at=lesson.starts_at)
    else:
        return
    own = Q(course__teachers=substitute_id, substitution__isnull=True)
    substituting = Q(substitution__substitute=substitute_id)
    busy = (
        Lesson.objects.filter(
            same_time, own | substituting, school=lesson.school_id, date=lesson.date
        )
        .exclude(pk=lesson.pk)
        .exclude(status=Lesson.Status.CANCELLED)
        .select_related("course__subject", "course__school_class")
        .first()
    )
    if busy is not None:
        raise ValidationError(
            _(
                "This teacher has their own lesson at that time: %(course)s, lesson %(number)s. "
                "Choose another teacher."
            )
            % {"course": busy.course, "number": busy.bell_number or busy.starts_at}
        )


__all__ = [
    "CellsError",
    "LessonInScope",
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
