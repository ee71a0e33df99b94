"""Who reads which diary: a student their own, a guardian their linked children (in every school
where the link is, while the link lasts: an ended link gives nothing from the day after its last
day), the homeroom teacher their class. Everyone else gets 404 (fail-closed)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from otmetka.core.dates import not_ended
from otmetka.core.input import ID_MAX
from otmetka.core.rows import from_row, select_list

if TYPE_CHECKING:
    from otmetka.people.models import Student
    from otmetka.school.models import SchoolClass


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def live_links() -> Q:
    """Guardian links in force today: without an end, or ending today or later."""
    return not_ended(timezone.localdate())


def diary_students(user: Any) -> QuerySet[Student]:
    """Students whose diary the user reads, across schools: themself, and their children whose
    link has not ended."""
    from otmetka.people.models import Guardian, Student

    if not _active(user):
        return Student.objects.none()
    children = Guardian.objects.filter(live_links(), user_id=user.pk).values("student_id")
    return Student.objects.filter(Q(user_id=user.pk) | Q(pk__in=children))


def diary_student_sql(user_id: str) -> str:
    """`diary_students` for one student as an SQL condition, for a read written by hand (the
    API's 304, api/notmodified.py): the student `%s` is the user's own (`user_id` is the SQL of
    the user's id) or a child by a link not ended before the day `%s`. The user being active is
    the caller's condition; tests/api/test_notmodified.py holds the two forms to one answer."""
    from otmetka.people.models import Guardian, Student

    return (
        f"EXISTS (SELECT 1 FROM {Student._meta.db_table} st WHERE st.id = %s AND"
        f" (st.user_id = {user_id} OR st.id IN (SELECT g.student_id FROM"
        f" {Guardian._meta.db_table} g WHERE g.user_id = {user_id}"
        ' AND (g."end" IS NULL OR g."end" >= %s))))'
    )


def reads_a_diary(user: Any) -> bool:
    """Whether the user reads some student's diary: from the request's auth context when it
    carries it (`authctx`), else one query."""
    known = getattr(user, "_otmetka_diary", None)
    if known is None:
        known = diary_students(user).exists()
    return bool(known)


@functools.cache
def _student_sql(vendor: str) -> str:
    """A student with his school when the user (the second parameter, twice) reads his diary:
    `diary_student_sql` written by hand with the reads, built once (the ORM's building of this
    one query cost more than the database's work)."""
    from otmetka.people.models import Student
    from otmetka.school.models import School

    del vendor  # one text per database: quote_name is the backend's
    qn = connection.ops.quote_name
    return (
        f"SELECT {select_list(Student, 's')}, {select_list(School, 'sc')}"
        f" FROM {qn(Student._meta.db_table)} s JOIN {qn(School._meta.db_table)} sc"
        f" ON sc.id = s.school_id WHERE s.id = %s AND {diary_student_sql('%s')}"
    )


def _student_read(user: Any, student_id: int) -> Any:
    from otmetka.people.models import Student
    from otmetka.school.models import School

    if not _active(user) or not 0 < student_id <= ID_MAX:
        return None
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    with connection.cursor() as cursor:
        sql = _student_sql(connection.vendor)
        cursor.execute(sql, [student_id, student_id, user.pk, user.pk, today])
        row = cursor.fetchone()
    if row is None:
        return None
    student, after = from_row(Student, row)
    student.school = from_row(School, row, after)[0]
    return student


def diary_student_access(user: Any, student_id: Any, annotate: dict[str, Any] | None = None) -> Any:
    """A student whose diary the user reads (with the school), by id; 404 otherwise. `annotate`:
    more to read in the same query (the API's ETag marker); without it one hand-written read."""
    try:
        if annotate is None:
            found = _student_read(user, int(student_id))
        else:
            found = (
                diary_students(user)
                .select_related("school")
                .annotate(**annotate)
                .filter(pk=int(student_id))
                .first()
            )
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise Http404
    return found


def diary_file_access(user: Any, file_id: Any) -> Any:
    """A homework file of a lesson of one of the user's diary students (their class's courses
    while enrolled, their groups while members); 404 otherwise."""
    from otmetka.curriculum.models import CourseMember
    from otmetka.journal.models import HomeworkFile
    from otmetka.school.models import Enrollment

    students = diary_students(user).values("pk")
    classes = Enrollment.objects.filter(student__in=students).values("school_class_id")
    groups = CourseMember.objects.filter(student__in=students).values("course_id")
    visible = Q(lesson__course__school_class_id__in=classes, lesson__course__name="")
    visible |= Q(lesson__course_id__in=groups)
    try:
        found = HomeworkFile.objects.filter(visible, pk=int(file_id)).first()
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise Http404
    return found


def homeroom_classes(user: Any, school: Any) -> QuerySet[SchoolClass]:
    """The user's homeroom classes in `school` (none for anyone else)."""
    from otmetka.school.models import SchoolClass

    if not _active(user) or school is None:
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(school=school, homeroom_teacher_id=user.pk)


def homeroom_class_access(user: Any, school: Any, class_id: Any) -> Any:
    """The class by id if the user is its homeroom teacher in `school`; 404 otherwise."""
    try:
        found = (
            homeroom_classes(user, school)
            .select_related("school", "year")
            .filter(pk=int(class_id))
            .first()
        )
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise Http404
    return found
