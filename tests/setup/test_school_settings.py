"""The school's settings page, the regional calendar of the region operator (with Crimea's days
shipped as data) and the local acts."""

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.audit.models import Event
from otmetka.school.calendar import add_working_days
from otmetka.school.models import CalendarOverride, LocalAct, Region, School
from otmetka.school.services import regional_data_name, regional_days_load
from tests.setup.conftest import last_event, page_text
from tests.world import World

pytestmark = pytest.mark.django_db


# --- the regional calendar ----------------------------------------------------------------------


def test_crimea_gives_17_march_2025_plus_one_working_day_as_19_march(world: World) -> None:
    region = world.school.district.region
    assert regional_data_name(region) == "crimea"
    assert add_working_days(world.school, datetime.date(2025, 3, 17), 1) == datetime.date(
        2025, 3, 18
    )
    assert regional_days_load(actor=None, region=region, name="crimea") > 0
    assert add_working_days(world.school, datetime.date(2025, 3, 17), 1) == datetime.date(
        2025, 3, 19
    )
    # The decree's extra day off of 2025 (R30): 28.03.2025 + 1 = 01.04.2025 (31.03 off).
    assert add_working_days(world.school, datetime.date(2025, 3, 28), 1) == datetime.date(
        2025, 4, 1
    )


def test_loading_the_shipped_days_twice_adds_nothing_the_second_time(world: World) -> None:
    region = world.school.district.region
    first = regional_days_load(actor=None, region=region, name="crimea")
    assert regional_days_load(actor=None, region=region, name="crimea") == 0
    assert CalendarOverride.objects.filter(region=region).count() == first


def test_a_region_without_shipped_data_has_none() -> None:
    assert regional_data_name(Region(name="Тверская область", code="69")) is None


@pytest.fixture
def operator(world: World) -> User:
    user = User.objects.create_user(
        username="operator", last_name="Календарёва", first_name="Ольга"
    )
    RoleMembership.objects.create(
        user=user, role=Role.REGION_OPERATOR, region=world.school.district.region
    )
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_region_operator_adds_a_day_off_for_every_school_of_the_region(
    world: World, operator: User
) -> None:
    region = world.school.district.region
    client = _client(operator)
    assert client.get("/setup/region/").url == f"/setup/region/{region.pk}/calendar/"
    url = f"/setup/region/{region.pk}/calendar/"
    data = {
        "date": "16.03.2027",
        "kind": "day_off",
        "reason": "Указ № 1",
        "min_grade": 1,
        "max_grade": 11,
    }
    assert client.post(url, data).status_code == 302
    row = CalendarOverride.objects.get(region=region, date=datetime.date(2027, 3, 16))
    assert last_event("region_calendar_create").object_id == str(row.pk)
    assert add_working_days(world.school, datetime.date(2027, 3, 15), 1) == datetime.date(
        2027, 3, 17
    )
    # The same date again: a Russian message, nothing written.
    events = Event.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "уже есть изменение календаря" in page_text(response)
    assert Event.objects.count() == events
    # Removing it leaves an event with what it was.
    assert client.post(f"{url}{row.pk}/delete/").status_code == 302
    assert not CalendarOverride.objects.filter(pk=row.pk).exists()
    assert last_event("region_calendar_delete").before["reason"] == "Указ № 1"


def test_the_region_operator_loads_crimeas_shipped_days_from_the_page(
    world: World, operator: User
) -> None:
    region = world.school.district.region
    client = _client(operator)
    page = page_text(client.get(f"/setup/region/{region.pk}/calendar/"))
    assert "Добавить региональные дни из поставки" in page
    assert client.post(f"/setup/region/{region.pk}/calendar/load/").status_code == 302
    assert CalendarOverride.objects.filter(region=region, date=datetime.date(2025, 3, 18)).exists()


@pytest.mark.parametrize(
    "persona", ["admin", "director", "region_viewer", "teacher_other_school", "outsider"]
)
def test_nobody_but_the_regions_operator_opens_its_calendar(
    world: World, client_for: Callable[[str], Client], persona: str
) -> None:
    region = world.school.district.region
    client = client_for(persona)
    assert client.get("/setup/region/").status_code == 404
    assert client.get(f"/setup/region/{region.pk}/calendar/").status_code == 404
    assert client.post(f"/setup/region/{region.pk}/calendar/load/").status_code == 404
    assert not CalendarOverride.objects.filter(region=region).exists()


def test_an_operator_of_another_region_cannot_touch_this_one(world: World) -> None:
    region = world.school.district.region
    other = Region.objects.create(name="Севастополь", code="92")
    user = User.objects.create_user(username="sev-operator", last_name="Севастьянов")
    RoleMembership.objects.create(user=user, role=Role.REGION_OPERATOR, region=other)
    client = _client(user)
    assert client.get(f"/setup/region/{region.pk}/calendar/").status_code == 404
    data = {"date": "16.03.2027", "kind": "day_off", "reason": "x", "min_grade": 1, "max_grade": 11}
    assert client.post(f"/setup/region/{region.pk}/calendar/", data).status_code == 404
    assert client.post(f"/setup/region/{region.pk}/calendar/load/").status_code == 404
    row = CalendarOverride.objects.create(
        region=region, date=datetime.date(2027, 3, 16), kind="day_off", reason="Указ"
    )
    delete = f"/setup/region/{region.pk}/calendar/{row.pk}/delete/"
    assert client.post(delete).status_code == 404
    assert client.post(f"/setup/region/{other.pk}/calendar/{row.pk}/delete/").status_code == 404
    assert CalendarOverride.objects.filter(pk=row.pk).exists()


# --- the school's settings ----------------------------------------------------------------------


def test_the_admin_changes_the_schools_settings_and_an_event_is_written(
    world: World, client_for: Callable[[str], Client]
) -> None:
    client = client_for("admin")
    data = {
        "name": world.school.name,
        "short_name": "МБОУ СОШ № 1",
        "time_zone": "Europe/Simferopol",
        "six_day_from_grade": 10,
        "period_close_after_days": 5,
    }
    assert client.post("/setup/settings/", data).status_code == 302
    school = School.objects.get(pk=world.school.pk)
    assert (school.time_zone, school.six_day_from_grade, school.period_close_after_days) == (
        "Europe/Simferopol",
        10,
        5,
    )
    assert school.week_days_for_grade(10) == 6
    assert last_event("school_settings_update").before["time_zone"] == "Europe/Moscow"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "Выберите корректный вариант"),
        ("six_day_from_grade", "12", "меньше либо равно 11"),
        ("period_close_after_days", "-1", "больше либо равно 0"),
        ("short_name", "\x00", "NUL"),
    ],
)
def test_bad_settings_are_refused_in_russian_and_nothing_changes(
    world: World, client_for: Callable[[str], Client], field: str, value: str, message: str
) -> None:
    data = {
        "name": world.school.name,
        "short_name": world.school.short_name,
        "time_zone": "Europe/Moscow",
        "six_day_from_grade": 0,
        "period_close_after_days": 10,
        field: value,
    }
    events = Event.objects.count()
    response = client_for("admin").post("/setup/settings/", data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert Event.objects.count() == events
    assert School.objects.get(pk=world.school.pk).time_zone == "Europe/Moscow"


def test_a_teacher_reads_the_settings_but_cannot_change_them(
    world: World, client_for: Callable[[str], Client]
) -> None:
    client = client_for("teacher_7b")
    page = client.get("/setup/settings/")
    assert page.status_code == 200
    assert '<form method="post" class="card setup-form"' not in page_text(page)
    response = client.post("/setup/settings/", {"time_zone": "Europe/Samara"})
    assert response.status_code == 403
    assert School.objects.get(pk=world.school.pk).time_zone == "Europe/Moscow"


# --- local acts ---------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _act_data(**extra: object) -> dict[str, object]:
    return {
        "kind": "journal",
        "title": "Положение о ведении электронного журнала",
        "number": "45-о",
        "approved_on": "30.08.2026",
        "effective_from": "01.09.2026",
        **extra,
    }


def test_the_admin_adds_a_local_act_and_a_teacher_downloads_it(
    world: World, client_for: Callable[[str], Client], settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("polozhenie.pdf", PDF, content_type="application/pdf")
    response = client_for("admin").post("/setup/acts/new/", _act_data(file=upload))
    assert response.status_code == 302
    act = LocalAct.objects.get()
    assert (act.number, act.approved_on, act.name) == (
        "45-о",
        datetime.date(2026, 8, 30),
        "polozhenie.pdf",
    )
    assert last_event("local_act_create").after["title"] == act.title
    teacher = client_for("teacher_7b")
    assert "45-о" in page_text(teacher.get("/setup/acts/"))
    download = teacher.get(f"/setup/acts/{act.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert teacher.get(f"/setup/acts/{act.pk}/").status_code == 403
    assert client_for("teacher_other_school").get(f"/setup/acts/{act.pk}/file/").status_code == 404
    assert client_for("student_7a").get(f"/setup/acts/{act.pk}/file/").status_code == 404


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"file": SimpleUploadedFile("act.pdf", b"MZ\x90\x00not a pdf")}, "в виде PDF"),
        ({}, "Приложите PDF"),
        ({"effective_from": "01.08.2026"}, "не раньше утверждения"),
    ],
)
def test_a_bad_local_act_is_refused_in_russian_and_nothing_is_written(
    world: World,
    client_for: Callable[[str], Client],
    extra: dict,
    message: str,
    settings: object,
    tmp_path: object,
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    if "effective_from" in extra:
        extra = {**extra, "file": SimpleUploadedFile("a.pdf", PDF)}
    events = Event.objects.count()
    response = client_for("admin").post("/setup/acts/new/", _act_data(**extra))
    assert response.status_code == 200
    assert message in page_text(response)
    assert not LocalAct.objects.exists()
    assert Event.objects.count() == events
