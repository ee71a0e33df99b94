"""Bells through the generic setup pages."""

import datetime

from otmetka.audit.models import Event
from otmetka.school.models import Bell
from tests.world import World


def test_deputy_adds_a_bell(world: World, client_for: object) -> None:
    response = client_for("deputy").post(
        "/setup/bell/new/",
        {"number": "1", "start": "08:00", "end": "08:40", "schedule": ""},
    )
    assert response.status_code == 302
    bell = Bell.objects.get()
    assert (bell.school, bell.number, bell.start, bell.end, bell.schedule) == (
        world.school,
        1,
        datetime.time(8),
        datetime.time(8, 40),
        "1 смена",
    )
    assert Event.objects.filter(action="bell_create").count() == 1


def test_bad_bells_are_refused(world: World, client_for: object) -> None:
    Bell.objects.create(
        school=world.school, number=1, start=datetime.time(8), end=datetime.time(8, 40)
    )
    client = client_for("deputy")
    before = (Bell.objects.count(), Event.objects.count())
    taken = client.post("/setup/bell/new/", {"number": "1", "start": "09:00", "end": "09:40"})
    assert "1-й урок в этом расписании звонков уже есть." in taken.content.decode()
    backwards = client.post("/setup/bell/new/", {"number": "2", "start": "09:40", "end": "09:00"})
    assert "Урок должен заканчиваться позже, чем начинается." in backwards.content.decode()
    assert (Bell.objects.count(), Event.objects.count()) == before
