"""`row_save`: one row created or updated with its audit event in one transaction; a problem
found by the checks (run inside the transaction) writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from otmetka.audit.models import Event
from otmetka.audit.services import row_save
from otmetka.journal.models import MarkKind
from tests.factories import MarkKindFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_row_is_saved_with_its_create_event() -> None:
    actor, school = UserFactory(), SchoolFactory()
    kind = row_save(
        actor=actor,
        obj=MarkKind(school=school),
        kind="mark_kind",
        fields={"name": "Проект", "weight": Decimal("2")},
    )
    event = Event.objects.get(action="mark_kind_create", object_id=str(kind.pk))
    assert event.before is None and event.after["name"] == "Проект" and event.actor == actor


def test_a_changed_row_keeps_before_and_after_in_its_update_event() -> None:
    kind = MarkKindFactory(name="Проект", weight=Decimal("2"))
    row_save(actor=UserFactory(), obj=kind, kind="mark_kind", fields={"weight": Decimal("3")})
    event = Event.objects.get(action="mark_kind_update", object_id=str(kind.pk))
    assert Decimal(event.before["weight"]) == 2 and Decimal(event.after["weight"]) == 3


def test_a_problem_writes_nothing_and_leaves_the_row_unchanged() -> None:
    kind = MarkKindFactory(name="Проект")
    with pytest.raises(ValidationError) as error:
        row_save(
            actor=UserFactory(),
            obj=kind,
            kind="mark_kind",
            fields={"name": "Другое"},
            problems=lambda: {"name": ["Такой вид работы уже есть."]},
        )
    assert error.value.message_dict == {"name": ["Такой вид работы уже есть."]}
    kind.refresh_from_db()
    assert kind.name == "Проект" and not Event.objects.exists()
