"""`otmetka demo`: prints working logins per role, is idempotent, leaves real schools alone."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from otmetka.accounts.models import User
from otmetka.people.models import Student
from otmetka.school.models import School, SchoolClass
from tests.world import World

ROLES = (
    "Администратор",
    "Секретарь",
    "Завуч",
    "Директор",
    "Учитель-предметник",
    "Классный руководитель",
    "Педагог доп. образования",
    "Педагог внеурочной деятельности",
    "Администратор сайта",
    "Медсестра",
    "Родитель",
    "Обучающийся",
    "Орган управления образованием",
    "Оператор регионального календаря",
)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "tiny", stdout=out)
    return out.getvalue()


def printed_accounts(output: str) -> dict[str, tuple[str, str]]:
    """role → (login, password) from the printed table."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    accounts = {}
    for line in lines[start:]:
        cells = re.split(r"\s{2,}", line)
        if len(cells) < 4:
            break
        accounts[cells[0]] = (cells[1], cells[2])
    return accounts


@pytest.mark.django_db
def test_each_printed_login_opens_the_home_page_with_its_printed_password(
    school_day: object,
) -> None:
    output = run_demo()
    accounts = printed_accounts(output)
    assert tuple(accounts) == ROLES
    for role, (login, password) in accounts.items():
        client = Client()
        response = client.post("/accounts/login/", {"username": login, "password": password})
        assert response.status_code == 302, role
        home = client.get(response["Location"])
        assert home.status_code == 200, role
        assert User.objects.get(username=login).short_name in home.content.decode(), role


@pytest.mark.django_db
def test_the_command_reports_the_size_and_the_generation_time(school_day: object) -> None:
    output = run_demo()
    assert "Создаётся демонстрационная школа…" in output
    assert re.search(r"Создано за \d+,\d с\.", output)
    students = Student.objects.count()
    # 11 classes this year (last year's 7th grade, archived, is not counted): what the deputy's
    # home page says too.
    assert f"Школ: 1, классов в этом учебном году: 11, обучающихся: {students}," in output
    assert SchoolClass.objects.count() == 12
    client = Client()
    client.force_login(User.objects.get(username=printed_accounts(output)["Завуч"][0]))
    home = client.get("/").content.decode()
    assert "<dt>Классы</dt><dd>11</dd>" in home


@pytest.mark.django_db
def test_a_second_run_reuses_the_data_and_prints_the_same_logins(school_day: object) -> None:
    first = run_demo()
    counts = (School.objects.count(), User.objects.count(), Student.objects.count())
    second = run_demo()
    assert (School.objects.count(), User.objects.count(), Student.objects.count()) == counts
    assert "В базе данных уже есть демонстрационная школа" in second
    assert "Создаётся" not in second
    assert printed_accounts(second) == printed_accounts(first)


@pytest.mark.django_db
def test_a_second_run_gives_a_changed_demo_password_back(school_day: object) -> None:
    login, password = printed_accounts(run_demo())["Директор"]
    director = User.objects.get(username=login)
    director.set_password("changed-by-a-visitor")
    director.save()
    run_demo()
    director.refresh_from_db()
    assert director.check_password(password)


def test_the_demo_leaves_a_database_with_real_schools_alone(world: World) -> None:
    admin = world.user("admin")
    schools, users = School.objects.count(), User.objects.count()
    with pytest.raises(CommandError) as error:
        run_demo()
    assert "созданные не демонстрационным генератором" in str(error.value)
    assert (School.objects.count(), User.objects.count()) == (schools, users)
    admin.refresh_from_db()
    assert admin.password == world.user("admin").password
