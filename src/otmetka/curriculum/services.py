"""Writes on the curriculum's reference data: the school's subject catalogue."""

import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from otmetka.access.rules import CHANGE, require, teachers_of
from otmetka.accounts.models import User
from otmetka.audit.services import event_record, row_save, save_audited, snapshot
from otmetka.core.validation import Errors, add, fail_if, own
from otmetka.curriculum.conflicts import conflict, slot_courses, students_of
from otmetka.curriculum.models import (
    Course,
    CourseKind,
    CourseMember,
    StudyPlanRow,
    Subject,
    TimetableSlot,
)
from otmetka.people.models import Student
from otmetka.school.models import AcademicYear, Bell, Enrollment, School, SchoolClass


def _names_casefolded(*, school: School, exclude: int | None) -> set[str]:
    # Compared in Python: SQLite folds the case of ASCII letters only.
    # pk=None (a new subject) excludes nothing; the stubs do not allow None in a lookup.
    rows = Subject.objects.filter(school=school).exclude(pk=exclude)  # type: ignore[misc]
    names = rows.values_list("name", flat=True)
    return {n.casefold() for n in names}


def _subject_problems(*, school: School, subject: Subject, name: str, position: int) -> Errors:
    errors: Errors = {}
    if not name.strip():
        add(errors, "name", _("Write the name of the subject."))
    elif name.strip().casefold() in _names_casefolded(school=school, exclude=subject.pk):
        add(errors, "name", _("The subject «%(name)s» already exists.") % {"name": name.strip()})
    if not 0 <= position <= 999:
        add(errors, "position", _("The list position is a number from 0 to 999."))
    return errors


def subject_update(
    *,
    actor: User,
    school: School,
    subject: Subject,
    name: str,
    short_name: str = "",
    position: int = 100,
) -> Subject:
    """Rename a subject or change its place in lists."""
    require(actor, school, "subject", CHANGE)
    own(subject, school)
    problems = partial(
        _subject_problems, school=school, subject=subject, name=name, position=position
    )
    fields = {"name": name.strip(), "short_name": short_name.strip(), "position": position}
    return row_save(actor=actor, obj=subject, kind="subject", fields=fields, problems=problems)


def subject_create(
    *, actor: Any, school: Any, name: str, short_name: str = "", position: int = 100
) -> Subject:
    """Add a subject to the school's catalogue."""
    fields: dict[str, Any] = {"name": name, "short_name": short_name, "position": position}
    return subject_update(actor=actor, school=school, subject=Subject(school=school), **fields)


# --- bells ------------------------------------------------------------------------------------


def _bell_problems(
    *, school: Any, bell: Bell, schedule: str, number: int, start: Any, end: Any
) -> Errors:
    errors: Errors = {}
    if not 1 <= number <= 12:
        add(errors, "number", _("A lesson number is from 1 to 12."))
    if start and end and end <= start:
        add(errors, "end", _("The lesson must end after it starts."))
    taken = Bell.objects.filter(school=school, schedule=schedule, number=number).exclude(pk=bell.pk)
    if taken.exists():
        add(
            errors,
            "number",
            _("Lesson %(number)s of this schedule already exists.") % {"number": number},
        )
    return errors


def bell_update(
    *,
    actor: User,
    school: School,
    bell: Bell,
    number: int,
    start: datetime.time,
    end: datetime.time,
    schedule: str = "",
) -> Bell:
    """Change the times of a lesson of the bell schedule."""
    require(actor, school, "timetable", CHANGE)
    own(bell, school)
    schedule = (schedule or "").strip() or "1 смена"
    fields: dict[str, Any] = {"schedule": schedule, "number": number, "start": start, "end": end}
    problems = partial(_bell_problems, school=school, bell=bell, **fields)
    return row_save(actor=actor, obj=bell, kind="bell", fields=fields, problems=problems)


def bell_create(
    *, actor: Any, school: Any, number: int, start: Any, end: Any, schedule: str = ""
) -> Bell:
    """Add a lesson to the bell schedule."""
    fields: dict[str, Any] = {"schedule": schedule, "number": number, "start": start, "end": end}
    return bell_update(actor=actor, school=school, bell=Bell(school=school), **fields)


# --- study plan -------------------------------------------------------------------------------


def study_plan_save(
    *, actor: User, school: School, year: AcademicYear, grade: int, hours: dict[int, Decimal | None]
) -> int:
    """Set the hours a week of subjects in a grade (None or 0 removes the line); returns the
    number of lines changed."""
    require(actor, school, "course", CHANGE)
    own(year, school)
    if not 1 <= grade <= 11:
        raise ValidationError(_("A grade is a number from 1 to 11."))
    subjects = set(Subject.objects.filter(school=school, pk__in=hours).values_list("pk", flat=True))
    if set(hours) - subjects:
        raise ValidationError(_("Unknown subject."))
    for value in hours.values():
        if value is not None and not Decimal(0) <= value <= Decimal(40):
            raise ValidationError(_("Hours a week are from 0 to 40."))
    rows = {
        r.subject_id: r
        for r in StudyPlanRow.objects.filter(
            year=year, grade=grade, school_class__isnull=True, subject_id__in=hours
        )
    }
    changed = 0
    with transaction.atomic():
        for subject_id, value in hours.items():
            row = rows.get(subject_id)
            if not value:
                if row is not None:
                    event_record(
                        actor=actor, action="study_plan_remove", obj=row, before=snapshot(row)
                    )
                    row.delete()
                    changed += 1
            elif row is None:
                row = StudyPlanRow(
                    school=school,
                    year=year,
                    grade=grade,
                    subject_id=subject_id,
                    hours_per_week=value,
                )
                save_audited(actor=actor, obj=row, action="study_plan_set", before=None)
                changed += 1
            elif row.hours_per_week != value:
                before = snapshot(row)
                row.hours_per_week = value
                save_audited(actor=actor, obj=row, action="study_plan_set", before=before)
                changed += 1
    return changed


# --- courses (нагрузка) -----------------------------------------------------------------------


def _course_problems(
    *,
    school: School,
    year: AcademicYear,
    subject: Subject | None,
    school_class: SchoolClass | None,
    name: str,
    kind: str,
    hours_per_week: Decimal,
    teachers: list[Any],
    members: list[Any],
    members_from: Any,
    **_rest: Any,
) -> Errors:
    hours, start = hours_per_week, members_from
    errors: Errors = {}
    if getattr(subject, "school_id", None) != school.pk:
        add(errors, "subject", _("Choose a subject of the school."))
    if school_class is not None and (
        school_class.school_id != school.pk or school_class.year_id != year.pk
    ):
        add(errors, "school_class", _("Choose a class of this academic year."))
    if school_class is None and kind == CourseKind.LESSON:
        add(
            errors,
            "school_class",
            _(
                "A lesson course belongs to a class; a group of several classes is an "
                "extracurricular activity or additional education."
            ),
        )
    if school_class is None and not name.strip():
        add(errors, "name", _("Name the group."))
    if not Decimal(0) < hours <= Decimal(40):
        add(errors, "hours_per_week", _("Hours a week are from 0.5 to 40."))
    may_teach = set(teachers_of(school).values_list("pk", flat=True))
    if any(t.pk not in may_teach for t in teachers):
        add(errors, "teachers", _("Every teacher must be a teacher of the school."))
    if members:
        if start is None:
            add(errors, "members_from", _("Give the date the group starts."))
        elif not year.start <= start <= year.end:
            add(errors, "members_from", _("The group starts inside the academic year."))
        enrolled = _enrolled(school=school, school_class=school_class, on=start or year.start)
        if any(s.pk not in enrolled for s in members):
            if school_class is not None:
                add(
                    errors,
                    "members",
                    _("Group members are students of the class %(cls)s.") % {"cls": school_class},
                )
            else:
                add(errors, "members", _("Group members are students of the school's classes."))
    return errors


def _enrolled(*, school: Any, school_class: Any, on: Any) -> set[int]:
    qs = Enrollment.objects.active_on(on).filter(school=school)
    if school_class is not None:
        qs = qs.filter(school_class=school_class)
    return set(qs.values_list("student_id", flat=True))


def _course_save(*, actor: Any, school: Any, course: Course, action: str, **data: Any) -> Course:
    """Fields: year, subject, school_class, name, kind, assessment, hours_per_week, teachers,
    members, members_from."""
    with transaction.atomic():
        fail_if(_course_problems(school=school, **data))
        before = snapshot(course) if course.pk else None
        if before is not None:
            before["teachers"] = sorted(course.teachers.values_list("pk", flat=True))
            before["members"] = sorted(
                course.members.filter(end__isnull=True).values_list("student_id", flat=True)
            )
        for field in ("year", "subject", "school_class", "kind", "assessment", "hours_per_week"):
            setattr(course, field, data[field])
        course.name = data["name"].strip()
        course.save()
        course.teachers.set(data["teachers"])
        _members_set(course=course, students=data["members"], start=data["members_from"])
        after = snapshot(course)
        after["teachers"] = sorted(t.pk for t in data["teachers"])
        after["members"] = sorted(s.pk for s in data["members"])
        event_record(actor=actor, action=action, obj=course, before=before, after=after)
    return course


def _members_set(*, course: Course, students: list[Student], start: datetime.date | None) -> None:
    """Open memberships for new members from `start`, close those of students no longer listed."""
    current = {m.student_id: m for m in course.members.filter(end__isnull=True)}
    wanted = {s.pk for s in students}
    for student_id, member in current.items():
        if student_id not in wanted:
            if start is None or member.start >= start:
                member.delete()
            else:
                member.end = start - datetime.timedelta(days=1)
                member.save(update_fields=["end"])
    if start is None:  # no members without a start date (refused by `_course_problems`)
        return
    CourseMember.objects.bulk_create(
        CourseMember(school=course.school, course=course, student_id=s, start=start)
        for s in wanted - set(current)
    )


def course_create(*, actor: User, school: School, **data: Any) -> Course:
    """Add a course (a subject to a class, a group of a class or a cross-class group)."""
    require(actor, school, "course", CHANGE)
    own(data["year"], school)
    return _course_save(
        actor=actor, school=school, course=Course(school=school), action="course_create", **data
    )


def course_update(*, actor: User, school: School, course: Course, **data: Any) -> Course:
    """Change a course: its teachers, hours, assessment, group members."""
    require(actor, school, "course", CHANGE)
    own(course, school)
    return _course_save(actor=actor, school=school, course=course, action="course_update", **data)


# --- timetable --------------------------------------------------------------------------------

WEEKDAYS = (
    gettext_lazy("on Monday"),
    gettext_lazy("on Tuesday"),
    gettext_lazy("on Wednesday"),
    gettext_lazy("on Thursday"),
    gettext_lazy("on Friday"),
    gettext_lazy("on Saturday"),
)


def timetable_class_save(
    *,
    actor: User,
    school: School,
    school_class: SchoolClass,
    cells: dict[tuple[int, int], tuple[Any, str]],
    valid_from: datetime.date,
) -> int:
    """Save a class's week from a date: cells (weekday, bell id) → (course or None, room).
    Slots that change end the day before `valid_from`; conflicts refuse the whole grid."""
    require(actor, school, "timetable", CHANGE)
    own(school_class, school)
    year = school_class.year
    if not year.start <= valid_from <= year.end:
        raise ValidationError(
            _("The date must lie inside the academic year %(year)s.") % {"year": year.name}
        )
    with transaction.atomic():
        # Two deputies saving at once: the second waits here, then checks its clashes against
        # the slots the first has saved.
        list(School.objects.select_for_update().filter(pk=school.pk).values_list("pk"))
        bells = {b.pk: b for b in Bell.objects.filter(school=school)}
        current = {
            (s.weekday, s.bell_id): s
            for s in _class_slots(school_class=school_class, on=valid_from)
        }
        new_cells = _changed_cells(
            school=school, school_class=school_class, cells=cells, bells=bells, current=current,
            valid_from=valid_from,
        )  # fmt: skip
        if new_cells:
            _clashes_refuse(
                school=school, bells=bells, current=current, new_cells=new_cells,
                valid_from=valid_from,
            )  # fmt: skip
            _slots_write(
                actor=actor, school=school, bells=bells, current=current, new_cells=new_cells,
                valid_from=valid_from,
            )  # fmt: skip
    return len(new_cells)


Cells = dict[tuple[int, int], tuple[Any, str]]


def _changed_cells(
    *,
    school: Any,
    school_class: Any,
    cells: Cells,
    bells: dict[Any, Any],
    current: dict[Any, Any],
    valid_from: Any,
) -> Cells:
    """The cells that differ from the class's slots on `valid_from` (unknown input refused)."""
    groups = _group_slots(school=school, on=valid_from)
    new_cells: Cells = {}
    for (weekday, bell_id), (course, room) in cells.items():
        if bell_id not in bells or not 0 <= weekday < school_class.week_days:
            raise ValidationError(_("Unknown lesson time."))
        if course is not None and not _course_of_class(course, school_class):
            raise ValidationError(
                _("Choose a course of the class %(cls)s.") % {"cls": school_class}
            )
        slot = current.get((weekday, bell_id))
        if course is not None and (course.pk, weekday, bell_id) in groups:
            course, room = None, ""  # the cross-class group already meets here
        old = (slot.course_id, slot.room) if slot else (None, "")
        new = (course.pk if course else None, (room or "").strip())
        if old != new:
            new_cells[(weekday, bell_id)] = (course, new[1])
    return new_cells


def _clashes_refuse(
    *,
    school: Any,
    bells: dict[Any, Any],
    current: dict[Any, Any],
    new_cells: Cells,
    valid_from: Any,
) -> None:
    """Refuse the new cells if any clashes with another class's slot (teacher, room, student)."""
    replaced = {current[k].pk for k in new_cells if k in current}
    others = list(
        TimetableSlot.objects.filter(
            school=school,
            weekday__in={k[0] for k in new_cells},
            bell__number__in={bells[k[1]].number for k in new_cells},
        )
        .not_ended(valid_from)
        .exclude(pk__in=replaced)
        .select_related("bell")
    )
    courses = slot_courses(
        {s.course_id for s in others} | {c.pk for c, _r in new_cells.values() if c}
    )
    students = students_of(list(courses.values()), valid_from)
    errors: list[str] = []
    for (weekday, bell_id), (course, room) in sorted(
        new_cells.items(), key=lambda kv: (kv[0][0], bells[kv[0][1]].number)
    ):
        if course is None:
            continue
        number = bells[bell_id].number
        for other in others:
            if other.weekday != weekday or other.bell.number != number:
                continue
            message = conflict(
                course=courses[course.pk],
                other=courses[other.course_id],
                room=room,
                other_room=other.room,
                students=students,
                day=str(WEEKDAYS[weekday]),
                number=number,
            )
            if message:
                errors.append(message)
                break
    if errors:
        raise ValidationError(errors)


def _slots_write(
    *,
    actor: Any,
    school: Any,
    bells: dict[Any, Any],
    current: dict[Any, Any],
    new_cells: Cells,
    valid_from: Any,
) -> None:
    """End or remove the changed slots and create the new ones, each with its event."""
    for key, (course, room) in new_cells.items():
        slot = current.get(key)
        if slot is not None:
            before = snapshot(slot)
            if slot.valid_from >= valid_from:
                event_record(actor=actor, action="slot_remove", obj=slot, before=before)
                slot.delete()
            else:
                slot.valid_to = valid_from - datetime.timedelta(days=1)
                save_audited(actor=actor, obj=slot, action="slot_end", before=before)
        if course is not None:
            new = TimetableSlot(
                school=school,
                course=course,
                weekday=key[0],
                bell=bells[key[1]],
                room=room,
                valid_from=valid_from,
            )
            save_audited(actor=actor, obj=new, action="slot_create", before=None)


def _course_of_class(course: Course, school_class: SchoolClass) -> bool:
    """A course of the class itself, or a cross-class group with members in it."""
    if course.school_id != school_class.school_id:
        return False
    if course.school_class_id:
        return course.school_class_id == school_class.pk
    return course.year_id == school_class.year_id


def _class_slots(*, school_class: SchoolClass, on: datetime.date) -> QuerySet[TimetableSlot]:
    """Slots valid on a day of the class's own courses."""
    return TimetableSlot.objects.active_on(on).filter(course__school_class=school_class)


def _group_slots(*, school: School, on: datetime.date) -> set[tuple[int, int, int]]:
    """(course, weekday, bell) of cross-class groups' slots valid on a day."""
    return set(
        TimetableSlot.objects.active_on(on)
        .filter(school=school, course__school_class__isnull=True)
        .values_list("course_id", "weekday", "bell_id")
    )
