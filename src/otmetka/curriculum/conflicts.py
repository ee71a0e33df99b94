"""The timetable's clash rules: a teacher, a room or a student in two lessons at once. Read by
the timetable's save (curriculum) and by one-off lesson changes (journal)."""

import datetime

from django.utils.translation import gettext as _

from otmetka.accounts.models import User
from otmetka.curriculum.models import Course, CourseMember
from otmetka.school.models import Enrollment


def initials(user: User) -> str:
    """Фамилия И. О. (with a space between the initials, as the timetable writes them)."""
    letters = " ".join(f"{p[0]}." for p in (user.first_name, user.middle_name) if p)
    return f"{user.last_name} {letters}".strip()


def where(course: Course) -> str:
    """The class (and group name) of a course, or the group's name, as messages write it."""
    if course.school_class_id and course.name:
        return f"{course.school_class} ({course.name})"
    return str(course.school_class) if course.school_class_id else course.name


def students_of(courses: list[Course], on: datetime.date) -> dict[int, set[int]]:
    """Students of each course on a day: its group members, else the class (two queries)."""
    members: dict[int, set[int]] = {}
    for course_id, student_id in (
        CourseMember.objects.active_on(on)
        .filter(course_id__in=[c.pk for c in courses])
        .values_list("course_id", "student_id")
    ):
        members.setdefault(course_id, set()).add(student_id)
    by_class: dict[int, set[int]] = {}
    for class_id, student_id in (
        Enrollment.objects.active_on(on)
        .filter(school_class_id__in={c.school_class_id for c in courses if c.school_class_id})
        .values_list("school_class_id", "student_id")
    ):
        by_class.setdefault(class_id, set()).add(student_id)
    result = {}
    for c in courses:
        if c.pk in members or c.name or not c.school_class_id:
            result[c.pk] = members.get(c.pk, set())
        else:
            result[c.pk] = by_class.get(c.school_class_id, set())
    return result


def whole_class(course: Course) -> bool:
    """A course of the whole class (not a group of it)."""
    return bool(course.school_class_id) and not course.name


def conflict(
    *,
    course: Course,
    other: Course,
    room: str,
    other_room: str,
    students: dict,
    day: str,
    number: int,
) -> str:
    """The Russian message of the first conflict between two lessons at the same time, or ""."""
    params = {"where": where(other), "day": day, "bell": number}
    common = {t.pk for t in course.teachers.all()} & {t.pk for t in other.teachers.all()}
    if common:
        teacher = next(t for t in other.teachers.all() if t.pk in common)
        return _(
            "Teacher %(teacher)s already teaches a lesson in %(where)s %(day)s, lesson %(bell)s."
        ) % {**params, "teacher": initials(teacher)}
    if room and room.casefold() == (other_room or "").casefold():
        return _("Room %(room)s is already taken by %(where)s %(day)s, lesson %(bell)s.") % {
            **params,
            "room": room,
        }
    same_class = course.school_class_id and course.school_class_id == other.school_class_id
    if (same_class and (whole_class(course) or whole_class(other))) or (
        students.get(course.pk, set()) & students.get(other.pk, set())
    ):
        return _(
            "The students already have a lesson %(day)s, lesson %(bell)s: %(course)s (%(where)s)."
        ) % {
            **params,
            "course": other.subject.name,
        }
    return ""


def slot_courses(ids: set[int]) -> dict[int, Course]:
    """Courses by id with what the clash rules read (subject, class, teachers)."""
    return {
        c.pk: c
        for c in Course.objects.filter(pk__in=ids)
        .select_related("subject", "school_class")
        .prefetch_related("teachers")
    }
