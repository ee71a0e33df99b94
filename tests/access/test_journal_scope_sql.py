"""`journal_lessons_sql` (the cells save's access scope as fixed SQL text) finds exactly the
lessons `journal_lessons` (the ORM's scope) finds, for every persona in both schools — and a
substitute's extra lesson too."""

from django.db import connection

from otmetka.access.rules import journal_lessons, journal_lessons_sql
from otmetka.accounts.models import User
from otmetka.curriculum.models import Course
from otmetka.journal.models import Lesson, Substitution
from tests.journal.helpers import lessons_make
from tests.world import PERSONAS, World


def _by_sql(user: User, school: object) -> set[int] | None:
    scope = journal_lessons_sql(user, school)  # type: ignore[arg-type]
    if scope is None:
        return None
    condition, params = scope
    table = connection.ops.quote_name(Lesson._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT x.id FROM {table} x WHERE {condition}", params)
        return {row[0] for row in cursor.fetchall()}


def test_the_fixed_text_finds_what_the_orm_finds(world: World) -> None:
    other = Course.objects.get(school_class=world.other_class)
    lesson, *_rest = lessons_make(world.course_7a_math, 2)
    lessons_make(world.course_7b_russian, 2)
    lessons_make(other, 2)
    Substitution.objects.create(
        school=world.school,
        lesson=lesson,
        substitute=world.user("teacher_7b"),
        created_by=world.user("deputy"),
    )
    shapes = set()
    for persona in PERSONAS:
        for school in (world.school, world.other_school):
            user = User.objects.get(pk=world.user(persona).pk)
            orm = set(journal_lessons(user, school).values_list("pk", flat=True))
            found = _by_sql(user, school)
            assert (found or set()) == orm, (persona, school)
            shapes.add("none" if found is None else ("some" if found else "empty"))
    assert shapes >= {"empty", "some"}  # and none: see the inactive user below
    assert lesson.pk in (
        _by_sql(User.objects.get(pk=world.user("teacher_7b").pk), world.school) or ()
    )
    inactive = User.objects.get(pk=world.user("deputy").pk)
    inactive.is_active = False
    assert journal_lessons_sql(inactive, world.school) is None
