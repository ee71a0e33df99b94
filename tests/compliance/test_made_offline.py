"""«Made on time, sent later»: an entry made on a teacher's device without a connection keeps
when it was made (`made_at`); on a day the teacher declared without PC/Internet the deadline
engine counts that time, otherwise the time the entry reached the server (a frozen clock,
table-driven, through the journal's real saves)."""

import datetime

import pytest
import time_machine

from otmetka.compliance.deadlines import Status
from otmetka.compliance.models import Entity, NoPcDay
from otmetka.journal import services
from otmetka.journal.cells import cells_save
from otmetka.journal.changes import AbsenceChange, CellChange, MarkChange
from otmetka.journal.models import Absence, Lesson, Mark, MarkKind
from tests.compliance.helpers import at, lesson, verdict
from tests.journal.helpers import code
from tests.world import World

D = datetime.date
FRI = D(2026, 11, 20)  # 3 working days without PC/Internet: due Wed 25.11 23:59:59
E = Entity


def _enter(world: World, row: Lesson, entity: str, made: datetime.datetime | None) -> None:
    """The teacher's entry of `entity`, reaching the server now (the frozen clock)."""
    teacher = world.user("teacher_7a_math")
    if entity == E.TOPIC:
        services.lesson_update(actor=teacher, lesson=row, topic="Дроби", made_at=made)
        return
    if entity == E.ATTENDANCE:
        change = CellChange(student=world.pupil_7a.pk, absence=AbsenceChange(code="н"))
    else:
        written = MarkKind.objects.create(school=world.school, name="Контрольная", is_written=True)
        change = CellChange(student=world.pupil_7a.pk,
                            marks=(MarkChange(value="5", kind=written.pk),))  # fmt: skip
    cells_save(actor=teacher, lesson=row, changes=[change], made_at=made)


# entry, declared, made offline at, reached the server at → status
CASES = [
    ("no declaration: the server's time counts", E.TOPIC, False, at(FRI, "12:00"),
     at(FRI, "18:00"), Status.LATE),
    ("declared, made on time, sent after the 3 days", E.TOPIC, True, at(FRI, "12:00"),
     at(D(2026, 11, 26), "10:00"), Status.ON_TIME),
    ("declared, made too late as well", E.TOPIC, True, at(D(2026, 11, 26), "09:00"),
     at(D(2026, 11, 26), "10:00"), Status.LATE),
    ("declared, sent online late (no made_at)", E.TOPIC, True, None,
     at(D(2026, 11, 26), "10:00"), Status.LATE),
    ("declared, absences made on time", E.ATTENDANCE, True, at(FRI, "09:10"),
     at(D(2026, 11, 27), "08:00"), Status.ON_TIME),
    ("no declaration, absences made on time but sent late", E.ATTENDANCE, False,
     at(FRI, "09:10"), at(FRI, "16:30"), Status.LATE),
    ("declared, written work marked offline on time", E.WRITTEN_MARKS, True, at(FRI, "20:00"),
     at(D(2026, 11, 30), "08:00"), Status.ON_TIME),
]  # fmt: skip


@pytest.mark.parametrize(("name", "entity", "declared", "made", "sent", "status"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_made_on_time_counts_only_on_a_declared_day(
    world: World, name: str, entity: str, declared: bool, made: datetime.datetime | None,
    sent: datetime.datetime, status: Status,
) -> None:  # fmt: skip
    row = lesson(world.course_7a_math, FRI)
    code(world, "н")
    if declared:
        NoPcDay.objects.create(school=world.school, teacher=world.user("teacher_7a_math"),
                               day=FRI, comment="Нет интернета")  # fmt: skip
    with time_machine.travel(sent, tick=False):
        _enter(world, row, entity, made)
    assert verdict(row, entity, at(D(2026, 12, 1), "12:00"))[1] is status


def test_the_rows_keep_when_they_were_made_beside_when_they_reached_the_server(
    world: World,
) -> None:
    row = lesson(world.course_7a_math, FRI)
    code(world, "н")
    made = at(FRI, "09:10")
    with time_machine.travel(at(FRI, "18:00"), tick=False):
        _enter(world, row, E.ATTENDANCE, made)
        _enter(world, row, E.TOPIC, made)
        _enter(world, row, E.WRITTEN_MARKS, None)  # an online save: no made_at
    absence = Absence.objects.get()
    assert (absence.made_at, absence.created_at) == (made, at(FRI, "18:00"))
    assert Mark.objects.get().made_at is None
    row.refresh_from_db()
    assert (row.topic_made_at, row.topic_entered_at) == (made, at(FRI, "18:00"))
    assert row.homework_made_at is None


def test_a_revoked_declaration_counts_the_server_time(world: World) -> None:
    row = lesson(world.course_7a_math, FRI)
    NoPcDay.objects.create(school=world.school, teacher=world.user("teacher_7a_math"), day=FRI,
                           comment="Нет ПК", revoked_at=at(FRI, "20:00"))  # fmt: skip
    with time_machine.travel(at(D(2026, 11, 23), "09:00"), tick=False):
        _enter(world, row, E.TOPIC, at(FRI, "12:00"))
    assert verdict(row, E.TOPIC, at(D(2026, 12, 1), "12:00")) == (at(FRI, "16:00"), Status.LATE)
