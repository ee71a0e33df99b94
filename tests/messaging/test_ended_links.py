"""A guardian link that has ended (a court decision, a transfer) gives nothing in messaging from
the next day: no writing to the child's teachers, no place among the class's parents, and no
news of the child in the daily digest — as in the diary (tests/diary/test_visits.py)."""

import datetime

from django.utils import timezone

from otmetka.access.messaging import may_write_to
from otmetka.journal.models import Mark
from otmetka.messaging.digest import digest_content
from otmetka.messaging.selectors import group_members
from otmetka.people.models import Guardian
from tests.journal.helpers import kind, lessons_make
from tests.world import World


def test_an_ended_link_writes_to_no_teacher_and_hears_nothing_of_the_child(world: World) -> None:
    parent, teacher = world.user("guardian_7a"), world.user("teacher_7a_math")
    lesson = lessons_make(world.course_7a_math, 1)[0]
    Mark.objects.create(school=world.school, lesson=lesson, student=world.pupil_7a, value="5",
                        kind=kind(world, "Ответ на уроке"), created_by=teacher)  # fmt: skip
    now = timezone.now()
    window = (now - datetime.timedelta(days=1), now + datetime.timedelta(minutes=1))
    parents = group_members(school=world.school, key=f"parents:{world.class_7a.pk}")

    assert may_write_to(parent, world.school, {teacher.pk})
    assert parents.filter(pk=parent.pk).exists()
    assert any(c.marks for c in digest_content(parent, *window).children)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Guardian.objects.filter(pk=world.guardian_link.pk).update(end=yesterday, end_basis="Приказ")

    assert not may_write_to(parent, world.school, {teacher.pk})
    assert (
        not group_members(school=world.school, key=f"parents:{world.class_7a.pk}")
        .filter(pk=parent.pk)
        .exists()
    )
    news = digest_content(parent, *window).children
    assert world.pupil_7a.full_name not in [c.name for c in news]
