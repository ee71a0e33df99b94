"""Helpers of the setup tests: counting rows, reading the latest audit event."""

import datetime
from collections.abc import Callable

import pytest
from django.db.models import Model

from otmetka.audit.models import Event
from otmetka.school.models import CalendarOverride, DayKind, Vacation
from tests.world import World


@pytest.fixture
def counts() -> Callable[[type[Model]], tuple[int, int]]:
    """(rows of the model, audit events): compare before and after a request."""

    def count(model: type[Model]) -> tuple[int, int]:
        return model.objects.count(), Event.objects.count()

    return count


def last_event(action: str) -> Event:
    """The newest audit event of this action."""
    return Event.objects.filter(action=action).latest("id")


def page_text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def make_vacation(world: World, school: object = None) -> Vacation:
    """Autumn vacations of the world's year (or of another school's year)."""
    school = school or world.school
    year = world.year if school == world.school else school.academicyear_set.get()
    return Vacation.objects.create(
        school=school,
        year=year,
        name="Осенние каникулы",
        start=datetime.date(2026, 10, 24),
        end=datetime.date(2026, 11, 4),
    )


def make_override(world: World, school: object = None) -> CalendarOverride:
    """A Crimean extra day off in the world's year."""
    return CalendarOverride.objects.create(
        school=school or world.school,
        date=datetime.date(2027, 3, 31),
        kind=DayKind.DAY_OFF,
        reason="Указ Главы Республики Крым",
    )
