"""Switching the current school in the header, and the language switcher in the footer."""

from collections.abc import Callable

import pytest
from django.test import Client

from otmetka.people.models import Guardian
from tests.home.helpers import sections
from tests.world import World

ClientFor = Callable[[str | None], Client]


@pytest.fixture
def two_school_user(world: World) -> str:
    """The other school's teacher is also the guardian of the 7Б student in School №1."""
    Guardian.objects.create(
        school=world.school, student=world.pupil_7b, user=world.user("teacher_other_school")
    )
    return "teacher_other_school"


def test_user_with_roles_in_two_schools_sees_both_in_the_header(
    client_for: ClientFor, world: World, two_school_user: str
) -> None:
    html = client_for(two_school_user).get("/").content.decode()
    assert 'id="school-select"' in html
    assert f'<option value="{world.school.pk}"' in html
    assert f'<option value="{world.other_school.pk}" selected>' in html  # first by name


def test_switching_school_shows_the_other_schools_home(
    client_for: ClientFor, world: World, two_school_user: str
) -> None:
    client = client_for(two_school_user)
    first = client.get("/").content.decode()
    assert list(sections(first)) == ["teacher"]
    assert "<h1>Орловская СШ</h1>" in first

    response = client.post("/school/switch/", {"school": world.school.pk})
    assert response.status_code == 302 and response["Location"] == "/"
    second = client.get("/").content.decode()
    assert "<h1>Столбовская СШ</h1>" in second
    assert list(sections(second)) == ["guardian"]
    assert "Петрова Дарья Олеговна" in sections(second)["guardian"]
    assert f'<option value="{world.school.pk}" selected>' in second

    client.post("/school/switch/", {"school": world.other_school.pk})
    assert list(sections(client.get("/").content.decode())) == ["teacher"]


def test_switching_to_a_school_that_is_not_theirs_is_404_and_changes_nothing(
    client_for: ClientFor, world: World
) -> None:
    client = client_for("teacher_7a_math")
    response = client.post("/school/switch/", {"school": world.other_school.pk})
    assert response.status_code == 404
    html = client.get("/").content.decode()
    assert "<h1>Столбовская СШ</h1>" in html


@pytest.mark.parametrize("value", ["", "abc", "999999", "1.5"])
def test_switching_to_garbage_is_404(client_for: ClientFor, world: World, value: str) -> None:
    response = client_for("admin").post("/school/switch/", {"school": value})
    assert response.status_code == 404


def test_user_with_one_school_sees_its_name_and_no_selector(client_for: ClientFor) -> None:
    html = client_for("admin").get("/").content.decode()
    assert 'id="school-select"' not in html
    assert '<span class="school-name">Столбовская СШ</span>' in html


def test_school_chosen_earlier_is_forgotten_when_the_user_loses_it(
    client_for: ClientFor, world: World, two_school_user: str
) -> None:
    client = client_for(two_school_user)
    client.post("/school/switch/", {"school": world.school.pk})
    Guardian.objects.filter(user=world.user(two_school_user)).delete()
    html = client.get("/").content.decode()
    assert "<h1>Орловская СШ</h1>" in html
    assert "Петрова" not in html


def test_footer_has_a_language_switcher(client_for: ClientFor) -> None:
    html = client_for("admin").get("/").content.decode()
    assert '<form action="/i18n/setlang/" method="post" class="lang-switch">' in html
    assert '<option value="ru" lang="ru" selected>Русский</option>' in html
    assert '<option value="en" lang="en">English</option>' in html


def test_switching_to_english_translates_the_home_page(client_for: ClientFor) -> None:
    client = client_for("teacher_7a_math")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "My classes and subjects" in html
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert "Мои классы и предметы" in client.get("/").content.decode()


def test_login_page_has_the_language_switcher_too(client: Client, db: None) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert 'class="lang-switch"' in html
    assert '<html lang="ru">' in html
