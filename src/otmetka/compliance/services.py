"""Writes of the deadline engine: rule versions, teachers' absences, "no PC/Internet" days.
Each re-checks access, writes its audit event in the same transaction and marks the rollups it
changes stale (the worker recomputes them within a minute)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access import compliance as access
from otmetka.audit.services import event_record, snapshot
from otmetka.compliance.deadlines import ALL_KINDS
from otmetka.compliance.models import (
    Anchor,
    DeadlineRule,
    Entity,
    NoPcDay,
    OffsetKind,
    RollupDirty,
    TeacherAbsence,
)
from otmetka.core.input import text_problem
from otmetka.journal.models import Lesson
from otmetka.school.models import School

OFFSET_LIMIT = 10_000  # minutes in a day, hours in a year: more is a typing error
ABSENCE_DAYS_MAX = 366
NO_PC_BACK_DAYS = 7  # a day without PC is declared within a week, not months later


def _text(value: str, limit: int, what: str) -> str:
    value = (value or "").strip()
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem)
    if len(value) > limit:
        raise ValidationError(
            _("%(what)s is longer than %(n)d characters.") % {"what": what, "n": limit}
        )
    return value


def _stale(
    school: School, start: datetime.date, end: datetime.date, teacher_id: int | None
) -> None:
    """Mark the rollups of the school's lessons from start to end (of a teacher's courses, or
    substitutions) stale: the worker recomputes them."""
    today = timezone.localdate()
    lessons = Lesson.objects.filter(school=school, date__range=(start, min(end, today)))
    if teacher_id is not None:
        from django.db.models import Q

        lessons = lessons.filter(
            Q(course__teachers__id=teacher_id) | Q(substitution__substitute_id=teacher_id)
        )
    keys = set(lessons.values_list("course_id", "date"))
    RollupDirty.objects.bulk_create(
        [RollupDirty(school=school, course_id=c, day=d) for c, d in keys],
        ignore_conflicts=True,
        batch_size=500,
    )


def rule_change(
    *,
    actor: Any,
    school: School,
    key: str,
    entity: str,
    anchor: str,
    offset_kind: str,
    offset_value: int,
    course_kinds: list[str],
    is_limit: bool = False,
    is_active: bool = True,
    valid_from: datetime.date,
) -> DeadlineRule:
    """A new version of a rule from `valid_from` (today or later: a change never rewrites the
    days before it). A version of the same key and day is replaced."""
    access.rules_write_require(actor, school)
    if valid_from < timezone.localdate():
        raise ValidationError(_("A rule changes from today or a later day, never back in time."))
    key = _text(key, 40, _("The rule's name"))
    if not key or not key.replace("-", "").isalnum() or not key.isascii():
        raise ValidationError(_("The rule's name: Latin letters, digits and hyphens."))
    if entity not in Entity.values or anchor not in Anchor.values:
        raise ValidationError(_("Unknown entry or anchor of the rule."))
    if offset_kind not in OffsetKind.values:
        raise ValidationError(_("Unknown kind of offset."))
    if not -OFFSET_LIMIT <= offset_value <= OFFSET_LIMIT:
        raise ValidationError(_("The offset is out of range."))
    kinds = sorted(set(course_kinds))
    if not kinds or not set(kinds) <= ALL_KINDS:
        raise ValidationError(_("Choose the course kinds the rule applies to."))
    with transaction.atomic():
        rule, _made = DeadlineRule.objects.update_or_create(
            school=school, key=key, valid_from=valid_from,
            defaults={
                "entity": entity, "anchor": anchor, "offset_kind": offset_kind,
                "offset_value": offset_value, "course_kinds": ",".join(kinds),
                "is_limit": is_limit, "is_active": is_active, "created_by": actor,
            },
        )  # fmt: skip
        event_record(actor=actor, action="deadline_rule_change", obj=rule, after=snapshot(rule))
        _stale(school, valid_from, valid_from, None)
    return rule


def absence_record(
    *,
    actor: Any,
    school: School,
    teacher_id: int,
    start: datetime.date,
    end: datetime.date,
    reason: str,
    note: str = "",
) -> TeacherAbsence:
    """Record a teacher's illness or leave: the entries of those days are due 1 working week
    after the return (5.8, 7.5)."""
    access.absences_write_require(actor, school)
    if teacher_id not in access.school_teacher_ids(school):
        raise ValidationError(_("Choose a teacher of this school."))
    if end < start:
        raise ValidationError(_("The last day is before the first."))
    if (end - start).days > ABSENCE_DAYS_MAX:
        raise ValidationError(_("An absence is at most a year long."))
    if reason not in TeacherAbsence.Reason.values:
        raise ValidationError(_("Choose the reason."))
    note = _text(note, 200, _("The note"))
    with transaction.atomic():
        row = TeacherAbsence.objects.create(
            school=school, teacher_id=teacher_id, start=start, end=end, reason=reason,
            note=note, created_by=actor,
        )  # fmt: skip
        event_record(actor=actor, action="teacher_absence_record", obj=row, after=snapshot(row))
        _stale(school, start, end, teacher_id)
    return row


def absence_cancel(*, actor: Any, school: School, absence_id: int) -> TeacherAbsence:
    """Cancel a recorded absence recorded by mistake (the row stays, with its history)."""
    access.absences_write_require(actor, school)
    row = TeacherAbsence.objects.filter(school=school, pk=absence_id, is_cancelled=False).first()
    if row is None:
        raise ValidationError(_("No such absence."))
    _withdraw(actor, row, {"is_cancelled": True}, "teacher_absence_cancel", row.start, row.end)
    return row


def _withdraw(
    actor: Any, row: Any, changes: dict[str, Any], action: str,
    start: datetime.date, end: datetime.date,
) -> None:  # fmt: skip
    """Mark a row withdrawn (it stays, with its history), audit it, mark its days stale."""
    with transaction.atomic():
        before = snapshot(row)
        for name, value in changes.items():
            setattr(row, name, value)
        row.save(update_fields=list(changes))
        event_record(actor=actor, action=action, obj=row, before=before, after=snapshot(row))
        _stale(row.school, start, end, row.teacher_id)


def no_pc_declare(*, actor: Any, school: School, day: datetime.date, comment: str) -> NoPcDay:
    """A teacher declares a day without PC/Internet: that day's entries are due within 3
    working days (5.4, 6.3, 7.3). One declaration a day."""
    if not access.declares_no_pc(actor, school):
        raise PermissionDenied
    today = timezone.localdate()
    if day > today:
        raise ValidationError(_("A day without PC/Internet is declared on the day or after it."))
    if (today - day).days > NO_PC_BACK_DAYS:
        raise ValidationError(_("A day without PC/Internet is declared within a week."))
    comment = _text(comment, 300, _("The comment"))
    if not comment:
        raise ValidationError(_("Say what happened (no PC, no Internet…)."))
    with transaction.atomic():
        if NoPcDay.objects.filter(school=school, teacher=actor, day=day).exists():
            raise ValidationError(_("This day is already declared."))
        row = NoPcDay.objects.create(school=school, teacher=actor, day=day, comment=comment)
        event_record(actor=actor, action="no_pc_declare", obj=row, after=snapshot(row))
        _stale(school, day, day, actor.pk)
    return row


def no_pc_revoke(*, actor: Any, school: School, declaration_id: int) -> NoPcDay:
    """The deputy revokes a declaration: the day's ordinary deadlines apply again."""
    access.absences_write_require(actor, school)
    row = NoPcDay.objects.filter(school=school, pk=declaration_id, revoked_at=None).first()
    if row is None:
        raise ValidationError(_("No such declaration."))
    changes = {"revoked_by": actor, "revoked_at": timezone.now()}
    _withdraw(actor, row, changes, "no_pc_revoke", row.day, row.day)
    return row
