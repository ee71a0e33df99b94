"""Writes on the dated lessons' schedule: generation from the timetable (one Lesson per school day
of a class and timetable slot), moves, cancellations and extra lessons."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access.rules import CHANGE, require
from otmetka.accounts.models import User
from otmetka.audit.services import event_record, save_audited, snapshot
from otmetka.core.dates import d
from otmetka.core.validation import own
from otmetka.curriculum.conflicts import conflict, slot_courses, students_of, where
from otmetka.curriculum.models import Course, CourseMember, TimetableSlot
from otmetka.journal.models import Absence, HomeworkFile, Lesson, Mark, Substitution
from otmetka.school.calendar import calendar_for
from otmetka.school.models import Bell, Enrollment, School

# A course without a class (a cross-class group) follows the calendar of its youngest members'
# grade; with no members yet, that of a five-day grade 1…11 school (grade 11, five days).
DEFAULT_GRADE, DEFAULT_WEEK = 11, 5


@dataclass(frozen=True)
class GenerationResult:
    """Counts of one generation run."""

    created: int
    kept: int
    flagged: int
    removed: int


def lesson_has_data() -> Q:
    """Lessons holding anything a person entered: marks, absences, topic, homework, attendance,
    files or a substitution."""
    lesson = OuterRef("pk")
    return (
        Exists(Mark.objects.filter(lesson=lesson))
        | Exists(Absence.objects.filter(lesson=lesson))
        | Exists(HomeworkFile.objects.filter(lesson=lesson))
        | Exists(Substitution.objects.filter(lesson=lesson))
        | ~Q(topic="")
        | ~Q(homework="")
        | Q(attendance_taken_at__isnull=False)
    )


def _group_calendars(school: School, courses: list[Course], day: datetime.date) -> dict[int, tuple]:
    """(grade, week_days) of courses without a class, from their members' classes (one query)."""
    classless = [c.pk for c in courses if c.school_class_id is None]
    if not classless:
        return {}
    members = CourseMember.objects.filter(course_id__in=classless).values_list(
        "course_id", "student_id"
    )
    by_course: dict[int, set[int]] = {}
    for course_id, student_id in members:
        by_course.setdefault(course_id, set()).add(student_id)
    students = {s for ids in by_course.values() for s in ids}
    week: dict[int, tuple[int, int]] = {}
    enrollments = Enrollment.objects.active_on(day).filter(school=school, student_id__in=students)
    for student_id, grade, week_days in enrollments.values_list(
        "student_id", "school_class__grade", "school_class__week_days"
    ):
        week[student_id] = (grade, week_days)
    result = {}
    for course_id in classless:
        found = [week[s] for s in by_course.get(course_id, ()) if s in week]
        result[course_id] = min(found) if found else (DEFAULT_GRADE, DEFAULT_WEEK)
    return result


def _timetable_wants(
    school: School, start: datetime.date, end: datetime.date, courses: Iterable[Course] | None
) -> tuple[list[Course], dict[tuple[int, datetime.date, int], TimetableSlot]]:
    """The courses of [start, end] (all, or those given) and the lessons their slots ask for."""
    course_qs = Course.objects.filter(
        school=school, year__start__lte=end, year__end__gte=start
    ).select_related("year", "school_class")
    if courses is not None:
        course_qs = course_qs.filter(pk__in=[getattr(c, "pk", c) for c in courses])
    course_list = list(course_qs)
    slots = list(
        TimetableSlot.objects.active_during(start, end)
        .filter(school=school, course__in=[c.pk for c in course_list])
        .select_related("bell")
    )
    return course_list, _wanted(
        school=school, courses=course_list, slots=slots, start=start, end=end
    )


def lessons_planned(*, school: School, start: datetime.date, end: datetime.date) -> list[Lesson]:
    """Unsaved lessons the timetable asks for in [start, end], by course, date and bell: what
    `lessons_generate` would create in an empty journal (for generators writing in bulk)."""
    _courses, wanted = _timetable_wants(school, start, end, None)
    return [_new_lesson(school, key, wanted[key]) for key in sorted(wanted)]


def _slot_valid(slot: TimetableSlot, day: datetime.date) -> bool:
    return slot.valid_from <= day and (slot.valid_to is None or day <= slot.valid_to)


def _wanted(
    *,
    school: School,
    courses: list[Course],
    slots: list[TimetableSlot],
    start: datetime.date,
    end: datetime.date,
) -> dict[tuple[int, datetime.date, int], TimetableSlot]:
    """(course, date, bell number) → slot for every lesson the timetable asks for."""
    calendar = calendar_for(school, start, end)
    groups = _group_calendars(school, courses, start)
    by_course: dict[int, list[TimetableSlot]] = {}
    for slot in slots:
        by_course.setdefault(slot.course_id, []).append(slot)
    wanted = {}
    for course in courses:
        course_slots = by_course.get(course.pk)
        if not course_slots:
            continue
        first, last = max(start, course.year.start), min(end, course.year.end)
        if course.school_class is not None:  # no query for a cross-class group
            grade, week_days = course.school_class.grade, course.school_class.week_days
        else:
            grade, week_days = groups[course.pk]
        for day in calendar.school_days(first, last, grade=grade, week_days=week_days):
            for slot in course_slots:
                if slot.weekday == day.weekday() and _slot_valid(slot, day):
                    wanted[(course.pk, day, slot.bell.number)] = slot
    return wanted


def _new_lesson(school: School, key: tuple, slot: TimetableSlot) -> Lesson:
    course_id, day, number = key
    return Lesson(
        school=school,
        course_id=course_id,
        date=day,
        bell_number=number,
        starts_at=slot.bell.start,
        ends_at=slot.bell.end,
        room=slot.room,
        slot=slot,
    )


def lessons_generate(
    *,
    actor: User,
    school: School,
    start: datetime.date,
    end: datetime.date,
    courses: Iterable[Course] | None = None,
) -> GenerationResult:
    """Make the lessons of [start, end] match the timetable: create missing ones, remove future
    empty ones the timetable no longer has, flag those holding data (`needs_review`)."""
    require(actor, school, "timetable", CHANGE)
    today = timezone.localdate()
    course_list, wanted = _timetable_wants(school, start, end, courses)
    with transaction.atomic():
        existing = list(
            Lesson.objects.select_for_update()
            .filter(school=school, course__in=[c.pk for c in course_list], date__range=(start, end))
            .annotate(has_data=lesson_has_data())
            .only("pk", "course_id", "date", "bell_number", "is_extra", "needs_review")
        )
        present = {(x.course_id, x.date, x.bell_number) for x in existing}
        remove, flag, kept = [], [], 0
        for lesson in existing:
            key = (lesson.course_id, lesson.date, lesson.bell_number)
            if key in wanted or lesson.is_extra or lesson.date <= today:
                # Matching, added by hand (extra or moved), or not in the future: left as it is.
                kept += 1
            elif lesson.has_data:
                flag.append(lesson.pk)
            else:
                remove.append(lesson.pk)
        new = [_new_lesson(school, key, slot) for key, slot in wanted.items() if key not in present]
        Lesson.objects.bulk_create(new, batch_size=500)
        if remove:
            Lesson.objects.filter(pk__in=remove).delete()
        if flag:
            Lesson.objects.filter(pk__in=flag).update(needs_review=True)
        result = GenerationResult(
            created=len(new), kept=kept, flagged=len(flag), removed=len(remove)
        )
        event_record(
            actor=actor,
            action="lessons_generate",
            obj=school,
            school_id=school.pk,
            after={
                "start": start.isoformat(),
                "end": end.isoformat(),
                "courses": None if courses is None else [c.pk for c in course_list],
                "created": result.created,
                "kept": result.kept,
                "flagged": result.flagged,
                "removed": result.removed,
            },
        )
    return result


# --- one-off lesson changes -------------------------------------------------------------------


def _lesson_problems(
    *,
    school: School,
    course: Course,
    day: datetime.date,
    bell: Bell,
    room: str,
    exclude: int | None,
) -> None:
    """Refuse a lesson on a day the class does not study or at a time already taken."""
    year = course.year
    if course.school_class is not None:  # no query for a cross-class group
        grade, week = course.school_class.grade, course.school_class.week_days
    else:
        grade, week = DEFAULT_GRADE, DEFAULT_WEEK
    cal = calendar_for(school, day, day)
    if not cal.is_school_day(day, grade=grade, week_days=week, year_id=year.pk):
        raise ValidationError(
            _("%(date)s is not a school day for %(where)s.")
            % {"date": d(day), "where": where(course)}
        )
    others = list(
        Lesson.objects.filter(
            school=school, date=day, bell_number=bell.number, status=Lesson.Status.PLANNED
        )
        .exclude(pk=exclude)  # type: ignore[misc]  # None (a new lesson) excludes nothing
        .values_list("course_id", "room")
    )
    courses = slot_courses({c for c, _r in others} | {course.pk})
    students = students_of(list(courses.values()), day)
    for other_id, other_room in others:
        message = conflict(
            course=courses[course.pk],
            other=courses[other_id],
            room=room,
            other_room=other_room,
            students=students,
            day=d(day),
            number=bell.number,
        )
        if message:
            raise ValidationError(message)


def _check_lesson_change(actor: User, lesson: Lesson) -> School:
    school = lesson.school
    require(actor, school, "timetable", CHANGE)
    return school


def lesson_move(
    *, actor: User, lesson: Lesson, date: datetime.date, bell: Bell, room: str | None = None
) -> Lesson:
    """Move a lesson (with its data) to another date and bell; a cancelled placeholder stays at
    the old time so that generation does not bring it back."""
    school = _check_lesson_change(actor, lesson)
    own(bell, school)
    if lesson.status == Lesson.Status.CANCELLED:
        raise ValidationError(_("The lesson is cancelled: it cannot be moved."))
    room = lesson.room if room is None else room.strip()
    if (lesson.date, lesson.bell_number) == (date, bell.number):
        raise ValidationError(_("The lesson is already at this time."))
    _lesson_problems(
        school=school, course=lesson.course, day=date, bell=bell, room=room, exclude=lesson.pk
    )
    before = snapshot(lesson)
    with transaction.atomic():
        if lesson.slot_id and not lesson.is_extra:
            Lesson.objects.create(
                school=school,
                course=lesson.course,
                date=lesson.date,
                bell_number=lesson.bell_number,
                starts_at=lesson.starts_at,
                ends_at=lesson.ends_at,
                room=lesson.room,
                slot=lesson.slot,
                status=Lesson.Status.CANCELLED,
            )
        lesson.date, lesson.bell_number, lesson.room = date, bell.number, room
        lesson.starts_at, lesson.ends_at, lesson.is_extra = bell.start, bell.end, True
        save_audited(actor=actor, obj=lesson, action="lesson_move", before=before)
    return lesson


def lesson_cancel(*, actor: User, lesson: Lesson, reason: str) -> Lesson:
    """Cancel a lesson (it stays in the journal as cancelled)."""
    _check_lesson_change(actor, lesson)
    if not (reason or "").strip():
        raise ValidationError(_("State the reason."))
    if lesson.status == Lesson.Status.CANCELLED:
        raise ValidationError(_("The lesson is already cancelled."))
    before = snapshot(lesson)
    lesson.status = Lesson.Status.CANCELLED
    with transaction.atomic():
        lesson.save(update_fields=["status"])
        event_record(
            actor=actor,
            action="lesson_cancel",
            obj=lesson,
            before=before,
            after=snapshot(lesson),
            reason=reason.strip(),
        )
    return lesson


def lesson_add_extra(
    *, actor: User, school: School, course: Course, date: datetime.date, bell: Bell, room: str = ""
) -> Lesson:
    """Add a lesson outside the timetable."""
    require(actor, school, "timetable", CHANGE)
    own(course, school)
    own(bell, school)
    _lesson_problems(
        school=school, course=course, day=date, bell=bell, room=room.strip(), exclude=None
    )
    lesson = Lesson(
        school=school,
        course=course,
        date=date,
        bell_number=bell.number,
        starts_at=bell.start,
        ends_at=bell.end,
        room=room.strip(),
        is_extra=True,
    )
    with transaction.atomic():
        save_audited(actor=actor, obj=lesson, action="lesson_add_extra", before=None)
    return lesson
