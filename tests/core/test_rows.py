"""`rows_insert` writes what `bulk_create` writes: plain values (ints, strs, bools, None) taken
as they are, every other value (dates, JSON, decimals, choices) prepared by its field."""

from typing import Any

import pytest
from django.db import models

from otmetka.audit.models import Event
from otmetka.audit.services import event_build, snapshot
from otmetka.core.rows import instance, rows_insert
from otmetka.journal.models import Absence, Mark
from tests.journal.helpers import code, kind, lessons_make, students_add
from tests.world import World


def _rows(model: type[models.Model], ids: list[Any]) -> list[dict[str, Any]]:
    skip = {"id", "created_at", "updated_at", "at", "hash", "prev_hash", "seq"}
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
    return list(model.objects.filter(pk__in=ids).order_by("pk").values(*names))


def test_rows_insert_writes_what_bulk_create_writes(world: World) -> None:
    first, second = lessons_make(world.course_7a_math, 2)
    anna, boris = students_add(world, world.class_7a, 2)
    k, absent = kind(world), code(world, "н")
    teacher = world.user("teacher_7a_math")

    def marks(lesson: Any) -> list[Mark]:
        return [
            Mark(school_id=lesson.school_id, lesson=lesson, student_id=s.pk, value=v, kind=k,
                 comment=c, created_by=teacher)
            for s, v, c in ((anna, "5", ""), (boris, "4-", "устно «да»"))
        ]  # fmt: skip

    ours, django = marks(first), marks(second)
    rows_insert(ours)
    Mark.objects.bulk_create(django)
    assert all(m.pk for m in ours)
    got, want = _rows(Mark, [m.pk for m in ours]), _rows(Mark, [m.pk for m in django])
    for row in got + want:
        row.pop("lesson_id")
    assert got == want

    a1 = Absence(school_id=first.school_id, lesson=first, student_id=anna.pk, code=absent,
                 minutes_late=None, created_by=teacher)  # fmt: skip
    a2 = Absence(school_id=second.school_id, lesson=second, student_id=anna.pk, code=absent,
                 minutes_late=None, created_by=teacher)  # fmt: skip
    rows_insert([a1])
    Absence.objects.bulk_create([a2])
    got, want = _rows(Absence, [a1.pk]), _rows(Absence, [a2.pk])
    assert [{**r, "lesson_id": 0} for r in got] == [{**r, "lesson_id": 0} for r in want]

    def events() -> list[Event]:
        return [
            event_build(actor=teacher, action="mark_add", obj=m, before=None, after=snapshot(m),
                        reason="причина", group=f"cell:{m.lesson_id}:{m.student_id}")
            for m in ours
        ]  # fmt: skip

    e1, e2 = events(), events()
    rows_insert(e1)
    Event.objects.bulk_create(e2)
    assert _rows(Event, [e.pk for e in e1]) == _rows(Event, [e.pk for e in e2])
    assert Event.objects.get(pk=e1[0].pk).after == snapshot(ours[0])


def _state(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_instance_builds_what_init_builds() -> None:
    """`instance` gives the instance `Model(**values)` gives: the values named, every other
    field at its default (a callable default called for each instance), unsaved."""
    import datetime

    from otmetka.journal.models import Lesson

    values = {"school_id": 3, "lesson_id": 5, "student_id": 7, "value": "4-", "kind_id": 2}
    built, made = instance(Mark, **values), Mark(**values)
    assert _state(built) == _state(made)
    assert built._state.adding and built._state.db is None and built.pk is None
    day = datetime.date(2027, 5, 21)
    lesson = instance(Lesson, pk=11, school_id=3, course_id=4, date=day, status="held")
    assert lesson.pk == 11 and _state(lesson) == _state(
        Lesson(pk=11, school_id=3, course_id=4, date=day, status="held")
    )
    event = instance(Event, school_id=3, action="mark_add", after={"value": "5"})
    made = Event(school_id=3, action="mark_add", after={"value": "5"})
    assert abs(event.at - made.at) < datetime.timedelta(seconds=5)  # `at`: now, called for each
    assert _state(event) == {**_state(made), "at": event.at}
    with pytest.raises(TypeError, match="lesson"):
        instance(Mark, lesson=lesson)  # by attribute name only: `lesson_id`


def test_instance_runs_init_for_a_model_with_init_receivers() -> None:
    """A model with `post_init` receivers is built by `__init__`, so that they run."""
    from django.db.models.signals import post_init

    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Mark)
    try:
        built = instance(Mark, value="5")
    finally:
        post_init.disconnect(receiver, sender=Mark)
    assert seen == [built]
    assert instance(Mark, value="5") not in seen  # disconnected: built without __init__


def test_from_row_reads_what_the_orm_reads(world: World) -> None:
    """`from_row` on a hand-written SELECT gives the instances the ORM gives: the same values
    after the backend's converters (dates, times, booleans, decimals, aware datetimes), the
    state of a saved row; `post_init` receivers still run."""
    from django.db import connection
    from django.db.models.signals import post_init

    from otmetka.core.rows import from_row, select_list, table
    from otmetka.curriculum.models import Course
    from otmetka.journal.models import Lesson

    lesson = lessons_make(world.course_7a_math, 1)[0]
    k = kind(world)
    kinds = type(k)  # a decimal weight
    sql = (
        f"SELECT {select_list(Lesson, 'l')}, {select_list(Course, 'c')}, {select_list(kinds, 'k')}"
        f" FROM {table(Lesson)} l JOIN {table(Course)} c ON c.id = l.course_id,"
        f" {table(kinds)} k WHERE l.id = %s AND k.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [lesson.pk, k.pk])
        row = cursor.fetchone()
    read, n = from_row(Lesson, row)
    course, n = from_row(Course, row, n)
    got_kind, end = from_row(kinds, row, n)
    assert end == len(row)
    for ours, orm in (
        (read, Lesson.objects.get(pk=lesson.pk)),
        (course, Course.objects.get(pk=lesson.course_id)),
        (got_kind, kinds.objects.get(pk=k.pk)),
    ):
        assert _state(ours) == _state(orm), type(orm)
        assert {type(v) for v in _state(ours).values()} == {type(v) for v in _state(orm).values()}
        assert not ours._state.adding and ours._state.db == "default"
    assert isinstance(read.date, type(lesson.date)) and read.course_id == course.pk

    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Course)
    try:
        again = from_row(Course, row, len(Lesson._meta.concrete_fields))[0]
    finally:
        post_init.disconnect(receiver, sender=Course)
    assert seen == [again] and _state(again) == _state(course)


def test_rows_insert_datetimes_as_bulk_create(world: World) -> None:
    """A datetime column goes through the backend's adapter as `bulk_create`'s would: an aware
    value in any zone, None, and the `auto_now`/`auto_now_add` stamps taken at the insert and
    set on the instance."""
    import datetime
    import zoneinfo

    from django.utils import timezone

    first, second = lessons_make(world.course_7a_math, 2)
    (anna,) = students_add(world, world.class_7a, 1)
    k, teacher = kind(world), world.user("teacher_7a_math")
    irkutsk = zoneinfo.ZoneInfo("Asia/Irkutsk")
    made = [datetime.datetime(2026, 11, 30, 8, 15, 30, 123456, tzinfo=irkutsk), None]

    def marks(lesson: Any) -> list[Mark]:
        return [
            instance(Mark, school_id=lesson.school_id, lesson_id=lesson.pk, student_id=anna.pk,
                     value="5", kind_id=k.pk, created_by_id=teacher.pk, made_at=when)
            for when in made
        ]  # fmt: skip

    ours, django = marks(first), marks(second)
    before = timezone.now()
    rows_insert(ours)
    after = timezone.now()
    Mark.objects.bulk_create(django)
    stored = {m.pk: m for m in Mark.objects.filter(pk__in=[m.pk for m in ours + django])}
    for mine, theirs in zip(ours, django, strict=True):
        assert stored[mine.pk].made_at == stored[theirs.pk].made_at == mine.made_at
        assert before <= mine.created_at <= after and before <= mine.updated_at <= after
        assert stored[mine.pk].created_at == mine.created_at
        assert stored[mine.pk].updated_at == mine.updated_at
    assert stored[ours[0].pk].made_at.astimezone(datetime.UTC).hour == 0  # 08:15 in Irkutsk


def test_clone_copies_a_saved_row_with_its_own_state(world: World) -> None:
    """`clone` gives an equal saved instance whose fields and state are its own: a change to the
    copy leaves the original as it was."""
    from django.utils import timezone

    from otmetka.core.rows import clone
    from otmetka.school.models import Period

    period = Period.objects.filter(school=world.school).order_by("pk").first()
    assert period is not None
    copy = clone(period)
    assert copy == period and copy is not period and copy.__dict__.keys() == period.__dict__.keys()
    assert copy._state is not period._state and not copy._state.adding
    assert copy._state.db == period._state.db
    now = timezone.now()
    copy.closed_at = now
    assert copy.closed_at == now and period.closed_at != now


def test_course_periods_hand_out_copies_of_the_cached_ones(world: World) -> None:
    """The school's periods are kept in the process (`refcache.school_periods`): each caller of
    `course_periods` gets its own instances, so one that changes them (closing a period) does
    not change what the next request reads."""
    from otmetka.journal.selectors import course_periods, journal_course_for

    def course() -> Any:
        teacher = world.user("teacher_7a_math")
        return journal_course_for(user=teacher, school=world.school, pk=world.course_7a_math.pk)

    first = course_periods(course())
    assert first and getattr(course(), "ref_version", None) is not None
    first[0].closed_at = first[0].start  # as archive.closing does, before its save
    again = course_periods(course())
    assert [p.pk for p in again] == [p.pk for p in first]
    assert again[0].closed_at is None and again[0] is not first[0]
