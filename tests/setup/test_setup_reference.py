"""The admin keeps the school's reference data through real POSTs: years, periods, vacations,
calendar changes, classes, subjects. Bad input gets a Russian message and writes nothing."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model

from otmetka.curriculum.models import Subject
from otmetka.school.models import (
    AcademicYear,
    CalendarOverride,
    Period,
    PeriodScheme,
    SchoolClass,
    Vacation,
)
from tests.setup.conftest import last_event, make_override, make_vacation, page_text
from tests.world import World

MODELS: dict[str, type[Model]] = {
    "year": AcademicYear,
    "period": Period,
    "vacation": Vacation,
    "calendar": CalendarOverride,
    "class": SchoolClass,
    "subject": Subject,
}
ACTIONS = {
    "year": "year",
    "period": "period",
    "vacation": "vacation",
    "calendar": "calendar_override",
    "class": "class",
    "subject": "subject",
}


def valid(kind: str, w: World) -> dict[str, Any]:
    """Good POST data to create one row of `kind` in the world's school."""
    return {
        "year": {"name": "2027/2028", "start": "2027-09-01", "end": "2028-05-26"},
        "period": {
            "year": w.year.pk,
            "scheme": "halves",
            "number": 1,
            "start": "2026-09-01",
            "end": "2026-12-30",
        },
        "vacation": {
            "year": w.year.pk,
            "name": "Зимние каникулы",
            "start": "2026-12-31",
            "end": "2027-01-11",
            "min_grade": 1,
            "max_grade": 11,
        },
        # typed by hand in Russian format
        "calendar": {
            "date": "21.04.2027",
            "kind": "day_off",
            "reason": "Указ Главы РК № 1",
            "min_grade": 1,
            "max_grade": 11,
        },
        "class": {
            "year": w.year.pk,
            "grade": 8,
            "letter": "В",
            "homeroom_teacher": w.user("teacher_7b").pk,
            "period_scheme": "quarters",
            "week_days": "5",
        },
        "subject": {"name": "Физика", "short_name": "Физ.", "position": 20},
    }[kind]


def existing(kind: str, w: World) -> Model:
    """A row of `kind` in the world's school to edit."""
    return {
        "year": lambda: w.year,
        "period": lambda: Period.objects.get(year=w.year, scheme="quarters", number=1),
        "vacation": lambda: make_vacation(w),
        "calendar": lambda: make_override(w),
        "class": lambda: w.class_7b,
        "subject": lambda: w.math,
    }[kind]()


EDITS: dict[str, tuple[dict[str, Any], str, Any]] = {
    # kind: (changed fields on top of the row's values, field to check, expected stored value)
    "year": ({"end": "2027-05-31"}, "end", datetime.date(2027, 5, 31)),
    "period": ({"end": "2026-10-24"}, "end", datetime.date(2026, 10, 24)),
    "vacation": ({"end": "2026-11-05"}, "end", datetime.date(2026, 11, 5)),
    "calendar": ({"reason": "Указ № 2"}, "reason", "Указ № 2"),
    "class": ({"homeroom_teacher": "teacher_7b"}, "homeroom_teacher_id", "teacher_7b"),
    "subject": ({"name": "Алгебра"}, "name", "Алгебра"),
}


def post_data(kind: str, obj: Model, w: World, changes: dict[str, Any]) -> dict[str, Any]:
    """The row's current values as a form would send them, with `changes` applied."""
    fields = list(valid(kind, w))
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, f"{name}_id", None) if hasattr(obj, f"{name}_id") else None
        value = value if value is not None else getattr(obj, name)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    for name, value in changes.items():
        data[name] = w.user(value).pk if name == "homeroom_teacher" else value
    return {k: ("" if v is None else v) for k, v in data.items()}


@pytest.mark.parametrize("kind", list(MODELS))
def test_admin_creates_a_row_and_the_audit_event_records_it(
    kind: str, world: World, client_for: Callable, counts: Callable
) -> None:
    before = counts(MODELS[kind])
    response = client_for("admin").post(f"/setup/{kind}/new/", valid(kind, world))
    assert response.status_code == 302, page_text(response)
    assert counts(MODELS[kind])[0] == before[0] + 1
    event = last_event(f"{ACTIONS[kind]}_create")
    row = MODELS[kind].objects.get(pk=event.object_id)
    assert row.school_id == world.school.pk
    assert event.before is None and event.after["id"] == row.pk
    assert event.actor == world.user("admin")


@pytest.mark.parametrize("kind", list(MODELS))
def test_admin_edits_a_row_and_the_audit_event_has_before_and_after(
    kind: str, world: World, client_for: Callable
) -> None:
    obj = existing(kind, world)
    changes, field, expected = EDITS[kind]
    if field == "homeroom_teacher_id":
        expected = world.user(expected).pk
    url = f"/setup/{kind}/{obj.pk}/"
    response = client_for("admin").post(url, post_data(kind, obj, world, changes))
    assert response.status_code == 302, page_text(response)
    obj.refresh_from_db()
    assert getattr(obj, field) == expected
    event = last_event(f"{ACTIONS[kind]}_update")
    assert event.object_id == str(obj.pk)
    stored = expected.isoformat() if isinstance(expected, datetime.date) else expected
    assert event.after[field] == stored
    assert event.before[field] != stored


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("year", {"name": "2027-2028"}, "Запишите учебный год в виде «2026/2027»"),
    ("year", {"name": "2028/2029"}, "Учебный год 2028/2029 должен начинаться в 2028 году"),
    ("year", {"start": "2028-05-26", "end": "2027-09-01"}, "Последний день должен быть позже"),
    (
        "year",
        {"name": "2026/2027", "start": "2026-09-01", "end": "2027-05-26"},
        "Учебный год 2026/2027 уже есть.",
    ),
    ("year", {"start": "31.02.2027"}, "Введите дату в формате ДД.ММ.ГГГГ."),
    ("period", {"number": 3}, "Периоды схемы «полугодия» нумеруются от 1 до 2."),
    ("period", {"start": "2026-08-01"}, "Даты должны быть в пределах учебного года 2026/2027"),
    (
        "period",
        {"scheme": "quarters", "number": 4, "start": "2026-10-01", "end": "2026-11-10"},
        "Даты пересекаются с периодом «1 четверть»",
    ),
    (
        "period",
        {"scheme": "quarters", "number": 2, "start": "2026-11-05", "end": "2026-12-30"},
        "Период с номером 2 уже есть.",
    ),
    ("period", {"start": "2026-12-30", "end": "2026-09-01"}, "Последний день должен быть позже"),
    (
        "vacation",
        {"start": "2026-10-26", "end": "2026-10-30"},
        "Каникулы длятся не менее 7 календарных дней.",
    ),
    (
        "vacation",
        {"start": "2027-06-01", "end": "2027-06-10"},
        "Даты должны быть в пределах учебного года 2026/2027",
    ),
    (
        "vacation",
        {"min_grade": 5, "max_grade": 3},
        "Последняя параллель не может быть меньше первой.",
    ),
    (
        "calendar",
        {"date": "10.01.2028"},
        "Дата должна быть в пределах одного из учебных годов школы.",
    ),
    ("calendar", {"max_grade": 12}, "Параллель — число от 1 до 11."),
    ("calendar", {"date": "2027-13-01"}, "Введите дату в формате ДД.ММ.ГГГГ."),
    ("calendar", {"reason": " "}, "Обязательное поле."),
    ("class", {"grade": 12}, "Параллель — число от 1 до 11."),
    ("class", {"letter": "B"}, "Литера — одна заглавная русская буква (А–Я)."),
    ("class", {"letter": "АБ"}, "Литера — одна заглавная русская буква (А–Я)."),
    ("class", {"grade": 7, "letter": "а"}, "Класс 7А в 2026/2027 учебном году уже есть."),
    ("class", {"week_days": "7"}, "Выберите корректный вариант."),
    ("subject", {"name": "математика"}, "Предмет «математика» уже есть."),
    ("subject", {"name": ""}, "Обязательное поле."),
    ("subject", {"position": 5000}, "Порядок в списке — число от 0 до 999."),
]


@pytest.mark.parametrize(("kind", "changes", "message"), BAD, ids=lambda v: str(v)[:40])
def test_bad_input_shows_the_russian_message_and_writes_nothing(
    kind: str,
    changes: dict,
    message: str,
    world: World,
    client_for: Callable,
    counts: Callable,
) -> None:
    before = counts(MODELS[kind])
    data = {**valid(kind, world), **changes}
    response = client_for("admin").post(f"/setup/{kind}/new/", data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert counts(MODELS[kind]) == before


def test_periods_must_be_numbered_in_the_order_of_their_dates(
    world: World, client_for: Callable, counts: Callable
) -> None:
    Period.objects.create(
        school=world.school,
        year=world.year,
        scheme=PeriodScheme.HALVES,
        number=2,
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2026, 12, 30),
    )
    before = counts(Period)
    data = {**valid("period", world), "start": "2027-01-12", "end": "2027-05-26"}
    response = client_for("admin").post("/setup/period/new/", data)
    assert "Номера периодов должны идти в порядке их дат" in page_text(response)
    assert counts(Period) == before


def test_a_year_cannot_shrink_away_from_its_periods(
    world: World, client_for: Callable, counts: Callable
) -> None:
    before = counts(AcademicYear)
    data = {"name": "2026/2027", "start": "2026-10-01", "end": "2027-05-26"}
    response = client_for("admin").post(f"/setup/year/{world.year.pk}/", data)
    assert "оказываются за пределами новых дат" in page_text(response)
    world.year.refresh_from_db()
    assert world.year.start == datetime.date(2026, 9, 1)
    assert counts(AcademicYear) == before


def test_a_class_takes_the_school_week_when_the_week_is_left_empty(
    world: World, client_for: Callable
) -> None:
    world.school.six_day_from_grade = 10
    world.school.save()
    data = {**valid("class", world), "grade": 10, "letter": "а", "week_days": ""}
    response = client_for("admin").post("/setup/class/new/", data)
    assert response.status_code == 302
    created = SchoolClass.objects.get(year=world.year, grade=10, letter="А")
    assert created.week_days == 6


def test_a_homeroom_teacher_from_another_school_is_refused(
    world: World, client_for: Callable, counts: Callable
) -> None:
    before = counts(SchoolClass)
    data = {**valid("class", world), "homeroom_teacher": world.user("teacher_other_school").pk}
    response = client_for("admin").post("/setup/class/new/", data)
    assert "Выберите корректный вариант" in page_text(response)
    assert counts(SchoolClass) == before


def test_the_year_page_shows_the_structure_warnings_of_the_calendar(
    world: World, client_for: Callable
) -> None:
    # the world's year has quarters but no vacations: working days between quarters are uncovered
    response = client_for("admin").get(f"/setup/year/{world.year.pk}/")
    assert response.status_code == 200
    assert "не входят ни в один период и ни в одни каникулы" in page_text(response)


def test_lists_link_rows_and_offer_add_only_to_those_who_can_change(
    world: World, client_for: Callable
) -> None:
    admin_page = page_text(client_for("admin").get("/setup/subject/"))
    director_page = page_text(client_for("director").get("/setup/subject/"))
    assert "Добавить" in admin_page and f"/setup/subject/{world.math.pk}/" in admin_page
    assert "Математика" in director_page
    assert "Добавить" not in director_page
    assert f"/setup/subject/{world.math.pk}/" not in director_page


def test_the_setup_index_counts_rows_and_shows_what_is_missing(
    world: World, client_for: Callable
) -> None:
    page = page_text(client_for("admin").get("/setup/"))
    assert "Учебные годы" in page and "Обучающиеся" in page
    assert "Классы без классного руководителя: 7Б." in page


def test_the_empty_calendar_changes_list_says_what_a_change_is_for(
    world: World, client_for: Callable
) -> None:
    page = page_text(client_for("admin").get("/setup/calendar/"))
    assert "Здесь пока ничего нет. Федеральный производственный календарь" in page
    assert "рабочая суббота, дополнительный выходной, карантин." in page
