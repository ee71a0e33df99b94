"""Writes of the diary: remembering whose diary the reader opened last, when they opened it (for
"new since the last visit") and how many guardians opened it each day."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from otmetka.access.diary import diary_student_access
from otmetka.audit.services import event_record
from otmetka.diary.models import DiaryChoice, DiaryViewDay, DiaryVisit
from otmetka.people.models import Student

# A visit ends after this long without opening the diary: the next one shows as new what was
# added since this one.
VISIT_GAP = datetime.timedelta(minutes=30)


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


def _day_counted(school_id: int, day: datetime.date) -> None:
    """One more guardian's view of the school's diary on the day: an update in place (one
    query); the day's first view creates the row first (three)."""
    counter = DiaryViewDay.objects.filter(school_id=school_id, day=day)
    if counter.update(views=F("views") + 1):
        return
    DiaryViewDay.objects.bulk_create(
        [DiaryViewDay(school_id=school_id, day=day, views=0)], ignore_conflicts=True
    )
    counter.update(views=F("views") + 1)


def diary_visit(*, user: Any, student: Student) -> datetime.datetime:
    """Note that the user opened the student's diary now and return since when entries show as
    new (the start of the previous visit; now on the first visit ever). A guardian's first
    opening of a child's diary on a day counts once in the school's day counter. Not audited:
    this is the reader's own bookkeeping, like the last login. Two queries; one or three more
    on a guardian's first view of the day."""
    now = timezone.now()
    found = (
        DiaryVisit.objects.filter(user_id=user.pk, student_id=student.pk)
        .values_list("pk", "seen_at", "new_since")
        .first()
    )
    guardian = student.user_id != user.pk
    if found is None:
        DiaryVisit.objects.bulk_create(
            [DiaryVisit(user=user, student=student, seen_at=now, new_since=now)],
            ignore_conflicts=True,  # a second tab's request may have been first
        )
        if guardian:
            _day_counted(student.school_id, timezone.localdate(now))
        return now
    pk, seen_at, new_since = found
    if now - seen_at > VISIT_GAP:
        new_since = seen_at
    DiaryVisit.objects.filter(pk=pk).update(seen_at=now, new_since=new_since)
    if guardian and timezone.localdate(seen_at) != timezone.localdate(now):
        _day_counted(student.school_id, timezone.localdate(now))
    return new_since
