"""Journal reminders of the deadline engine (issue 14): once a day, an hour before the 16:00
deadline of the order (5.4), each teacher with entries still open gets one reminder listing
them with their deadlines (`remind_journal_gaps`), from the school's deputy. Run by the worker's
scheduler every minute; a teacher is reminded once a day (`GapReminder`)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.compliance.models import DayRollup, GapReminder
from otmetka.compliance.selectors import teacher_gaps
from otmetka.curriculum.models import Course
from otmetka.messaging.services import JournalGap, remind_journal_gaps

REMIND_AT = datetime.time(15, 0)  # one hour before the order's 16:00


def _sender(school_id: int) -> RoleMembership | None:
    return (
        RoleMembership.objects.filter(school_id=school_id, role__in=[Role.DEPUTY, Role.DIRECTOR])
        .select_related("user", "school")
        .order_by("role")  # "deputy" before "director"
        .first()
    )


def journal_reminders_send(now: datetime.datetime | None = None) -> int:
    """Remind the teachers whose entries of today are still open; returns how many."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < REMIND_AT:
        return 0
    today = local.date()
    open_courses = DayRollup.objects.filter(day=today, next_change_at__isnull=False).values(
        "course_id"
    )
    pairs = set(
        Course.teachers.through.objects.filter(course_id__in=open_courses).values_list(
            "course__school_id", "user_id"
        )
    )
    done = set(GapReminder.objects.filter(day=today).values_list("school_id", "teacher_id"))
    sent = 0
    for school_id, teacher_id in sorted(pairs - done):
        sender = _sender(school_id)
        if sender is None or sender.school is None:
            continue
        teacher = User.objects.filter(pk=teacher_id, is_active=True).first()
        if teacher is None:
            continue
        gaps = [
            JournalGap(f"{g.what} — {g.when}", g.course, g.day, f"/journal/{g.course_id}/")
            for g in teacher_gaps(user=teacher, school=sender.school, now=now)
        ]
        try:
            with transaction.atomic():
                GapReminder.objects.create(school_id=school_id, teacher=teacher, day=today)
                if gaps:
                    remind_journal_gaps(
                        teacher=teacher, gaps=gaps, actor=sender.user, school=sender.school
                    )
        except IntegrityError:  # another worker reminded them first
            continue
        sent += bool(gaps)
    return sent
