"""Writes of the diary: remembering whose diary the reader opened last, when they opened it (for
"new since the last visit") and how many guardians opened it each day."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access.diary import diary_student_access, homeroom_classes, live_links
from otmetka.access.rules import account_held_by_school_alone
from otmetka.accounts.models import User
from otmetka.accounts.services import passwords_issue
from otmetka.audit.services import event_record, snapshot
from otmetka.core.dates import active_on, date_or
from otmetka.core.input import ID_MAX, text_problem
from otmetka.core.validation import Errors, add, fail_if
from otmetka.diary.models import DiaryChoice, DiaryViewDay, DiaryVisit
from otmetka.journal.models import Absence, AbsenceCode
from otmetka.people.models import Guardian, Student
from otmetka.school.models import Enrollment, SchoolClass

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


def class_slips_issue(*, actor: Any, school_class: SchoolClass) -> list[dict[str, Any]]:
    """New passwords for the guardians of the class's students who have never logged in, for
    printing their credential slips in one go: one slip a guardian (with their children in the
    class), in the students' order. Only the class's homeroom teacher; an account that holds
    anything outside this school is not theirs to reset and is left out. One audit event lists
    everyone issued. A Russian error when there is nobody to issue to."""
    school = school_class.school
    if not homeroom_classes(actor, school).filter(pk=school_class.pk).exists():
        raise Http404
    today = timezone.localdate()
    students = Enrollment.objects.filter(active_on(today), school_class=school_class).values(
        "student_id"
    )
    links = (
        Guardian.objects.filter(live_links(), school=school, student_id__in=students)
        .filter(user__last_login__isnull=True, user__is_active=True)
        .select_related("user", "student")
        .order_by("student__last_name", "student__first_name", "student__middle_name", "pk")
    )
    slips: dict[int, dict[str, Any]] = {}
    for link in links:
        slip = slips.setdefault(link.user_id, {"user": link.user, "children": []})
        slip["children"].append(link.student)
    users: list[User] = [
        s["user"] for s in slips.values() if account_held_by_school_alone(s["user"], school)
    ]
    errors: Errors = {}
    if not users:
        add(
            errors,
            "__all__",
            _(
                "Every guardian of the class has already logged in: no slips "
                "to print. A forgotten password is reissued by the secretary."
            ),
        )
    fail_if(errors)
    issued = passwords_issue(actor=actor, users=users, obj=school_class, school_id=school.pk)
    return [{**slips[pk], "password": password} for pk, password in issued.items()]


NOTE_MAX = 500  # a parent's note, as the homeroom teacher copies it


def absence_reason_set(
    *, actor: Any, school_class: SchoolClass, student_id: Any, day: Any, code: Any, note: Any
) -> int:
    """The homeroom teacher records the reason for a student's absences on a day (a parent's
    note): every absence of the student that day in the school (lateness aside) gets the code,
    each change audited with the note as its reason, in one transaction. Only for a student of
    their own class on that day; Russian errors otherwise, nothing written. Returns the number
    of absences changed."""
    school = school_class.school
    if not homeroom_classes(actor, school).filter(pk=school_class.pk).exists():
        raise Http404
    errors: Errors = {}
    date = date_or(day, datetime.date.min)
    if date == datetime.date.min:
        add(errors, "date", _("Enter the date as DD.MM.YYYY."))
    text = note if isinstance(note, str) else ""
    problem = text_problem(text)
    if problem:
        add(errors, "note", problem)
    elif len(text) > NOTE_MAX:
        add(errors, "note", _("The note is longer than %(n)s characters.") % {"n": NOTE_MAX})
    reason = AbsenceCode.objects.filter(school=school, code=str(code or "")[:4]).first()
    if reason is None or reason.reason == AbsenceCode.Reason.LATE:
        add(errors, "code", _("Choose the reason's code (н, б, у, нп)."))
    try:
        sid = int(student_id)
    except (TypeError, ValueError):
        sid = 0
    if not 0 < sid <= ID_MAX or (
        date != datetime.date.min
        and not Enrollment.objects.filter(
            active_on(date), school_class=school_class, student_id=sid
        ).exists()
    ):
        add(errors, "student", _("The student is not in your class on that day."))
    fail_if(errors)
    assert reason is not None  # refused above
    with transaction.atomic():
        absences = list(
            Absence.objects.select_for_update()
            .filter(school=school, student_id=sid, lesson__date=date)
            .exclude(code__reason=AbsenceCode.Reason.LATE)
            .select_related("code")
        )
        if not absences:
            add(errors, "date", _("The student has no absences on that day."))
        fail_if(errors)
        changed = 0
        for absence in absences:
            if absence.code_id == reason.pk:
                continue
            before = snapshot(absence)
            absence.code = reason
            absence.save(update_fields=["code"])
            event_record(
                actor=actor,
                action="absence_reason",
                obj=absence,
                before=before,
                after=snapshot(absence),
                reason=text.strip(),
                school_id=school.pk,
            )
            changed += 1
    return changed
