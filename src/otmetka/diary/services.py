"""Writes of the diary: remembering whose diary the reader opened last."""

from typing import Any

from django.db import transaction

from otmetka.access.diary import diary_student_access
from otmetka.audit.services import event_record
from otmetka.diary.models import DiaryChoice


def diary_choice_set(*, actor: Any, student_id: Any) -> Any:
    """Remember the actor's choice of child (404 unless it is a student whose diary they read);
    the next visit opens that child's diary, in that child's school."""
    student = diary_student_access(actor, student_id)
    with transaction.atomic():
        choice, _created = DiaryChoice.objects.update_or_create(
            user=actor, defaults={"student": student, "school_id": student.school_id}
        )
        event_record(actor=actor, action="diary_choice", obj=choice, after={"student": student.pk})
    return student
