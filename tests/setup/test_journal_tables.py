"""The admin keeps the school's tables of kinds of work (with weights) and absence codes."""

from decimal import Decimal

import pytest

from otmetka.audit.models import Event
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import AbsenceCode, MarkKind


def test_the_admin_adds_a_kind_of_work_with_its_weight(world, client_for):
    response = client_for("admin").post(
        "/setup/markkind/new/",
        {"name": "Зачётная работа", "short": "ЗР", "weight": "2.5", "is_written": "on",
         "position": "50", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    kind = MarkKind.objects.get(school=world.school, name="Зачётная работа")
    assert kind.weight == Decimal("2.5") and kind.is_written
    event = Event.objects.get(action="mark_kind_create", object_id=str(kind.pk))
    assert event.after["weight"] == "2.5" and event.actor == world.user("admin")


def test_the_deputy_reweighs_a_kind_of_work_and_the_change_is_audited(world, client_for):
    journal_defaults_ensure(school=world.school)
    kind = MarkKind.objects.get(school=world.school, name="Контрольная работа")
    response = client_for("deputy").post(
        f"/setup/markkind/{kind.pk}/",
        {"name": kind.name, "short": kind.short, "weight": "4", "position": "10",
         "is_active": "on", "is_written": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.weight == Decimal("4")
    event = Event.objects.get(action="mark_kind_update", object_id=str(kind.pk))
    assert Decimal(event.before["weight"]) == 3 and Decimal(event.after["weight"]) == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Контрольная работа", "weight": "1"}, "уже есть"),
        ({"name": "Эссе", "weight": "0"}, "Вес"),
        ({"name": "Эссе", "weight": "11"}, "Вес"),
    ],
)
def test_a_bad_kind_of_work_is_refused_in_russian_and_nothing_is_written(
    world, client_for, data, message
):
    journal_defaults_ensure(school=world.school)
    before = (MarkKind.objects.count(), Event.objects.count())
    response = client_for("admin").post(
        "/setup/markkind/new/", {"position": "100", "is_active": "on", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (MarkKind.objects.count(), Event.objects.count()) == before


def test_the_admin_adds_an_absence_code(world, client_for):
    response = client_for("admin").post(
        "/setup/absencecode/new/",
        {"code": "ОСВ", "name": "Освобождён от урока", "reason": "valid", "position": "60"},
    )
    assert response.status_code == 302
    code = AbsenceCode.objects.get(school=world.school, code="осв")
    assert code.reason == "valid"
    assert Event.objects.filter(action="absence_code_create", object_id=str(code.pk)).exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("н", "уже есть"),
        ("н1", "от одной до четырёх букв"),
        ("длинный", "от одной до четырёх букв"),
    ],
)
def test_a_bad_absence_code_is_refused_in_russian_and_nothing_is_written(
    world, client_for, code, message
):
    journal_defaults_ensure(school=world.school)
    before = (AbsenceCode.objects.count(), Event.objects.count())
    response = client_for("admin").post(
        "/setup/absencecode/new/",
        {"code": code, "name": "Что-то", "reason": "valid", "position": "1"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (AbsenceCode.objects.count(), Event.objects.count()) == before


def test_a_name_of_another_school_is_free_but_not_twice_in_one_school(world):
    from django.core.exceptions import ValidationError

    from otmetka.journal.reference import mark_kind_create
    from tests.factories import MarkKindFactory

    MarkKindFactory(school=world.other_school, name="Проект")
    data = {"short": "", "weight": Decimal("2"), "is_written": False, "position": 1,
            "is_active": True}  # fmt: skip
    admin = world.user("admin")
    mark_kind_create(actor=admin, school=world.school, name="Проект", **data)
    with pytest.raises(ValidationError) as error:
        mark_kind_create(actor=admin, school=world.school, name="проект", **data)
    assert "уже" in str(error.value.message_dict["name"])
    names = MarkKind.objects.filter(school=world.school).values_list("name", flat=True)
    assert [n for n in names if n.casefold() == "проект"] == ["Проект"]
